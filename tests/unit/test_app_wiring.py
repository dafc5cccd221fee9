"""Composition root: URLs, typed bot_data, DB lifecycle, token redaction."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from bot.app import (
    REDACTED,
    TokenRedactingFilter,
    bot_commands,
    build_application,
    file_base_url,
)
from bot.core.errors import ConfigError
from bot.settings import Settings
from handlers.context import BotData, NotReadyError
from tests.helpers.botapi_standin import BotApiStandIn
from tests.helpers.recording_request import RecordingRequest


def settings_for(standin: BotApiStandIn, db: Path, **extra: object) -> Settings:
    values: dict[str, object] = {
        "TELEGRAM_BOT_TOKEN": standin.token,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "KATASIAPA_DB": str(db),
        "KATASIAPA_LOAD_SAMPLE": False,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("base", "file_base"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
        ("http://127.0.0.1:8081/bot/", "http://127.0.0.1:8081/file/bot"),
        ("http://proxy.local/tg", "http://proxy.local/tg/file"),
    ],
)
def test_file_base_url(base: str, file_base: str) -> None:
    assert file_base_url(base) == file_base


def test_application_uses_settings_base_url_and_typed_bot_data(tmp_path: Path) -> None:
    standin = BotApiStandIn()
    settings = settings_for(standin, tmp_path / "k.sqlite3")
    app = build_application(settings, request=RecordingRequest(standin))
    assert app.bot.base_url == standin.base_url + standin.token
    assert app.bot.base_file_url.endswith("/file/bot" + standin.token)
    assert isinstance(app.bot_data, BotData)
    assert app.bot_data.settings is settings
    with pytest.raises(NotReadyError):
        app.bot_data.require_stores()


def test_missing_token_is_a_config_error(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, TELEGRAM_BOT_TOKEN="", KATASIAPA_DB=str(tmp_path / "x"))
    with pytest.raises(ConfigError, match="BotFather"):
        build_application(settings)


async def test_post_init_opens_loads_and_post_shutdown_closes(tmp_path: Path) -> None:
    standin = BotApiStandIn()
    db_path = tmp_path / "nested" / "k.sqlite3"
    app = build_application(settings_for(standin, db_path), request=RecordingRequest(standin))
    await app.initialize()
    assert app.post_init is not None
    assert app.post_shutdown is not None
    await app.post_init(app)
    try:
        assert db_path.exists()
        assert app.bot_data.owns_stores
        assert await app.bot_data.require_stores().articles.count() == 0  # load_sample is off
    finally:
        await app.shutdown()
        await app.post_shutdown(app)
    assert app.bot_data.stores is None
    await app.post_shutdown(app)  # idempotent


def test_command_menu_has_default_and_indonesian() -> None:
    menus = bot_commands()
    assert set(menus) == {None, "id"}
    assert [c.command for c in menus[None]] == [c.command for c in menus["id"]]


def test_redacting_filter_hides_the_token_in_messages_and_tracebacks() -> None:
    token = "123456789:AAE" + "x" * 32
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TokenRedactingFilter([token, token.split(":")[1]]))
    logger = logging.getLogger("test_app_wiring.redaction")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        logger.warning("POST https://api.telegram.org/bot%s/getMe", token)
        logger.warning("secret half alone: %s", token.split(":")[1])
        try:
            raise RuntimeError(f"connect to /bot{token}/getUpdates failed")
        except RuntimeError:
            logger.exception("polling failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert token not in output
    assert token.split(":")[1] not in output
    assert output.count(REDACTED) == 3
    assert "RuntimeError" in output  # the traceback itself is kept
