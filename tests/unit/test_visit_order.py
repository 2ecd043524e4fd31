"""The order of a subject's visits in time, without a database: the procedure date between
baseline and follow-up, and one death that no later visit contradicts."""

from __future__ import annotations

from datetime import date

import pytest

from slidesk.domain.errors import ValidationError
from slidesk.domain.followup.model import VisitEntry, VitalStatus
from slidesk.domain.followup.visit_order import (
    SeenVisit,
    check_deaths,
    check_procedure_date,
    time_point_label,
)

BASELINE = SeenVisit(0, date(2026, 1, 5), None, None)
MONTH_6_ALIVE = SeenVisit(6, date(2026, 7, 10), VitalStatus.ALIVE, None)
MONTH_6_DIED = SeenVisit(6, date(2026, 7, 10), VitalStatus.DIED, date(2026, 7, 1))


def test_time_points_are_named_as_on_screen() -> None:
    assert time_point_label(0) == "Baseline"
    assert time_point_label(12) == "Month 12"


def test_the_procedure_lies_between_baseline_and_follow_up() -> None:
    check_procedure_date(
        date(2026, 1, 5), [BASELINE, MONTH_6_ALIVE, SeenVisit(12, None, None, None)]
    )
    with pytest.raises(ValidationError, match="baseline visit would come after"):
        check_procedure_date(date(2026, 1, 4), [BASELINE])
    with pytest.raises(ValidationError, match="month 6 visit would come before"):
        check_procedure_date(date(2026, 7, 10), [MONTH_6_ALIVE])


def test_a_death_before_a_visit_that_saw_the_subject_alive_is_refused() -> None:
    died = VisitEntry(vital_status=VitalStatus.DIED, death_date=date(2026, 7, 1))
    with pytest.raises(ValidationError, match=r"seen alive on 2026-07-10 \(month 6 visit\)"):
        check_deaths([MONTH_6_ALIVE], 12, died)
    later = VisitEntry(vital_status=VitalStatus.DIED, death_date=date(2026, 8, 1))
    check_deaths([MONTH_6_ALIVE], 12, later)


def test_a_subject_dies_once() -> None:
    again = VisitEntry(vital_status=VitalStatus.DIED, death_date=date(2026, 9, 1))
    with pytest.raises(
        ValidationError, match="death on 2026-07-01 is already recorded at the month 6"
    ):
        check_deaths([MONTH_6_DIED], 12, again)
    same = VisitEntry(vital_status=VitalStatus.DIED, death_date=date(2026, 7, 1))
    check_deaths([MONTH_6_DIED], 12, same)


def test_nobody_is_seen_alive_after_their_death() -> None:
    alive = VisitEntry(visit_date=date(2026, 12, 1), vital_status=VitalStatus.ALIVE)
    with pytest.raises(ValidationError, match=r"died on 2026-07-01 .* cannot be seen alive later"):
        check_deaths([MONTH_6_DIED], 12, alive)
    before = VisitEntry(visit_date=date(2026, 6, 1), vital_status=VitalStatus.ALIVE)
    check_deaths([MONTH_6_DIED], 3, before)


def test_the_visit_being_saved_is_not_checked_against_itself() -> None:
    alive = VisitEntry(visit_date=date(2026, 12, 1), vital_status=VitalStatus.ALIVE)
    check_deaths([MONTH_6_DIED], 6, alive)
