"""What comes in, end to end (issue 13): the real ``python -m bot run`` at DEBUG, long-polling
the stand-in. An update PTB cannot read is logged once and skipped (it used to be fetched
again forever); users' texts stay out of the log unless KATASIAPA_LOG_USER_TEXT turns them
on; lone surrogates reach no handler."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.helpers.botapi_standin import BotApiStandIn, Call
from tests.helpers.botprocess import BotProcess, clean_env, spawn

pytestmark = pytest.mark.e2e

START_TIMEOUT = 60.0
USER = 5151
MARKER = "Rahasia-Xyzzy-7731"  # a word no log line could contain by chance


async def _start(standin: BotApiStandIn, workdir: Path, **env: str) -> BotProcess:
    settings = clean_env(
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        KATASIAPA_LOG_LEVEL="DEBUG",
        **env,
    )
    bot = await spawn(workdir, settings, "run", "--db", str(workdir / "k.sqlite3"))
    try:
        await standin.wait_for_polling(timeout=START_TIMEOUT)
    except TimeoutError:
        await bot.kill()
        pytest.fail(f"the bot never polled; its output:\n{bot.output()[-4000:]}")
    return bot


@pytest.fixture
async def bot(standin: BotApiStandIn, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = await _start(standin, tmp_path)
    try:
        yield process
    finally:
        await process.kill()


def reply_to(chat: int, needle: str) -> object:
    def match(call: Call) -> bool:
        return call.method == "sendMessage" and call.chat_id == chat and needle in (call.text or "")

    return match


async def test_an_update_that_does_not_parse_is_logged_once_and_skipped(
    standin: BotApiStandIn, bot: BotProcess
) -> None:
    # A poll as an older self-hosted Bot API server sends it: fields PTB requires missing.
    bad = standin.add_update({"poll": {"id": "5000000000000000001", "question": "Benarkah?"}})
    standin.add_text_message("/start", user_id=USER)
    await standin.wait_for_sent(reply_to(USER, "The archive holds"), timeout=30)  # type: ignore[arg-type]
    # Let a few more long polls go by: the bad update must not come back.
    for i in range(3):
        standin.add_text_message("/help", user_id=USER + 1 + i)
        await standin.wait_for_sent(reply_to(USER + 1 + i, "Kata Siapa"), timeout=30)  # type: ignore[arg-type]
    assert await bot.stop(signal.SIGTERM) == 0
    output = bot.output()
    mentions = [line for line in output.splitlines() if "could not be read" in line]
    assert len(mentions) == 1, mentions
    assert str(bad["update_id"]) in mentions[0]
    assert "Traceback" not in output
    assert "Benarkah?" not in output  # its data is not logged either


async def test_user_texts_stay_out_of_a_debug_log(standin: BotApiStandIn, bot: BotProcess) -> None:
    # A text only a leak could put in the log, and a lookup whose answer names a speaker.
    standin.add_text_message(f"{MARKER} apakah ini benar", user_id=USER + 8)
    await standin.wait_for_sent(lambda c: c.chat_id == USER + 8, timeout=30)
    standin.add_text_message("siapa yang bilang pembeli tetap banyak", user_id=USER)
    await standin.wait_for_sent(reply_to(USER, "Suwarni"), timeout=30)  # type: ignore[arg-type]
    standin.add_text_message("/start", user_id=USER + 9)
    await standin.wait_for_sent(reply_to(USER + 9, "The archive holds"), timeout=30)  # type: ignore[arg-type]
    assert await bot.stop(signal.SIGTERM) == 0
    output = bot.output()
    assert "DEBUG" in output  # the log is as verbose as it gets...
    assert "Processing update" in output
    assert MARKER not in output  # ...and still holds no user text
    assert "pembeli tetap banyak" not in output
    leaked = [line for line in output.splitlines() if "Suwarni" in line]
    assert not leaked, leaked  # nor what the bot answered


async def test_the_setting_lets_a_developer_see_them(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    bot = await _start(standin, tmp_path, KATASIAPA_LOG_USER_TEXT="1")
    try:
        standin.add_text_message(f"{MARKER} apakah ini benar", user_id=USER)
        await standin.wait_for_sent(lambda c: c.chat_id == USER, timeout=30)
        assert await bot.stop(signal.SIGTERM) == 0
    finally:
        await bot.kill()
    assert MARKER in bot.output()


async def test_lone_surrogates_over_the_wire_get_a_real_answer(
    standin: BotApiStandIn, bot: BotProcess
) -> None:
    standin.add_text_message("siapa yang bilang pembeli \ud800tetap banyak", user_id=USER)
    answer = await standin.wait_for_sent(
        lambda c: c.method == "sendMessage" and c.chat_id == USER, timeout=30
    )
    assert "Sorry" not in (answer.text or "")
    assert await bot.stop(signal.SIGTERM) == 0
    assert "UnicodeEncodeError" not in bot.output()
