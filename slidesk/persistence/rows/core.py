"""SQLAlchemy 2 typed rows. Clinical quantities are integers in micro-units; times are UTC.

Rows marked `Audited` can only be created or changed through the unit of work, which writes
their audit entries in the same transaction.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from slidesk.persistence.types import UTCDateTime


class Base(DeclarativeBase):
    pass


def audit_digest(text: str) -> str:
    """How the trail holds a secret's value: its SHA-256, named so."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


class Audited:
    """Mixin: the row's fields are audited (`__audit_exclude__` names those kept out)."""

    __audit_exclude__: ClassVar[frozenset[str]] = frozenset()
    # Fields audited by a digest of their value (a password hash: its change and any raw edit
    # are found by verify, yet the hash itself never enters the trail).
    __audit_digest__: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def audit_value(cls, name: str, value: Any) -> Any:
        """The value as the trail holds it: itself, or for a digest field its SHA-256."""
        if value is None or name not in cls.__audit_digest__:
            return value
        return audit_digest(str(value))

    @classmethod
    def audit_fields(cls) -> tuple[str, ...]:
        table = cls.__table__  # type: ignore[attr-defined]
        return tuple(c.key for c in table.columns if c.key not in cls.__audit_exclude__)

    def audit_key(self) -> str:
        return str(self.id)  # type: ignore[attr-defined]

    def audit_scope(self) -> tuple[int | None, int | None]:
        """(procedure id, subject id) the row belongs to, so the trail can be filtered by them."""
        return getattr(self, "procedure_id", None), getattr(self, "subject_id", None)


class UserRow(Audited, Base):
    __tablename__ = "users"
    # Everything that decides who may act is audited, so that a raw edit is found by verify:
    # the password hash as a digest of it (never the hash), the lockout and its counter. The
    # time of the last sign-in is not (each sign-in is an audit event of its own).
    __audit_exclude__ = frozenset({"last_login_at"})
    __audit_digest__ = frozenset({"password_hash"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(300), default=None)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubjectRow(Audited, Base):
    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[str] = mapped_column(String(40), unique=True)
    index_limb: Mapped[str] = mapped_column(String(5))
    centre: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    def audit_scope(self) -> tuple[int | None, int | None]:
        return None, self.id


class ProcedureRow(Audited, Base):
    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    protocol_key: Mapped[str] = mapped_column(String(40))
    protocol_version: Mapped[str] = mapped_column(String(40))
    kit_number: Mapped[str] = mapped_column(String(60))
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    nurse_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    location: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), index=True)
    product_release_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    def audit_scope(self) -> tuple[int | None, int | None]:
        return self.id, self.subject_id


class SiteEntryRow(Audited, Base):
    """One thing that happened at one site: an injection or a skip. Undo voids, never deletes."""

    __tablename__ = "site_entries"
    __table_args__ = (
        # One live entry per site and one live use per syringe; the services check first and
        # say why, these indexes are the last line if two writers race.
        Index(
            "uq_site_entries_live_site",
            "procedure_id",
            "site_no",
            unique=True,
            sqlite_where=text("voided = 0"),
            postgresql_where=text("voided = false"),
        ),
        Index(
            "uq_site_entries_live_syringe",
            "procedure_id",
            "syringe_label",
            unique=True,
            sqlite_where=text("voided = 0 AND syringe_label IS NOT NULL"),
            postgresql_where=text("voided = false AND syringe_label IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    site_no: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    depth_um: Mapped[int | None] = mapped_column(Integer, default=None)
    volume_ul: Mapped[int | None] = mapped_column(Integer, default=None)
    syringe_label: Mapped[str | None] = mapped_column(String(60), default=None)
    performer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorder_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    deviation_reason: Mapped[str | None] = mapped_column(Text, default=None)
    skip_reason: Mapped[str | None] = mapped_column(String(40), default=None)
    skip_detail: Mapped[str | None] = mapped_column(Text, default=None)
    relocated: Mapped[bool] = mapped_column(Boolean, default=False)
    # Actual position when relocated, as fractions of the diagram in ten-thousandths.
    actual_x_e4: Mapped[int | None] = mapped_column(Integer, default=None)
    actual_y_e4: Mapped[int | None] = mapped_column(Integer, default=None)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(Text, default=None)


class AuditRow(Base):
    """Append-only, hash-chained audit trail (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at_utc: Mapped[str] = mapped_column(String(40))
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(20))
    host: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(10))
    event_type: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str | None] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    procedure_id: Mapped[int | None] = mapped_column(Integer, index=True)
    subject_id: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
