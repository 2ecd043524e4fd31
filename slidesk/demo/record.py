"""Demo entries that give the demo at least one of every kind the record holds.

Besides the main course (demo.py, demo_sedation.py): a relocated site, a finding flagged at a
site, an injection undone and recorded again, a syringe wasted, a skip for the patient's sake,
a dose charted twice and struck out, a dose charted late, and a serious adverse event with its
reporting deadline. Each is recorded through the services at its own moment on the demo clock.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from slidesk.domain.procedure.model import SkipReason
from slidesk.domain.procedure.syringe import SyringeDisposition
from slidesk.domain.sedation.adverse_events import ActionTaken, Grade, Outcome, SeriousCriterion
from slidesk.domain.users import Actor
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import corrections, site_entries, workspace
from slidesk.services.sedation import adverse_events
from slidesk.services.sedation import service as sedation
from slidesk.services.sedation.dto import SedationEntryType

RELOCATED_SITE = 9
RELOCATED_TO = (Decimal("0.5880"), Decimal("0.2860"))
_REASONS = {
    23: "Thin muscle layer over the tibia",
    RELOCATED_SITE: "Scar from an earlier biopsy at the planned point; moved 1 cm laterally",
}


def deviation(site_no: int) -> str | None:
    """The deviation reason the operator gives at this site of the first procedure."""
    return _REASONS.get(site_no)


def position(site_no: int) -> tuple[Decimal, Decimal] | None:
    """Where the site was actually injected when it was relocated."""
    return RELOCATED_TO if site_no == RELOCATED_SITE else None


def after_injection(
    uow: UnitOfWork, clock: Any, operator: Actor, view: ProcedureView, site_no: int
) -> ProcedureView:
    """What happens right after some injections of the first procedure."""
    if site_no == 3:
        clock.advance(seconds=15)
        workspace.flag_site(
            uow=uow,
            clock=clock,
            actor=operator,
            procedure_id=view.id,
            site_no=site_no,
            flag="pain reaction",
            note="Withdrew the leg on injection; settled within a minute",
        )
    if site_no == 4:
        # Recorded on the wrong site by a slip of the finger: undone and recorded again.
        entry = next(e for e in view.entries if e.site_no == site_no and not e.voided)
        clock.advance(seconds=10)
        corrections.undo_last(
            uow=uow,
            clock=clock,
            actor=operator,
            procedure_id=view.id,
            reason="Tapped before the needle was in; recorded again",
        )
        clock.advance(seconds=20)
        view = site_entries.record_injection(
            uow=uow,
            clock=clock,
            actor=operator,
            procedure_id=view.id,
            site_no=site_no,
            depth_mm=Decimal("12.5"),
            volume_ml=Decimal("1.0"),
            syringe=entry.syringe_label or "",
        )
    return view


def unsigned_extras(
    uow: UnitOfWork, clock: Any, operator: Actor, nurse: Actor, view: ProcedureView
) -> None:
    """The completed, unsigned procedure: its last site skipped (the patient asked to stop),
    the syringe meant for it wasted, a dose charted twice, one charted late, and a serious
    vasovagal reaction."""
    last = view.sites[-1].number
    clock.advance(seconds=40)
    site_entries.skip_site(
        uow=uow,
        clock=clock,
        actor=operator,
        procedure_id=view.id,
        site_no=last,
        reason=SkipReason.INTOLERANCE,
        detail="Asked to stop after a vasovagal episode",
    )
    twice = sedation.record_dose(
        uow=uow,
        clock=clock,
        actor=nurse,
        procedure_id=view.id,
        drug_key="fentanyl",
        amount="25",
        unit_code="ug",
    )
    clock.advance(seconds=20)
    sedation.void_entry(
        uow=uow,
        clock=clock,
        actor=nurse,
        entry_type=SedationEntryType.DOSE,
        entry_id=twice.live_doses[-1].id,
        reason="Charted twice",
    )
    clock.advance(minutes=3)
    sedation.record_dose(
        uow=uow,
        clock=clock,
        actor=nurse,
        procedure_id=view.id,
        drug_key="midazolam",
        amount="0.5",
        unit_code="mg",
        given_at=clock.now() - timedelta(minutes=14),
    )
    adverse_events.record_adverse_event(
        uow=uow,
        clock=clock,
        actor=operator,
        procedure_id=view.id,
        term="Vasovagal reaction",
        onset_at=clock.now() - timedelta(minutes=6),
        first_known_at=clock.now() - timedelta(minutes=5),
        grade=Grade.MODERATE,
        serious=True,
        criteria=[SeriousCriterion.IMPORTANT_MEDICAL_EVENT],
        related_product="unrelated",
        related_procedure="probable",
        related_sedation="possible",
        expectedness="unexpected",
        action_taken=ActionTaken.PROCEDURE_STOPPED,
        outcome=Outcome.RECOVERED,
        resolved_at=clock.now() - timedelta(minutes=1),
        site_nos=(last,),
        description="Heart rate 41/min, pale and sweating; legs raised, recovered",
        reporter_id=nurse.user_id,
    )
    label = next(
        s
        for s in workspace.get_reconciliation(
            uow=uow, actor=operator, procedure_id=view.id
        ).unaccounted
    )
    workspace.record_disposition(
        uow=uow,
        clock=clock,
        actor=operator,
        procedure_id=view.id,
        syringes=[label],
        disposition=SyringeDisposition.WASTED,
        note="Seal broken on opening; discarded",
    )
