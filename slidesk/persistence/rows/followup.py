"""Follow-up tables: visits (baseline = month 0), amputations, ulcers, therapy-success verdicts.

Every row is audited; nothing is deleted (list items are voided with a reason). Calendar dates
(visit, death, amputation) are ISO `YYYY-MM-DD` text: they are local clinic days, not instants,
and text keeps them exact on every database and in the audit trail. Each item of a visit has a
`<item>_missing` column for its missing-data code. Ulcer areas are integer micro-units of cm².
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slidesk.domain.followup.rand36 import ITEM_COUNT
from slidesk.domain.followup.vascular import PressureSite
from slidesk.persistence.rows.core import Audited, Base
from slidesk.persistence.types import UTCDateTime

_CODE = 20  # length of a missing-data code or flag


def rand36_column(item: int) -> str:
    return f"rand36_{item:02d}"


class FollowUpAnchorRow(Audited, Base):
    """A procedure date typed by hand (the procedure predates SLI Desk, or its record is
    elsewhere); without this row the date comes from the subject's completed procedure."""

    __tablename__ = "followup_anchors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), unique=True)
    procedure_date: Mapped[str] = mapped_column(String(10))
    entry_reason: Mapped[str] = mapped_column(Text)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class FollowUpVisitRow(Audited, Base):
    __tablename__ = "followup_visits"
    __table_args__ = (UniqueConstraint("subject_id", "month", name="uq_followup_visit_month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    month: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    protocol_key: Mapped[str] = mapped_column(String(40))
    protocol_version: Mapped[str] = mapped_column(String(40))
    visit_date: Mapped[str | None] = mapped_column(String(10), default=None)
    visit_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    vital_status: Mapped[str | None] = mapped_column(String(10), default=None)
    vital_status_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    death_date: Mapped[str | None] = mapped_column(String(10), default=None)
    death_cause: Mapped[str | None] = mapped_column(Text, default=None)
    new_amputation: Mapped[bool | None] = mapped_column(Boolean, default=None)
    amputation_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    rutherford: Mapped[int | None] = mapped_column(Integer, default=None)
    rutherford_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    fontaine: Mapped[str | None] = mapped_column(String(4), default=None)
    fontaine_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    rest_pain: Mapped[bool | None] = mapped_column(Boolean, default=None)
    rest_pain_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    vas_mm: Mapped[int | None] = mapped_column(Integer, default=None)
    vas_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    ulcer_count: Mapped[int | None] = mapped_column(Integer, default=None)
    ulcers_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    walk_distance_m: Mapped[int | None] = mapped_column(Integer, default=None)
    walk_unable: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    walk_unable_detail: Mapped[str | None] = mapped_column(Text, default=None)
    walking_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    abi_method: Mapped[str] = mapped_column(String(20))
    eq5d_mobility: Mapped[int | None] = mapped_column(Integer, default=None)
    eq5d_self_care: Mapped[int | None] = mapped_column(Integer, default=None)
    eq5d_usual_activities: Mapped[int | None] = mapped_column(Integer, default=None)
    eq5d_pain_discomfort: Mapped[int | None] = mapped_column(Integer, default=None)
    eq5d_anxiety: Mapped[int | None] = mapped_column(Integer, default=None)
    eq5d_vas: Mapped[int | None] = mapped_column(Integer, default=None)
    eq5d_version: Mapped[str | None] = mapped_column(String(100), default=None)
    eq5d_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    rand36_version: Mapped[str | None] = mapped_column(String(100), default=None)
    rand36_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)


# Five pressures × (mmHg, flag, missing code) and 36 RAND-36 answers: added in loops so that
# the names stay systematic; declarative maps columns assigned after the class body too.
for _site in PressureSite:
    setattr(FollowUpVisitRow, f"{_site.value}_mmhg", Column(f"{_site.value}_mmhg", Integer))
    setattr(FollowUpVisitRow, f"{_site.value}_flag", Column(f"{_site.value}_flag", String(_CODE)))
    setattr(
        FollowUpVisitRow,
        f"{_site.value}_missing",
        Column(f"{_site.value}_missing", String(_CODE)),
    )
for _item in range(1, ITEM_COUNT + 1):
    setattr(FollowUpVisitRow, rand36_column(_item), Column(rand36_column(_item), Integer))


class FollowUpAmputationRow(Audited, Base):
    """An amputation of the index limb, reported at a visit. Major/minor is never stored."""

    __tablename__ = "followup_amputations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("followup_visits.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    amputation_date: Mapped[str] = mapped_column(String(10))
    level: Mapped[str] = mapped_column(String(20))
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(Text, default=None)


class FollowUpUlcerRow(Audited, Base):
    __tablename__ = "followup_ulcers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("followup_visits.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    location: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text, default=None)
    area_ucm2: Mapped[int | None] = mapped_column(Integer, default=None)
    area_missing: Mapped[str | None] = mapped_column(String(_CODE), default=None)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(Text, default=None)


class FollowUpVerdictRow(Audited, Base):
    """The derived therapy-success verdict of one follow-up visit, with what it was made of."""

    __tablename__ = "followup_verdicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("followup_visits.id"), unique=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    month: Mapped[int] = mapped_column(Integer)
    algorithm_version: Mapped[str] = mapped_column(String(20))
    inputs: Mapped[str] = mapped_column(Text)  # canonical JSON
    verdict: Mapped[str] = mapped_column(String(12))
    criteria: Mapped[str] = mapped_column(Text)  # canonical JSON: key -> [status, reason]
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
