"""One view per entry of the nurse's record, built from its row: doses, vital signs,
oxygen, sedation events, recovery scores and adverse events.

Pure conversions of rows already read (names resolved by the caller); the clinical values
(alarms, scales, Aldrete, causality) come from `domain.sedation`. Must not open transactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TypedDict

from slidesk.domain.sedation.adverse_events import (
    ActionTaken,
    CausalityScale,
    Grade,
    Outcome,
    SeriousCriterion,
)
from slidesk.domain.sedation.doses import Dimension, Dose, unit
from slidesk.domain.sedation.events import Intervention, SedationEventKind
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.domain.sedation.recovery import Aldrete
from slidesk.domain.sedation.scales import scale
from slidesk.domain.sedation.vitals import Alarm, AlarmKind, alarms
from slidesk.domain.sedation.vitals import VitalSigns as Vitals
from slidesk.persistence.rows.sedation import (
    AdverseEventRow,
    OxygenRow,
    RecoveryScoreRow,
    SedationDoseRow,
    SedationEventRow,
    VitalSignsRow,
)
from slidesk.protocol.model import Protocol
from slidesk.services.dto import PersonRef
from slidesk.services.sedation.dto import (
    AdverseEventView,
    DoseView,
    OxygenView,
    RecoveryView,
    SedationEventView,
    VitalsView,
)


def person(names: dict[int, str], user_id: int) -> PersonRef:
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
        performer=person(names, row.performer_id),
        recorder=person(names, row.recorder_id),
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
        reporter=person(names, row.performer_id),
        recorder=person(names, row.recorder_id),
        recorded_at=row.recorded_at,
        voided=row.voided,
        void_reason=row.void_reason,
    )
