"""Settings parse the environment strictly and explain a missing token."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.core.errors import ConfigError
from bot.settings import Settings

GOOD_TOKEN = "123456789:AAEabcdefghijklmnopqrstuvwxyz_0123456"


def test_defaults() -> None:
    s = Settings(_env_file=None)
    assert s.telegram_api_base_url == "https://api.telegram.org/bot"
    assert str(s.db_path) == "data/katasiapa.sqlite3"
    assert s.timezone == "Asia/Jakarta"
    assert s.admin_ids == frozenset()


def test_environment_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KATASIAPA_ADMIN_IDS", "12, 34 56")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("KATASIAPA_DB", "/tmp/x.sqlite3")
    s = Settings(_env_file=None)
    assert s.admin_ids == frozenset({12, 34, 56})
    assert s.bot_token() == GOOD_TOKEN
    assert str(s.db_path) == "/tmp/x.sqlite3"
    assert GOOD_TOKEN not in repr(s)


def test_a_postgres_url_is_kept_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Path would fold "//" and lose the URL; the archive target is text."""
    url = "postgresql://bot:pw@/arsip?host=/var/run/postgresql"
    monkeypatch.setenv("KATASIAPA_DB", url)
    monkeypatch.setenv("KATASIAPA_DB_POOL_SIZE", "4")
    s = Settings(_env_file=None)
    assert s.db_path == url
    assert s.db_pool_size == 4


@pytest.mark.parametrize("token", [None, "", "not-a-token", "123:short"])
def test_missing_or_malformed_token_explains_botfather(token: str | None) -> None:
    s = Settings(_env_file=None, TELEGRAM_BOT_TOKEN=token)
    with pytest.raises(ConfigError, match="@BotFather"):
        s.bot_token()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("KATASIAPA_ADMIN_IDS", "12,abc"),
        ("KATASIAPA_TIMEZONE", "Mars/Olympus"),
        ("TELEGRAM_API_BASE_URL", "ftp://x"),
    ],
)
def test_invalid_values_are_rejected(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, **{field: value})
