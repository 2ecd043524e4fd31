"""Times on screen: the site's wall-clock time (with its UTC offset where a date is shown).

Every function takes the zone to show in — the site's, from `context.clock.zone` — never the
computer's own: a laptop set to another zone still shows the hospital's time, as the paper does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from PySide6.QtCore import QDate, QDateTime, QTime


def local_hm(value: datetime | None, zone: tzinfo) -> str:
    """'09:30', or '—' for no time."""
    return value.astimezone(zone).strftime("%H:%M") if value else "—"


def local_hms(value: datetime | None, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%H:%M:%S") if value else "—"


def local_date_time(value: datetime | None, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else "—"


def utc_offset(value: datetime, zone: tzinfo) -> str:
    """'UTC+01:00' for the site's zone at that instant."""
    offset = value.astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def local_with_offset(value: datetime | None, zone: tzinfo) -> str:
    """'Wed 26 Nov 2026 09:30 (UTC+01:00)' — an instant, unambiguous on screen and paper."""
    if value is None:
        return "—"
    local = value.astimezone(zone)
    offset = local.strftime("%z")
    return f"{local.strftime('%a %d %b %Y %H:%M')} (UTC{offset[:3]}:{offset[3:]})"


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


def site_wall_clock(value: datetime, zone: tzinfo) -> QDateTime:
    """`value` as the site's wall-clock date and time, for a date/time field to show."""
    local = value.astimezone(zone)
    return QDateTime(
        QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second)
    )


def from_site_wall_clock(shown: QDateTime, zone: tzinfo) -> datetime:
    """What a date/time field shows, read as the site's wall-clock time, as an aware UTC time."""
    day, time_of_day = shown.date(), shown.time()
    local = datetime(
        day.year(),
        day.month(),
        day.day(),
        time_of_day.hour(),
        time_of_day.minute(),
        time_of_day.second(),
        tzinfo=zone,
    )
    return local.astimezone(UTC)
