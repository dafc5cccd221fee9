"""WriteHealth: the admins hear about refused writes once per outage, not once per flap."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.clock import FixedClock
from bot.core.errors import ArchiveFullError
from bot.core.health import WriteHealth


def test_one_report_per_outage_even_when_small_writes_flap() -> None:
    clock = FixedClock(datetime(2026, 11, 1, tzinfo=UTC))
    health = WriteHealth(clock=clock, quiet_s=600)
    assert health.to_report() is None
    full = ArchiveFullError("disk full")
    health.refused(full)
    assert health.to_report() is full
    assert health.to_report() is None  # told once
    for _ in range(5):  # a small write gets through, the next big one fails again
        clock.advance(60)
        health.committed()
        assert health.trouble is None
        health.refused(full)
        assert health.to_report() is None
    clock.advance(601)
    health.committed()  # writes worked for the whole quiet period: the outage is over
    health.refused(full)
    assert health.to_report() is full
