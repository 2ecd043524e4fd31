"""The clock port: services ask it for the time instead of calling now(). No Qt, no database.

The clock also knows the site's time zone (the `site.time_zone` setting): every local time on
screen and on paper is `at.astimezone(clock.zone)`, never the host's zone, so a laptop set to
another zone still shows and prints the hospital's wall-clock time.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Europe/Amsterdam"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...

    def local_offset_minutes(self, at: datetime) -> int:
        """The site's UTC offset at `at`, in minutes (for showing local time with its offset)."""
        ...

    @property
    def zone(self) -> tzinfo:
        """The site's time zone: local times on screen and paper are in it."""
        ...

    def set_zone(self, zone: tzinfo) -> None:
        """The site's zone was read from the settings, or an administrator changed it."""
        ...


def offset_minutes(zone: tzinfo, at: datetime) -> int:
    """The UTC offset of `zone` at the instant `at`, in minutes."""
    offset = at.astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


class SystemClock:
    """The machine's clock, in the site's time zone (set from the setting once it is read)."""

    def __init__(self, zone: tzinfo | None = None) -> None:
        self._zone: tzinfo = zone or ZoneInfo(DEFAULT_ZONE)

    @property
    def zone(self) -> tzinfo:
        return self._zone

    def set_zone(self, zone: tzinfo) -> None:
        """Use `zone` from now on (the site setting was read or changed)."""
        self._zone = zone

    def now(self) -> datetime:
        return datetime.now(UTC)

    def local_offset_minutes(self, at: datetime) -> int:
        return offset_minutes(self._zone, at)


def local(at: datetime, clock: Clock) -> datetime:
    """`at` on the site's wall clock (aware, in the site's zone)."""
    return at.astimezone(clock.zone)


def require_aware(value: datetime, what: str) -> datetime:
    """Clinical times are always timezone-aware; convert to UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return value.astimezone(UTC)
