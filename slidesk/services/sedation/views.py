"""Build the sedation DTOs from rows inside a transaction, and the checks every entry shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypedDict, TypeVar

from slidesk.clock import require_aware
from slidesk.domain.errors import StateError, ValidationError
from slidesk.domain.procedure.amendments import late_entry_time
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.sedation.adverse_events import (
    ActionTaken,
    CausalityScale,
    Grade,
    Outcome,
    SeriousCriterion,
)
from slidesk.domain.sedation.doses import Dimension, Dose, DoseLimits, total, unit
from slidesk.domain.sedation.model import (
    Alarm,
    AlarmKind,
    Aldrete,
    DueState,
    Intervention,
    OxygenDevice,
    SedationEventKind,
    VitalsDue,
    alarms,
    scale,
    vitals_due,
)
from slidesk.domain.sedation.model import VitalSigns as Vitals
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.rows.sedation import (
    AdverseEventRow,
    OxygenRow,
    RecoveryScoreRow,
    SedationDoseRow,
    SedationEventRow,
    SedationRepository,
    VitalSignsRow,
)
from slidesk.persistence.transaction import Transaction
from slidesk.protocol.model import Medication, Protocol
from slidesk.services.dto import PersonRef
from slidesk.services.procedure.views import amendment_opened_at, load_procedure, procedure_protocol
from slidesk.services.sedation.dto import (
    AdverseEventView,
    DoseView,
    DrugTotal,
    LimitState,
    OxygenView,
    RecoveryView,
    SedationEventView,
    SedationRecord,
    VitalsView,
)

EntryRow = TypeVar(
    "EntryRow",
    SedationDoseRow,
    OxygenRow,
    VitalSignsRow,
    SedationEventRow,
    RecoveryScoreRow,
    AdverseEventRow,
)
"""Any kind of entry row of the nurse's record (sedation or adverse event)."""
_View = TypeVar("_View", OxygenView, VitalsView, SedationEventView, RecoveryView)

# A typed event time may lie this far ahead of the clock (clock drift), never more.
FUTURE_TOLERANCE = timedelta(minutes=2)
# Event times this long before the procedure was planned are a typing slip (wrong day).
_BEFORE_PLANNED = timedelta(hours=12)
_EDITABLE = (
    ProcedureStatus.PLANNED,
    ProcedureStatus.IN_PROGRESS,
    ProcedureStatus.COMPLETED,
    ProcedureStatus.AMENDED,
)


def open_for_entry(tx: Transaction, procedure_id: int, action: str) -> ProcedureRow:
    """The procedure, if entries may still be added or changed (not signed)."""
    row = load_procedure(tx, procedure_id)
    status = ProcedureStatus(row.status)
    if status not in _EDITABLE:
        raise StateError(
            f"Cannot {action}: the procedure record is signed. "
            "Open an amendment to add or correct entries."
        )
    return row


def event_time(value: datetime | None, row: ProcedureRow, now: datetime, what: str) -> datetime:
    """A typed (or defaulted) event time: aware, not in the future, not before the day."""
    if value is None:
        return now
    when = require_aware(value, what)
    if when > now + FUTURE_TOLERANCE:
        raise ValidationError(f"{what} lies in the future.")
    if when < row.planned_at - _BEFORE_PLANNED:
        raise ValidationError(f"{what} lies before this procedure was planned; check the date.")
    return when


def bedside_time(tx: Transaction, value: datetime | None, row: ProcedureRow, what: str) -> datetime:
    """The time of a bedside entry (dose, oxygen, vital signs, event, recovery score) added or
    re-timed: as `event_time`, and while an amendment is open the real, typed time of a late
    entry, before the amendment (`domain.amendments`)."""
    opened = amendment_opened_at(tx, row)
    if opened is not None:
        typed = require_aware(value, what) if value is not None else None
        value = late_entry_time(typed, opened_at=opened, what=what)
    return event_time(value, row, tx.now, what)


def limits_of(med: Medication) -> DoseLimits:
    return DoseLimits.from_protocol(
        med.unit, med.single_max, med.cumulative_warning, med.cumulative_max
    )


def limit_state(med: Medication, amount: Dose) -> LimitState:
    limits = limits_of(med)
    if limits.cumulative_max is not None:
        if amount.nano > limits.cumulative_max.nano:
            return LimitState.OVER_MAX
        if amount.nano == limits.cumulative_max.nano:
            return LimitState.AT_MAX
    if limits.cumulative_warning is not None and amount.nano >= limits.cumulative_warning.nano:
        return LimitState.WARNING
    return LimitState.OK


def live_total(
    doses: Sequence[SedationDoseRow], drug_key: str, dimension: Dimension, exclude: int = 0
) -> Dose:
    return total(
        [
            Dose(Dimension(d.dimension), d.amount_nano)
            for d in doses
            if d.drug_key == drug_key and not d.voided and d.id != exclude
        ],
        dimension,
    )


def _person(names: dict[int, str], user_id: int) -> PersonRef:
    return PersonRef(user_id, names.get(user_id, "?"))


class _EntryMeta(TypedDict):
    """The fields every entry view shares: when it was typed, by whom, whether struck out."""

    recorded_at: datetime
    late: bool
    performer: PersonRef
    recorder: PersonRef
    voided: bool
    void_reason: str | None


def _entry_meta(
    row: SedationDoseRow | VitalSignsRow | OxygenRow | SedationEventRow | RecoveryScoreRow,
    names: dict[int, str],
) -> _EntryMeta:
    return _EntryMeta(
        recorded_at=row.recorded_at,
        late=row.late,
        performer=_person(names, row.performer_id),
        recorder=_person(names, row.recorder_id),
        voided=row.voided,
        void_reason=row.void_reason,
    )


def dose_views(rows: Sequence[SedationDoseRow], names: dict[int, str]) -> tuple[DoseView, ...]:
    running: dict[str, int] = {}
    views = []
    for d in sorted(rows, key=lambda r: (r.given_at, r.id)):
        dose = Dose(Dimension(d.dimension), d.amount_nano)
        if not d.voided:
            running[d.drug_key] = running.get(d.drug_key, 0) + d.amount_nano
        cumulative = Dose(dose.dimension, running.get(d.drug_key, 0))
        views.append(
            DoseView(
                id=d.id,
                drug_key=d.drug_key,
                drug_name=d.drug_name,
                drug_kind=d.drug_kind,
                dose=dose,
                unit=d.unit,
                text=dose.text(d.unit),
                entered_text=f"{d.entered_amount} {unit(d.entered_unit).symbol}",
                route=d.route,
                given_at=d.given_at,
                over_single_max=d.over_single_max,
                over_cumulative_max=d.over_cumulative_max,
                cumulative_warning=d.cumulative_warning,
                limit_reason=d.limit_reason,
                cumulative_text=cumulative.text(d.unit),
                **_entry_meta(d, names),
            )
        )
    return tuple(views)


def drug_totals(protocol: Protocol, rows: Sequence[SedationDoseRow]) -> tuple[DrugTotal, ...]:
    """Every protocol drug (given or not), then any 'other' drug that was given."""
    out = []
    for med in protocol.medications:
        dim = unit(med.unit).dimension
        amount = live_total(rows, med.key, dim)
        limits = limits_of(med)
        out.append(
            DrugTotal(
                drug_key=med.key,
                drug_name=med.name,
                kind=med.kind,
                unit=med.unit,
                total=amount,
                total_text=amount.text(med.unit),
                dose_count=sum(1 for d in rows if d.drug_key == med.key and not d.voided),
                increments=med.increments,
                single_max_text=_text(limits.single_max, med.unit),
                warning_text=_text(limits.cumulative_warning, med.unit),
                maximum_text=_text(limits.cumulative_max, med.unit),
                state=limit_state(med, amount),
            )
        )
    others: dict[tuple[str, str], list[SedationDoseRow]] = {}
    for d in rows:
        if d.drug_key == "other" and not d.voided:
            others.setdefault((d.drug_name, d.unit), []).append(d)
    for (name, unit_code), given in others.items():
        amount = total(
            [Dose(Dimension(d.dimension), d.amount_nano) for d in given],
            Dimension(given[0].dimension),
        )
        out.append(
            DrugTotal(
                drug_key="other",
                drug_name=name,
                kind="other",
                unit=unit_code,
                total=amount,
                total_text=amount.text(unit_code),
                dose_count=len(given),
                increments=(),
                single_max_text=None,
                warning_text=None,
                maximum_text=None,
                state=LimitState.OK,
            )
        )
    return tuple(out)


def _text(dose: Dose | None, unit: str) -> str | None:
    return None if dose is None else dose.text(unit)


def vitals_signs(row: VitalSignsRow) -> Vitals:
    return Vitals(
        hr=row.hr,
        systolic=row.systolic,
        diastolic=row.diastolic,
        spo2=row.spo2,
        rr=row.rr,
        etco2=row.etco2,
        temp_dc=row.temp_dc,
        sedation_scale=row.sedation_scale,
        sedation_score=row.sedation_score,
    )


def vitals_view(row: VitalSignsRow, protocol: Protocol, names: dict[int, str]) -> VitalsView:
    signs = vitals_signs(row)
    # The stored alarm kinds are what was flagged at entry; the texts are rebuilt from values.
    stored = {AlarmKind(k) for k in row.alarms.split(",") if k}
    found: tuple[Alarm, ...] = tuple(
        a for a in alarms(signs, protocol.sedation.alarms) if a.kind in stored
    )
    return VitalsView(
        id=row.id,
        measured_at=row.measured_at,
        hr=row.hr,
        systolic=row.systolic,
        diastolic=row.diastolic,
        mean_arterial=signs.mean_arterial,
        spo2=row.spo2,
        rr=row.rr,
        etco2=row.etco2,
        temp_c=signs.temp_c,
        sedation_scale=row.sedation_scale,
        sedation_score=row.sedation_score,
        sedation_label=(
            scale(row.sedation_scale).label(row.sedation_score)
            if row.sedation_scale and row.sedation_score is not None
            else ""
        ),
        baseline=row.baseline,
        alarms=found,
        note=row.note,
        **_entry_meta(row, names),
    )


def oxygen_view(row: OxygenRow, names: dict[int, str]) -> OxygenView:
    device = OxygenDevice(row.device)
    flow = (Decimal(row.flow_ml_min) / 1000).normalize() if row.flow_ml_min else Decimal(0)
    text = device.label if device is OxygenDevice.ROOM_AIR else f"{flow:f} L/min, {device.label}"
    return OxygenView(
        id=row.id,
        started_at=row.started_at,
        device=device,
        flow_l_min=flow,
        text=text,
        **_entry_meta(row, names),
    )


def event_view(row: SedationEventRow, names: dict[int, str]) -> SedationEventView:
    return SedationEventView(
        id=row.id,
        occurred_at=row.occurred_at,
        kind=SedationEventKind(row.kind),
        interventions=tuple(Intervention(i) for i in row.interventions.split(",") if i),
        description=row.description,
        outcome=row.outcome,
        dose_id=row.dose_id,
        **_entry_meta(row, names),
    )


def recovery_view(row: RecoveryScoreRow, threshold: int, names: dict[int, str]) -> RecoveryView:
    scores = Aldrete(row.activity, row.respiration, row.circulation, row.consciousness, row.spo2)
    return RecoveryView(
        id=row.id,
        assessed_at=row.assessed_at,
        scores=scores,
        total=scores.total,
        meets_threshold=scores.meets(threshold),
        note=row.note,
        **_entry_meta(row, names),
    )


def causality_scale(protocol: Protocol) -> CausalityScale:
    spec = protocol.adverse_events
    return CausalityScale(spec.relatedness, spec.related_from)


def adverse_event_view(
    row: AdverseEventRow, protocol: Protocol, names: dict[int, str]
) -> AdverseEventView:
    causality = causality_scale(protocol)
    related = (row.related_product, row.related_procedure, row.related_sedation)
    return AdverseEventView(
        id=row.id,
        procedure_id=row.procedure_id,
        subject_id=row.subject_id,
        onset_at=row.onset_at,
        first_known_at=row.first_known_at,
        term=row.term,
        description=row.description,
        site_nos=tuple(int(n) for n in row.site_nos.split(",") if n),
        grade=Grade(row.grade),
        serious=row.serious,
        criteria=tuple(SeriousCriterion(c) for c in row.serious_criteria.split(",") if c),
        related_product=row.related_product,
        related_procedure=row.related_procedure,
        related_sedation=row.related_sedation,
        related_any=any(v in causality.levels and causality.is_related(v) for v in related),
        expectedness=row.expectedness,
        action_taken=ActionTaken(row.action_taken),
        outcome=Outcome(row.outcome),
        resolved_at=row.resolved_at,
        sae_due_at=row.sae_due_at,
        reporter=_person(names, row.performer_id),
        recorder=_person(names, row.recorder_id),
        recorded_at=row.recorded_at,
        voided=row.voided,
        void_reason=row.void_reason,
    )


def sedation_record(
    tx: Transaction, row: ProcedureRow, now: datetime, saved_at: datetime | None = None
) -> SedationRecord:
    protocol = procedure_protocol(tx, row)
    repo = tx.repo(SedationRepository)
    names = tx.users.names()
    subject = tx.subjects.get(row.subject_id)
    dose_rows = repo.for_procedure(SedationDoseRow, row.id)
    doses = dose_views(dose_rows, names)
    threshold = protocol.sedation.discharge_aldrete_min
    live_given = [d.given_at for d in doses if not d.voided]

    def rows(cls: type[EntryRow]) -> Sequence[EntryRow]:
        return repo.for_procedure(cls, row.id)

    record = SedationRecord(
        procedure_id=row.id,
        study_id=subject.study_id if subject else "?",
        status=ProcedureStatus(row.status),
        editable=ProcedureStatus(row.status) in _EDITABLE,
        nurse=_person(names, row.nurse_id),
        scale=protocol.sedation.scale,
        vitals_interval_minutes=protocol.sedation.vitals_interval_minutes,
        discharge_aldrete_min=threshold,
        alarm_limits=protocol.sedation.alarms,
        doses=doses,
        totals=drug_totals(protocol, dose_rows),
        oxygen=_in_time_order(
            (oxygen_view(o, names) for o in rows(OxygenRow)), lambda o: o.started_at
        ),
        vitals=_in_time_order(
            (vitals_view(v, protocol, names) for v in rows(VitalSignsRow)), lambda v: v.measured_at
        ),
        events=_in_time_order(
            (event_view(e, names) for e in rows(SedationEventRow)), lambda e: e.occurred_at
        ),
        recovery=_in_time_order(
            (recovery_view(r, threshold, names) for r in rows(RecoveryScoreRow)),
            lambda r: r.assessed_at,
        ),
        adverse_events=tuple(adverse_event_view(a, protocol, names) for a in rows(AdverseEventRow)),
        due=VitalsDue(DueState.STOPPED, None),
        first_dose_at=min(live_given, default=None),
        last_dose_at=max(live_given, default=None),
        saved_at=saved_at,
        started_at=row.started_at,
    )
    return _with_due(record, now)


def _in_time_order(views: Iterable[_View], at: Callable[[_View], datetime]) -> tuple[_View, ...]:
    """Views in the order things happened; the id (entry order) breaks a tie."""
    return tuple(sorted(views, key=lambda v: (at(v), v.id)))


def _with_due(record: SedationRecord, now: datetime) -> SedationRecord:
    return replace(record, due=compute_due(record, now))


def compute_due(record: SedationRecord, now: datetime) -> VitalsDue:
    """When the next vital signs are due (baseline, then every interval while monitoring)."""
    live = record.live_vitals
    last = max((v.measured_at for v in live), default=None)
    sedating = record.first_dose_at is not None or record.status in (
        ProcedureStatus.IN_PROGRESS,
        ProcedureStatus.COMPLETED,
        ProcedureStatus.AMENDED,
    )
    # A signed record, amended or not, is of a patient no longer monitored: nothing is due.
    closed = record.status in (ProcedureStatus.SIGNED, ProcedureStatus.AMENDED)
    monitoring = not closed and not record.discharge_met
    if monitoring and last is not None and not sedating:
        return VitalsDue(DueState.NOT_DUE, None)  # baseline taken; the clock starts with sedation
    return vitals_due(
        last_vitals_at=last,
        interval_minutes=record.vitals_interval_minutes,
        now=now,
        monitoring=monitoring,
    )
