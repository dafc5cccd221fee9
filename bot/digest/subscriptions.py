"""What a user can do about their digest: /subscribe, /unsubscribe, /timezone, /follow,
/following, /unfollow, /digest and the digest's buttons. Telegram-free, like conversation.py.

Every method returns what is now set, so the reply can confirm it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

from bot.core.models import Digest, DigestRun, Subscription
from bot.digest.compose import (
    MAX_FOLLOW_CHARS,
    MAX_FOLLOWS,
    DigestLimits,
    compose_digest,
    follow_key,
)
from bot.digest.delivery import DigestService
from bot.digest.schedule import (
    DEFAULT_TIME,
    next_due,
    parse_time,
    parse_timezone,
    window_for,
    zone_of,
)
from storage.protocols import DigestStore

MORE_LIMITS = DigestLimits(articles=15, claims_per_article=4, forwarded=5, flags=15, followed=15)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A command's result: what happened, and the subscription as it now stands."""

    result: Literal[
        "subscribed",
        "rescheduled",
        "unsubscribed",
        "not_subscribed",
        "bad_time",
        "bad_timezone",
        "timezone_set",
        "followed",
        "already_following",
        "follows_full",
        "follow_too_long",
        "unfollowed",
        "not_following",
        "listed",
    ]
    subscription: Subscription | None = None
    value: str = ""


class Subscriptions:
    def __init__(
        self, store: DigestStore, service: DigestService, default_timezone: str
    ) -> None:
        self.store = store
        self.service = service
        self.default_timezone = parse_timezone(default_timezone) or "UTC"

    async def subscribe(
        self, user_id: int, chat_id: int, when: str | None, language: str | None, now: datetime
    ) -> Outcome:
        """Start the digest (08:00 by default) or change its time; repeated /subscribe keeps
        the timezone and follows and just confirms."""
        current = await self.store.get(user_id)
        send_time = parse_time(when) if when else None
        if when and send_time is None:
            return Outcome("bad_time", current, when)
        zone = current.timezone if current else self.default_timezone
        send_time = send_time or (current.send_time if current else DEFAULT_TIME)
        was_active = current is not None and current.active
        sub = await self.store.subscribe(
            user_id,
            chat_id,
            send_time=send_time,
            timezone=zone,
            language=language,
            next_due=next_due(send_time, zone, now),
        )
        return Outcome("rescheduled" if was_active else "subscribed", sub)

    async def unsubscribe(self, user_id: int) -> Outcome:
        ended = await self.store.end(user_id, "unsubscribed")
        return Outcome("unsubscribed" if ended else "not_subscribed", await self.store.get(user_id))

    async def set_timezone(self, user_id: int, value: str, now: datetime) -> Outcome:
        zone = parse_timezone(value)
        current = await self.store.get(user_id)
        if zone is None:
            return Outcome("bad_timezone", current, value)
        if current is None:  # a timezone belongs to a subscription: /subscribe first
            return Outcome("not_subscribed", None, zone)
        await self.store.reschedule(
            user_id,
            send_time=current.send_time,
            timezone=zone,
            next_due=next_due(current.send_time, zone, now),
        )
        return Outcome("timezone_set", await self.store.get(user_id), zone)

    async def follow(self, user_id: int, value: str) -> Outcome:
        value = " ".join(value.split())
        if len(value) > MAX_FOLLOW_CHARS:
            return Outcome("follow_too_long", None, value[:MAX_FOLLOW_CHARS])
        key = follow_key(value)
        if not key:
            return Outcome("listed", await self.store.get(user_id))
        done = await self.store.follow(user_id, value, key, cap=MAX_FOLLOWS)
        result: Literal["followed", "already_following", "follows_full"] = {
            "added": "followed",
            "exists": "already_following",
            "full": "follows_full",
        }[done]  # type: ignore[assignment]
        return Outcome(result, await self.store.get(user_id), value)

    async def unfollow(self, user_id: int, value: str) -> Outcome:
        removed = await self.store.unfollow(user_id, follow_key(value))
        return Outcome("unfollowed" if removed else "not_following", None, value)

    async def follows(self, user_id: int) -> list[str]:
        return await self.store.follows(user_id)

    async def get(self, user_id: int) -> Subscription | None:
        return await self.store.get(user_id)

    async def digest_now(self, user_id: int, now: datetime) -> Digest | None:
        """/digest: the last 24 hours for this user, now (subscribed or not)."""
        sub = await self.store.get(user_id)
        zone = sub.timezone if sub else self.default_timezone
        follows = sub.follows if sub else await self.store.follows(user_id)
        window = await self.store.window(*window_for(now))
        return compose_digest(window, follows, now.astimezone(zone_of(zone)).date())

    async def more(self, user_id: int, day: date) -> Digest | None:
        """"More claims" on a digest: the same day's window with higher limits."""
        sub = await self.store.get(user_id)
        if sub is None:
            return None
        hour, minute = (int(p) for p in sub.send_time.split(":"))
        scheduled = datetime.combine(day, time(hour, minute), tzinfo=zone_of(sub.timezone))
        window = await self.store.window(*window_for(scheduled))
        return compose_digest(window, sub.follows, day, MORE_LIMITS)

    async def last_run(self) -> DigestRun | None:
        return await self.store.last_run()

    async def count_active(self) -> int:
        return await self.store.count_active()
