"""Demo data for signing: a signed procedure with one amendment, and a completed unsigned one.

Called once from `slidesk.demo._fill` after the first procedure is completed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from slidesk.domain.users import Actor
from slidesk.domain.values import Limb
from slidesk.persistence.uow import UnitOfWork
from slidesk.services import checklist, procedures, signing, subjects

log = logging.getLogger(__name__)
DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - the published demo password (see slidesk.demo)


def populate(uow: UnitOfWork, clock: Any, people: Mapping[str, Actor], procedure_id: int) -> None:
    """Sign `procedure_id` (operator, nurse), amend it the next day and sign it again; then
    add a completed procedure that nobody has signed yet."""
    op, nurse = people["operator"], people["nurse"]
    clock.advance(minutes=6)
    _sign_both(uow, clock, op, procedure_id)
    clock.advance(hours=20)
    signing.open_amendment(
        uow=uow,
        clock=clock,
        actor=op,
        procedure_id=procedure_id,
        reason="Depth at site 12 transcribed wrongly; corrected from the needle marks note",
    )
    view = procedures.get_procedure(uow=uow, actor=op, procedure_id=procedure_id)
    entry = next(e for e in view.entries if e.site_no == 12 and not e.voided)
    clock.advance(minutes=2)
    procedures.correct_entry(
        uow=uow,
        clock=clock,
        actor=op,
        entry_id=entry.id,
        depth_mm="14",
        reason="Transcription error found at data review",
    )
    clock.advance(minutes=5)
    _sign_both(uow, clock, op, procedure_id)
    _completed_unsigned(uow, clock, op, nurse)
    log.info("demo: procedure %s signed, amended and signed again", procedure_id)


def _sign_both(uow: UnitOfWork, clock: Any, actor: Actor, procedure_id: int) -> None:
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
            password=DEMO_PASSWORD,
            acknowledged={f.code for f in review.warnings},
        )


def _completed_unsigned(uow: UnitOfWork, clock: Any, op: Actor, nurse: Actor) -> None:
    subject = subjects.register_subject(
        uow=uow,
        clock=clock,
        actor=op,
        study_id="SAIL-01-006",
        index_limb=Limb.LEFT,
        centre="UMC Utrecht",
    )
    clock.advance(hours=2)
    view = procedures.plan_procedure(
        uow=uow,
        clock=clock,
        actor=op,
        subject_id=subject.id,
        kit_number="SAIL-K006",
        operator_id=op.user_id,
        nurse_id=nurse.user_id,
        location="Angio suite 1",
        product_release_at=clock.now() - timedelta(minutes=30),
    )
    for item in uow.protocols.default.checklist:
        clock.advance(seconds=10)
        checklist.tick_item(
            uow=uow, clock=clock, actor=nurse, procedure_id=view.id, item_key=item.key
        )
    view = procedures.start_procedure(uow=uow, clock=clock, actor=op, procedure_id=view.id)
    for n, site in enumerate(view.sites, start=1):
        clock.advance(seconds=50)
        view = procedures.record_injection(
            uow=uow,
            clock=clock,
            actor=op,
            procedure_id=view.id,
            site_no=site.number,
            depth_mm=Decimal("12.5"),
            volume_ml=Decimal("1.0"),
            syringe=str(n),
        )
    clock.advance(minutes=3)
    procedures.complete_procedure(uow=uow, clock=clock, actor=op, procedure_id=view.id)
