"""/start and /help: what Kata Siapa does, how big the archive is, and an example to try."""

from __future__ import annotations

from telegram import Update

from handlers import render
from handlers.context import Context
from handlers.guard import send, user_lang


async def start(update: Update, context: Context) -> None:
    """Parse (language) → one archive call (count) → render (welcome)."""
    message = update.effective_message
    if message is None:
        return
    lang = await user_lang(update, context)
    count = await context.bot_data.require_conversation().archive_size()
    await send(message, render.Reply(render.welcome(lang, count)))
