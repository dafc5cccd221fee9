"""Telegram update handlers. Only ``bot/app.py`` (the composition root) imports this package."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import admin, buttons, digest, language, lookup
from handlers.context import BotData, Context
from handlers.errors import on_error
from handlers.guard import flood_control, storage_watch
from handlers.start import start

__all__ = ["BotData", "Context", "register"]

# Messages a lookup can read: text, or a caption on a forwarded photo/video/document post.
_READABLE = (filters.TEXT | filters.CAPTION) & ~filters.COMMAND


def register(application: Application[Any, Context, Any, Any, BotData, Any]) -> None:
    """Wire every handler. Order matters: flood control first (group -1, it can stop an
    update), then commands, then text, then the catch-all for what the bot cannot read,
    then (group 1) the storage watch.

    In groups the bot answers its commands (``/start@botname`` included) and messages that
    mention it; everything else there is ignored, so it never chatters in a busy group.
    """
    application.add_handler(TypeHandler(Update, flood_control), group=-1)
    message = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler(["start", "help"], start, filters=message))
    application.add_handler(CommandHandler("who", lookup.who, filters=message))
    application.add_handler(CommandHandler("lang", language.choose_language, filters=message))
    application.add_handler(CommandHandler("add", admin.add, filters=message))
    application.add_handler(CommandHandler("remove", admin.remove, filters=message))
    application.add_handler(CommandHandler("stats", admin.stats, filters=message))
    application.add_handler(CommandHandler("feeds", admin.feeds, filters=message))
    application.add_handler(CommandHandler("feed_add", admin.feed_add, filters=message))
    application.add_handler(CommandHandler("feed_remove", admin.feed_remove, filters=message))
    for name, callback in (
        ("subscribe", digest.subscribe),
        ("unsubscribe", digest.unsubscribe),
        ("timezone", digest.set_timezone),
        ("follow", digest.follow),
        ("unfollow", digest.unfollow),
        ("following", digest.following),
        ("digest", digest.digest_now),
    ):
        application.add_handler(CommandHandler(name, callback, filters=message))
    application.add_handler(CallbackQueryHandler(digest.on_digest_button, pattern=r"^dg:"))
    application.add_handler(CallbackQueryHandler(buttons.on_button))
    application.add_handler(MessageHandler(message & _READABLE, lookup.on_text))
    application.add_handler(MessageHandler(message & private, lookup.unsupported))
    # Group 1 runs after the handler of group 0, even one that failed: a full disk found
    # while answering is reported to the admins right away.
    application.add_handler(TypeHandler(Update, storage_watch), group=1)
    application.add_error_handler(on_error)
