"""The clock seam, and the flood guard driven by it (no sleeping, no real time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.core.clock import FixedClock, SystemClock
from handlers.guard import FloodGuard

START = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(START)
    assert clock.now() == START
    before = clock.monotonic()
    clock.advance(90)
    assert clock.now() == START + timedelta(seconds=90)
    assert clock.monotonic() == before + 90


def test_fixed_clock_is_utc_and_refuses_naive_times() -> None:
    jakarta = timezone(timedelta(hours=7))
    assert FixedClock(datetime(2026, 12, 2, 15, 0, tzinfo=jakarta)).now() == START
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2026, 12, 2, 8, 0))  # noqa: DTZ001


def test_system_clock_is_aware_utc() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)


def test_flood_window_expires_and_the_warning_repeats_once_per_window() -> None:
    clock = FixedClock(START)
    guard = FloodGuard(limit=2, window=60, clock=clock)
    assert guard.check(1) == (True, False)
    assert guard.check(1) == (True, False)
    assert guard.check(1) == (False, True)  # over the limit: warned once
    assert guard.check(1) == (False, False)  # and not again within the window
    assert guard.check(2) == (True, False)  # another user is not affected
    clock.advance(59.9)
    assert guard.check(1) == (False, False)
    clock.advance(0.2)  # the first two have left the window
    assert guard.check(1) == (True, False)
    assert guard.check(1) == (True, False)
    assert guard.check(1) == (False, True)  # a new window, a new (single) warning
