"""The one global error handler: log first, then tell the user, never raise.

A domain error (``bot.core.errors``) is a known condition: it is logged in one line and the
user gets its own message (the archive is busy, cannot store new things, ...). Anything
else is a bug: logged with its traceback, and the user gets the generic apology. A user who
blocked the bot (403) is normal operation: one INFO line, and no reply (it would bounce).
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError

from bot.core.errors import KataSiapaError
from bot.i18n import pick_language, text
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
        elif isinstance(error, KataSiapaError):
            log.warning("%s", error)
        else:
            log.error("Error outside an update", exc_info=error)
        return
    chat = update.effective_chat
    if isinstance(error, Forbidden):
        log.info("Update %s: chat %s blocked the bot or left (%s); not answered",
                 update.update_id, chat.id if chat else "?", error.message)  # fmt: skip
        return
    key = error.key if isinstance(error, KataSiapaError) else "error"
    if key != "error":
        log.warning("Update %s: %s", update.update_id, error)
    else:
        log.error("Error while handling update %s", update.update_id, exc_info=error)
    if chat is None:
        return
    user = update.effective_user
    lang = pick_language(user.language_code if user else None)
    if update.callback_query is not None:  # stop the button's spinner, with the reason
        with contextlib.suppress(TelegramError):  # (already answered before the error)
            await update.callback_query.answer(text(lang, key)[:200])
    try:
        for chunk in render.notice(lang, key):
            await context.bot.send_message(chat.id, chunk, parse_mode="HTML")
    except TelegramError as exc:
        log.warning("Could not tell chat %s about the error: %s", chat.id, exc)
    except Exception:  # the error handler must never raise
        log.exception("Could not tell chat %s about the error", chat.id)
