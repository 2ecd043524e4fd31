"""Times on screen: local wall-clock time (with its UTC offset where a date is shown)."""

from __future__ import annotations

from datetime import datetime, timedelta


def local_hm(value: datetime | None) -> str:
    return value.astimezone().strftime("%H:%M") if value else "—"


def local_hms(value: datetime | None) -> str:
    return value.astimezone().strftime("%H:%M:%S") if value else "—"


def local_date_time(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "—"


def utc_offset(value: datetime) -> str:
    """'UTC+01:00' for the local zone at that instant."""
    offset = value.astimezone().utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def duration(delta: timedelta) -> str:
    """'1:05:09' for elapsed time (never negative)."""
    seconds = max(0, int(delta.total_seconds()))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def minutes_text(minutes: int) -> str:
    """'2 h 05 min' or '28 min'."""
    minutes = abs(minutes)
    if minutes >= 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes} min"
