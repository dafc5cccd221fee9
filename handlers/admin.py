"""Admin commands (``KATASIAPA_ADMIN_IDS``): /add, /remove ID, /stats.

The allowlist is checked before anything else; anyone else gets "not allowed" and nothing
changes.
"""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.core.errors import InputError
from bot.core.ids import parse_id
from bot.core.models import IngestStatus
from bot.i18n import Lang
from handlers import render
from handlers.context import Context
from handlers.guard import alert_admins, send, user_lang
from handlers.lookup import forward_origin, message_text

log = logging.getLogger(__name__)


async def _admin(update: Update, context: Context) -> tuple[Message, Lang] | None:
    """The command's message and language when its sender is an admin; otherwise answer
    "not allowed" and return None."""
    message = update.effective_message
    if message is None:
        return None
    lang = await user_lang(update, context)
    user = update.effective_user
    if context.bot_data.require_conversation().is_admin(user.id if user else None):
        return message, lang
    await send(message, render.message(lang, "admin.denied"))
    return None


def _id_arg(context: Context) -> int | None:
    """The one archive id after the command ("12" or "#12"), else None (the usage note):
    "9" * 40, "²" or "-1" never reach int() or SQLite."""
    args = context.args or []
    return parse_id(args[0]) if len(args) == 1 else None


async def add(update: Update, context: Context) -> None:
    """/add as a reply to a forwarded article, or /add followed by the article text."""
    admin = await _admin(update, context)
    if admin is None:
        return
    message, lang = admin
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
    admin = await _admin(update, context)
    if admin is None:
        return
    message, lang = admin
    article_id = _id_arg(context)
    if article_id is None:
        await send(message, render.message(lang, "admin.remove_usage"))
        return
    removed = await context.bot_data.require_conversation().remove(article_id)
    key = "admin.removed" if removed else "admin.not_found"
    await send(message, render.message(lang, key, id=article_id))


async def stats(update: Update, context: Context) -> None:
    admin = await _admin(update, context)
    if admin is None:
        return
    message, lang = admin
    figures = await context.bot_data.require_conversation().stats(
        context.bot_data.require_clock().now()
    )
    subscriptions = context.bot_data.require_subscriptions()
    digests = render.digest_stats(
        lang, await subscriptions.count_active(), await subscriptions.last_run()
    )
    await send(message, render.admin_stats(lang, figures, digests))


async def feeds(update: Update, context: Context) -> None:
    """/feeds: the feed list with each feed's last poll."""
    admin = await _admin(update, context)
    if admin is None:
        return
    message, lang = admin
    items = await context.bot_data.require_feeds().all()
    await send(message, render.feed_list(lang, items))


async def feed_add(update: Update, context: Context) -> None:
    """/feed_add URL: check it is a feed (one fetch) and add it; polled at the next tick."""
    admin = await _admin(update, context)
    if admin is None:
        return
    message, lang = admin
    args = context.args or []
    if len(args) != 1:
        await send(message, render.message(lang, "feeds.add_usage"))
        return
    try:
        feed, added = await context.bot_data.require_feeds().add(args[0])
    except InputError as exc:
        await send(message, render.message(lang, "feeds.add_failed", reason=exc.user_message()))
        return
    key = "feeds.added" if added else "feeds.exists"
    await send(message, render.message(lang, key, id=feed.id, title=feed.title or feed.url))


async def feed_remove(update: Update, context: Context) -> None:
    admin = await _admin(update, context)
    if admin is None:
        return
    message, lang = admin
    feed_id = _id_arg(context)
    if feed_id is None:
        await send(message, render.message(lang, "feeds.remove_usage"))
        return
    removed = await context.bot_data.require_feeds().remove(feed_id)
    key = "feeds.removed" if removed else "feeds.not_found"
    await send(message, render.message(lang, key, id=feed_id))


async def poll_feeds(context: Context) -> None:
    """JobQueue callback: poll the feeds that are due (one poll at a time)."""
    service = context.bot_data.feeds
    if service is None:
        return
    poll = await service.poll_due()
    await alert_admins(context)  # a poll that found the archive full says so once
    if poll.feeds:
        log.info(
            "Polled %d feeds: %d new items, %d added, %d unreadable, %d feeds failed (%.1f s)",
            poll.feeds, poll.new_items, poll.added, poll.failed_items, poll.failed_feeds,
            poll.seconds,
        )  # fmt: skip
