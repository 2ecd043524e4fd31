"""A procedure with at least one of every kind of entry the record holds, through the services.

Used by the record-completeness and report tests, and (run against an older release) to make
the schema-1 database fixture. Every entry goes through the public services as at the bedside,
at its own moment on the test clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from slidesk.domain.procedure.model import SkipReason
from slidesk.domain.procedure.syringe import SyringeDisposition
from slidesk.domain.sedation.adverse_events import ActionTaken, Grade, Outcome, SeriousCriterion
from slidesk.domain.sedation.events import Intervention, SedationEventKind
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.domain.sedation.recovery import Aldrete
from slidesk.domain.values import Limb
from slidesk.services.procedure import completion, corrections, planning, site_entries, workspace
from slidesk.services.procedure import service as procedures
from slidesk.services.sedation import adverse_events
from slidesk.services.sedation import monitoring as monitoring
from slidesk.services.sedation import service as sedation
from slidesk.services.sedation.dto import SedationEntryType

# Sites with something special (in the SAIL order 1, 2, 9, 10, 3, 4, 11, 12, 5, …).
RELOCATED_SITE = 9
FLAGGED_SITE = 3
SHALLOW_SITE = 23
SKIPPED_SITE = 18
SKIPPED_OTHER_SITE = 25
UNDONE_SITE = 4
CORRECTED_SITE = 11
RELOCATED_TO = (Decimal("0.5812"), Decimal("0.2790"))


@dataclass(frozen=True)
class EveryKind:
    procedure_id: int
    subject_id: int


def every_kind_procedure(team, *, study_id: str = "SAIL-01-042", kit: str = "SAIL-K042"):
    """Plan, baseline, time-out, start, 30 sites with every kind of site entry, the nurse's
    record (doses, oxygen, vitals, events, recovery), findings, adverse events, syringe
    reconciliation; completed, not signed. Returns EveryKind."""
    u, c, op, nurse = team.uow, team.clock, team.operator, team.nurse
    subject_id = team.subject(study_id, Limb.RIGHT)
    planned = planning.plan_procedure(
        uow=u,
        clock=c,
        actor=op,
        subject_id=subject_id,
        kit_number=kit,
        operator_id=op.user_id,
        nurse_id=nurse.user_id,
        location="Angio suite 3",
        product_release_at=c.now() - timedelta(minutes=25),
    )
    pid = planned.id

    def vitals(**values: object) -> None:
        monitoring.record_vitals(uow=u, clock=c, actor=nurse, procedure_id=pid, **values)

    def dose(drug: str, amount: str, unit: str, **values: object):
        preview = sedation.preview_dose(
            uow=u, actor=nurse, procedure_id=pid, drug_key=drug, amount=amount, unit_code=unit
        )
        return sedation.record_dose(
            uow=u,
            clock=c,
            actor=nurse,
            procedure_id=pid,
            drug_key=drug,
            amount=amount,
            unit_code=unit,
            confirmed_nano=preview.dose.nano,
            **values,
        )

    c.advance(minutes=2)
    vitals(
        hr=81,
        systolic=151,
        diastolic=87,
        spo2=98,
        rr=15,
        etco2=36,
        temp_c="36.7",
        sedation_score=5,
        note="Baseline before sedation, patient calm",
    )
    c.advance(minutes=1)
    team.tick_checklist(pid)
    c.advance(minutes=1)
    view = planning.start_procedure(uow=u, clock=c, actor=op, procedure_id=pid)
    c.advance(seconds=30)
    sedation.record_oxygen(
        uow=u,
        clock=c,
        actor=nurse,
        procedure_id=pid,
        device=OxygenDevice.NASAL_CANNULA,
        flow_l_min="2",
    )
    c.advance(seconds=30)
    dose("fentanyl", "50", "ug")
    c.advance(seconds=40)
    dose("midazolam", "1", "mg")
    c.advance(minutes=1)
    vitals(hr=74, systolic=138, diastolic=80, spo2=97, rr=14, sedation_score=4)

    syringe = 0
    order = [s.number for s in view.sites]
    for number in order:
        c.advance(seconds=50)
        if number == SKIPPED_SITE:
            site_entries.skip_site(
                uow=u,
                clock=c,
                actor=op,
                procedure_id=pid,
                site_no=number,
                reason=SkipReason.ULCER,
                detail="Small ulcer over the planned site",
            )
            continue
        if number == SKIPPED_OTHER_SITE:
            site_entries.skip_site(
                uow=u,
                clock=c,
                actor=op,
                procedure_id=pid,
                site_no=number,
                reason=SkipReason.OTHER,
                detail="Superficial vein over the planned site",
            )
            continue
        syringe += 1
        extra: dict[str, object] = {}
        if number == SHALLOW_SITE:
            extra = {"depth_mm": "8", "deviation_reason": "Thin muscle layer over the tibia"}
        if number == RELOCATED_SITE:
            extra = {
                "actual_position": RELOCATED_TO,
                "deviation_reason": "Scar tissue at the planned point; moved 1 cm laterally",
            }
        site_entries.record_injection(
            uow=u,
            clock=c,
            actor=op,
            procedure_id=pid,
            site_no=number,
            depth_mm=extra.pop("depth_mm", "12.5"),
            volume_ml="1.0",
            syringe=str(syringe),
            **extra,  # type: ignore[arg-type]
        )
        if number == UNDONE_SITE:
            c.advance(seconds=15)
            corrections.undo_last(
                uow=u,
                clock=c,
                actor=op,
                procedure_id=pid,
                reason="Recorded on the wrong site; needle not yet in",
            )
            c.advance(seconds=30)
            site_entries.record_injection(
                uow=u,
                clock=c,
                actor=op,
                procedure_id=pid,
                site_no=number,
                depth_mm="12",
                volume_ml="1.0",
                syringe=str(syringe),
            )
        if number == FLAGGED_SITE:
            c.advance(seconds=10)
            workspace.flag_site(
                uow=u,
                clock=c,
                actor=op,
                procedure_id=pid,
                site_no=number,
                flag="pain reaction",
                note="Withdrew the leg on injection",
            )
            flagged = workspace.flag_site(
                uow=u,
                clock=c,
                actor=op,
                procedure_id=pid,
                site_no=number,
                flag="bleeding",
            )
            workspace.void_flag(
                uow=u,
                clock=c,
                actor=op,
                flag_id=flagged.id,
                reason="Tapped by mistake: no bleeding",
            )
        if number == 10:
            c.advance(seconds=20)
            vitals(hr=70, systolic=129, diastolic=76, spo2=96, rr=13, sedation_score=3)
        if number == 11:
            c.advance(seconds=10)
            record = dose("fentanyl", "0.025", "mg")
            c.advance(seconds=20)
            monitoring.record_sedation_event(
                uow=u,
                clock=c,
                actor=nurse,
                procedure_id=pid,
                kind=SedationEventKind.DESATURATION,
                interventions=[Intervention.CHIN_LIFT, Intervention.OXYGEN_INCREASED],
                description="SpO2 88 % after the fentanyl, snoring",
                outcome="SpO2 95 % within a minute; continued",
                dose_id=record.live_doses[-1].id,
            )
            sedation.record_oxygen(
                uow=u,
                clock=c,
                actor=nurse,
                procedure_id=pid,
                device=OxygenDevice.FACE_MASK,
                flow_l_min="6",
            )
            vitals(
                hr=66,
                systolic=121,
                diastolic=71,
                spo2=88,
                rr=9,
                sedation_score=2,
                note="Desaturation, chin lift",
            )
        if number == 5:
            c.advance(seconds=10)
            wrong = dose("midazolam", "0.5", "mg")
            sedation.void_entry(
                uow=u,
                clock=c,
                actor=nurse,
                entry_type=SedationEntryType.DOSE,
                entry_id=wrong.live_doses[-1].id,
                reason="Charted twice",
            )
            c.advance(seconds=10)
            dose("midazolam", "1.5", "mg", limit_reason="Operator asked for more sedation: pain")
        if number == 14:
            # Given ten minutes ago and charted only now: a late entry.
            dose("fentanyl", "25", "ug", given_at=c.now() - timedelta(minutes=12))
            c.advance(seconds=5)
            vitals(hr=72, systolic=127, diastolic=75, spo2=96, rr=13, sedation_score=3)
        if number == 17:
            adverse_events.record_adverse_event(
                uow=u,
                clock=c,
                actor=op,
                procedure_id=pid,
                term="Injection-site pain",
                onset_at=c.now() - timedelta(minutes=9),
                grade=Grade.MILD,
                related_product="unlikely",
                related_procedure="probable",
                related_sedation="unrelated",
                expectedness="expected",
                action_taken=ActionTaken.LOCAL_TREATMENT,
                outcome=Outcome.RECOVERING,
                site_nos=(FLAGGED_SITE,),
                description="Sharp pain at the site, settled",
            )
        if number == 27:
            adverse_events.record_adverse_event(
                uow=u,
                clock=c,
                actor=op,
                procedure_id=pid,
                term="Vasovagal reaction",
                onset_at=c.now() - timedelta(minutes=4),
                first_known_at=c.now() - timedelta(minutes=2),
                grade=Grade.SEVERE,
                serious=True,
                criteria=[SeriousCriterion.IMPORTANT_MEDICAL_EVENT],
                related_product="unrelated",
                related_procedure="possible",
                related_sedation="probable",
                expectedness="unexpected",
                action_taken=ActionTaken.PROCEDURE_INTERRUPTED,
                outcome=Outcome.RECOVERED,
                resolved_at=c.now() - timedelta(minutes=1),
                site_nos=(26, 27),
                description="Bradycardia 42/min and pallor; legs raised, atropine",
                reporter_id=nurse.user_id,
            )
    c.advance(minutes=1)
    entry = next(
        e
        for e in procedures.get_procedure(uow=u, actor=op, procedure_id=pid).entries
        if e.site_no == CORRECTED_SITE and not e.voided
    )
    corrections.correct_entry(
        uow=u,
        clock=c,
        actor=op,
        entry_id=entry.id,
        depth_mm="13",
        reason="Depth read again from the needle marks",
    )
    c.advance(minutes=1)
    vitals(hr=75, systolic=132, diastolic=78, spo2=97, rr=14, sedation_score=4)
    unused = workspace.get_reconciliation(uow=u, actor=op, procedure_id=pid).unaccounted
    workspace.record_disposition(
        uow=u,
        clock=c,
        actor=op,
        procedure_id=pid,
        syringes=[unused[0]],
        disposition=SyringeDisposition.RETURNED,
        note="Returned sealed to the trial pharmacy",
    )
    workspace.record_disposition(
        uow=u,
        clock=c,
        actor=op,
        procedure_id=pid,
        syringes=[unused[1]],
        disposition=SyringeDisposition.WASTED,
        note="Dropped on the floor, seal broken",
    )
    c.advance(minutes=1)
    monitoring.record_recovery(
        uow=u,
        clock=c,
        actor=nurse,
        procedure_id=pid,
        scores=Aldrete(2, 1, 2, 1, 1),  # still on the face mask: SpO2 needs O2
        note="Still drowsy",
    )
    c.advance(minutes=4)
    vitals(hr=77, systolic=135, diastolic=79, spo2=96, rr=15, sedation_score=5)
    sedation.record_oxygen(
        uow=u,
        clock=c,
        actor=nurse,
        procedure_id=pid,
        device=OxygenDevice.ROOM_AIR,
    )
    c.advance(minutes=1)
    monitoring.record_recovery(
        uow=u,
        clock=c,
        actor=nurse,
        procedure_id=pid,
        scores=Aldrete(2, 2, 2, 2, 2),
    )
    c.advance(minutes=1)
    completion.complete_procedure(uow=u, clock=c, actor=op, procedure_id=pid)
    return EveryKind(pid, subject_id)
