"""Inline-button presses: all claims (paged), sources, "not this article", a candidate, /lang.

Every press is answered (Telegram shows a spinner until it is), and a button for an article
that has since been removed says so instead of failing.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import BadRequest

from bot.i18n import Lang, text
from handlers import render
from handlers.context import Context
from handlers.guard import send, user_lang


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    conversation = context.bot_data.require_conversation()
    user_id = query.from_user.id if query.from_user else None
    pressed = render.parse_callback(query.data)
    message = query.message
    if pressed is None or not isinstance(message, Message):
        await query.answer()
        return
    if pressed.action == render.ACTION_LANG:
        chosen: Lang = "id" if pressed.arg == "id" else "en"
        if user_id is not None:
            await conversation.set_language(user_id, chosen)
        await query.answer()
        await query.edit_message_text(render.esc(text(chosen, "lang.set")), parse_mode="HTML")
        return
    lang = await user_lang(update, context)
    if pressed.action == render.ACTION_NOT_THIS:
        await conversation.not_this(user_id, pressed.article_id)
        await query.answer(text(lang, "feedback.thanks"))
        return
    found = await conversation.card(pressed.article_id)
    if found is None:
        await query.answer(text(lang, "gone"), show_alert=True)
        return
    article, demand = found
    await query.answer()
    if pressed.action == render.ACTION_OPEN:
        reply = render.article_card(lang, article, demand=demand, zone=conversation.zone())
    elif pressed.action == render.ACTION_SOURCES:
        reply = render.sources(lang, article)
    else:
        reply = render.all_claims(lang, article, pressed.page or 1)
        if pressed.page and len(reply.chunks) == 1:
            # Paging edits the page in place instead of piling up messages.
            try:
                await query.edit_message_text(
                    reply.chunks[0], parse_mode="HTML", reply_markup=reply.keyboard
                )
                return
            except BadRequest as exc:
                if "not modified" in exc.message.lower():
                    return  # a double tap: the page is already showing
                # too old to edit, or gone: send the page as a new message instead
    await send(message, reply)
