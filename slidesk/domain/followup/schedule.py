"""Follow-up visit dates: target by calendar months from the procedure, windows, due states.

Standard library only.

The rule for target dates (documented because people count months differently):
the target of the month-M visit is the procedure date plus M calendar months, on the same day
of the month; when that month is shorter, the date is clamped to its last day. So
31 Aug 2025 + 6 months = 28 Feb 2026, 31 Aug 2027 + 6 months = 29 Feb 2028 (a leap year), and
29 Feb 2024 + 12 months = 28 Feb 2025. The window runs from `target - before` to
`target + after` days, both ends included. Dates are local calendar dates (the clinic's day),
never times.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


def add_months(start: date, months: int) -> date:
    """`start` plus `months` calendar months, clamped to the last day of a shorter month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last))


@dataclass(frozen=True, slots=True)
class VisitWindow:
    """When a visit should take place: its target date and the protocol's window around it."""

    month: int
    target: date
    opens: date
    closes: date

    @classmethod
    def around(
        cls, procedure_date: date, month: int, before_days: int, after_days: int
    ) -> VisitWindow:
        target = add_months(procedure_date, month)
        return cls(
            month=month,
            target=target,
            opens=target - timedelta(days=before_days),
            closes=target + timedelta(days=after_days),
        )

    def contains(self, day: date) -> bool:
        return self.opens <= day <= self.closes

    def offset_days(self, day: date) -> int:
        """How far `day` lies outside the window (negative: early, positive: late, 0: inside)."""
        if day < self.opens:
            return (day - self.opens).days
        if day > self.closes:
            return (day - self.closes).days
        return 0


class DueState(StrEnum):
    """Where a visit stands on a given day."""

    UPCOMING = "upcoming"  # window opens soon
    DUE = "due"  # window open, nothing entered yet
    OVERDUE = "overdue"  # window closed, nothing entered
    STARTED = "started"  # entered but not signed
    DONE = "done"  # signed
    NOT_YET = "not_yet"  # further ahead than the planning horizon

    @property
    def label(self) -> str:
        return _DUE_LABELS[self]


_DUE_LABELS = {
    DueState.UPCOMING: "Upcoming",
    DueState.DUE: "Due now",
    DueState.OVERDUE: "Overdue",
    DueState.STARTED: "Entered, not signed",
    DueState.DONE: "Signed",
    DueState.NOT_YET: "Later",
}


def due_state(
    window: VisitWindow,
    today: date,
    *,
    entered: bool,
    signed: bool,
    horizon_days: int = 30,
) -> DueState:
    """The state of one visit on `today` (`horizon_days`: how early 'upcoming' starts)."""
    if signed:
        return DueState.DONE
    if entered:
        return DueState.STARTED
    if today > window.closes:
        return DueState.OVERDUE
    if today >= window.opens:
        return DueState.DUE
    if (window.opens - today).days <= horizon_days:
        return DueState.UPCOMING
    return DueState.NOT_YET
