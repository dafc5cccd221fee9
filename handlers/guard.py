"""What every handler needs before and after its one service call: flood control, the
user's language, sending a rendered reply.

Flood control runs first (handler group -1) so a flooding user costs no lookups. Its state is
in memory on purpose: it only has to hold for a minute, and losing it on restart is harmless.
"""

from __future__ import annotations

import logging
from collections import deque

from telegram import LinkPreviewOptions, Message, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.core.clock import Clock, SystemClock
from bot.i18n import Lang, pick_language, text
from handlers import render
from handlers.context import Context
from handlers.render import Reply

log = logging.getLogger(__name__)

# Article links in cards would otherwise expand into a large preview of the source page.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class FloodGuard:
    """Sliding-window limit per user: at most ``limit`` updates per ``window`` seconds."""

    def __init__(self, limit: int, window: float, clock: Clock | None = None) -> None:
        self.limit = limit
        self.window = window
        self._clock = (clock or SystemClock()).monotonic
        self._seen: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def check(self, user_id: int) -> tuple[bool, bool]:
        """(allowed, warn): warn is True once per window for a user over the limit."""
        now = self._clock()
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            return True, False
        last = self._warned.get(user_id)
        warn = last is None or now - last >= self.window
        if warn:
            self._warned[user_id] = now
        if len(self._seen) > 10_000:  # forget idle users so memory stays bounded
            self._forget_idle(now)
        return False, warn

    def _forget_idle(self, now: float) -> None:
        for uid in [u for u, t in self._seen.items() if not t or now - t[-1] >= self.window]:
            del self._seen[uid]
            self._warned.pop(uid, None)


async def flood_control(update: Update, context: Context) -> None:
    """Stop a user's update from reaching any handler once they are over the limit."""
    guard = context.bot_data.flood
    user = update.effective_user
    if guard is None or user is None or user.is_bot:
        return
    allowed, warn = guard.check(user.id)
    if allowed:
        return
    if warn and update.effective_message is not None and update.callback_query is None:
        lang = pick_language(user.language_code)
        await send(update.effective_message, render.message(lang, "flood"))
    elif update.callback_query is not None:
        await update.callback_query.answer(text(pick_language(user.language_code), "flood"))
    raise ApplicationHandlerStop


async def user_lang(update: Update, context: Context) -> Lang:
    """The user's language (chosen with /lang, else their Telegram app's)."""
    user = update.effective_user
    conversation = context.bot_data.require_conversation()
    if user is None:
        return pick_language(None)
    return await conversation.language(user.id, user.language_code)


async def send(message: Message, reply: Reply) -> None:
    """Send the chunks as replies to ``message``; the keyboard rides on the last chunk."""
    for i, chunk in enumerate(reply.chunks):
        last = i == len(reply.chunks) - 1
        await message.reply_html(
            chunk,
            reply_markup=reply.keyboard if last else None,
            link_preview_options=NO_PREVIEW,
        )


async def storage_watch(update: Update, context: Context) -> None:
    """After every update (handler group 1): if the archive started refusing writes, tell
    the admins (once; again only after it recovered and failed anew)."""
    await alert_admins(context)


async def alert_admins(context: Context) -> None:
    """Tell every admin, in their language, why the archive refuses writes; at most once
    per outage (also called by the feed and digest jobs, which write without updates)."""
    conversation = context.bot_data.conversation
    trouble = conversation.storage_trouble() if conversation is not None else None
    if trouble is None or conversation is None:
        return
    log.error("The archive refuses writes (admins told once): %s", trouble)
    for admin in sorted(conversation.settings.admin_ids):
        lang = await conversation.saved_language(admin)
        try:
            for chunk in render.notice_with(lang, "admin.storage_alert", reason=trouble):
                await context.bot.send_message(admin, chunk, parse_mode="HTML")
        except TelegramError as exc:
            log.warning("Could not alert admin %s: %s", admin, exc)
