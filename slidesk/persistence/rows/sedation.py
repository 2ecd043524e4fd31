"""Tables of the nurse's record: doses, oxygen, vital signs, sedation events, recovery, AEs.

Quantities are integers: doses in nano-units of their dimension (nanograms for mass, see
slidesk.domain.sedation.doses), oxygen flow in mL/min, temperature in tenths of a degree. Every row
is audited; nothing is deleted — a mistaken entry is voided with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from slidesk.persistence.rows.core import Audited, Base
from slidesk.persistence.types import UTCDateTime


class _Entry:
    """Columns every bedside entry has: who did it, who typed it, when it was typed, voiding."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    performer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorder_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(Text, default=None)


class SedationDoseRow(_Entry, Audited, Base):
    __tablename__ = "sedation_doses"

    given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    drug_key: Mapped[str] = mapped_column(String(40))  # protocol key, or "other"
    drug_name: Mapped[str] = mapped_column(String(100))
    drug_kind: Mapped[str] = mapped_column(String(20))
    dimension: Mapped[str] = mapped_column(String(10))
    amount_nano: Mapped[int] = mapped_column(BigInteger)
    unit: Mapped[str] = mapped_column(String(10))  # the unit the drug is charted in
    entered_amount: Mapped[str] = mapped_column(String(30))  # as typed, for the record
    entered_unit: Mapped[str] = mapped_column(String(10))
    route: Mapped[str] = mapped_column(String(20))
    over_single_max: Mapped[bool] = mapped_column(Boolean, default=False)
    over_cumulative_max: Mapped[bool] = mapped_column(Boolean, default=False)
    cumulative_warning: Mapped[bool] = mapped_column(Boolean, default=False)
    limit_reason: Mapped[str | None] = mapped_column(Text, default=None)


class OxygenRow(_Entry, Audited, Base):
    __tablename__ = "sedation_oxygen"

    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    device: Mapped[str] = mapped_column(String(20))
    flow_ml_min: Mapped[int] = mapped_column(Integer)


class VitalSignsRow(_Entry, Audited, Base):
    __tablename__ = "vital_signs"

    measured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    hr: Mapped[int | None] = mapped_column(Integer, default=None)
    systolic: Mapped[int | None] = mapped_column(Integer, default=None)
    diastolic: Mapped[int | None] = mapped_column(Integer, default=None)
    spo2: Mapped[int | None] = mapped_column(Integer, default=None)
    rr: Mapped[int | None] = mapped_column(Integer, default=None)
    etco2: Mapped[int | None] = mapped_column(Integer, default=None)
    temp_dc: Mapped[int | None] = mapped_column(Integer, default=None)
    sedation_scale: Mapped[str | None] = mapped_column(String(10), default=None)
    sedation_score: Mapped[int | None] = mapped_column(Integer, default=None)
    baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    alarms: Mapped[str] = mapped_column(String(200), default="")  # AlarmKind values, comma-joined
    note: Mapped[str | None] = mapped_column(Text, default=None)


class SedationEventRow(_Entry, Audited, Base):
    __tablename__ = "sedation_events"

    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(30))
    interventions: Mapped[str] = mapped_column(String(400), default="")  # comma-joined
    description: Mapped[str | None] = mapped_column(Text, default=None)
    outcome: Mapped[str | None] = mapped_column(Text, default=None)
    dose_id: Mapped[int | None] = mapped_column(ForeignKey("sedation_doses.id"), default=None)


class RecoveryScoreRow(_Entry, Audited, Base):
    __tablename__ = "recovery_scores"

    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    activity: Mapped[int] = mapped_column(Integer)
    respiration: Mapped[int] = mapped_column(Integer)
    circulation: Mapped[int] = mapped_column(Integer)
    consciousness: Mapped[int] = mapped_column(Integer)
    spo2: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text, default=None)


class AdverseEventRow(_Entry, Audited, Base):
    """An adverse event; `performer_id` is the reporter (the person who observed/reported it)."""

    __tablename__ = "adverse_events"

    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    onset_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_known_at: Mapped[datetime] = mapped_column(UTCDateTime)
    term: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    site_nos: Mapped[str] = mapped_column(String(200), default="")  # comma-joined site numbers
    grade: Mapped[int] = mapped_column(Integer)
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    serious_criteria: Mapped[str] = mapped_column(String(200), default="")
    related_product: Mapped[str] = mapped_column(String(30))
    related_procedure: Mapped[str] = mapped_column(String(30))
    related_sedation: Mapped[str] = mapped_column(String(30))
    expectedness: Mapped[str] = mapped_column(String(30))
    action_taken: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(40))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    sae_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


_Row = TypeVar(
    "_Row",
    SedationDoseRow,
    OxygenRow,
    VitalSignsRow,
    SedationEventRow,
    RecoveryScoreRow,
    AdverseEventRow,
)

SEDATION_ROWS: tuple[type, ...] = (
    SedationDoseRow,
    OxygenRow,
    VitalSignsRow,
    SedationEventRow,
    RecoveryScoreRow,
    AdverseEventRow,
)


class SedationRepository:
    """Every query of the nurse's record (used from services through `tx.repo`)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, cls: type[_Row], entry_id: int) -> _Row | None:
        return self.session.get(cls, entry_id)

    def for_procedure(self, cls: type[_Row], procedure_id: int) -> Sequence[_Row]:
        """All entries of one kind, voided ones too, in the order they were recorded."""
        return self.session.scalars(
            select(cls).where(cls.procedure_id == procedure_id).order_by(cls.id)
        ).all()

    def adverse_events_for_subject(self, subject_id: int) -> Sequence[AdverseEventRow]:
        return self.session.scalars(
            select(AdverseEventRow)
            .where(AdverseEventRow.subject_id == subject_id)
            .order_by(AdverseEventRow.id)
        ).all()
