"""Telegram update handlers. Only ``bot/app.py`` (the composition root) imports this package."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CommandHandler, MessageHandler, filters

from handlers.context import BotData, Context
from handlers.errors import on_error
from handlers.fallback import coming_soon
from handlers.start import start

__all__ = ["BotData", "Context", "register"]


def register(application: Application[Any, Context, Any, Any, BotData, Any]) -> None:
    """Wire every handler. Order matters: commands first, the private-chat fallback last.

    In groups the bot answers only its commands (``/start@botname`` included), so it never
    chatters in a busy group; everything else there is ignored.
    """
    application.add_handler(
        CommandHandler(["start", "help"], start, filters=filters.UpdateType.MESSAGE)
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE, coming_soon)
    )
    application.add_error_handler(on_error)
