"""Whether the archive accepts writes right now, and whether someone was told it does not.

A full disk (or a read-only file) refuses writes while reads keep working. The database
reports every refused and every committed write here; the bot tells its admins once when
writes start failing, and again only after they have worked for ``quiet_s`` and then fail
anew (a nearly full disk lets small writes through between refusals: one alert, not one
per flap).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.clock import Clock, SystemClock
from bot.core.errors import WritesRefusedError


@dataclass
class WriteHealth:
    clock: Clock = field(default_factory=SystemClock)
    quiet_s: float = 3600.0
    trouble: WritesRefusedError | None = None
    _reported: bool = field(default=False, repr=False)
    _last_refused: float = field(default=float("-inf"), repr=False)

    def refused(self, error: WritesRefusedError) -> None:
        self.trouble = error
        self._last_refused = self.clock.monotonic()

    def committed(self) -> None:
        self.trouble = None
        if self.clock.monotonic() - self._last_refused >= self.quiet_s:
            self._reported = False

    def to_report(self) -> WritesRefusedError | None:
        """The trouble, the first time it is asked for in an outage."""
        if self.trouble is None or self._reported:
            return None
        self._reported = True
        return self.trouble
