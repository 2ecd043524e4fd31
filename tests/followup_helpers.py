"""Builders for follow-up tests: complete visit entries and a subject with a procedure date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from slidesk.domain.followup.model import (
    Eq5d,
    Fontaine,
    VisitEntry,
    VitalStatus,
)
from slidesk.domain.followup.vascular import Pressure, PressureSite
from slidesk.services.followup import service as followup

PROCEDURE = date(2025, 8, 31)  # month-6 target: 28 Feb 2026


def entry(**kwargs) -> VisitEntry:
    """A complete follow-up visit (every item answered)."""
    values = {
        "visit_date": date(2026, 2, 27),
        "vital_status": VitalStatus.ALIVE,
        "new_amputation": False,
        "rutherford": 3,
        "fontaine": Fontaine.IIB,
        "rest_pain": False,
        "vas_mm": 35,
        "ulcer_count": 0,
        "walk_distance_m": 150,
        "pressures": {
            PressureSite.BRACHIAL_LEFT: Pressure(140),
            PressureSite.BRACHIAL_RIGHT: Pressure(150),
            PressureSite.ANKLE_DP: Pressure(60),
            PressureSite.ANKLE_PT: Pressure(72),
            PressureSite.TOE: Pressure(30),
        },
        "eq5d": Eq5d((2, 1, 2, 3, 1), 65),
        "eq5d_version": "EQ-5D-5L, Dutch, paper",
        "rand36": tuple([1] * 36),
        "rand36_version": "RAND-36 1.0, Dutch, paper",
    }
    values.update(kwargs)
    return VisitEntry(**values)


def baseline_entry(**kwargs) -> VisitEntry:
    base = entry(
        visit_date=date(2025, 8, 20),
        vital_status=None,
        rutherford=4,
        fontaine=Fontaine.III,
        rest_pain=True,
        vas_mm=60,
        walk_distance_m=80,
    )
    return replace(base, **kwargs)


def subject_in_follow_up(team, study_id: str = "SAIL-01-101") -> int:
    subject_id = team.subject(study_id)
    followup.set_procedure_date(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=subject_id,
        procedure_date=PROCEDURE,
        reason="Procedure recorded on paper before SLI Desk",
    )
    return subject_id


def save(team, subject_id: int, month: int, visit: VisitEntry, actor=None, reason=None):
    return followup.save_visit(
        uow=team.uow,
        clock=team.clock,
        actor=actor or team.operator,
        subject_id=subject_id,
        month=month,
        entry=visit,
        reason=reason,
    )
