"""Digest commands and buttons, the repeating tick, and the Telegram side of delivery.

The tick (a PTB JobQueue job) only starts :meth:`bot.digest.delivery.DigestService.tick`; everything
about who is due, composition and the delivery log is in bot/ and storage/. ``TelegramSender``
renders a digest and maps Telegram's answers (Forbidden, ChatMigrated, RetryAfter,
BadRequest) to :class:`bot.digest.delivery.SendResult`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from telegram import Message, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.core.models import Digest
from bot.digest.delivery import SendResult, SendStatus
from bot.digest.schedule import zone_of
from bot.digest.subscriptions import Outcome, Subscriptions
from bot.i18n import DEFAULT_LANG, LANGS, Lang
from handlers import render
from handlers.context import Context
from handlers.guard import NO_PREVIEW, alert_admins, send, user_lang

log = logging.getLogger(__name__)


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# rate_limit_args marking a digest send for KataSiapaRateLimiter (bot/app.py): it waits for
# the pacer right before the HTTP call; a 429 is retried by DigestService, so it never
# pauses replies to users.
DIGEST_SEND: Final = -1
PART_GAP_S: Final = 1.0  # Telegram allows about one message per second to one chat


class TelegramSender:
    """Sends one digest; the whole digest is one message unless it must be split."""

    def __init__(self, bot: ExtBot[Any]) -> None:
        self.bot = bot

    async def __call__(
        self, chat_id: int, digest: Digest, language: str | None, *, skip: int = 0
    ) -> SendResult:
        lang: Lang = language if language in LANGS else DEFAULT_LANG
        reply = render.digest(lang, digest)
        sent = skip
        try:
            for i, chunk in enumerate(reply.chunks):
                if i < skip:
                    continue
                if i > skip:  # a later part: Telegram allows one message a second per chat
                    await asyncio.sleep(PART_GAP_S)
                await self.bot.send_message(
                    chat_id,
                    chunk,
                    parse_mode="HTML",
                    reply_markup=reply.keyboard if i == len(reply.chunks) - 1 else None,
                    link_preview_options=NO_PREVIEW,
                    rate_limit_args=DIGEST_SEND,
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
    data.digests.tick(data.require_clock().now(), TelegramSender(context.bot))
    await alert_admins(context)  # the last run found the archive full: say so once


@dataclass(frozen=True, slots=True)
class _Command:
    """What every digest command needs: where to answer, who, in which language, the args."""

    message: Message
    user_id: int
    lang: Lang
    arg: str
    subscriptions: Subscriptions
    now: datetime

    async def answer(self, reply: render.Reply) -> None:
        await send(self.message, reply)

    async def confirm(self, outcome: Outcome) -> None:
        await send(self.message, render.subscription(self.lang, outcome))


async def _command(update: Update, context: Context) -> _Command | None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    return _Command(
        message=message,
        user_id=user.id,
        lang=await user_lang(update, context),
        arg=" ".join(context.args or []).strip(),
        subscriptions=context.bot_data.require_subscriptions(),
        now=context.bot_data.require_clock().now(),
    )


async def subscribe(update: Update, context: Context) -> None:
    """/subscribe [HH:MM]"""
    cmd = await _command(update, context)
    if cmd is not None:
        chat_id = cmd.message.chat_id
        when = cmd.arg or None
        await cmd.confirm(
            await cmd.subscriptions.subscribe(cmd.user_id, chat_id, when, cmd.lang, cmd.now)
        )


async def unsubscribe(update: Update, context: Context) -> None:
    cmd = await _command(update, context)
    if cmd is not None:
        await cmd.confirm(await cmd.subscriptions.unsubscribe(cmd.user_id))


async def set_timezone(update: Update, context: Context) -> None:
    """/timezone Europe/Berlin | Jakarta | WITA | UTC+7"""
    cmd = await _command(update, context)
    if cmd is None:
        return
    if not cmd.arg:
        await cmd.answer(render.message(cmd.lang, "sub.timezone_usage"))
        return
    await cmd.confirm(await cmd.subscriptions.set_timezone(cmd.user_id, cmd.arg, cmd.now))


async def follow(update: Update, context: Context) -> None:
    cmd = await _command(update, context)
    if cmd is None:
        return
    if not cmd.arg:
        await cmd.answer(render.message(cmd.lang, "follow.usage"))
        return
    await cmd.confirm(await cmd.subscriptions.follow(cmd.user_id, cmd.arg))


async def unfollow(update: Update, context: Context) -> None:
    """/unfollow NAME; without a name, the list to pick from."""
    cmd = await _command(update, context)
    if cmd is None:
        return
    if not cmd.arg:
        await following(update, context)
        return
    await cmd.confirm(await cmd.subscriptions.unfollow(cmd.user_id, cmd.arg))


async def following(update: Update, context: Context) -> None:
    cmd = await _command(update, context)
    if cmd is not None:
        items = await cmd.subscriptions.follows(cmd.user_id)
        await cmd.answer(render.follows(cmd.lang, items))


async def digest_now(update: Update, context: Context) -> None:
    """/digest: the last 24 hours now, whether or not the user is subscribed."""
    cmd = await _command(update, context)
    if cmd is None:
        return
    digest = await cmd.subscriptions.digest_now(cmd.user_id, cmd.now)
    if digest is None:
        await cmd.answer(render.message(cmd.lang, "digest.nothing"))
        return
    sub = await cmd.subscriptions.get(cmd.user_id)
    zone = zone_of(sub.timezone if sub else cmd.subscriptions.default_timezone)
    await cmd.answer(render.digest(cmd.lang, digest, zone))


async def on_digest_button(update: Update, context: Context) -> None:
    """dg:unsub, dg:time, dg:at:HHMM, dg:more:YYYYMMDD"""
    query = update.callback_query
    if query is None or query.from_user is None:
        return
    lang = await user_lang(update, context)
    subscriptions = context.bot_data.require_subscriptions()
    user_id = query.from_user.id
    pressed = render.parse_callback(query.data)
    message = query.message if isinstance(query.message, Message) else None
    await query.answer()
    if message is None or pressed is None:
        return
    kind, _, value = pressed.arg.partition(":")
    if kind == "unsub":
        await send(message, render.subscription(lang, await subscriptions.unsubscribe(user_id)))
    elif kind == "time":
        await send(message, render.time_choice(lang))
    elif kind == "at":
        when = f"{value[:2]}:{value[2:]}"
        now = context.bot_data.require_clock().now()
        outcome = await subscriptions.subscribe(user_id, message.chat_id, when, lang, now)
        await send(message, render.subscription(lang, outcome))
    elif kind == "more":
        try:
            day = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        except ValueError:
            return
        digest = await subscriptions.more(user_id, day)
        if digest is None:
            await send(message, render.message(lang, "digest.nothing"))
            return
        sub = await subscriptions.get(user_id)
        await send(message, render.digest(lang, digest, zone_of(sub.timezone if sub else "UTC")))
