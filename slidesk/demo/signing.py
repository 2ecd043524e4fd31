"""Demo data for signing: a signed procedure with one amendment, and a completed unsigned one
(its last site skipped, a serious adverse event, a late and a struck-out dose: demo_record).

Called from `slidesk.demo.build._fill`: `populate` after the first procedure is completed,
`completed_unsigned` when the demo clock reaches that procedure's day.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slidesk.demo import record as demo_record
from slidesk.demo import sedation as demo_sedation
from slidesk.demo.steps import DEMO_PASSWORD, inject, plan_and_start, register
from slidesk.domain.users import Actor
from slidesk.domain.values import Limb
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.procedure import completion, corrections
from slidesk.services.procedure import service as procedures
from slidesk.services.signing import service as signing

log = logging.getLogger(__name__)


def populate(
    uow: UnitOfWork,
    clock: Any,
    people: Mapping[str, Actor],
    procedure_id: int,
    *,
    password: str = DEMO_PASSWORD,
) -> None:
    """Sign `procedure_id` (operator, nurse), amend it the next day and sign it again;
    `password` is the one the demo accounts have at the time."""
    op = people["operator"]
    clock.advance(minutes=6)
    _sign_both(uow, clock, op, procedure_id, password)
    clock.advance(hours=20)
    signing.open_amendment(
        uow=uow,
        clock=clock,
        actor=op,
        procedure_id=procedure_id,
        reason="Depth at site 12 transcribed wrongly; corrected from the needle marks note",
        password=password,
    )
    view = procedures.get_procedure(uow=uow, actor=op, procedure_id=procedure_id)
    entry = next(e for e in view.entries if e.site_no == 12 and not e.voided)
    clock.advance(minutes=2)
    corrections.correct_entry(
        uow=uow,
        clock=clock,
        actor=op,
        entry_id=entry.id,
        depth_mm="14",
        reason="Transcription error found at data review",
    )
    clock.advance(minutes=5)
    _sign_both(uow, clock, op, procedure_id, password)
    log.info("demo: procedure %s signed, amended and signed again", procedure_id)


def _sign_both(uow: UnitOfWork, clock: Any, actor: Actor, procedure_id: int, password: str) -> None:
    for meaning, username in (("operator", "operator"), ("nurse", "nurse")):
        review = signing.review_for_signing(uow=uow, actor=actor, procedure_id=procedure_id)
        clock.advance(minutes=1)
        signing.sign_record(
            uow=uow,
            clock=clock,
            actor=actor,
            procedure_id=procedure_id,
            meaning_role=meaning,
            username=username,
            password=password,
            acknowledged={f.code for f in review.warnings},
        )


def completed_unsigned(uow: UnitOfWork, clock: Any, op: Actor, nurse: Actor) -> None:
    """A completed procedure nobody has signed yet (SAIL-01-006), from `clock`'s now."""
    subject = register(uow, clock, op, "SAIL-01-006", Limb.LEFT)
    clock.advance(hours=2)
    view = plan_and_start(
        uow,
        clock,
        (op, nurse),
        subject.id,
        kit_number="SAIL-K006",
        location="Angio suite 1",
        released_minutes_ago=30,
    )
    demo_sedation.chart_start(uow, clock, nurse, op, view.id)
    view = inject(uow, clock, op, view, [site.number for site in view.sites[:-1]])
    demo_record.unsigned_extras(uow, clock, op, nurse, view)
    clock.advance(minutes=3)
    completion.complete_procedure(uow=uow, clock=clock, actor=op, procedure_id=view.id)
