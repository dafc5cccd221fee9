"""Digest schedules: times, timezones and the window a digest covers (pure)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.models import (
    Subscription,
)

DEFAULT_TIME = "08:00"
_TIME_RE = re.compile(r"^\s*([01]?\d|2[0-3])(?:[:.h]([0-5]\d)?)?\s*$")
_OFFSET_RE = re.compile(r"^\s*(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(00))?\s*$", re.IGNORECASE)
# Indonesia's three zones, as people write them.
_ZONE_ABBREVIATIONS = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}


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
