"""The clock port: services ask it for the time instead of calling now(). No Qt, no database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...

    def local_offset_minutes(self, at: datetime) -> int:
        """The local UTC offset at `at`, in minutes (for showing local time with its offset)."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def local_offset_minutes(self, at: datetime) -> int:
        offset = at.astimezone().utcoffset()
        return int(offset.total_seconds() // 60) if offset is not None else 0


def require_aware(value: datetime, what: str) -> datetime:
    """Clinical times are always timezone-aware; convert to UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return value.astimezone(UTC)
