"""The typed sections of a record snapshot (schema 2): one dataclass per kind of row.

Each section item holds the columns of one audited row as stored (field names are the column
names; `record_map` declares which column goes where, and why any is left out): times are
aware UTC datetimes, quantities integers in their stored units (micrometres, microlitres,
nano-units of a dose, mL/min of oxygen, tenths of a degree), comma-joined lists as tuples.
Voided rows are kept, with their reason: what was struck out is part of what is signed.
Standard library only besides the dataclasses themselves; no Qt, no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SnapshotEntry:
    """A site entry (site_entries): an injection or a skip."""

    id: int
    site_no: int
    kind: str
    performed_at: datetime
    recorded_at: datetime
    depth_um: int | None
    volume_ul: int | None
    syringe_label: str | None
    performer_id: int
    recorder_id: int
    deviation_reason: str | None
    skip_reason: str | None
    skip_detail: str | None
    relocated: bool
    # Actual position when relocated, as fractions of the right-leg diagram in ten-thousandths.
    actual_x_e4: int | None
    actual_y_e4: int | None
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class SnapshotTick:
    """A time-out checklist confirmation (checklist_ticks)."""

    id: int
    item_key: str
    item_text: str
    ticked_by: int
    ticked_role: str | None
    ticked_at: datetime
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class SnapshotFlag:
    """A local finding at a site (site_flags)."""

    id: int
    site_no: int
    flag: str
    note: str | None
    observed_at: datetime
    recorded_at: datetime
    recorder_id: int
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class SnapshotDisposition:
    """What happened to a syringe that was not injected (syringe_dispositions)."""

    id: int
    syringe_label: str
    disposition: str
    note: str | None
    recorded_at: datetime
    recorder_id: int
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class SnapshotDose:
    """A medication dose (sedation_doses); `amount_nano` in nano-units of `dimension`."""

    id: int
    given_at: datetime
    drug_key: str
    drug_name: str
    drug_kind: str
    dimension: str
    amount_nano: int
    unit: str
    entered_amount: str
    entered_unit: str
    route: str
    over_single_max: bool
    over_cumulative_max: bool
    cumulative_warning: bool
    limit_reason: str | None
    recorded_at: datetime
    late: bool
    performer_id: int
    recorder_id: int
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class SnapshotOxygen:
    """An oxygen change (sedation_oxygen): from `started_at`, this device and flow."""

    id: int
    started_at: datetime
    device: str
    flow_ml_min: int
    recorded_at: datetime
    late: bool
    performer_id: int
    recorder_id: int
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class SnapshotVitals:
    """One set of observations (vital_signs); temperature in tenths of a degree Celsius."""

    id: int
    measured_at: datetime
    hr: int | None
    systolic: int | None
    diastolic: int | None
    spo2: int | None
    rr: int | None
    etco2: int | None
    temp_dc: int | None
    sedation_scale: str | None
    sedation_score: int | None
    baseline: bool
    alarms: tuple[str, ...]
    note: str | None
    recorded_at: datetime
    late: bool
    performer_id: int
    recorder_id: int
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class SnapshotEvent:
    """A sedation event and what was done about it (sedation_events)."""

    id: int
    occurred_at: datetime
    kind: str
    interventions: tuple[str, ...]
    description: str | None
    outcome: str | None
    dose_id: int | None
    recorded_at: datetime
    late: bool
    performer_id: int
    recorder_id: int
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class SnapshotRecovery:
    """A modified Aldrete assessment (recovery_scores), item by item."""

    id: int
    assessed_at: datetime
    activity: int
    respiration: int
    circulation: int
    consciousness: int
    spo2: int
    total: int
    note: str | None
    recorded_at: datetime
    late: bool
    performer_id: int
    recorder_id: int
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class SnapshotAdverseEvent:
    """An adverse event (adverse_events); `performer_id` is the reporter."""

    id: int
    onset_at: datetime
    first_known_at: datetime
    term: str
    description: str | None
    site_nos: tuple[int, ...]
    grade: int
    serious: bool
    serious_criteria: tuple[str, ...]
    related_product: str
    related_procedure: str
    related_sedation: str
    expectedness: str
    action_taken: str
    outcome: str
    resolved_at: datetime | None
    sae_due_at: datetime | None
    recorded_at: datetime
    late: bool
    performer_id: int
    recorder_id: int
    voided: bool
    void_reason: str | None
