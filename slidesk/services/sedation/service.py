"""The medication log: preview, record, correct and void doses; oxygen; read the nurse's record.

Dose safety is protocol data (`[[medications]]`): a dose typed in another unit than the drug
is charted in must be confirmed as converted (the service refuses it otherwise); a single dose
above `single_max` and a total above `cumulative_max` need a reason, kept with the dose and in
the audit trail. Only a person with RECORD_SEDATION (the sedation nurse) records here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from slidesk.clock import Clock
from slidesk.domain.errors import ReasonRequired, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.sedation.charting import OTHER
from slidesk.domain.sedation.charting import route as charted_route
from slidesk.domain.sedation.oxygen import OxygenDevice, oxygen_setting
from slidesk.domain.sedation.timing import VitalsDue, is_late
from slidesk.domain.users import Actor, Permission, Role, parse_roles
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.rows.sedation import (
    OxygenRow,
    RecoveryScoreRow,
    SedationDoseRow,
    SedationEventRow,
    SedationRepository,
    VitalSignsRow,
)
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.procedure.views import load_procedure, procedure_protocol
from slidesk.services.sedation import entries as entries
from slidesk.services.sedation.bedside import bedside_time, open_for_entry
from slidesk.services.sedation.dose_preview import dose_values, drug_kind, preview_in
from slidesk.services.sedation.dto import DosePreview, SedationEntryType, SedationRecord
from slidesk.services.sedation.views import compute_due, sedation_record

_ENTRY_ROWS: dict[SedationEntryType, type] = {
    SedationEntryType.DOSE: SedationDoseRow,
    SedationEntryType.OXYGEN: OxygenRow,
    SedationEntryType.VITALS: VitalSignsRow,
    SedationEntryType.EVENT: SedationEventRow,
    SedationEntryType.RECOVERY: RecoveryScoreRow,
}


class DoseConfirmationRequired(ValidationError):
    """The dose was typed in another unit: show `preview.text` back and confirm it."""

    def __init__(self, message: str, preview: DosePreview) -> None:
        super().__init__(message)
        self.preview = preview


class DoseReasonRequired(ReasonRequired):
    """The dose exceeds a protocol limit: a reason is needed (`preview` says which)."""

    def __init__(self, message: str, preview: DosePreview) -> None:
        super().__init__(message)
        self.preview = preview


@boundary
def get_sedation(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, procedure_id: int
) -> SedationRecord:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        return sedation_record(tx, load_procedure(tx, procedure_id), clock.now())


@boundary
def has_vital_signs(*, uow: UnitOfWork, actor: Actor, procedure_id: int) -> bool:
    """Whether any (not withdrawn) vital signs are charted: the bedside's baseline reminder."""
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        rows = tx.repo(SedationRepository).for_procedure(VitalSignsRow, procedure_id)
        return any(not row.voided for row in rows)


def record_gaps(record: SedationRecord) -> tuple[str, ...]:
    """What a finished procedure's sedation record lacks, worded for the review before
    completing (the protocol gives IV fentanyl and monitors vital signs and sedation depth)."""
    gaps = []
    vitals = record.live_vitals
    if not vitals:
        gaps.append("no vital signs recorded")
    elif not any(v.sedation_score is not None for v in vitals):
        gaps.append(f"no sedation score ({record.scale}) recorded")
    if not any(d.drug_kind == "analgesic" for d in record.live_doses):
        gaps.append("no analgesia charted")
    return tuple(gaps)


@boundary
def vitals_due(*, record: SedationRecord, now: datetime) -> VitalsDue:
    """Whether vital signs are due now, from a record already read (no database: for timers)."""
    return compute_due(record, now)


@boundary
def preview_dose(
    *,
    uow: UnitOfWork,
    actor: Actor,
    procedure_id: int,
    drug_key: str,
    amount: str | Decimal,
    unit_code: str,
    other_name: str | None = None,
    exclude_dose_id: int = 0,
) -> DosePreview:
    """The dose as it would be charted and what it does to the totals; writes nothing."""
    actor.require(Permission.RECORD_SEDATION)
    with uow.read() as tx:
        row = load_procedure(tx, procedure_id)
        return preview_in(tx, row, drug_key, amount, unit_code, other_name, exclude_dose_id)


@boundary
def record_dose(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    drug_key: str,
    amount: str | Decimal,
    unit_code: str,
    route: str = "IV",
    given_at: datetime | None = None,
    other_name: str | None = None,
    confirmed_nano: int | None = None,
    limit_reason: str | None = None,
    given_by_id: int | None = None,
) -> SedationRecord:
    """Chart one dose. `confirmed_nano` is the previewed amount the nurse confirmed (needed
    when the unit was converted); `limit_reason` when a protocol limit is exceeded."""
    actor.require(Permission.RECORD_SEDATION)
    reason = free_text(limit_reason, "Reason for exceeding the limit")
    how = charted_route(route)
    with uow.begin(actor=actor, clock=clock, role=Role.NURSE) as tx:
        row = open_for_entry(tx, procedure_id, "record a dose")
        preview = preview_in(tx, row, drug_key, amount, unit_code, other_name, 0)
        _require_confirmed(preview, confirmed_nano, reason)
        when = bedside_time(tx, given_at, row, "The time the dose was given")
        dose = SedationDoseRow(
            given_at=when,
            drug_key=preview.drug_key,
            drug_name=preview.drug_name,
            drug_kind=drug_kind(procedure_protocol(tx, row), preview.drug_key),
            dimension=preview.dose.dimension.value,
            unit=preview.unit,
            route=how,
            **dose_values(preview, amount, unit_code, reason),
            **entries.stamp(tx, row, actor, when, _performer(tx, row, given_by_id)),
        )
        entries.add_entry(tx, row, dose, AuditEvent.SEDATION_DOSE)
        if preview.over_cumulative_max:
            # The override of a hard stop is an event of its own in the trail, with its reason.
            tx.event(
                event_type=AuditEvent.SEDATION_LIMIT_OVERRIDE,
                details={"drug": preview.drug_key, "total": preview.after_text},
                entity="sedation_doses",
                procedure_id=row.id,
                subject_id=row.subject_id,
                reason=reason,
            )
        return entries.saved_record(tx, row)


@boundary
def correct_dose(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    dose_id: int,
    reason: str,
    amount: str | Decimal | None = None,
    unit_code: str | None = None,
    given_at: datetime | None = None,
    route: str | None = None,
    confirmed_nano: int | None = None,
    limit_reason: str | None = None,
) -> SedationRecord:
    """Change a charted dose; old and new values and the reason go to the audit trail."""
    actor.require(Permission.RECORD_SEDATION)
    why = free_text(reason, "Correction reason", required=True) or ""
    over_reason = free_text(limit_reason, "Reason for exceeding the limit")
    with uow.begin(actor=actor, clock=clock, role=Role.NURSE) as tx:
        dose = entries.live_entry(
            tx, SedationDoseRow, dose_id, f"Dose {dose_id} does not exist or was struck out."
        )
        row = open_for_entry(tx, dose.procedure_id, "correct a dose")
        values: dict[str, object] = {}
        if amount is not None or unit_code is not None:
            typed = amount if amount is not None else dose.entered_amount
            code = unit_code or dose.entered_unit
            other = dose.drug_name if dose.drug_key == OTHER else None
            preview = preview_in(tx, row, dose.drug_key, typed, code, other, dose.id)
            _require_confirmed(preview, confirmed_nano, over_reason)
            values.update(dose_values(preview, typed, code, over_reason))
        if given_at is not None:
            when = bedside_time(tx, given_at, row, "The time the dose was given")
            values.update(given_at=when, late=is_late(when, dose.recorded_at))
        if route is not None:
            values["route"] = charted_route(route)
        if not entries.change_entry(
            tx, row, dose, AuditEvent.SEDATION_DOSE_CORRECTED, why, **values
        ):
            raise ValidationError("Nothing was changed.")
        return entries.saved_record(tx, row)


@boundary
def record_oxygen(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    device: OxygenDevice | str,
    flow_l_min: str | Decimal | int = "0",
    started_at: datetime | None = None,
) -> SedationRecord:
    """Oxygen started or changed (device and flow); room air, or a flow of 0, records that
    it was stopped (charted as room air, audited like any oxygen entry).

    `device` is the enum or its value (a screen's list hands back text); anything else, and
    a flow that is not a possible number, is refused before anything is written.
    """
    actor.require(Permission.RECORD_SEDATION)
    chosen, flow = oxygen_setting(device, flow_l_min)  # a flow of 0 is the oxygen stopped
    with uow.begin(actor=actor, clock=clock, role=Role.NURSE) as tx:
        row = open_for_entry(tx, procedure_id, "record oxygen")
        when = bedside_time(tx, started_at, row, "The oxygen time")
        entry = OxygenRow(
            started_at=when,
            device=chosen.value,
            flow_ml_min=flow,
            **entries.stamp(tx, row, actor, when),
        )
        entries.add_entry(tx, row, entry, AuditEvent.SEDATION_OXYGEN)
        return entries.saved_record(tx, row)


@boundary
def void_entry(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    entry_type: SedationEntryType,
    entry_id: int,
    reason: str,
) -> SedationRecord:
    """Strike out a mistaken entry with a reason (it stays in the record, marked void)."""
    actor.require(Permission.RECORD_SEDATION)
    why = free_text(reason, "Reason", required=True) or ""
    with uow.begin(actor=actor, clock=clock, role=Role.NURSE) as tx:
        entry = entries.live_entry(
            tx,
            _ENTRY_ROWS[entry_type],
            entry_id,
            f"That {entry_type.value} entry does not exist or was struck out.",
        )
        row = open_for_entry(tx, entry.procedure_id, f"strike out a {entry_type.value} entry")
        entries.change_entry(
            tx,
            row,
            entry,
            AuditEvent(f"sedation.{entry_type.value}_voided"),
            why,
            voided=True,
            void_reason=why,
        )
        return entries.saved_record(tx, row)


def _require_confirmed(
    preview: DosePreview, confirmed_nano: int | None, reason: str | None
) -> None:
    if preview.unit_converted and confirmed_nano != preview.dose.nano:
        raise DoseConfirmationRequired(
            f"{preview.drug_name}: typed {preview.entered_text}, which is {preview.text}. "
            "Confirm the converted dose before it is charted.",
            preview,
        )
    if preview.needs_reason and not reason:
        raise DoseReasonRequired(
            " ".join(m for m in preview.messages if "Confirm" not in m) + " A reason is required.",
            preview,
        )


def _performer(tx: Transaction, row: ProcedureRow, given_by_id: int | None) -> int:
    """The nurse who gave the dose: the procedure's sedation nurse unless another is named."""
    if given_by_id is None or given_by_id == row.nurse_id:
        return row.nurse_id
    user = tx.users.get(given_by_id)
    if user is None or not user.active or Role.NURSE not in parse_roles(user.roles):
        raise ValidationError("The person who gave the dose must be an active sedation nurse.")
    return user.id
