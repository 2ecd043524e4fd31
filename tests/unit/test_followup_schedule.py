"""Visit target dates by calendar months, clamped at month ends, and the due states."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slidesk.domain.followup.schedule import DueState, VisitWindow, add_months, due_state


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 1, 31), 2, date(2025, 3, 31)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 10, 31), 60, date(2030, 10, 31)),
        (date(2025, 3, 15), 0, date(2025, 3, 15)),
        (date(2025, 11, 30), 24, date(2027, 11, 30)),
    ],
)
def test_target_date_adds_calendar_months_and_clamps_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 1, 1)), st.integers(0, 240))
def test_target_date_lands_in_the_right_month_on_the_same_or_last_day(start, months):
    target = add_months(start, months)
    assert (target.year * 12 + target.month) - (start.year * 12 + start.month) == months
    last = calendar.monthrange(target.year, target.month)[1]
    assert target.day == min(start.day, last)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 1, 1)))
def test_targets_of_later_visits_never_come_earlier(start):
    targets = [add_months(start, m) for m in (0, 2, 6, 12, 24, 60)]
    assert targets == sorted(targets)
    assert len(set(targets)) == len(targets)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(0, 90),
    st.integers(0, 90),
)
def test_window_includes_both_ends_and_nothing_outside(procedure, before, after):
    window = VisitWindow.around(procedure, 6, before, after)
    assert window.contains(window.opens)
    assert window.contains(window.closes)
    assert not window.contains(window.opens - timedelta(days=1))
    assert not window.contains(window.closes + timedelta(days=1))
    assert (window.closes - window.opens).days == before + after
    assert window.offset_days(window.closes + timedelta(days=3)) == 3
    assert window.offset_days(window.opens - timedelta(days=2)) == -2


def test_leap_day_window_for_the_six_month_visit():
    window = VisitWindow.around(date(2027, 8, 31), 6, 14, 28)
    assert window.target == date(2028, 2, 29)
    assert window.opens == date(2028, 2, 15)
    assert window.closes == date(2028, 3, 28)


def test_due_states_follow_the_window_and_the_record():
    window = VisitWindow.around(date(2026, 1, 10), 2, 14, 14)  # target 10 Mar 2026
    assert due_state(window, date(2026, 1, 20), entered=False, signed=False) is DueState.NOT_YET
    assert due_state(window, date(2026, 2, 20), entered=False, signed=False) is DueState.UPCOMING
    assert due_state(window, date(2026, 2, 24), entered=False, signed=False) is DueState.DUE
    assert due_state(window, date(2026, 3, 24), entered=False, signed=False) is DueState.DUE
    assert due_state(window, date(2026, 3, 25), entered=False, signed=False) is DueState.OVERDUE
    assert due_state(window, date(2026, 3, 25), entered=True, signed=False) is DueState.STARTED
    assert due_state(window, date(2026, 3, 25), entered=True, signed=True) is DueState.DONE
