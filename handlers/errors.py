"""The one global error handler: log first, then apologise to the user, never raise."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError

from bot.core.errors import DatabaseBusyError
from bot.i18n import pick_language
from handlers import render
from handlers.context import Context

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Registered with ``Application.add_error_handler``; PTB calls it for handler errors
    (``update`` is the Update) and for polling errors (``update`` is None)."""
    error = context.error
    if not isinstance(update, Update):
        # Polling hiccups (network, 429 on getUpdates) are retried by PTB; no traceback spam.
        if isinstance(error, NetworkError | RetryAfter):
            log.warning("Bot API polling problem (PTB retries): %s", error)
        else:
            log.error("Error outside an update", exc_info=error)
        return
    busy = isinstance(error, DatabaseBusyError)
    if busy:  # another process holds the archive for longer than the busy timeout
        log.warning("Update %s: %s", update.update_id, error)
    else:
        log.error("Error while handling update %s", update.update_id, exc_info=error)
    chat = update.effective_chat
    if chat is None or isinstance(error, Forbidden):  # blocked us: an apology would bounce
        return
    user = update.effective_user
    lang = pick_language(user.language_code if user else None)
    try:
        for chunk in render.notice(lang, "busy" if busy else "error"):
            await context.bot.send_message(chat.id, chunk, parse_mode="HTML")
    except TelegramError as exc:
        log.warning("Could not tell chat %s about the error: %s", chat.id, exc)
    except Exception:  # the error handler must never raise
        log.exception("Could not tell chat %s about the error", chat.id)
