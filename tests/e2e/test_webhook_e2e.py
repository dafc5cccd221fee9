"""``katasiapa run --webhook URL``: the real bot process registers its webhook with the
stand-in (URL and secret), serves updates POSTed to it with the secret header, refuses
requests without it, stops cleanly on SIGTERM and never prints the secret or the token."""

from __future__ import annotations

import signal
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from tests.helpers.botapi_standin import BotApiStandIn, Call, make_token
from tests.helpers.botprocess import BotProcess, clean_env, free_port, spawn, wait_for_port

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

START_TIMEOUT = 90.0
REPLY_TIMEOUT = 30.0
SECRET = "wh_Secret-0123456789abcdefXYZ"
USER = 5100


@dataclass
class Hooked:
    standin: BotApiStandIn
    bot: BotProcess
    url: str


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hooked(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Hooked]:
    standin = BotApiStandIn(user_limits=True)
    await standin.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    workdir = tmp_path_factory.mktemp("webhook")
    env = clean_env(
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        KATASIAPA_WEBHOOK_SECRET=SECRET,
        KATASIAPA_WEBHOOK_LISTEN="127.0.0.1",
        KATASIAPA_WEBHOOK_PORT=str(port),
        KATASIAPA_LOG_LEVEL="DEBUG",  # the most verbose logs must still not leak secrets
        # ...even with library arguments (URLs with the token) let through: the token filter
        # alone must catch them (by default the user-text filter hides those arguments too).
        KATASIAPA_LOG_USER_TEXT="1",
    )
    bot = await spawn(workdir, env, "run", "--webhook", url, "--db", str(workdir / "k.sqlite3"))
    try:
        try:
            await standin.wait_for_sent(lambda c: c.method == "setWebhook", START_TIMEOUT)
            await wait_for_port("127.0.0.1", port, bot, START_TIMEOUT)
        except (TimeoutError, RuntimeError):
            pytest.fail(f"the webhook never came up; the bot's output:\n{bot.output()[-4000:]}")
        yield Hooked(standin, bot, url)
    finally:
        await bot.kill()
        await standin.close()


def reply_to(chat: int, since: float, needle: str) -> Callable[[Call], bool]:
    def match(call: Call) -> bool:
        return (
            call.method == "sendMessage"
            and call.chat_id == chat
            and call.at >= since
            and needle in (call.text or "")
        )

    return match


async def test_set_webhook_was_called_with_the_url_and_secret(hooked: Hooked) -> None:
    webhook = hooked.standin.webhook
    assert webhook is not None
    assert webhook["url"] == hooked.url
    assert webhook["secret_token"] == SECRET
    calls = [c for c in hooked.standin.calls if c.method in ("setWebhook", "getUpdates")]
    assert [c.method for c in calls] == ["setWebhook"]  # no long polling in webhook mode
    assert calls[0].ok


async def test_update_with_the_secret_is_answered(hooked: Hooked) -> None:
    since = time.monotonic()
    update = {"message": hooked.standin.make_message(text="/start", user_id=USER)}
    status, _ = await hooked.standin.post_to_webhook(update)
    assert status == 200
    await hooked.standin.wait_for_sent(reply_to(USER, since, "The archive holds"), REPLY_TIMEOUT)
    # The conversation works the same way: a quote is looked up.
    quote = hooked.standin.make_message(text="pembeli tetap banyak kata siapa", user_id=USER)
    assert (await hooked.standin.post_to_webhook({"message": quote}))[0] == 200
    await hooked.standin.wait_for_sent(reply_to(USER, since, "Suwarni"), REPLY_TIMEOUT)


@pytest.mark.parametrize(
    "secret", ["wrong-secret", SECRET[:-1], None], ids=["wrong", "prefix", "missing"]
)
async def test_wrong_or_missing_secret_is_refused(hooked: Hooked, secret: str | None) -> None:
    intruder = USER + 1 + len(secret or "")
    since = time.monotonic()
    forged = {"message": hooked.standin.make_message(text="/start", user_id=intruder)}
    status, _ = await hooked.standin.post_to_webhook(forged, secret=secret)
    assert status == 403
    # A real update sent after it is answered, and the forged one never was.
    honest = {"message": hooked.standin.make_message(text="/start", user_id=USER + 50)}
    assert (await hooked.standin.post_to_webhook(honest))[0] == 200
    await hooked.standin.wait_for_sent(
        reply_to(USER + 50, since, "The archive holds"), REPLY_TIMEOUT
    )
    assert not [c for c in hooked.standin.sent if c.chat_id == intruder]


async def test_sigterm_exits_cleanly_without_leaking_secrets(hooked: Hooked) -> None:
    """Runs last in this module: it stops the bot."""
    assert await hooked.bot.stop(signal.SIGTERM) == 0
    output = hooked.bot.output()
    for secret in (SECRET, hooked.standin.token, hooked.standin.token.split(":")[1]):
        assert secret not in output
    assert "[REDACTED-TOKEN]" in output  # DEBUG logs Bot API calls; the filter redacted them
    assert "Archive closed" in output
    # At DEBUG, tornado logs each refused request with a traceback; nothing else may fail.
    assert output.count("Traceback") == output.count("HTTPError: HTTP 403")


@pytest.mark.parametrize(
    ("secret", "url", "expected"),
    [
        (None, "http://127.0.0.1:8443/hook", "KATASIAPA_WEBHOOK_SECRET"),
        ("has spaces in it", "http://127.0.0.1:8443/hook", "KATASIAPA_WEBHOOK_SECRET"),
        ("x" * 257, "http://127.0.0.1:8443/hook", "KATASIAPA_WEBHOOK_SECRET"),
        (SECRET, "ftp://127.0.0.1/hook", "--webhook needs an http(s) URL"),
    ],
    ids=["missing", "bad-characters", "too-long", "not-http"],
)
async def test_unusable_webhook_settings_exit_2_with_one_paragraph(
    tmp_path: Path, secret: str | None, url: str, expected: str
) -> None:
    token = make_token()
    extra = {"KATASIAPA_WEBHOOK_SECRET": secret} if secret is not None else {}
    env = clean_env(
        TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot", **extra
    )
    bot = await spawn(tmp_path, env, "run", "--webhook", url, "--db", str(tmp_path / "k.sqlite3"))
    try:
        code = await bot.wait(30)
    finally:
        await bot.kill()
    stderr = bot.stderr.read_text()
    assert code == 2
    assert expected in stderr
    assert "Traceback" not in bot.output()
    assert "\n\n" not in stderr.strip()  # one paragraph
    assert token not in bot.output()
    if secret:
        assert secret not in bot.output()
    assert not (tmp_path / "k.sqlite3").exists()  # nothing started
