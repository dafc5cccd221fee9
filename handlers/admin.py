"""Admin commands (``KATASIAPA_ADMIN_IDS``): /add, /remove ID, /stats.

The allowlist is checked before anything else; anyone else gets "not allowed" and nothing
changes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Message, Update

from bot.errors import InputError
from bot.models import IngestStatus
from handlers import render
from handlers.context import Context
from handlers.guard import send, user_lang
from handlers.lookup import forward_origin, message_text


async def _admin_message(update: Update, context: Context) -> Message | None:
    """The command's message when its sender is an admin; otherwise answer "not allowed"."""
    message = update.effective_message
    if message is None:
        return None
    user = update.effective_user
    if context.bot_data.require_conversation().is_admin(user.id if user else None):
        return message
    await send(message, render.message(await user_lang(update, context), "admin.denied"))
    return None


async def add(update: Update, context: Context) -> None:
    """/add as a reply to a forwarded article, or /add followed by the article text."""
    message = await _admin_message(update, context)
    if message is None:
        return
    lang = await user_lang(update, context)
    source = message.reply_to_message
    text = message_text(source) if source is not None else ""
    origin = forward_origin(source) if source is not None else None
    if not text.strip():
        command = message_text(message)
        text = command.split(maxsplit=1)[1] if len(command.split(maxsplit=1)) > 1 else ""
    if not text.strip():
        await send(message, render.message(lang, "admin.add_usage"))
        return
    conversation = context.bot_data.require_conversation()
    try:
        result = await conversation.curate(text, origin)
    except InputError as exc:
        await send(message, render.message(lang, "admin.rejected", reason=exc.user_message()))
        return
    if result.status is IngestStatus.REJECTED or result.article_id is None:
        await send(message, render.message(lang, "admin.rejected", reason=result.reason or "?"))
        return
    if result.status is IngestStatus.PRESENT:
        await send(message, render.message(lang, "admin.curated", id=result.article_id))
        return
    article = await conversation.article(result.article_id)
    claims = len(article.claims) if article else 0
    await send(message, render.message(lang, "admin.added", id=result.article_id, claims=claims))


async def remove(update: Update, context: Context) -> None:
    """/remove ID: delete an article (claims, search entries and sightings go with it)."""
    message = await _admin_message(update, context)
    if message is None:
        return
    lang = await user_lang(update, context)
    args = context.args or []
    raw = args[0].lstrip("#") if len(args) == 1 else ""
    if not raw.isdigit() or int(raw) <= 0:
        await send(message, render.message(lang, "admin.remove_usage"))
        return
    article_id = int(raw)
    removed = await context.bot_data.require_conversation().remove(article_id)
    key = "admin.removed" if removed else "admin.not_found"
    await send(message, render.message(lang, key, id=article_id))


async def stats(update: Update, context: Context) -> None:
    message = await _admin_message(update, context)
    if message is None:
        return
    lang = await user_lang(update, context)
    figures = await context.bot_data.require_conversation().stats(datetime.now(UTC))
    subscriptions = context.bot_data.require_subscriptions()
    digests = render.digest_stats(
        lang, await subscriptions.count_active(), await subscriptions.last_run()
    )
    await send(message, render.admin_stats(lang, figures, digests))
