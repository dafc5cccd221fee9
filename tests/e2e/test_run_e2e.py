"""``python -m bot run`` as a real process, talking HTTP to the strict Bot API stand-in."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from tests.helpers.botapi_rules import parse_html
from tests.helpers.botapi_standin import BotApiStandIn, Call, make_token
from tests.helpers.botprocess import BotProcess, clean_env, spawn

pytestmark = pytest.mark.e2e

START_TIMEOUT = 60.0  # first start imports the sample archive into a new database
USER = 4242


@pytest.fixture
async def running_bot(
    standin: BotApiStandIn, tmp_path: Path
) -> AsyncIterator[tuple[BotApiStandIn, BotProcess]]:
    env = clean_env(
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        KATASIAPA_LOG_LEVEL="DEBUG",  # the most verbose logs must still not leak the token
    )
    bot = await spawn(tmp_path, env, "run", "--db", str(tmp_path / "k.sqlite3"))
    try:
        try:
            await standin.wait_for_polling(timeout=START_TIMEOUT)
        except TimeoutError:
            await bot.kill()
            pytest.fail(f"the bot never polled getUpdates; its output:\n{bot.output()[-4000:]}")
        yield standin, bot
    finally:
        await bot.kill()


def is_reply_to(chat_id: int, needle: str) -> Callable[[Call], bool]:
    def match(call: Call) -> bool:
        return (
            call.method == "sendMessage" and call.chat_id == chat_id and needle in (call.text or "")
        )

    return match


async def test_start_is_answered_then_sigterm_exits_cleanly(
    running_bot: tuple[BotApiStandIn, BotProcess], tmp_path: Path
) -> None:
    standin, bot = running_bot
    assert standin.commands, "post_init should have registered the command menu"

    standin.add_text_message("/start", user_id=USER, language_code="en")
    reply = await standin.wait_for_sent(is_reply_to(USER, "The archive holds"), timeout=15)
    plain, _ = parse_html(reply.params["text"])
    assert reply.params["parse_mode"] == "HTML"
    count = re.search(r"The archive holds ([\d,]+) articles?", plain)
    assert count is not None, plain
    assert int(count.group(1).replace(",", "")) > 0  # the sample archive was loaded

    standin.add_text_message("/start", user_id=USER + 1, language_code="id")
    reply = await standin.wait_for_sent(is_reply_to(USER + 1, "Arsip berisi"), timeout=15)

    assert await bot.stop(signal.SIGTERM) == 0
    output = bot.output()
    assert standin.token not in output
    assert standin.token.split(":")[1] not in output
    assert "Kata Siapa is running as @katasiapa_test_bot" in output
    assert "Archive closed" in output
    assert "Traceback" not in output
    assert (tmp_path / "k.sqlite3").exists()


async def test_rate_limited_reply_is_still_delivered(
    running_bot: tuple[BotApiStandIn, BotProcess],
) -> None:
    standin, bot = running_bot
    standin.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    standin.add_text_message("/start", user_id=USER)
    await standin.wait_for_sent(is_reply_to(USER, "The archive holds"), timeout=15)
    assert [
        c.error["error_code"] for c in standin.calls if c.error and c.method != "getUpdates"
    ] == [429]
    assert "Warning" not in bot.output()
    # ...and it keeps serving.
    standin.add_photo_message(user_id=USER + 7)
    await standin.wait_for_sent(is_reply_to(USER + 7, "I can read text"), timeout=15)
    assert await bot.stop(signal.SIGINT) == 0


async def test_missing_token_explains_botfather_without_traceback(tmp_path: Path) -> None:
    bot = await spawn(tmp_path, clean_env(), "run", "--db", str(tmp_path / "k.sqlite3"))
    try:
        code = await asyncio.wait_for(bot.proc.wait(), 30)
    finally:
        await bot.kill()
    stderr = bot.stderr.read_text()
    assert code != 0
    assert "@BotFather" in stderr
    assert "Traceback" not in stderr
    assert "\n\n" not in stderr.strip()  # one paragraph
    assert not (tmp_path / "k.sqlite3").exists()  # nothing started


async def test_token_telegram_rejects_is_explained(standin: BotApiStandIn, tmp_path: Path) -> None:
    wrong = make_token()
    env = clean_env(TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_API_BASE_URL=standin.base_url)
    bot = await spawn(tmp_path, env, "run", "--db", str(tmp_path / "k.sqlite3"))
    try:
        code = await asyncio.wait_for(bot.proc.wait(), 30)
    finally:
        await bot.kill()
    assert code == 2
    assert "@BotFather" in bot.stderr.read_text()
    assert wrong not in bot.output()
    assert wrong.split(":")[1] not in bot.output()
    assert "Traceback" not in bot.output()


async def test_unreachable_api_fails_fast_with_a_message(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token = make_token()
    env = clean_env(TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}/bot")
    bot = await spawn(tmp_path, env, "run", "--db", str(tmp_path / "k.sqlite3"))
    try:
        code = await asyncio.wait_for(bot.proc.wait(), 30)
    finally:
        await bot.kill()
    assert code == 1
    assert "Cannot reach the Telegram Bot API" in bot.stderr.read_text()
    assert token not in bot.output()
    assert "Traceback" not in bot.output()
