"""Demo content for the nurse's record: a realistic sedation course for one procedure.

Baseline vitals, oxygen, three fentanyl and two midazolam doses (one typed in mg), vitals every
5 minutes, a desaturation treated with a chin lift and more oxygen, an injection-site
haematoma reported by the operator, and recovery to a discharge Aldrete score.

Every entry is recorded at its own moment on the demo clock (contemporaneous, never back-dated):
`SedationCourse.catch_up()` records what is due by the clock's current time, so the demo can
interleave it with the injections; `populate()` runs the whole course from the current time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

from slidesk.clock import Clock
from slidesk.domain.sedation.adverse_events import ActionTaken, Grade, Outcome
from slidesk.domain.sedation.events import Intervention, SedationEventKind
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.domain.sedation.recovery import Aldrete
from slidesk.domain.users import Actor
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.procedure import service as procedures
from slidesk.services.sedation import adverse_events
from slidesk.services.sedation import monitoring as monitoring
from slidesk.services.sedation import service as sedation

log = logging.getLogger(__name__)


class SteppingClock(Clock, Protocol):
    def advance(self, **kwargs: float) -> object: ...


_Action = Callable[["SedationCourse"], None]


def _record(c: SedationCourse, service: Callable[..., object], **values: object) -> None:
    """The nurse records on the procedure's record, at the clock's time."""
    service(uow=c.uow, clock=c.clock, actor=c.nurse, procedure_id=c.procedure_id, **values)


def _entry(service: Callable[..., object], **values: object) -> _Action:
    """An entry of the schedule: `service` with these values, when its time comes."""

    def act(c: SedationCourse) -> None:
        _record(c, service, **values)

    return act


def _vitals(hr: int, sys: int, dia: int, spo2: int, rr: int, score: int) -> _Action:
    return _entry(
        monitoring.record_vitals,
        hr=hr,
        systolic=sys,
        diastolic=dia,
        spo2=spo2,
        rr=rr,
        sedation_score=score,
    )


def _dose(drug: str, amount: str, unit: str) -> _Action:
    """A dose charted as previewed (the nurse confirms a converted unit)."""

    def act(c: SedationCourse) -> None:
        preview = sedation.preview_dose(
            uow=c.uow,
            actor=c.nurse,
            procedure_id=c.procedure_id,
            drug_key=drug,
            amount=amount,
            unit_code=unit,
        )
        _record(
            c,
            sedation.record_dose,
            drug_key=drug,
            amount=amount,
            unit_code=unit,
            confirmed_nano=preview.dose.nano,
        )

    return act


def _oxygen(device: OxygenDevice, flow: str) -> _Action:
    return _entry(sedation.record_oxygen, device=device, flow_l_min=flow)


_desaturation = _entry(
    monitoring.record_sedation_event,
    kind=SedationEventKind.DESATURATION,
    interventions=[Intervention.CHIN_LIFT, Intervention.OXYGEN_INCREASED],
    description="SpO2 89 % after the second fentanyl dose, snoring",
    outcome="SpO2 95 % within a minute; procedure continued",
)


def _haematoma(c: SedationCourse) -> None:
    view = procedures.get_procedure(uow=c.uow, actor=c.operator, procedure_id=c.procedure_id)
    injected = [e.site_no for e in view.entries if not e.voided and e.kind.value == "injected"]
    site = injected[2] if len(injected) > 2 else (injected[0] if injected else 1)
    adverse_events.record_adverse_event(
        uow=c.uow,
        clock=c.clock,
        actor=c.operator,
        procedure_id=c.procedure_id,
        term="Injection-site haematoma",
        onset_at=c.clock.now() - timedelta(minutes=2),
        grade=Grade.MILD,
        related_product="unlikely",
        related_procedure="definite",
        related_sedation="unrelated",
        expectedness="expected",
        action_taken=ActionTaken.LOCAL_TREATMENT,
        outcome=Outcome.RECOVERING,
        site_nos=(site,),
        description="2 cm haematoma; manual compression for 5 minutes",
    )


def _aldrete(scores: tuple[int, int, int, int, int]) -> _Action:
    return _entry(monitoring.record_recovery, scores=Aldrete(*scores))


# (minutes after the start, action). Vital signs every 5 minutes, as the protocol asks.
SCHEDULE: tuple[tuple[float, _Action], ...] = (
    (0.0, _vitals(78, 142, 84, 96, 14, 5)),
    (0.2, _oxygen(OxygenDevice.NASAL_CANNULA, "2")),
    (0.5, _dose("fentanyl", "50", "ug")),
    (1.5, _dose("midazolam", "1", "mg")),
    (5.0, _vitals(72, 131, 78, 97, 13, 4)),
    (8.0, _dose("fentanyl", "0.025", "mg")),
    (10.0, _vitals(64, 118, 70, 89, 9, 3)),
    (10.5, _desaturation),
    (10.6, _oxygen(OxygenDevice.NASAL_CANNULA, "4")),
    (11.5, _vitals(66, 121, 72, 95, 12, 3)),
    (15.0, _vitals(68, 124, 74, 96, 12, 3)),
    (16.0, _dose("midazolam", "0.5", "mg")),
    (19.0, _haematoma),
    (20.0, _vitals(70, 126, 75, 96, 13, 3)),
    (22.0, _dose("fentanyl", "25", "ug")),
    (25.0, _vitals(71, 128, 76, 97, 13, 4)),
    (30.0, _vitals(73, 133, 79, 97, 14, 4)),
    (35.0, _vitals(75, 136, 80, 97, 14, 5)),
    (36.0, _aldrete((2, 2, 2, 1, 1))),
    (40.0, _vitals(76, 138, 82, 96, 14, 5)),
    (41.0, _oxygen(OxygenDevice.ROOM_AIR, "0")),
    (45.0, _vitals(77, 139, 82, 95, 15, 5)),
    (46.0, _aldrete((2, 2, 2, 2, 2))),
)


class SedationCourse:
    """Replays SCHEDULE against the clock, starting at the clock's time of creation."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: SteppingClock,
        nurse: Actor,
        operator: Actor,
        procedure_id: int,
    ) -> None:
        self.uow, self.clock, self.nurse, self.operator = uow, clock, nurse, operator
        self.procedure_id = procedure_id
        self.start = clock.now()
        self._next = 0

    def catch_up(self) -> None:
        """Record every scheduled entry whose time has come."""
        while self._next < len(SCHEDULE):
            minutes, action = SCHEDULE[self._next]
            if self.start + timedelta(minutes=minutes) > self.clock.now():
                return
            action(self)
            self._next += 1

    def run_until(self, minutes: float) -> None:
        """Step the clock to each entry due within `minutes` of the start and record it."""
        while self._next < len(SCHEDULE) and SCHEDULE[self._next][0] <= minutes:
            due = self.start + timedelta(minutes=SCHEDULE[self._next][0])
            if due > self.clock.now():
                self.clock.advance(seconds=(due - self.clock.now()).total_seconds())
            self.catch_up()

    def finish(self) -> None:
        """Step the clock through the rest of the course, recording each entry on time."""
        self.run_until(SCHEDULE[-1][0])


def populate(
    uow: UnitOfWork, clock: SteppingClock, nurse: Actor, operator: Actor, procedure_id: int
) -> None:
    """The whole course from the clock's current time (advances the clock ~46 minutes)."""
    SedationCourse(uow, clock, nurse, operator, procedure_id).finish()
    log.info("demo sedation course recorded for procedure %s", procedure_id)


def chart_start(
    uow: UnitOfWork, clock: SteppingClock, nurse: Actor, operator: Actor, procedure_id: int
) -> None:
    """Baseline vital signs and the first fentanyl dose only (a brief, uneventful course)."""
    course = SedationCourse(uow, clock, nurse, operator, procedure_id)
    for action in (_vitals(76, 138, 82, 97, 14, 5), _dose("fentanyl", "50", "ug")):
        action(course)
        clock.advance(seconds=30)
