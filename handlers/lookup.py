"""Text in, answer card out: forwarded or pasted articles, quotes, /who, links.

Each handler parses the update (text or caption, forward origin, the replied-to message),
makes one call to :class:`bot.conversation.Conversation` and renders the result.
"""

from __future__ import annotations

import logging
import re
from datetime import tzinfo
from typing import Final

from telegram import Message, MessageOriginChannel, MessageOriginChat, MessageOriginUser, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.conversation import Answer, Conversation
from bot.core.errors import DatabaseBusyError, InputError, WritesRefusedError
from bot.core.models import ForwardOrigin
from bot.i18n import Lang
from bot.web.urls import link_in
from handlers import render
from handlers.context import Context
from handlers.guard import NO_PREVIEW, send, user_lang

log = logging.getLogger(__name__)

# A reply that only asks "who said this?" about the message it replies to.
_WHO_SAID_REPLY: Final = re.compile(
    r"^\s*(?:who\s+said\s+(?:this|that|it)|who\s+said|is\s+(?:this|that|it)\s+true"
    r"|siapa\s+(?:yang|yg)\s+(?:bilang|ngomong|mengatakan)(?:\s+(?:ini|itu|begitu))?"
    r"|kata\s+siapa|benarkah(?:\s+(?:ini|itu))?|sumbernya\s+siapa)\s*[?!.]*\s*$",
    re.IGNORECASE,
)


def message_text(message: Message) -> str:
    """The text of a message or the caption of a photo/video/document post."""
    return message.text or message.caption or ""


def forward_origin(message: Message) -> ForwardOrigin | None:
    """Telegram's ``forward_origin`` as our model (None for messages that were not forwarded)."""
    origin = message.forward_origin
    if origin is None:
        return None
    if isinstance(origin, MessageOriginChannel):
        return ForwardOrigin(
            type="channel",
            chat_id=origin.chat.id,
            username=origin.chat.username,
            title=origin.chat.title,
            message_id=origin.message_id,
            date=origin.date,
        )
    if isinstance(origin, MessageOriginChat):
        return ForwardOrigin(
            type="chat",
            chat_id=origin.sender_chat.id,
            username=origin.sender_chat.username,
            title=origin.sender_chat.title,
            date=origin.date,
        )
    if isinstance(origin, MessageOriginUser):
        # A private person: the name is never stored or shown to anyone else.
        return ForwardOrigin(type="user", date=origin.date)
    return ForwardOrigin(type="hidden_user", date=origin.date)


async def answer(
    message: Message,
    context: Context,
    lang: Lang,
    text: str,
    *,
    origin: ForwardOrigin | None = None,
    as_quote: bool = False,
) -> None:
    """Look ``text`` up and reply with the card, the candidates or the "who said" list."""
    conversation = context.bot_data.require_conversation()
    user_id = message.from_user.id if message.from_user else None
    zone = conversation.zone()
    url = None if as_quote else link_in(text)
    try:
        if url is not None:
            await answer_link(message, lang, conversation, url, user_id)
            return
        result = await conversation.lookup(text, user_id=user_id, origin=origin, as_quote=as_quote)
    except (InputError, DatabaseBusyError, WritesRefusedError) as exc:
        await send(message, render.message(lang, exc.key))
        return
    await send(message, render_answer(lang, result, zone))


async def answer_link(
    message: Message, lang: Lang, conversation: Conversation, url: str, user_id: int | None
) -> None:
    """A stored link answers at once; otherwise a "reading the article…" status message is
    shown while the page is fetched and analyzed, and then replaced by the card."""
    zone = conversation.zone()
    stored = await conversation.stored_link(url, user_id=user_id)
    if stored is not None:
        await send(message, render_answer(lang, stored, zone, score=100.0))
        return
    status = await message.reply_html(render.message(lang, "link.reading").chunks[0])
    try:
        found = await conversation.read_link(url, user_id=user_id)
        reply = render_answer(lang, found, zone)
    except (InputError, DatabaseBusyError, WritesRefusedError) as exc:
        reply = render.message(lang, exc.key)
    except Exception:  # the status message must not stay "reading..." forever
        log.exception("Reading link %s failed", url)
        reply = render.message(lang, "error")
    await replace_status(status, message, reply)


async def replace_status(status: Message, message: Message, reply: render.Reply) -> None:
    """Turn the status message into the answer's first message; send the rest after it."""
    first, rest = reply.chunks[0], reply.chunks[1:]
    try:
        await status.edit_text(
            first,
            parse_mode="HTML",
            reply_markup=None if rest else reply.keyboard,
            link_preview_options=NO_PREVIEW,
        )
    except TelegramError:  # too old to edit, or gone: send the whole answer instead
        await send(message, reply)
        return
    if rest:
        await send(message, render.Reply(rest, reply.keyboard))


def render_answer(
    lang: Lang, found: Answer, zone: tzinfo, *, score: float | None = None
) -> render.Reply:
    result = found.result
    if result.kind == "quote":
        return render.who_said(lang, result, zone)
    if result.outcome == "similar":
        return render.similar_list(lang, result.results, zone)
    if found.article is None:
        return render.unanalyzable(lang)
    if score is None and result.outcome == "match" and result.results:
        score = result.results[0].score
    return render.article_card(
        lang,
        found.article,
        demand=found.demand,
        score=score,
        submitted=found.submitted,
        zone=zone,
    )


async def on_text(update: Update, context: Context) -> None:
    """Any text or captioned message in a private chat (or mentioning the bot in a group)."""
    message = update.effective_message
    if message is None:
        return
    text = message_text(message)
    if message.chat.type != ChatType.PRIVATE:
        mention = f"@{context.bot.username}"
        if mention.casefold() not in text.casefold():
            return
        text = re.sub(re.escape(mention), " ", text, flags=re.IGNORECASE)
    lang = await user_lang(update, context)
    replied = message.reply_to_message
    if replied is not None and _WHO_SAID_REPLY.match(text) and message_text(replied).strip():
        await answer(message, context, lang, message_text(replied), as_quote=True)
        return
    await answer(message, context, lang, text, origin=forward_origin(message))


async def who(update: Update, context: Context) -> None:
    """/who QUOTE, or /who as a reply to the message holding the quote."""
    message = update.effective_message
    if message is None:
        return
    lang = await user_lang(update, context)
    quote = " ".join(context.args or [])
    if not quote.strip() and message.reply_to_message is not None:
        quote = message_text(message.reply_to_message)
    if not quote.strip():
        await send(message, render.message(lang, "who.usage"))
        return
    await answer(message, context, lang, quote, as_quote=True)


async def unsupported(update: Update, context: Context) -> None:
    """Stickers, photos without a caption, voice, files, polls: say what the bot reads."""
    message = update.effective_message
    if message is None:
        return
    lang = await user_lang(update, context)
    await send(message, render.message(lang, "input.unsupported"))
