"""The daily digest end to end: ``python -m bot run`` as a real process against the strict
Bot API stand-in, the repeating tick every second, the delivery log surviving a restart."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.digests import utc_iso
from tests.helpers.botapi_rules import parse_html
from tests.helpers.botapi_standin import BotApiStandIn, Call
from tests.helpers.botprocess import BotProcess, clean_env, spawn

pytestmark = pytest.mark.e2e

USER = 5151
START_TIMEOUT = 60.0  # the first start imports the sample archive into a new database
TICKS = 3.5  # seconds: a few digest ticks (KATASIAPA_DIGEST_TICK_S=1)


def is_subscribed_reply(call: Call) -> bool:
    return (
        call.method == "sendMessage" and call.chat_id == USER and "Subscribed" in (call.text or "")
    )


def is_digest(call: Call) -> bool:
    markup = call.params.get("reply_markup")
    return (
        call.method == "sendMessage"
        and call.chat_id == USER
        and isinstance(markup, dict)
        and "dg:unsub" in json.dumps(markup)
    )


def sql(db: Path, statement: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """The bot holds the database open (WAL); a second connection reads and writes beside it."""
    conn = sqlite3.connect(db, timeout=10)
    try:
        with conn:
            return list(conn.execute(statement, params))
    finally:
        conn.close()


async def start(standin: BotApiStandIn, run_dir: Path, db: Path) -> BotProcess:
    await asyncio.to_thread(run_dir.mkdir)
    env = clean_env(
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        KATASIAPA_DIGEST_TICK_S="1",
    )
    bot = await spawn(run_dir, env, "run", "--db", str(db))
    try:
        await standin.wait_for_polling(timeout=START_TIMEOUT)
    except TimeoutError:
        await bot.kill()
        pytest.fail(f"the bot never polled getUpdates; its output:\n{bot.output()[-4000:]}")
    return bot


async def test_subscribed_user_gets_one_digest_across_a_restart(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    db = tmp_path / "k.sqlite3"
    bot = await start(standin, tmp_path / "run1", db)
    try:
        standin.add_text_message("/subscribe", user_id=USER, language_code="en")
        await standin.wait_for_sent(is_subscribed_reply, timeout=15)
        (next_due,) = sql(db, "SELECT next_due FROM subscriptions WHERE user_id = ?", (USER,))[0]
        assert datetime.fromisoformat(str(next_due)) > datetime.now(UTC)  # tomorrow 08:00 WIB

        # Due now: the window is the 24 hours before next_due, so put next_due just after the
        # sample archive was stored (it has news), and in the past (due at the next tick).
        (newest,) = sql(db, "SELECT max(created_at) FROM articles")[0]
        due = datetime.fromisoformat(str(newest)) + timedelta(milliseconds=1)
        assert due <= datetime.now(UTC)
        sql(db, "UPDATE subscriptions SET next_due = ? WHERE user_id = ?", (utc_iso(due), USER))

        digest = await standin.wait_for_sent(is_digest, timeout=10)
        assert digest.params["parse_mode"] == "HTML"
        plain, _ = parse_html(digest.params["text"])
        assert "Kata Siapa daily digest" in plain
        assert "new articles analyzed" in plain
        buttons = [b for row in digest.params["reply_markup"]["inline_keyboard"] for b in row]
        data = {b["callback_data"] for b in buttons}
        assert {"dg:time", "dg:unsub"} <= data
        await asyncio.sleep(TICKS)
        assert len([c for c in standin.sent if is_digest(c)]) == 1
        status = sql(db, "SELECT status, messages FROM deliveries WHERE user_id = ?", (USER,))
        assert status == [("sent", 1)]
        (moved,) = sql(db, "SELECT next_due FROM subscriptions WHERE user_id = ?", (USER,))[0]
        assert datetime.fromisoformat(str(moved)) > datetime.now(UTC)  # on to the next day

        assert await bot.stop(signal.SIGTERM) == 0
        assert "Traceback" not in bot.output()
    finally:
        await bot.kill()

    # As if the schedule had not moved on (a crash after sending): the same day is due again.
    # The delivery log knows it was sent, so the restarted bot must not send it twice.
    sql(db, "UPDATE subscriptions SET next_due = ? WHERE user_id = ?", (utc_iso(due), USER))
    bot = await start(standin, tmp_path / "run2", db)
    try:
        await asyncio.sleep(TICKS)
        assert len([c for c in standin.sent if is_digest(c)]) == 1
        (moved,) = sql(db, "SELECT next_due FROM subscriptions WHERE user_id = ?", (USER,))[0]
        assert datetime.fromisoformat(str(moved)) > datetime.now(UTC)
        assert await bot.stop(signal.SIGTERM) == 0
        assert "Traceback" not in bot.output()
    finally:
        await bot.kill()
