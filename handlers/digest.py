"""Digest commands and buttons, the repeating tick, and the Telegram side of delivery.

The tick (a PTB JobQueue job) only starts :meth:`bot.digests.DigestService.tick`; everything
about who is due, composition and the delivery log is in bot/ and storage/. ``TelegramSender``
renders a digest and maps Telegram's answers (Forbidden, ChatMigrated, RetryAfter,
BadRequest) to :class:`bot.digests.SendResult`.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

from telegram import Bot, Message, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.digests import SendResult, SendStatus, zone_of
from bot.i18n import DEFAULT_LANG, LANGS, Lang
from bot.models import Digest
from handlers import render
from handlers.context import Context
from handlers.guard import NO_PREVIEW, send, user_lang

log = logging.getLogger(__name__)


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    """Sends one digest; the whole digest is one message unless it must be split."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def __call__(self, chat_id: int, digest: Digest, language: str | None) -> SendResult:
        lang: Lang = language if language in LANGS else DEFAULT_LANG
        reply = render.digest(lang, digest)
        sent = 0
        try:
            for i, chunk in enumerate(reply.chunks):
                last = i == len(reply.chunks) - 1
                await self.bot.send_message(
                    chat_id,
                    chunk,
                    parse_mode="HTML",
                    reply_markup=reply.keyboard if last else None,
                    link_preview_options=NO_PREVIEW,
                )
                sent += 1
        except Forbidden as exc:
            return SendResult(SendStatus.BLOCKED, sent, error=exc.message)
        except ChatMigrated as exc:
            return SendResult(SendStatus.MIGRATED, sent, new_chat_id=exc.new_chat_id)
        except RetryAfter as exc:
            return SendResult(SendStatus.RETRY, sent, retry_after=_seconds(exc.retry_after))
        except BadRequest as exc:
            log.warning("Digest to chat %s refused: %s", chat_id, exc.message)
            return SendResult(SendStatus.FAILED, sent, error=exc.message)
        except TelegramError as exc:  # network trouble after PTB's own retries
            log.warning("Digest to chat %s failed: %s", chat_id, exc)
            return SendResult(SendStatus.FAILED, sent, error=str(exc))
        return SendResult(SendStatus.SENT, sent)


async def digest_tick(context: Context) -> None:
    """JobQueue callback: start a broadcast of the digests due now (if none is running)."""
    data = context.bot_data
    if data.digests is None:
        return
    data.digests.tick(datetime.now(UTC), TelegramSender(context.bot))


def _now() -> datetime:
    return datetime.now(UTC)


async def _reply(update: Update, context: Context, reply: render.Reply) -> None:
    if update.effective_message is not None:
        await send(update.effective_message, reply)


async def subscribe(update: Update, context: Context) -> None:
    """/subscribe [HH:MM]"""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    lang = await user_lang(update, context)
    when = " ".join(context.args or []) or None
    outcome = await context.bot_data.require_subscriptions().subscribe(
        user.id, message.chat_id, when, lang, _now()
    )
    await send(message, render.subscription(lang, outcome))


async def unsubscribe(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    lang = await user_lang(update, context)
    outcome = await context.bot_data.require_subscriptions().unsubscribe(user.id)
    await _reply(update, context, render.subscription(lang, outcome))


async def set_timezone(update: Update, context: Context) -> None:
    """/timezone Europe/Berlin | Jakarta | WITA | UTC+7"""
    user = update.effective_user
    if user is None:
        return
    lang = await user_lang(update, context)
    value = " ".join(context.args or [])
    if not value.strip():
        await _reply(update, context, render.message(lang, "sub.timezone_usage"))
        return
    outcome = await context.bot_data.require_subscriptions().set_timezone(user.id, value, _now())
    await _reply(update, context, render.subscription(lang, outcome))


async def follow(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    lang = await user_lang(update, context)
    value = " ".join(context.args or [])
    if not value.strip():
        await _reply(update, context, render.message(lang, "follow.usage"))
        return
    outcome = await context.bot_data.require_subscriptions().follow(user.id, value)
    await _reply(update, context, render.subscription(lang, outcome))


async def unfollow(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    lang = await user_lang(update, context)
    value = " ".join(context.args or [])
    subscriptions = context.bot_data.require_subscriptions()
    if not value.strip():
        await _reply(update, context, render.follows(lang, await subscriptions.follows(user.id)))
        return
    outcome = await subscriptions.unfollow(user.id, value)
    await _reply(update, context, render.subscription(lang, outcome))


async def following(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    lang = await user_lang(update, context)
    items = await context.bot_data.require_subscriptions().follows(user.id)
    await _reply(update, context, render.follows(lang, items))


async def digest_now(update: Update, context: Context) -> None:
    """/digest: the last 24 hours now, whether or not the user is subscribed."""
    user = update.effective_user
    if user is None:
        return
    lang = await user_lang(update, context)
    subscriptions = context.bot_data.require_subscriptions()
    digest = await subscriptions.digest_now(user.id, _now())
    if digest is None:
        await _reply(update, context, render.message(lang, "digest.nothing"))
        return
    sub = await subscriptions.get(user.id)
    zone = zone_of(sub.timezone if sub else subscriptions.default_timezone)
    await _reply(update, context, render.digest(lang, digest, zone))


async def on_digest_button(update: Update, context: Context) -> None:
    """dg:unsub, dg:time, dg:at:HHMM, dg:more:YYYYMMDD"""
    query = update.callback_query
    if query is None or query.from_user is None:
        return
    lang = await user_lang(update, context)
    subscriptions = context.bot_data.require_subscriptions()
    user_id = query.from_user.id
    parts = (query.data or "").split(":")
    message = query.message if isinstance(query.message, Message) else None
    await query.answer()
    if message is None:
        return
    if parts[1:] == ["unsub"]:
        await send(message, render.subscription(lang, await subscriptions.unsubscribe(user_id)))
    elif parts[1:] == ["time"]:
        await send(message, render.time_choice(lang))
    elif len(parts) == 3 and parts[1] == "at" and len(parts[2]) == 4:
        when = f"{parts[2][:2]}:{parts[2][2:]}"
        outcome = await subscriptions.subscribe(user_id, message.chat_id, when, lang, _now())
        await send(message, render.subscription(lang, outcome))
    elif len(parts) == 3 and parts[1] == "more":
        try:
            day = date(int(parts[2][:4]), int(parts[2][4:6]), int(parts[2][6:8]))
        except ValueError:
            return
        digest = await subscriptions.more(user_id, day)
        if digest is None:
            await send(message, render.message(lang, "digest.nothing"))
            return
        sub = await subscriptions.get(user_id)
        await send(message, render.digest(lang, digest, zone_of(sub.timezone if sub else "UTC")))
