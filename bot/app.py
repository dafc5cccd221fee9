"""Composition root of the Telegram bot: the one place that wires settings, storage and handlers.

``build_application`` is the single factory used by ``katasiapa run`` and by the tests; tests
swap only the network seam (``request``) and the database path (or inject a ``store``), so what
they exercise is what runs in production.
"""

from __future__ import annotations

import logging
import re
import signal
from collections.abc import Callable, Coroutine, Iterable
from datetime import timedelta
from typing import Any, Final, TypeAlias
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram._utils.types import JSONDict
from telegram.error import InvalidToken, NetworkError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest

import handlers
from bot.archive.ingest import load_sample_if_empty
from bot.conversation import Conversation
from bot.core.clock import Clock, SystemClock
from bot.core.errors import ConfigError, KataSiapaError
from bot.digest.delivery import DigestService, DigestSettings
from bot.digest.pacer import Pacer
from bot.digest.subscriptions import Subscriptions
from bot.i18n import COMMANDS, DEFAULT_LANG
from bot.settings import Settings
from bot.web.feeds import FeedService
from bot.web.fetch import Fetcher
from bot.web.links import PageReader
from handlers.admin import poll_feeds
from handlers.context import BotData, Context
from handlers.digest import DIGEST_SEND, digest_tick
from handlers.guard import FloodGuard
from handlers.intake import UpdatesRequest, cleaned
from storage.stores import Stores, open_stores

log = logging.getLogger(__name__)

KataSiapaApp: TypeAlias = Application[Any, Context, dict[Any, Any], dict[Any, Any], BotData, Any]

# A RetryAfter (429) is waited out and the call retried this often before the error surfaces.
RATE_LIMIT_RETRIES: Final = 2
REDACTED: Final = "[REDACTED-TOKEN]"
INVALID_TOKEN_HELP: Final = (
    "Telegram rejected TELEGRAM_BOT_TOKEN: the token is well-formed but no bot has it (it was "
    "revoked, or mistyped). Open Telegram, talk to @BotFather, send /mybots, pick your bot and "
    "choose API Token to see the current token; put it in .env as TELEGRAM_BOT_TOKEN=<token> "
    "and run the bot again."
)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    stores: Stores | None = None,
    clock: Clock | None = None,
) -> KataSiapaApp:
    """Build the bot; nothing touches the network or the disk until it is initialized.

    ``request`` replaces PTB's HTTP client for every Bot API call (tests pass an in-process
    stand-in). ``stores`` is an already open archive; when given, the application neither
    opens nor closes it.
    """
    base_url = settings.telegram_api_base_url
    pacer = Pacer(settings.digest_rate, settings.send_cap, (clock or SystemClock()).monotonic)
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token())
        .base_url(base_url)
        .base_file_url(file_base_url(base_url))
        .context_types(ContextTypes(bot_data=BotData))
        .rate_limiter(KataSiapaRateLimiter(pacer, max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(settings.concurrent_updates)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        # One connection, as PTB's own default for getUpdates; unreadable updates skipped.
        builder = builder.get_updates_request(UpdatesRequest(connection_pool_size=1))
    application: KataSiapaApp = builder.application_class(KataSiapaApplication).build()
    application.bot_data.settings = settings
    application.bot_data.stores = stores
    application.bot_data.clock = clock or SystemClock()
    application.bot_data.pacer = pacer
    handlers.register(application)
    return application


class KataSiapaApplication(Application[Any, Context, dict[Any, Any], dict[Any, Any], BotData, Any]):
    """PTB's Application, with every update made safe before any handler sees it
    (handlers/intake.py: lone surrogates replaced)."""

    async def process_update(self, update: object) -> None:
        if isinstance(update, Update):
            update = cleaned(update, self.bot)
        await super().process_update(update)


def file_base_url(base_url: str) -> str:
    """``https://api.telegram.org/bot`` -> ``https://api.telegram.org/file/bot``, the same way
    for a local Bot API server or the test stand-in."""
    root, sep, tail = base_url.rstrip("/").rpartition("/")
    if sep and tail == "bot":
        return f"{root}/file/bot"
    return f"{base_url.rstrip('/')}/file"


def bot_commands() -> dict[str | None, list[BotCommand]]:
    """The command menu per language code (None = Telegram's default, English)."""
    return {
        (None if lang == DEFAULT_LANG else lang): [
            BotCommand(command, description) for command, description in commands.items()
        ]
        for lang, commands in COMMANDS.items()
    }


async def _post_init(application: KataSiapaApp) -> None:
    """Open the archive, seed it on first run, publish the command menu, say hello in the log."""
    data = application.bot_data
    settings = data.require_settings()
    if data.stores is None:
        data.stores = await open_stores(
            settings.db_path,
            busy_timeout_ms=settings.busy_timeout_ms,
            pool_size=settings.db_pool_size,
        )
        data.owns_stores = True
    stores = data.stores
    fetcher = Fetcher(settings.fetch_limits())
    reader = PageReader()  # links and feed items share its reading slots
    data.conversation = Conversation(
        stores.articles, stores.index, stores.activity, settings, fetcher, reader,
        health=stores.health,
    )  # fmt: skip
    data.feeds = FeedService(
        stores.feeds, stores.articles, fetcher, reader=reader, clock=data.clock
    )
    data.flood = FloodGuard(settings.flood_limit, settings.flood_window_s, data.clock)
    _set_up_digests(application, settings)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            poll_feeds, interval=settings.feed_poll_s, first=settings.feed_poll_s, name="feeds"
        )
    if settings.load_sample:
        added = await load_sample_if_empty(stores.articles)
        if added:
            log.info("Loaded %d sample articles into the empty archive", added)
    for language_code, commands in bot_commands().items():
        await application.bot.set_my_commands(commands, language_code=language_code)
    count = await stores.articles.count()
    log.info("Kata Siapa is running as @%s (archive: %d articles)", application.bot.username, count)


def _set_up_digests(application: KataSiapaApp, settings: Settings) -> None:
    """Digest service and the repeating tick; the service shares the application's pacer,
    which every reply to a user also advances (KataSiapaRateLimiter)."""
    data = application.bot_data
    store = data.require_stores().digests
    data.digests = DigestService(
        store,
        DigestSettings(
            workers=settings.digest_workers,
            late_window=timedelta(hours=settings.digest_late_hours),
        ),
        pacer=data.pacer,
        clock=data.clock,
    )
    data.subscriptions = Subscriptions(store, data.digests, settings.timezone)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            digest_tick,
            interval=settings.digest_tick_s,
            first=min(settings.digest_tick_s, 5.0),
            name="digest-tick",
        )


class KataSiapaRateLimiter(AIORateLimiter):
    """One pacer for every message (bot.digest.delivery.Pacer): replies to users take a place in its
    window (at most one interval's wait) and then go through PTB's AIORateLimiter as usual;
    digest sends (``rate_limit_args=DIGEST_SEND``) are also evenly spaced and skip
    AIORateLimiter: the digest service retries their 429s itself, so a 429 on a digest
    never pauses everyone's replies."""

    def __init__(self, pacer: Pacer, *, max_retries: int) -> None:
        super().__init__(max_retries=max_retries)
        self._pacer = pacer

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if rate_limit_args == DIGEST_SEND:
            await self._pacer.wait()  # right before the HTTP call: no jitter in between
            return await callback(*args, **kwargs)
        if endpoint in _MESSAGE_ENDPOINTS:
            await self._pacer.wait(reply=True)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


# What Telegram counts against the ~30 messages/s: messages sent or edited.
_MESSAGE_ENDPOINTS: Final = frozenset({"sendMessage", "editMessageText"})


async def _post_stop(application: KataSiapaApp) -> None:
    """Let a running digest broadcast finish its in-flight sends (they are recorded), then
    stop; what was not sent stays due and goes out after the restart."""
    digests = application.bot_data.digests
    if digests is not None:
        digests.stop()
        await digests.wait_stopped()


async def _post_shutdown(application: KataSiapaApp) -> None:
    """Close the fetcher, and the archive this application opened (injected stores belong
    to the caller)."""
    if application.bot_data.conversation is not None:
        await application.bot_data.conversation.fetcher.close()
    data = application.bot_data
    if data.owns_stores and data.stores is not None:
        stores, data.stores, data.owns_stores = data.stores, None, False
        await stores.close()
        log.info("Archive closed")


class TokenRedactingFilter(logging.Filter):
    """Replaces secrets in log messages and tracebacks; PTB and httpx log request URLs, and
    Bot API URLs contain the token."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so the whole token is replaced before its secret half is.
        self._secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def redact(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, REDACTED)
        return value

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not hide the record
            message = str(record.msg)
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class _OneLineBootstrapFailure(logging.Filter):
    """PTB logs a start-up failure (bad token, no network) with a 100-line traceback right
    before ``run_bot`` reports it in one sentence; keep only the exception's one-line summary
    unless the log level is DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and "Network Retry Loop (Bootstrap" in record.getMessage():
            exc = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({type(exc).__name__}: {exc})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


class UserTextFilter(logging.Filter):
    """Keeps what users send out of the log. Libraries log it freely: PTB whole updates,
    Bot API parameters and answers (message texts, names, forwarded articles) at DEBUG and
    an unreadable update's data at CRITICAL; aiosqlite every statement with its parameters
    (a stored submission's text) at DEBUG. For records of loggers outside this project,
    every argument that is not a number or a short identifier (an endpoint name, an id) is
    replaced by a placeholder; this project's own log lines never carry user text.
    ``KATASIAPA_LOG_USER_TEXT=1`` turns this off (a developer debugging locally)."""

    HIDDEN: Final = "[user data hidden; KATASIAPA_LOG_USER_TEXT=1 shows it]"
    _PLAIN: Final = re.compile(r"[\w.:/-]{0,64}")

    def _safe(self, value: object) -> object:
        if isinstance(value, bool | int | float) or value is None:
            return value
        if isinstance(value, str) and self._PLAIN.fullmatch(value):
            return value
        return self.HIDDEN

    _OURS: Final = ("bot", "handlers", "storage", "__main__")

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.args or record.name.split(".", 1)[0] in self._OURS:
            return True
        if isinstance(record.args, dict):
            record.args = {k: self._safe(v) for k, v in record.args.items()}
        else:
            record.args = tuple(self._safe(v) for v in record.args)
        return True


def install_token_redaction(
    token: str,
    level: str = "INFO",
    *,
    extra: Iterable[str] = (),
    user_text: bool = False,
) -> None:
    """Make sure the token (and, unless ``user_text``, what users send) cannot reach any
    log output of this process.

    Configures basic logging if nobody did, attaches the filters to every root handler
    (filters on handlers also see records propagated from library loggers), and quietens
    httpx, which logs each request URL at INFO.
    """
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(
            level=getattr(logging, level.upper(), logging.INFO),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
    secret_half = token.partition(":")[2]
    for handler in root.handlers:
        if not user_text and not any(isinstance(f, UserTextFilter) for f in handler.filters):
            handler.filters.insert(0, UserTextFilter())  # before the token filter formats it
        if not any(isinstance(f, TokenRedactingFilter) for f in handler.filters):
            handler.addFilter(TokenRedactingFilter([token, secret_half, *extra]))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    ptb_loop_logger = logging.getLogger("telegram.ext")
    if root.getEffectiveLevel() > logging.DEBUG and not any(
        isinstance(f, _OneLineBootstrapFailure) for f in ptb_loop_logger.filters
    ):
        ptb_loop_logger.addFilter(_OneLineBootstrapFailure())


_WEBHOOK_SECRET_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def webhook_secret(settings: Settings) -> str:
    """The secret Telegram must send with every webhook request; refuse to run without one,
    since anybody who finds the URL could otherwise post fake updates."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not _WEBHOOK_SECRET_RE.match(secret):
        raise ConfigError(
            "Webhook mode needs KATASIAPA_WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, "
            "_ and - (Telegram sends it in a header with every update, and requests without "
            "it are refused). Generate one, e.g. `python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'`, put it in .env and run again."
        )
    return secret


def run_bot(settings: Settings, *, webhook_url: str | None = None) -> None:
    """Run the bot until SIGINT/SIGTERM, then shut down cleanly: long polling by default,
    or a webhook server when ``webhook_url`` is given.

    PTB turns the signals into a graceful stop: the updater stops, pending updates are
    confirmed, ``post_shutdown`` closes the archive, and this function returns, so the
    process exits 0.
    """
    token = settings.bot_token()
    secret = webhook_secret(settings) if webhook_url else ""
    install_token_redaction(
        token, settings.log_level, extra=[secret], user_text=settings.log_user_text
    )
    if webhook_url and urlsplit(webhook_url).scheme not in ("http", "https"):
        raise ConfigError(f"--webhook needs an http(s) URL, not {webhook_url!r}.")
    application = build_application(settings)
    try:
        if webhook_url:
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlsplit(webhook_url).path.lstrip("/"),
                webhook_url=webhook_url,
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
                drop_pending_updates=False,
                stop_signals=(signal.SIGINT, signal.SIGTERM),
                close_loop=True,
            )
        else:
            application.run_polling(
                allowed_updates=Update.ALL_TYPES,
                drop_pending_updates=False,
                stop_signals=(signal.SIGINT, signal.SIGTERM),
                close_loop=True,
            )
    except InvalidToken as exc:
        # Only raised while starting; the CLI turns ConfigError into a message and exit 2.
        raise ConfigError(INVALID_TOKEN_HELP) from exc
    except NetworkError as exc:
        # Also only at start-up: once running, PTB retries network errors on its own.
        detail = TokenRedactingFilter([token, token.partition(":")[2]]).redact(str(exc))
        raise KataSiapaError(
            f"Cannot reach the Telegram Bot API at {settings.telegram_api_base_url} ({detail}). "
            "Check the network connection (or TELEGRAM_API_BASE_URL) and run the bot again."
        ) from exc
