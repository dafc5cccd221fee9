"""Pacing every outgoing message under Telegram's per-bot limit."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from time import monotonic


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
