"""One settings class, built in ``main`` and passed down; never read at import time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.errors import ConfigError
from bot.web.fetch import FetchLimits

# BotFather tokens look like "123456789:AA...": a numeric bot id, a colon, 30+ url-safe chars.
TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")

TOKEN_HELP = (
    "Kata Siapa needs a Telegram bot token. Open Telegram, talk to @BotFather, send /newbot "
    "and follow its questions; it answers with a token like 123456789:AAE... Put it in a file "
    "named .env next to README.md as TELEGRAM_BOT_TOKEN=<token> (see .env.example), or export "
    "TELEGRAM_BOT_TOKEN in your shell, then run the bot again."
)


class Settings(BaseSettings):
    """Every field is documented in .env.example; tests build ``Settings(_env_file=None)``."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot", alias="TELEGRAM_API_BASE_URL"
    )
    # A SQLite file path, or a postgresql:// URL (kept as text: a Path would mangle "//").
    db_path: str = Field(default="data/katasiapa.sqlite3", min_length=1, alias="KATASIAPA_DB")
    db_pool_size: int = Field(default=10, ge=1, le=200, alias="KATASIAPA_DB_POOL_SIZE")
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), alias="KATASIAPA_ADMIN_IDS"
    )
    timezone: str = Field(default="Asia/Jakarta", alias="KATASIAPA_TIMEZONE")
    busy_timeout_ms: int = Field(default=5000, ge=0, alias="KATASIAPA_BUSY_TIMEOUT_MS")
    load_sample: bool = Field(default=True, alias="KATASIAPA_LOAD_SAMPLE")
    log_level: str = Field(default="INFO", alias="KATASIAPA_LOG_LEVEL")
    log_user_text: bool = Field(default=False, alias="KATASIAPA_LOG_USER_TEXT")
    match_threshold: float = Field(default=80.0, ge=0, le=100, alias="KATASIAPA_MATCH_THRESHOLD")
    similar_threshold: float = Field(
        default=55.0, ge=0, le=100, alias="KATASIAPA_SIMILAR_THRESHOLD"
    )
    quote_threshold: float = Field(default=85.0, ge=0, le=100, alias="KATASIAPA_QUOTE_THRESHOLD")
    max_query_chars: int = Field(default=30_000, ge=100, alias="KATASIAPA_MAX_QUERY_CHARS")
    flood_limit: int = Field(default=20, ge=1, alias="KATASIAPA_FLOOD_LIMIT")
    flood_window_s: float = Field(default=60.0, gt=0, alias="KATASIAPA_FLOOD_WINDOW_S")
    concurrent_updates: int = Field(default=16, ge=1, le=256, alias="KATASIAPA_CONCURRENT_UPDATES")
    digest_tick_s: float = Field(default=30.0, gt=0, alias="KATASIAPA_DIGEST_TICK_S")
    digest_rate: float = Field(default=28.0, gt=0, le=30, alias="KATASIAPA_DIGEST_RATE")
    send_cap: int = Field(default=30, ge=1, le=30, alias="KATASIAPA_SEND_CAP")
    digest_workers: int = Field(default=4, ge=1, le=32, alias="KATASIAPA_DIGEST_WORKERS")
    digest_late_hours: float = Field(default=6.0, ge=0, alias="KATASIAPA_DIGEST_LATE_HOURS")
    fetch_allow_private: bool = Field(default=False, alias="KATASIAPA_FETCH_ALLOW_PRIVATE")
    fetch_timeout_s: float = Field(default=15.0, gt=0, le=120, alias="KATASIAPA_FETCH_TIMEOUT_S")
    fetch_max_bytes: int = Field(
        default=5 * 1024 * 1024, ge=10_000, alias="KATASIAPA_FETCH_MAX_BYTES"
    )
    feed_poll_s: float = Field(default=60.0, gt=0, alias="KATASIAPA_FEED_POLL_S")
    integrity_check_s: float = Field(default=10.0, ge=0, alias="KATASIAPA_INTEGRITY_CHECK_S")
    webhook_secret: SecretStr | None = Field(default=None, alias="KATASIAPA_WEBHOOK_SECRET")
    webhook_listen: str = Field(default="0.0.0.0", alias="KATASIAPA_WEBHOOK_LISTEN")  # noqa: S104
    webhook_port: int = Field(default=8443, ge=1, le=65535, alias="KATASIAPA_WEBHOOK_PORT")

    def fetch_limits(self) -> FetchLimits:
        """The link/feed fetcher's limits (private addresses only with the test setting)."""
        return FetchLimits(
            max_bytes=self.fetch_max_bytes,
            timeout_s=self.fetch_timeout_s,
            allow_private=self.fetch_allow_private,
        )

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        """Accept "1, 2 3" from the environment as well as real collections."""
        if isinstance(value, str):
            parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError(
                    "KATASIAPA_ADMIN_IDS must be numeric Telegram user ids separated by commas"
                ) from exc
        return value

    @field_validator("db_path", mode="before")
    @classmethod
    def _db_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, Path) else value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA timezone {value!r} (e.g. Asia/Jakarta)") from exc
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("TELEGRAM_API_BASE_URL must start with http:// or https://")
        return value

    def bot_token(self) -> str:
        """The token, or a ConfigError whose message tells the user how to get one."""
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise ConfigError(TOKEN_HELP)
        token = self.telegram_bot_token.get_secret_value().strip()
        if not TOKEN_RE.match(token):
            raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token. " + TOKEN_HELP)
        return token
