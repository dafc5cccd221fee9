"""The real application, fed through ``process_update``; Bot API calls go to the in-process
stand-in via ``RecordingRequest`` (no sockets, no mocks on Bot)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.app import KataSiapaApp, build_application
from bot.core.models import Analysis, ArticleInput
from bot.settings import Settings
from storage.articles import SqliteArticleStore
from storage.db import Database
from storage.stores import sqlite_stores
from tests.helpers.botapi_rules import parse_html
from tests.helpers.botapi_standin import BotApiStandIn, Call
from tests.helpers.recording_request import RecordingRequest

USER = 1001
ARTICLES = 3


def make_settings(standin: BotApiStandIn, db_path: Path, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": standin.token,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "KATASIAPA_DB": str(db_path),
        "KATASIAPA_LOAD_SAMPLE": False,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)


@pytest.fixture
async def archive(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "unit.sqlite3")
    store = SqliteArticleStore(db)
    for i in range(ARTICLES):
        await store.add(
            ArticleInput(text=f"Artikel nomor {i}: menteri mengatakan harga beras turun."),
            Analysis(language="id"),
        )
    try:
        yield db
    finally:
        await db.close()


@dataclass
class Harness:
    standin: BotApiStandIn
    app: KataSiapaApp

    async def feed(self, update: dict[str, Any]) -> None:
        async with asyncio.timeout(10):
            await self.app.process_update(Update.de_json(update, self.app.bot))

    def replies(self, chat_id: int = USER) -> list[Call]:
        return self.standin.sent_messages(chat_id)


@pytest.fixture
async def harness(archive: Database, tmp_path: Path) -> AsyncIterator[Harness]:
    standin = BotApiStandIn()
    settings = make_settings(standin, tmp_path / "unused.sqlite3")
    app = build_application(
        settings, request=RecordingRequest(standin), stores=sqlite_stores(archive)
    )
    async with asyncio.timeout(10):
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
    try:
        yield Harness(standin, app)
    finally:
        async with asyncio.timeout(10):
            await app.shutdown()
            assert app.post_shutdown is not None
            await app.post_shutdown(app)


def assert_valid_html(call: Call) -> str:
    """The stand-in already rejected bad HTML; re-parse to return the visible text."""
    assert call.params.get("parse_mode") == "HTML"
    plain, _ = parse_html(call.params["text"])
    assert len(plain) <= 4096
    return plain


async def test_start_in_english_shows_archive_count(harness: Harness) -> None:
    await harness.feed(harness.standin.add_text_message("/start", language_code="en"))
    [reply] = harness.replies()
    text = assert_valid_html(reply)
    assert f"The archive holds {ARTICLES} articles." in text
    assert "Forward me a news article" in text
    assert "declined to comment" in text
    assert "Who said" in text  # the example to try
    assert all(call.ok for call in harness.standin.calls)


async def test_start_in_indonesian(harness: Harness) -> None:
    await harness.feed(harness.standin.add_text_message("/start", language_code="id-ID"))
    text = assert_valid_html(harness.replies()[-1])
    assert f"Arsip berisi {ARTICLES} artikel." in text
    assert "Teruskan artikel berita" in text
    assert "menolak berkomentar" in text


async def test_help_matches_start_and_missing_language_is_english(harness: Harness) -> None:
    await harness.feed(harness.standin.add_text_message("/help", language_code=None))
    text = assert_valid_html(harness.replies()[-1])
    assert f"The archive holds {ARTICLES} articles." in text


async def test_post_init_registers_commands_in_both_languages(harness: Harness) -> None:
    default = harness.standin.commands[('{"type": "default"}', "")]
    indonesian = harness.standin.commands[('{"type": "default"}', "id")]
    expected = ["start", "help", "who", "lang", "subscribe", "unsubscribe", "digest", "follow"]
    expected += ["following", "unfollow", "timezone"]
    assert [c["command"] for c in default] == expected
    assert [c["command"] for c in indonesian] == expected
    assert default[0]["description"] != indonesian[0]["description"]


@pytest.mark.parametrize(
    ("make", "lang", "expected"),
    [
        (lambda s: s.add_photo_message(), "en", "Photos without a caption"),
        # A caption is read like a text; four words are a quote nobody said here.
        (lambda s: s.add_photo_message(caption="see <this> & that"), "id", "Tidak ada klaim"),
        (lambda s: s.add_sticker_message(language_code="id"), "id", "stiker"),
        (lambda s: s.add_text_message("Siapa yang bilang?"), "en", "no words in that message"),
        (lambda s: s.add_text_message("x" * 20000), "en", "too short to look up"),
        (lambda s: s.add_text_message("x " * 16000), "en", "too long to look up"),
        (lambda s: s.add_text_message("/unknown"), "en", "I can read text"),
    ],
)
async def test_what_cannot_be_looked_up_gets_a_polite_note(
    harness: Harness, make: Any, lang: str, expected: str
) -> None:
    update = make(harness.standin)
    if lang == "id":
        update["message"]["from"]["language_code"] = "id"
    await harness.feed(update)
    [reply] = harness.replies()
    assert expected in assert_valid_html(reply)


async def test_message_without_text_or_media_does_not_crash(harness: Harness) -> None:
    await harness.feed(harness.standin.add_update({"message": harness.standin.make_message()}))
    assert len(harness.replies()) == 1


async def test_groups_only_get_answers_to_commands(harness: Harness) -> None:
    group = -1_001_234_567_890
    standin = harness.standin
    await harness.feed(standin.add_text_message("hello all", chat_type="supergroup"))
    await harness.feed(standin.add_photo_message(chat_type="supergroup"))
    assert harness.replies(group) == []
    command = standin.add_text_message("/start@katasiapa_test_bot", chat_type="supergroup")
    await harness.feed(command)
    [reply] = harness.replies(group)
    assert f"{ARTICLES} articles" in assert_valid_html(reply)
    # In a group the answer quotes the command, so it is clear whom it answers.
    assert reply.result["reply_to_message"]["message_id"] == command["message"]["message_id"]


async def test_edited_messages_are_ignored(harness: Harness) -> None:
    message = harness.standin.make_message(text="/start")
    await harness.feed(harness.standin.add_update({"edited_message": message}))
    assert harness.replies() == []


class _BrokenStore:
    """Stands in for the archive failing (disk gone, DB locked) during one update."""

    async def count(self) -> int:
        raise RuntimeError("archive exploded")


async def test_handler_error_is_logged_answered_and_the_next_update_served(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = harness.app.bot_data.require_conversation()
    real_store = conversation.store
    conversation.store = _BrokenStore()  # type: ignore[assignment]
    failing = harness.standin.add_text_message("/start", language_code="id")
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        await harness.feed(failing)
    [apology] = harness.replies()
    assert assert_valid_html(apology) == "Maaf, terjadi kesalahan di pihak kami; silakan coba lagi."
    [record] = [r for r in caplog.records if r.name == "handlers.errors"]
    assert str(failing["update_id"]) in record.getMessage()
    assert record.exc_info is not None
    assert "archive exploded" in str(record.exc_info[1])

    conversation.store = real_store
    await harness.feed(harness.standin.add_text_message("/start"))
    assert "The archive holds 3 articles." in assert_valid_html(harness.replies()[-1])


async def test_error_handler_never_raises_when_telegram_refuses(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    standin = harness.standin
    # A 400 on the reply, then a 400 on the apology too: logged, never raised.
    standin.fail_next("sendMessage", 400, "Bad Request: message is too long")
    standin.fail_next("sendMessage", 400, "Bad Request: message is too long")
    with caplog.at_level(logging.WARNING):
        await harness.feed(standin.add_text_message("/start"))
    assert harness.replies() == []
    assert any("Could not tell chat" in r.getMessage() for r in caplog.records)
    await harness.feed(standin.add_text_message("/help"))
    assert len(harness.replies()) == 1


async def test_a_user_who_blocked_the_bot_gets_no_apology_attempt(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    standin = harness.standin
    standin.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with caplog.at_level(logging.DEBUG, logger="handlers.errors"):
        await harness.feed(standin.add_text_message("/start"))
    attempts = [c for c in standin.calls if c.method == "sendMessage"]
    assert len(attempts) == 1  # the apology would bounce off the block as well
    # Normal operation, not an error: one INFO line, no traceback.
    [record] = [r for r in caplog.records if r.name == "handlers.errors"]
    assert (record.levelno, record.exc_info) == (logging.INFO, None)
    assert "blocked the bot" in record.getMessage()
    assert "\n" not in record.getMessage()
    await harness.feed(standin.add_text_message("/help"))
    assert len(harness.replies()) == 1


async def test_rate_limit_is_waited_out_and_the_reply_delivered(harness: Harness) -> None:
    harness.standin.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await harness.feed(harness.standin.add_text_message("/start"))
    [reply] = harness.replies()
    assert "3 articles" in assert_valid_html(reply)
    assert loop.time() - started >= 1.0


class _LockedStore:
    async def count(self) -> int:
        from bot.core.errors import DatabaseBusyError

        raise DatabaseBusyError("database /tmp/x.sqlite3 is locked by another process")


async def test_a_locked_database_gets_a_try_again_note_not_a_traceback(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = harness.app.bot_data.require_conversation()
    real_store = conversation.store
    conversation.store = _LockedStore()  # type: ignore[assignment]
    with caplog.at_level(logging.WARNING, logger="handlers.errors"):
        await harness.feed(harness.standin.add_text_message("/start"))
    conversation.store = real_store
    [reply] = harness.replies()
    assert assert_valid_html(reply).startswith("The archive is busy right now")
    assert all(r.exc_info is None for r in caplog.records if r.name == "handlers.errors")
