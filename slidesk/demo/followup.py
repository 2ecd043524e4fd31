"""Demo follow-up: a baseline and the 2-, 6- and 12-month visits of the demo's treated subject.

The demo's signed procedure took place 12 months and 10 days before the demo's today, so its
visits are dated from the procedure record itself (no date typed by hand). Visits are
transcribed today from the paper forms with their own (past) visit dates; the baseline and
the 2- and 6-month visits are signed, the 12-month visit is left unsigned with the RAND-36
still to be transcribed. A visit dated after today is left out.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from slidesk.clock import Clock
from slidesk.demo.steps import DEMO_PASSWORD
from slidesk.domain.followup.model import (
    Amputation,
    AmputationLevel,
    Eq5d,
    Fontaine,
    Ulcer,
    UlcerLocation,
    UnableToWalk,
    VisitEntry,
    VitalStatus,
    area_to_ucm2,
)
from slidesk.domain.followup.schedule import add_months
from slidesk.domain.followup.vascular import Pressure, PressureFlag, PressureSite
from slidesk.domain.users import Actor
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.followup import service as followup
from slidesk.services.followup.views import local_date

log = logging.getLogger(__name__)

_EQ5D = "EQ-5D-5L, Dutch, paper"
_RAND = "RAND-36 1.0, Dutch, paper"

# RAND-36 answers as ticked (1-based codes), baseline and later: poor, then better.
_RAND_BASELINE = (4, 3, 1, 1, 2, 1, 2, 2, 1, 1, 2, 2, 1, 1, 1, 1, 2, 1, 2,
                  3, 5, 4, 5, 3, 4, 4, 5, 4, 2, 4, 2, 2, 2, 4, 2, 4)  # fmt: skip
_RAND_BETTER = (3, 2, 1, 2, 2, 1, 3, 2, 1, 2, 3, 3, 2, 1, 2, 2, 2, 2, 2,
                2, 3, 3, 3, 5, 5, 3, 3, 5, 4, 3, 4, 4, 3, 3, 3, 3)  # fmt: skip


def _pressures(dp: int, pt: int, toe: int | None) -> dict[PressureSite, Pressure]:
    return {
        PressureSite.BRACHIAL_LEFT: Pressure(138),
        PressureSite.BRACHIAL_RIGHT: Pressure(142),
        PressureSite.ANKLE_DP: Pressure(dp),
        PressureSite.ANKLE_PT: Pressure(pt),
        PressureSite.TOE: Pressure(toe)
        if toe is not None
        else Pressure(flag=PressureFlag.NOT_MEASURABLE),
    }


def _visit(
    visit_date: date,
    *,
    vital_status: VitalStatus | None = VitalStatus.ALIVE,
    amputations: tuple[Amputation, ...] = (),
    ulcers: tuple[Ulcer, ...] = (),
    rand36: tuple[int, ...] | None = None,
    **values: Any,
) -> VisitEntry:
    """A demo visit as transcribed from paper: alive (after baseline), new amputations and
    ulcers counted from those listed, questionnaires with the version that was used."""
    return VisitEntry(
        visit_date=visit_date,
        vital_status=vital_status,
        new_amputation=bool(amputations),
        amputations=amputations,
        ulcer_count=len(ulcers),
        ulcers=ulcers,
        eq5d_version=_EQ5D,
        rand36=rand36,
        rand36_version=_RAND if rand36 is not None else None,
        **values,
    )


def populate(
    uow: UnitOfWork,
    clock: Clock,
    people: Mapping[str, Actor],
    subject_id: int,
    procedure_date: date,
    password: str | None = None,
) -> None:
    """Fill the follow-up of `subject_id`, treated on `procedure_date` (the site's local day
    of its procedure); `people` holds the signed-in demo accounts."""
    if password is None:
        password = DEMO_PASSWORD
    operator, nurse = people["operator"], people["nurse"]
    today = local_date(clock, clock.now())
    anchor = procedure_date

    def at(month: int, days: int = 0) -> date:
        return add_months(anchor, month) + timedelta(days=days)

    visits = {
        0: (
            operator,
            _visit(
                anchor - timedelta(days=12),
                vital_status=None,  # the baseline is before the procedure
                rutherford=5,
                fontaine=Fontaine.IV,
                rest_pain=True,
                vas_mm=72,
                ulcers=(Ulcer(UlcerLocation.HEEL, "posterior heel", area_to_ucm2("2.40")),),
                walk_unable=UnableToWalk.PAIN_OR_WOUND,
                pressures=_pressures(48, 56, None),
                eq5d=Eq5d((3, 2, 4, 4, 2), 45),
                rand36=_RAND_BASELINE,
            ),
        ),
        2: (
            nurse,
            _visit(
                at(2, 3),
                rutherford=5,
                fontaine=Fontaine.IV,
                rest_pain=True,
                vas_mm=58,
                ulcers=(Ulcer(UlcerLocation.HEEL, "posterior heel", area_to_ucm2("1.60")),),
                walk_unable=UnableToWalk.PAIN_OR_WOUND,
                pressures=_pressures(52, 60, 22),
                eq5d=Eq5d((3, 2, 3, 3, 2), 55),
                rand36=_RAND_BASELINE,
            ),
        ),
        6: (
            operator,
            _visit(
                at(6, -4),
                amputations=(Amputation(at(4, 9), AmputationLevel.TOE),),
                rutherford=4,
                fontaine=Fontaine.III,
                rest_pain=True,
                vas_mm=35,
                walk_distance_m=40,
                pressures=_pressures(58, 66, 31),
                eq5d=Eq5d((2, 1, 3, 2, 1), 65),
                rand36=_RAND_BETTER,
            ),
        ),
        12: (
            operator,
            _visit(
                at(12, 6),
                rutherford=3,
                fontaine=Fontaine.IIB,
                rest_pain=False,
                vas_mm=22,
                walk_distance_m=120,
                pressures=_pressures(64, 70, 36),
                eq5d=Eq5d((2, 1, 2, 2, 1), 70),
            ),
        ),
    }
    for month, (assessor, entry) in visits.items():
        if entry.visit_date is not None and entry.visit_date > today:
            continue
        view = followup.save_visit(
            uow=uow, clock=clock, actor=assessor, subject_id=subject_id, month=month, entry=entry
        )
        if month != 12:
            followup.sign_visit(
                uow=uow, clock=clock, actor=assessor, visit_id=view.id, password=password
            )
    log.info("demo follow-up filled for subject %s", subject_id)
