"""/lang: switch between English and Indonesian (/lang id, /lang en, or buttons)."""

from __future__ import annotations

from telegram import Update

from bot.i18n import LANGS
from handlers import render
from handlers.context import Context
from handlers.guard import send, user_lang


async def choose_language(update: Update, context: Context) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    wanted = (context.args or [""])[0].strip().lower()[:2]
    if wanted in LANGS:
        await context.bot_data.require_conversation().set_language(user.id, wanted)
        await send(message, render.message(wanted, "lang.set"))
        return
    await send(message, render.language_choice(await user_lang(update, context)))
