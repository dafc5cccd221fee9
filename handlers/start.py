"""/start and /help: what Kata Siapa does, how big the archive is, and an example to try."""

from __future__ import annotations

from telegram import Update

from bot.i18n import pick_language
from handlers import render
from handlers.context import Context


async def start(update: Update, context: Context) -> None:
    """Parse (language) → one archive call (count) → render (welcome)."""
    message = update.effective_message
    if message is None:
        return
    user = update.effective_user
    lang = pick_language(user.language_code if user else None)
    count = await context.bot_data.require_store().count()
    for chunk in render.welcome(lang, count):
        await message.reply_html(chunk)
