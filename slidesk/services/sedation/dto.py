"""What the sedation, adverse-event and timeline services return: plain frozen snapshots.

These are also the input of the report's sedation section, so they carry everything a report
needs (names, texts in the charted unit, per-drug totals, flags), never ORM rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.sedation.adverse_events import ActionTaken, Grade, Outcome, SeriousCriterion
from slidesk.domain.sedation.doses import Dose, LimitState, bolus_needs_confirmation
from slidesk.domain.sedation.events import Intervention, SedationEventKind
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.domain.sedation.recovery import Aldrete
from slidesk.domain.sedation.timing import VitalsDue
from slidesk.domain.sedation.vitals import Alarm, VitalAlarmLimits
from slidesk.services.dto import PersonRef


class SedationEntryType(StrEnum):
    """The kinds of nurse entries that can be voided or corrected."""

    DOSE = "dose"
    OXYGEN = "oxygen"
    VITALS = "vitals"
    EVENT = "event"
    RECOVERY = "recovery"


@dataclass(frozen=True, slots=True)
class DoseView:
    id: int
    drug_key: str
    drug_name: str
    drug_kind: str
    dose: Dose
    unit: str
    text: str  # in the charted unit: "50 µg"
    entered_text: str  # as typed: "0.05 mg"
    route: str
    given_at: datetime
    recorded_at: datetime
    late: bool
    performer: PersonRef
    recorder: PersonRef
    over_single_max: bool
    over_cumulative_max: bool
    cumulative_warning: bool
    limit_reason: str | None
    cumulative_text: str  # the drug's running total after this dose (live doses only)
    voided: bool
    void_reason: str | None

    @property
    def is_reversal(self) -> bool:
        return self.drug_kind == "reversal"


@dataclass(frozen=True, slots=True)
class DrugTotal:
    """One drug's cumulative total against the protocol's limits."""

    drug_key: str
    drug_name: str
    kind: str
    unit: str
    total: Dose
    total_text: str
    dose_count: int
    increments: tuple[Decimal, ...]
    single_max_text: str | None
    warning_text: str | None
    maximum_text: str | None
    state: LimitState

    @property
    def confirm_each_bolus(self) -> bool:
        """A sedative or an opioid: every bolus is shown back before it is charted."""
        return bolus_needs_confirmation(self.kind)


@dataclass(frozen=True, slots=True)
class DosePreview:
    """A dose as it would be charted, before the nurse confirms it."""

    drug_key: str
    drug_name: str
    dose: Dose
    unit: str
    text: str
    entered_text: str
    unit_converted: bool  # typed in another unit than the drug is charted in: confirm it
    before_text: str
    after_text: str
    over_single_max: bool
    at_or_over_warning: bool
    over_cumulative_max: bool
    messages: tuple[str, ...]

    @property
    def needs_reason(self) -> bool:
        return self.over_single_max or self.over_cumulative_max

    @property
    def needs_confirmation(self) -> bool:
        return self.unit_converted or self.needs_reason or self.at_or_over_warning


@dataclass(frozen=True, slots=True)
class OxygenView:
    id: int
    started_at: datetime
    device: OxygenDevice
    flow_l_min: Decimal
    text: str
    recorded_at: datetime
    late: bool
    performer: PersonRef
    recorder: PersonRef
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class VitalsView:
    id: int
    measured_at: datetime
    recorded_at: datetime
    late: bool
    hr: int | None
    systolic: int | None
    diastolic: int | None
    mean_arterial: int | None
    spo2: int | None
    rr: int | None
    etco2: int | None
    temp_c: Decimal | None
    sedation_scale: str | None
    sedation_score: int | None
    sedation_label: str
    baseline: bool
    alarms: tuple[Alarm, ...]
    note: str | None
    performer: PersonRef
    recorder: PersonRef
    voided: bool
    void_reason: str | None

    @property
    def bp_text(self) -> str:
        return "" if self.systolic is None else f"{self.systolic}/{self.diastolic}"

    def alarmed(self, field: str) -> bool:
        return any(a.field == field for a in self.alarms)


@dataclass(frozen=True, slots=True)
class SedationEventView:
    id: int
    occurred_at: datetime
    kind: SedationEventKind
    interventions: tuple[Intervention, ...]
    description: str | None
    outcome: str | None
    dose_id: int | None
    recorded_at: datetime
    late: bool
    performer: PersonRef
    recorder: PersonRef
    voided: bool
    void_reason: str | None

    @property
    def summary(self) -> str:
        parts = [self.kind.label]
        if self.interventions:
            parts.append("→ " + ", ".join(i.label.lower() for i in self.interventions))
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class RecoveryView:
    id: int
    assessed_at: datetime
    scores: Aldrete
    total: int
    meets_threshold: bool
    note: str | None
    recorded_at: datetime
    late: bool
    performer: PersonRef
    recorder: PersonRef
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class AdverseEventView:
    id: int
    procedure_id: int
    subject_id: int
    onset_at: datetime
    first_known_at: datetime
    term: str
    description: str | None
    site_nos: tuple[int, ...]
    grade: Grade
    serious: bool
    criteria: tuple[SeriousCriterion, ...]
    related_product: str
    related_procedure: str
    related_sedation: str
    related_any: bool  # a reasonable possibility of a causal link to any of the three
    expectedness: str
    action_taken: ActionTaken
    outcome: Outcome
    resolved_at: datetime | None
    sae_due_at: datetime | None
    reporter: PersonRef
    recorder: PersonRef
    recorded_at: datetime
    voided: bool
    void_reason: str | None

    def sae_overdue(self, now: datetime) -> bool:
        return self.sae_due_at is not None and now > self.sae_due_at


@dataclass(frozen=True, slots=True)
class SedationRecord:
    """The nurse's whole record of one procedure, as of its last commit."""

    procedure_id: int
    study_id: str
    status: ProcedureStatus
    editable: bool
    nurse: PersonRef
    scale: str
    vitals_interval_minutes: int
    discharge_aldrete_min: int
    alarm_limits: VitalAlarmLimits
    doses: tuple[DoseView, ...]
    totals: tuple[DrugTotal, ...]
    oxygen: tuple[OxygenView, ...]
    vitals: tuple[VitalsView, ...]
    events: tuple[SedationEventView, ...]
    recovery: tuple[RecoveryView, ...]
    adverse_events: tuple[AdverseEventView, ...]
    due: VitalsDue
    first_dose_at: datetime | None
    last_dose_at: datetime | None
    saved_at: datetime | None
    # When the procedure started: the day a late entry of an amendment is typed on.
    started_at: datetime | None = None

    @property
    def amending(self) -> bool:
        """An amendment is open: a new entry is a late entry with its real, typed time."""
        return self.status is ProcedureStatus.AMENDED

    @property
    def live_doses(self) -> tuple[DoseView, ...]:
        return tuple(d for d in self.doses if not d.voided)

    @property
    def live_vitals(self) -> tuple[VitalsView, ...]:
        return tuple(v for v in self.vitals if not v.voided)

    @property
    def current_oxygen(self) -> OxygenView | None:
        live = [o for o in self.oxygen if not o.voided]
        return max(live, key=lambda o: (o.started_at, o.id)) if live else None

    @property
    def latest_recovery(self) -> RecoveryView | None:
        live = [r for r in self.recovery if not r.voided]
        return max(live, key=lambda r: (r.assessed_at, r.id)) if live else None

    @property
    def discharge_met(self) -> bool:
        latest = self.latest_recovery
        return latest is not None and latest.meets_threshold

    def total(self, drug_key: str) -> DrugTotal | None:
        return next((t for t in self.totals if t.drug_key == drug_key), None)


@dataclass(frozen=True, slots=True)
class AdverseEventOptions:
    """What the AE form offers for one procedure (from its protocol version)."""

    procedure_id: int
    study_id: str
    terms: tuple[str, ...]
    relatedness: tuple[str, ...]
    expectedness: tuple[str, ...]
    sites: tuple[tuple[int, str], ...]  # (number, label)
    sae_report_hours: int
    editable: bool
