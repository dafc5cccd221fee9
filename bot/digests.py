"""Daily digests: schedule arithmetic and composition (pure), and the broadcast run.

Composition is a pure function of (window data, follows): tests use a fixed clock and call
:meth:`DigestService.run_due` directly, never the real scheduler. The run is Telegram-free:
the bot hands it a :class:`Sender` that turns Telegram's answers into :class:`SendResult`.

Delivery guarantees: a (subscriber, date) row in the delivery log is claimed before the
send and settled after it, so a digest is never sent twice for one day. A crash between
the two leaves the row "sending": *ambiguous*. Each worker holds at most one claimed row
(waiting for its send slot, or sending), so at most ``workers`` rows can be ambiguous per
crash; most of them never reached Telegram. They are re-sent (at-least-once), because a
missed digest is worse for a reader than a rare duplicate.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from time import monotonic
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.models import (
    Digest,
    DigestArticle,
    DigestClaim,
    DigestRun,
    DigestWindow,
    StoredClaim,
    Subscription,
)
from bot.textnorm import fold, normalize_for_match
from storage.digests import SqliteDigestStore

log = logging.getLogger(__name__)

DEFAULT_TIME = "08:00"
MAX_FOLLOWS = 20
MAX_FOLLOW_CHARS = 80
_TIME_RE = re.compile(r"^\s*([01]?\d|2[0-3])(?:[:.h]([0-5]\d)?)?\s*$")
_OFFSET_RE = re.compile(r"^\s*(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(00))?\s*$", re.IGNORECASE)
# Indonesia's three zones, as people write them.
_ZONE_ABBREVIATIONS = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}


# -- schedule -------------------------------------------------------------------------------


def parse_time(value: str) -> str | None:
    """ "7", "07:30", "19.30", "7h" → "HH:MM"; None for anything else ("25:00", "pagi")."""
    match = _TIME_RE.match(value)
    if match is None:
        return None
    return f"{int(match.group(1)):02d}:{int(match.group(2) or 0):02d}"


def parse_timezone(value: str) -> str | None:
    """An IANA name (any case), a city ("Berlin", "new york"), WIB/WITA/WIT or a UTC offset
    ("+7", "UTC-3", "GMT+05:00") → an IANA name; None when unknown."""
    text = value.strip()
    if not text or len(text) > 64:
        return None
    zones = _zones()
    folded = text.casefold().replace(" ", "_")
    if folded in zones:
        return zones[folded]
    if folded in _ZONE_ABBREVIATIONS:
        return _ZONE_ABBREVIATIONS[folded]
    if folded in ("utc", "gmt", "z"):
        return "UTC"
    offset = _OFFSET_RE.match(text)
    if offset is not None:
        hours = int(offset.group(2))
        if hours > 14:
            return None
        if hours == 0:
            return "UTC"
        # POSIX-style Etc zones have the sign inverted: UTC+7 is Etc/GMT-7.
        return f"Etc/GMT{'-' if offset.group(1) == '+' else '+'}{hours}"
    return _cities().get(folded)


def _zones() -> dict[str, str]:
    if not _ZONES:
        _ZONES.update({z.casefold(): z for z in available_timezones()})
    return _ZONES


def _cities() -> dict[str, str]:
    if not _CITIES:
        for zone in sorted(available_timezones()):
            if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
                _CITIES.setdefault(zone.rsplit("/", 1)[1].casefold(), zone)
    return _CITIES


_ZONES: dict[str, str] = {}
_CITIES: dict[str, str] = {}


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def next_due(send_time: str, timezone: str, after: datetime) -> datetime:
    """The first instant strictly after ``after`` at ``send_time`` local time (UTC)."""
    zone = zone_of(timezone)
    hour, minute = (int(p) for p in send_time.split(":"))
    local = after.astimezone(zone)
    for days in range(0, 3):
        day = local.date() + timedelta(days=days)
        candidate = datetime.combine(day, time(hour, minute), tzinfo=zone)
        if candidate.astimezone(UTC) > after.astimezone(UTC):
            return candidate.astimezone(UTC)
    raise AssertionError("unreachable: a day always has the time")  # pragma: no cover


def digest_date(subscription: Subscription) -> date:
    """The digest's date: the scheduled instant's date in the subscriber's timezone."""
    return subscription.next_due.astimezone(zone_of(subscription.timezone)).date()


def window_for(scheduled: datetime) -> tuple[datetime, datetime]:
    """The 24 hours before the scheduled instant: a digest reports what was new since the
    previous one, whatever time it is actually delivered."""
    return scheduled - timedelta(days=1), scheduled


# -- composition (pure) ---------------------------------------------------------------------

_FLAG_STANCES = ("denies", "unverified", "declines_comment")


def follow_key(value: str) -> str:
    """The folded form follows are stored and matched by."""
    return normalize_for_match(value)


def _digest_claim(
    article: DigestArticle, claim: StoredClaim, matched: str | None = None
) -> DigestClaim:
    return DigestClaim(
        article_id=article.article_id,
        title=article.title,
        outlet=article.outlet,
        claim=claim,
        matched=matched,
    )


def _rank(article: DigestArticle) -> tuple[int, float, float]:
    best = max((c.score for c in article.claims if c.key), default=0.0)
    return (-article.forwards, -best, -article.created_at.timestamp())


def _key_claims(article: DigestArticle, limit: int) -> list[StoredClaim]:
    key = [c for c in article.claims if c.key and c.speaker is not None] or [
        c for c in article.claims if c.key
    ]
    seen: set[str] = set()
    out = []
    for claim in sorted(key, key=lambda c: -c.score):
        folded = fold(claim.text)
        if folded not in seen:
            seen.add(folded)
            out.append(claim)
    return out[:limit]


@dataclass(frozen=True, slots=True)
class DigestLimits:
    articles: int = 5
    claims_per_article: int = 2
    forwarded: int = 3
    flags: int = 5
    followed: int = 5


@dataclass(frozen=True, slots=True)
class _Searchable:
    """One claim of the window with its folded speaker, outlet and text (padded with spaces,
    so a whole-word phrase test is one substring test)."""

    article: DigestArticle
    claim: StoredClaim
    speaker: str
    outlet: str
    text: str

    def matches(self, key: str) -> bool:
        needle = f" {key} "
        return needle in self.speaker or needle in self.outlet or needle in self.text


@dataclass
class PreparedWindow:
    """Everything about a window that is the same for every subscriber, computed once:
    composing 10,000 digests then costs a few set lookups per follow, not a scan of every
    claim per subscriber."""

    window: DigestWindow
    limits: DigestLimits
    total_new: int
    articles: list[DigestArticle]
    most_forwarded: list[DigestArticle]
    flags: list[DigestClaim]
    more: bool
    claims: list[_Searchable]
    words: dict[str, set[int]]  # folded word -> indexes into ``claims``
    _by_follows: dict[tuple[str, ...], list[DigestClaim]] = field(default_factory=dict)

    def followed(self, follows: Sequence[str]) -> list[DigestClaim]:
        """Claims whose speaker, outlet or text contains a follow as whole words;
        attributed statements first, then mentions, newest article first."""
        keys = tuple(sorted({k for k in (follow_key(f) for f in follows) if k}))
        if not keys:
            return []
        cached = self._by_follows.get(keys)
        if cached is not None:
            return cached
        names = {follow_key(f): f for f in follows}
        hits: dict[int, str] = {}
        for key in keys:
            words = key.split()
            candidates = set.intersection(*(self.words.get(w, set()) for w in words))
            for index in candidates:
                if index not in hits and self.claims[index].matches(key):
                    hits[index] = names[key]
        found = [
            _digest_claim(self.claims[i].article, self.claims[i].claim, matched=follow)
            for i, follow in sorted(hits.items())
        ]
        found.sort(key=lambda d: (d.claim.speaker is None, -d.article_id))
        self._by_follows[keys] = found
        return found


def prepare_window(
    window: DigestWindow,
    limits: DigestLimits = DigestLimits(),  # noqa: B008 - frozen, shared safely
) -> PreparedWindow:
    ranked = sorted(window.new_articles, key=_rank)
    flags = [
        _digest_claim(a, c)
        for a in ranked
        for c in a.claims
        if c.stance in _FLAG_STANCES and c.speaker is not None
    ]
    claims: list[_Searchable] = []
    words: dict[str, set[int]] = {}
    for article in ranked:
        outlet = f" {follow_key(article.outlet or '')} "
        for claim in article.claims:
            speaker = f" {follow_key(claim.speaker.name)} " if claim.speaker else " "
            item = _Searchable(article, claim, speaker, outlet, f" {follow_key(claim.text)} ")
            for word in {*item.speaker.split(), *item.outlet.split(), *item.text.split()}:
                words.setdefault(word, set()).add(len(claims))
            claims.append(item)
    forwarded = [a for a in window.most_forwarded if a.forwards > 0]
    return PreparedWindow(
        window=window,
        limits=limits,
        total_new=len(ranked),
        articles=[
            a.model_copy(update={"claims": _key_claims(a, limits.claims_per_article)})
            for a in ranked[: limits.articles]
        ],
        most_forwarded=[
            a.model_copy(update={"claims": _key_claims(a, 1)})
            for a in forwarded[: limits.forwarded]
        ],
        flags=flags,
        more=len(ranked) > limits.articles
        or len(flags) > limits.flags
        or any(len(_key_claims(a, 99)) > limits.claims_per_article for a in ranked),
        claims=claims,
        words=words,
    )


def compose_prepared(prepared: PreparedWindow, follows: Sequence[str], day: date) -> Digest | None:
    """One subscriber's digest, or None when nothing is new (no empty digests)."""
    if not prepared.total_new and not prepared.most_forwarded:
        return None
    limits = prepared.limits
    followed = prepared.followed(follows)
    return Digest(
        digest_date=day,
        start=prepared.window.start,
        end=prepared.window.end,
        total_new=prepared.total_new,
        articles=prepared.articles,
        most_forwarded=prepared.most_forwarded,
        flags=prepared.flags[: limits.flags],
        followed=followed[: limits.followed],
        more=prepared.more or len(followed) > limits.followed,
    )


def compose_digest(
    window: DigestWindow,
    follows: Sequence[str],
    day: date,
    limits: DigestLimits = DigestLimits(),  # noqa: B008 - frozen, shared safely
) -> Digest | None:
    """One subscriber's digest from a window (a run prepares each window once instead)."""
    return compose_prepared(prepare_window(window, limits), follows, day)


# -- delivery -------------------------------------------------------------------------------


class Pacer:
    """Paces every message the bot sends under Telegram's limit (~30 per second, counted on a
    sliding window on Telegram's side).

    Digests are spaced evenly, one every 1/rate seconds and never in a burst: a bursty
    limiter (a full bucket after an idle moment) overshoots the window and sets off a
    cascade of 429s. Everything — digests and replies to users — also respects a sliding cap
    of ``cap`` messages per :attr:`WINDOW_S`. A reply never waits for the digests' spacing,
    only (rarely, and for at most one interval) for a free place in the window, so it never
    meets a 429 and its 1-second penalty. After a 429, :meth:`hold` lets the window drain.
    """

    # Telegram counts a second on its side, and messages reach it a little more or less
    # than the time they left here apart (scheduling, network). Keeping at most ``cap``
    # per 1.06 s here means 31 messages span over 1.09 s when they leave, so only a delay
    # difference of about 90 ms could squeeze them into one of Telegram's seconds.
    WINDOW_S = 1.06

    def __init__(
        self, rate: float, cap: int | None = None, clock: Callable[[], float] = monotonic
    ) -> None:
        self.interval = 1.0 / rate
        self.cap = cap if cap is not None else max(1, int(rate))
        self._clock = clock
        self._next = 0.0
        self._sent: deque[float] = deque()  # when recent messages went out
        self._replies_waiting = 0  # replies go first when the window is full

    async def wait(self, *, reply: bool = False) -> None:
        """Return when a message may go out now; it is counted as sent."""
        if not reply:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
            if slot > now:
                await asyncio.sleep(slot - now)
        if reply:
            self._replies_waiting += 1
        try:
            while True:
                now = self._prune()
                free = len(self._sent) < self.cap
                if free and (reply or not self._replies_waiting):
                    break
                if free:  # a digest gives way to a waiting reply
                    await asyncio.sleep(self.interval / 4)
                else:
                    await asyncio.sleep(self._sent[0] + self.WINDOW_S - now)
        finally:
            if reply:
                self._replies_waiting -= 1
        self._sent.append(now)

    def hold(self, seconds: float) -> None:
        self._next = max(self._next, self._clock() + seconds)

    def _prune(self) -> float:
        now = self._clock()
        while self._sent and now - self._sent[0] >= self.WINDOW_S:
            self._sent.popleft()
        return now


class SendStatus(Enum):
    SENT = "sent"
    BLOCKED = "blocked"  # Forbidden: the user blocked the bot (or deleted the account)
    MIGRATED = "migrated"  # ChatMigrated: retry with new_chat_id
    RETRY = "retry"  # RetryAfter: wait retry_after seconds and retry
    FAILED = "failed"  # BadRequest and anything else: log, go on with the others


@dataclass(frozen=True, slots=True)
class SendResult:
    status: SendStatus
    messages: int = 0  # parts of the digest delivered so far (a retry resumes after them)
    new_chat_id: int | None = None
    retry_after: float = 0.0
    error: str | None = None


class Sender(Protocol):
    """Delivers one rendered digest to one chat; implemented in handlers/ with the Bot."""

    async def __call__(
        self, chat_id: int, digest: Digest, language: str | None, *, skip: int = 0
    ) -> SendResult: ...


@dataclass
class DigestSettings:
    workers: int = 4
    late_window: timedelta = timedelta(hours=6)
    batch: int = 500  # due subscriptions read per query
    max_retries: int = 5
    limits: DigestLimits = field(default_factory=DigestLimits)


class DigestService:
    """Runs due digests; ``run_due`` is what the repeating tick calls."""

    def __init__(
        self,
        store: SqliteDigestStore,
        settings: DigestSettings | None = None,
        *,
        pacer: Pacer | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or DigestSettings()
        # The sender paces each message right before it goes out; the service only holds
        # the pacer after a 429, so the whole broadcast lets Telegram's window drain.
        self.pacer = pacer
        self._stop = asyncio.Event()
        self._running: asyncio.Task[DigestRun] | None = None

    async def window(self, scheduled: datetime) -> DigestWindow:
        start, end = window_for(scheduled)
        return await self.store.window(start, end)

    async def digest_now(self, subscription: Subscription, now: datetime) -> Digest | None:
        """/digest: the digest of the last 24 hours, composed now (not logged as a delivery)."""
        window = await self.store.window(*window_for(now))
        day = now.astimezone(zone_of(subscription.timezone)).date()
        return compose_digest(window, subscription.follows, day, self.settings.limits)

    def stop(self) -> None:
        """Ask a running broadcast to finish its in-flight sends and stop taking new ones."""
        self._stop.set()

    async def wait_stopped(self) -> None:
        if self._running is not None and not self._running.done():
            await asyncio.wait({self._running})

    def tick(self, now: datetime, send: Sender) -> asyncio.Task[DigestRun] | None:
        """Start a run unless one is still going (a broadcast may outlast a tick)."""
        if self._stop.is_set() or (self._running is not None and not self._running.done()):
            return None
        self._running = asyncio.create_task(self.run_due(now, send))
        return self._running

    async def run_due(self, now: datetime, send: Sender) -> DigestRun:
        """Deliver every digest due at ``now``: a few workers drain a queue (never a gather
        over all subscribers), each claims, composes, sends and settles one digest."""
        run = _RunState(run_id=uuid.uuid4().hex, started_at=now)
        windows: dict[datetime, PreparedWindow] = {}
        queue: asyncio.Queue[Subscription | None] = asyncio.Queue(maxsize=self.settings.batch)
        workers = [
            asyncio.create_task(self._worker(queue, run, windows, now, send))
            for _ in range(self.settings.workers)
        ]
        try:
            seen: set[int] = set()
            while not self._stop.is_set():
                due = [
                    s
                    for s in await self.store.due(now, self.settings.batch)
                    if s.user_id not in seen
                ]
                if not due:
                    break
                for subscription in due:
                    seen.add(subscription.user_id)
                    await queue.put(subscription)
                await queue.join()  # advance() moved them on; the next read finds the rest
        finally:
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers, return_exceptions=True)
        result = run.result(datetime.now(UTC))
        if result.due:
            await self.store.save_run(result)
            log.info(
                "Digest run %s: due %d, sent %d, empty %d, late %d, failed %d, "
                "deactivated %d, ambiguous %d",
                result.run_id, result.due, result.sent, result.empty, result.late,
                result.failed, result.deactivated, result.ambiguous,
            )  # fmt: skip
        return result

    async def _worker(
        self,
        queue: asyncio.Queue[Subscription | None],
        run: _RunState,
        windows: dict[datetime, PreparedWindow],
        now: datetime,
        send: Sender,
    ) -> None:
        while True:
            subscription = await queue.get()
            try:
                if subscription is None:
                    return
                if self._stop.is_set():
                    continue  # left due: the next start picks it up
                await self._deliver(subscription, run, windows, now, send)
            except Exception:  # one subscriber's failure never stops the others
                log.exception("Digest for user %s failed", getattr(subscription, "user_id", "?"))
                run.failed += 1
            finally:
                queue.task_done()

    async def _deliver(
        self,
        subscription: Subscription,
        run: _RunState,
        windows: dict[datetime, PreparedWindow],
        now: datetime,
        send: Sender,
    ) -> None:
        run.due += 1
        scheduled = subscription.next_due
        day = digest_date(subscription)
        following = next_due(subscription.send_time, subscription.timezone, max(now, scheduled))
        if now - scheduled > self.settings.late_window:
            if await self.store.claim(subscription.user_id, day, run.run_id) != "done":
                await self.store.settle(subscription.user_id, day, "late")
            run.late += 1
            await self.store.advance(subscription.user_id, following)
            return
        if scheduled not in windows:  # one prepared window serves every subscriber of it
            window = await self.window(scheduled)
            windows[scheduled] = prepare_window(window, self.settings.limits)
        digest = compose_prepared(windows[scheduled], subscription.follows, day)
        if digest is None:
            if await self.store.claim(subscription.user_id, day, run.run_id) != "done":
                await self.store.settle(subscription.user_id, day, "empty")
            run.empty += 1
            await self.store.advance(subscription.user_id, following)
            return
        claimed = await self.store.claim(subscription.user_id, day, run.run_id)
        if claimed == "done":
            await self.store.advance(subscription.user_id, following)
            return
        if claimed == "ambiguous":
            run.ambiguous += 1
        result = await self._send_with_retries(subscription, digest, send)
        if result.status is SendStatus.SENT:
            await self.store.settle(subscription.user_id, day, "sent", messages=result.messages)
            run.sent += 1
        elif result.status is SendStatus.BLOCKED:
            await self.store.settle(subscription.user_id, day, "blocked", error=result.error)
            await self.store.end(subscription.user_id, "blocked")
            run.deactivated += 1
        else:
            await self.store.settle(subscription.user_id, day, "failed", error=result.error)
            run.failed += 1
        await self.store.advance(subscription.user_id, following)

    async def _send_with_retries(
        self, subscription: Subscription, digest: Digest, send: Sender
    ) -> SendResult:
        chat_id = subscription.chat_id
        result = SendResult(SendStatus.FAILED, error="not attempted")
        delivered = 0  # parts already delivered: a retry never repeats them
        for _ in range(self.settings.max_retries + 1):
            result = await send(chat_id, digest, subscription.language, skip=delivered)
            delivered = max(delivered, result.messages)
            if result.status is SendStatus.MIGRATED and result.new_chat_id is not None:
                chat_id = result.new_chat_id
                await self.store.move_chat(subscription.user_id, chat_id)
                continue
            if result.status is SendStatus.RETRY:
                if self.pacer is not None:
                    self.pacer.hold(result.retry_after)
                await asyncio.sleep(result.retry_after)
                continue
            return result
        return result


@dataclass
class _RunState:
    """The counters of a run in progress (workers add to them), then a DigestRun."""

    run_id: str
    started_at: datetime
    due: int = 0
    sent: int = 0
    empty: int = 0
    late: int = 0
    failed: int = 0
    deactivated: int = 0
    ambiguous: int = 0

    def result(self, finished: datetime) -> DigestRun:
        return DigestRun(finished_at=finished, **dataclasses.asdict(self))
