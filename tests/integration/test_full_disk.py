"""A full disk (issue 13): reads keep working, writes are refused with their own message, the
admins are told once, and nothing stored is lost once space returns.

The archive lives on a real small filesystem (a 4 MiB tmpfs mounted for the test) that the
test fills until the kernel says ENOSPC. Where mounting is not allowed, the same condition
is simulated with SQLite's ``max_page_count`` (the file may not grow), which the log says.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import build_application
from bot.archive.ingest import load_sample_if_empty
from storage.articles import SqliteArticleStore
from storage.db import Database
from storage.stores import sqlite_stores
from tests.helpers.botapi_standin import BotApiStandIn, Call
from tests.helpers.recording_request import RecordingRequest
from tests.helpers.smalldisk import fill, small_filesystem
from tests.unit.test_conversation_bot import (
    ADMIN,
    CABAI,
    CHIRRUP,
    UNKNOWN_ARTICLE,
    Bot,
    forwarded,
    make_settings,
    visible,
)

REFUSED = "The archive can't store new things right now"
APOLOGY = "Sorry, something went wrong"
READER, WRITER = 3001, 3002


@dataclass
class FullDisk:
    bot: Bot
    db: Database
    path: Path
    disk: Path | None  # the tmpfs; None: simulated with max_page_count
    filler: Path | None = None

    async def make_full(self) -> None:
        # An empty WAL first: otherwise small writes fit into space the WAL already has.
        await self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if self.disk is not None:
            self.filler = await asyncio.to_thread(fill, self.disk)
        else:
            row = await (await self.db.conn.execute("PRAGMA page_count")).fetchone()
            assert row is not None
            await self.db.conn.execute(f"PRAGMA max_page_count = {int(row[0])}")

    async def free(self) -> None:
        if self.filler is not None:
            await asyncio.to_thread(self.filler.unlink)
        else:
            await self.db.conn.execute("PRAGMA max_page_count = 1073741823")


@pytest.fixture
async def full_disk(tmp_path: Path) -> AsyncIterator[FullDisk]:
    with small_filesystem(tmp_path / "disk", 4096) as disk:
        if disk is None:
            logging.getLogger(__name__).warning("no tmpfs: simulating with max_page_count")
        path = (disk or tmp_path) / "archive.sqlite3"
        db = await Database.open(path)
        await load_sample_if_empty(SqliteArticleStore(db))
        standin = BotApiStandIn()
        app = build_application(
            make_settings(standin, tmp_path / "unused.sqlite3", KATASIAPA_FLOOD_LIMIT=1000),
            request=RecordingRequest(standin),
            stores=sqlite_stores(db),
        )
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        try:
            yield FullDisk(Bot(standin, app, SqliteArticleStore(db)), db, path, disk)
        finally:
            await app.shutdown()
            assert app.post_shutdown is not None
            await app.post_shutdown(app)
            await db.close()


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
            for t in ("articles", "claims", "users", "queries", "sightings", "feedback")
        }


async def test_a_full_disk_refuses_writes_and_keeps_answering_reads(
    full_disk: FullDisk, caplog: pytest.LogCaptureFixture
) -> None:
    bot = full_disk.bot
    await bot.say("/start", user_id=ADMIN)  # the admin has a chat with the bot
    # Before: a user with a language choice, a lookup, a card to press buttons on.
    await bot.say("/lang", user_id=READER)
    await bot.feed(bot.standin.add_callback_query("lang:id", bot.last(READER).result,
                                                  user_id=READER))  # fmt: skip
    await bot.feed(forwarded(bot.standin, CHIRRUP["text"], user_id=READER))
    card = bot.last(READER)
    article_id = int(next(d for d in _buttons(card) if d.startswith("all:")).split(":")[1])
    await full_disk.make_full()
    before = await asyncio.to_thread(counts, full_disk.path)

    # Reads: every one answered with what it asks for, in the user's saved language.
    reads = [
        ("/start", "Arsip"),
        ("/help", "Arsip"),
        (CABAI["text"], "Ditemukan di arsip"),
        ("siapa yang bilang pembeli tetap banyak", "Suwarni"),
        ("https://example.org/contoh-warta/2026/01/dbd-pasir-putih", "Ditemukan di arsip"),
        ("/following", ""),
        ("/lang", "bahasa"),
    ]
    answered = 0
    for text, needle in reads * 3:
        replies = await bot.say(text, user_id=READER, language_code="en")
        if replies and needle.lower() in replies[0].lower() and APOLOGY not in replies[0]:
            answered += 1
    for data in (f"all:{article_id}", f"src:{article_id}", f"open:{article_id}") * 3:
        calls = await bot.press(data, card, user_id=READER)
        sent = [c for c in calls if c.method in ("sendMessage", "editMessageText")]
        if sent and CHIRRUP["title"][:20] in visible(sent[-1]) or any(
            "Sumber" in visible(c) for c in sent
        ):
            answered += 1
    total_reads = len(reads) * 3 + 9
    print(f"reads answered while the disk was full: {answered}/{total_reads}")
    assert answered == total_reads

    # Writes: refused with their own message, never the generic apology.
    writes = [lambda: bot.say(UNKNOWN_ARTICLE, user_id=WRITER)]
    if full_disk.disk is not None:
        # (max_page_count only stops the file growing: small writes still fit in its pages)
        writes += [
            lambda: bot.say("/subscribe", user_id=WRITER),
            lambda: bot.say("/follow Wall Street Journal", user_id=WRITER),
            lambda: _press(bot, f"no:{article_id}", card),
        ]
    refused = 0
    for write in writes * 2:
        replies = await write()
        refused += bool(replies) and replies[-1].startswith(REFUSED)
    print(f"writes refused with their message: {refused}/{len(writes) * 2}")
    assert refused == len(writes) * 2
    assert not any(APOLOGY in visible(c) for c in bot.standin.sent_messages(WRITER))

    # The admins heard it once, however many writes failed.
    alerts = [visible(c) for c in bot.standin.sent_messages(ADMIN)[1:]]  # after its /start
    assert len(alerts) == 1, alerts
    assert alerts[0].startswith("⚠️ The archive can't store new things")
    assert "full" in alerts[0]
    assert not [r for r in caplog.records if r.exc_info], "no tracebacks"

    # Space returns: writes work again, and nothing stored before was lost.
    await full_disk.free()
    [stored] = await bot.say(UNKNOWN_ARTICLE, user_id=WRITER)
    assert stored.startswith("Not in the archive yet")
    await bot.say("/start", user_id=READER)
    after = await asyncio.to_thread(counts, full_disk.path)
    assert after["articles"] == before["articles"] + 1
    for table in ("claims", "users", "queries", "sightings", "feedback"):
        assert after[table] >= before[table], table
    assert len(bot.standin.sent_messages(ADMIN)) == 2  # recovered: no second alert


async def _press(bot: Bot, data: str, card: Call) -> list[str]:
    """Press a button; the text of the answer to the press (Telegram shows it as a toast)."""
    calls = await bot.press(data, card, user_id=WRITER)
    return [c.params.get("text", "") for c in calls if c.method == "answerCallbackQuery"]


def _buttons(call: object) -> list[str]:
    from tests.unit.test_conversation_bot import buttons

    return list(buttons(call).values())  # type: ignore[arg-type]
