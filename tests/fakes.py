"""Fakes for tests: a clock that moves only when told, a cheap password hasher."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from slidesk.clock import DEFAULT_ZONE, offset_minutes

# The suite must pass on any date: SLIDESK_TEST_CLOCK_SHIFT_DAYS moves every fake clock's start
# (e.g. 365 runs the suite a year ahead). The default start is a fixed day so failures reproduce.
FIXED_START = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
_SHIFT = timedelta(days=int(os.environ.get("SLIDESK_TEST_CLOCK_SHIFT_DAYS", "0") or "0"))
START = FIXED_START + _SHIFT


class FakeClock:
    """Starts at a fixed UTC time; `advance()` moves it. Local time is the site's zone."""

    def __init__(self, start: datetime | None = None, zone: tzinfo | None = None) -> None:
        self.current = start or START
        self.zone: tzinfo = zone or ZoneInfo(DEFAULT_ZONE)

    def now(self) -> datetime:
        return self.current

    def local_offset_minutes(self, at: datetime) -> int:
        return offset_minutes(self.zone, at)

    def advance(self, **kwargs: float) -> datetime:
        self.current += timedelta(**kwargs)
        return self.current

    def set_zone(self, zone: tzinfo) -> None:
        self.zone = zone


def cheap_hasher() -> PasswordHasher:
    """argon2id with the cheapest parameters: the same code path, ~0.05 ms per hash."""
    return PasswordHasher.from_parameters(CHEAPEST)
