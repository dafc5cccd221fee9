"""Anything that is not a command, in a private chat: a polite "coming in the next version".

Photos, stickers, captions, empty or huge texts all get the same short note; nothing here reads
the message content, so no kind of message can make this handler fail.
"""

from __future__ import annotations

from telegram import Update

from bot.i18n import pick_language
from handlers import render
from handlers.context import Context


async def coming_soon(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    user = update.effective_user
    lang = pick_language(user.language_code if user else None)
    for chunk in render.notice(lang, "coming_soon"):
        await message.reply_html(chunk)
