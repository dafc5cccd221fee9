"""The real bot process on PostgreSQL: it loads the sample archive, answers a forward, keeps
answering after the database restarts, says "busy" (and survives) while the database is
down, and refuses to start, in one line, when the database cannot be reached."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.helpers.botapi_standin import BotApiStandIn, Call
from tests.helpers.botprocess import BotProcess, clean_env, spawn
from tests.helpers.pgserver import PgServer

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

REPO = Path(__file__).resolve().parents[2]
SAMPLE = [
    json.loads(line)
    for line in (REPO / "bot" / "sample" / "articles.jsonl").read_text().splitlines()
    if line.strip()
]
REPLY_TIMEOUT = 30.0


@pytest.fixture(scope="module")
def server() -> AsyncIterator[PgServer]:
    own = PgServer()  # this module restarts and stops it
    yield own  # type: ignore[misc]
    own.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def live(
    server: PgServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[BotApiStandIn, BotProcess]]:
    standin = BotApiStandIn()
    await standin.start()
    workdir = tmp_path_factory.mktemp("pg-bot")
    env = clean_env(
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        KATASIAPA_DB=server.create_database(),
        KATASIAPA_BUSY_TIMEOUT_MS="2000",
    )
    bot = await spawn(workdir, env, "run")
    try:
        try:
            await standin.wait_for_polling(timeout=90)
        except TimeoutError:
            pytest.fail(f"the bot never polled getUpdates; its output:\n{bot.output()[-4000:]}")
        yield standin, bot
    finally:
        await bot.kill()
        await standin.close()


async def _ask(standin: BotApiStandIn, user: int, text: str, needle: str) -> Call:
    since = time.monotonic()
    standin.add_text_message(text, user_id=user)
    return await standin.wait_for_sent(
        lambda c: (
            c.method == "sendMessage"
            and c.chat_id == user
            and c.at >= since
            and needle in (c.text or "")
        ),
        timeout=REPLY_TIMEOUT,
    )


def _forward_text(index: int) -> str:
    text = str(SAMPLE[index]["text"])
    return text[: len(text) // 2].rsplit(" ", 1)[0]


async def test_answers_from_the_sample_archive_in_postgres(
    live: tuple[BotApiStandIn, BotProcess],
) -> None:
    standin, bot = live
    card = await _ask(standin, 501, _forward_text(0), SAMPLE[0]["title"])
    assert "%" in (card.text or "")
    assert "postgresql://" in bot.output()  # the log names the archive ...
    assert ":" + "@" not in bot.output()  # ... never with a password


async def test_the_next_update_after_a_restart_is_answered(
    live: tuple[BotApiStandIn, BotProcess], server: PgServer
) -> None:
    standin, bot = live
    await asyncio.to_thread(server.restart)
    await _ask(standin, 502, _forward_text(1), SAMPLE[1]["title"])
    assert bot.running


async def test_database_down_is_a_polite_busy_then_back(
    live: tuple[BotApiStandIn, BotProcess], server: PgServer
) -> None:
    standin, bot = live
    await asyncio.to_thread(server.halt)
    try:
        busy = await _ask(standin, 503, _forward_text(2), "busy")
        assert "send that again" in (busy.text or "")
    finally:
        await asyncio.to_thread(server.resume)
    await _ask(standin, 503, _forward_text(2), SAMPLE[2]["title"])
    assert bot.running


async def test_unreachable_database_at_start_is_one_line_exit_1(tmp_path: Path) -> None:
    standin = BotApiStandIn()
    await standin.start()
    try:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=standin.token,
            TELEGRAM_API_BASE_URL=standin.base_url,
            KATASIAPA_DB=f"postgresql://postgres@/kt?host={tmp_path}",
        )
        bot = await spawn(tmp_path, env, "run")
        code = await bot.wait(60)
        assert code == 1
        err = bot.stderr.read_text()
        assert "Cannot reach the PostgreSQL archive" in err
        assert "Traceback" not in err
    finally:
        await standin.close()
