"""Signatures, signed versions, amendments and issued reports: all append-only.

A signature, a signed version's snapshot, an amendment and an issued PDF are never changed or
deleted: the unit of work only adds them (with their audit entries) and database triggers refuse
UPDATE and DELETE (migration 0004).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from slidesk.persistence.rows.core import Audited, Base
from slidesk.persistence.types import UTCDateTime


class SignatureRow(Audited, Base):
    """One electronic signature (21 CFR 11.50/11.70): who, when, what it means, over what."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signer_username: Mapped[str] = mapped_column(String(64))
    # The printed name as it was when signing (11.50(a)); a later rename does not change it.
    signer_full_name: Mapped[str] = mapped_column(String(200))
    signer_role: Mapped[str] = mapped_column(String(20))
    meaning_role: Mapped[str] = mapped_column(String(20))
    meaning: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(100))
    # Canonical JSON list of the review warnings the signer acknowledged.
    acknowledged: Mapped[str] = mapped_column(Text)


class RecordVersionRow(Audited, Base):
    """A signed version of a procedure record: its canonical content, frozen."""

    __tablename__ = "record_versions"
    __table_args__ = (UniqueConstraint("procedure_id", "version", name="uq_record_version"),)
    # The content is large; its hash is in the trail, and `slidesk verify` re-hashes it.
    __audit_exclude__ = frozenset({"content_json"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_json: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    utc_offset_min: Mapped[int] = mapped_column(Integer)
    # Canonical JSON list of the ids of the signatures that completed this version.
    signature_ids: Mapped[str] = mapped_column(Text)


class AmendmentRow(Audited, Base):
    """An amendment opened on a signed record; it produces version `version`."""

    __tablename__ = "amendments"
    __table_args__ = (UniqueConstraint("procedure_id", "version", name="uq_amendment_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class ReportDocumentRow(Audited, Base):
    """A procedure report as issued (exported, printed, archived): the exact bytes, kept."""

    __tablename__ = "report_documents"
    __table_args__ = (UniqueConstraint("document_id", name="uq_report_document_id"),)
    # The bytes are large; their SHA-256 is in the trail and is checked by `slidesk verify`.
    __audit_exclude__ = frozenset({"pdf"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    version: Mapped[int | None] = mapped_column(Integer, default=None)
    document_id: Mapped[str] = mapped_column(String(80))
    record_hash: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    digitally_signed: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Canonical JSON of the settings the PDF was printed with ({"time_zone": "Europe/…"});
    # NULL for reports issued before these were kept (migration rep1).
    issued_with: Mapped[str | None] = mapped_column(Text, default=None)


class SigningRepository:
    """Queries for signatures, versions, amendments and issued reports."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def signatures(self, procedure_id: int) -> Sequence[SignatureRow]:
        return self.session.scalars(
            select(SignatureRow)
            .where(SignatureRow.procedure_id == procedure_id)
            .order_by(SignatureRow.id)
        ).all()

    def versions(self, procedure_id: int) -> Sequence[RecordVersionRow]:
        return self.session.scalars(
            select(RecordVersionRow)
            .where(RecordVersionRow.procedure_id == procedure_id)
            .order_by(RecordVersionRow.version)
        ).all()

    def amendments(self, procedure_id: int) -> Sequence[AmendmentRow]:
        return self.session.scalars(
            select(AmendmentRow)
            .where(AmendmentRow.procedure_id == procedure_id)
            .order_by(AmendmentRow.version)
        ).all()

    def signed_procedure_ids(self) -> Sequence[int]:
        return self.session.scalars(
            select(RecordVersionRow.procedure_id).distinct().order_by(RecordVersionRow.procedure_id)
        ).all()

    def documents(self, procedure_id: int) -> Sequence[ReportDocumentRow]:
        return self.session.scalars(
            select(ReportDocumentRow)
            .where(ReportDocumentRow.procedure_id == procedure_id)
            .order_by(ReportDocumentRow.id)
        ).all()

    def document(self, document_id: str) -> ReportDocumentRow | None:
        return self.session.scalars(
            select(ReportDocumentRow).where(ReportDocumentRow.document_id == document_id)
        ).first()

    def all_documents(self) -> Sequence[ReportDocumentRow]:
        return self.session.scalars(select(ReportDocumentRow).order_by(ReportDocumentRow.id)).all()
