"""The digest broadcast run: claim, send, settle, report.

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
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from bot.core.clock import Clock, SystemClock
from bot.core.errors import WritesRefusedError
from bot.core.models import (
    Digest,
    DigestRun,
    DigestWindow,
    Subscription,
)
from bot.digest.compose import (
    DigestLimits,
    PreparedWindow,
    compose_digest,
    compose_prepared,
    prepare_window,
)
from bot.digest.pacer import Pacer
from bot.digest.schedule import digest_date, next_due, window_for, zone_of
from storage.protocols import DigestStore

log = logging.getLogger(__name__)


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
        store: DigestStore,
        settings: DigestSettings | None = None,
        *,
        pacer: Pacer | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or DigestSettings()
        self.clock = clock or SystemClock()
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
            while not self._stop.is_set() and not run.refused:
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
        result = run.result(self.clock.now())
        if result.due and not run.refused:
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
                if self._stop.is_set() or run.refused:
                    continue  # left due: the next start picks it up
                await self._deliver(subscription, run, windows, now, send)
            except WritesRefusedError as exc:
                # A full disk: nothing can be claimed or settled, so nothing is sent; the
                # rest stays due for the next tick. One line per run, not per subscriber.
                if not run.refused:
                    log.warning("Digest run stopped: %s", exc)
                run.refused = True
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
    refused: bool = False  # the archive refused a write: the run stops

    def result(self, finished: datetime) -> DigestRun:
        counts = dataclasses.asdict(self)
        del counts["refused"]
        return DigestRun(finished_at=finished, **counts)
