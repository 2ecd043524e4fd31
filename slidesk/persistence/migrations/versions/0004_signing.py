"""Signing: electronic signatures, signed versions, amendments, issued reports (append-only).

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from slidesk.persistence.types import UTCDateTime

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = ("signatures", "record_versions", "amendments", "report_documents")


def upgrade() -> None:
    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("procedure_id", sa.Integer, sa.ForeignKey("procedures.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("signer_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("signer_username", sa.String(64), nullable=False),
        sa.Column("signer_full_name", sa.String(200), nullable=False),
        sa.Column("signer_role", sa.String(20), nullable=False),
        sa.Column("meaning_role", sa.String(20), nullable=False),
        sa.Column("meaning", sa.String(200), nullable=False),
        sa.Column("signed_at", UTCDateTime, nullable=False),
        sa.Column("utc_offset_min", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("method", sa.String(100), nullable=False),
        sa.Column("acknowledged", sa.Text, nullable=False),
    )
    op.create_index("ix_signatures_procedure_id", "signatures", ["procedure_id"])
    op.create_table(
        "record_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("procedure_id", sa.Integer, sa.ForeignKey("procedures.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content_json", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("signed_at", UTCDateTime, nullable=False),
        sa.Column("utc_offset_min", sa.Integer, nullable=False),
        sa.Column("signature_ids", sa.Text, nullable=False),
        sa.UniqueConstraint("procedure_id", "version", name="uq_record_version"),
    )
    op.create_index("ix_record_versions_procedure_id", "record_versions", ["procedure_id"])
    op.create_table(
        "amendments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("procedure_id", sa.Integer, sa.ForeignKey("procedures.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("opened_at", UTCDateTime, nullable=False),
        sa.Column("opened_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.UniqueConstraint("procedure_id", "version", name="uq_amendment_version"),
    )
    op.create_index("ix_amendments_procedure_id", "amendments", ["procedure_id"])
    op.create_table(
        "report_documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("procedure_id", sa.Integer, sa.ForeignKey("procedures.id"), nullable=False),
        sa.Column("version", sa.Integer),
        sa.Column("document_id", sa.String(80), nullable=False),
        sa.Column("record_hash", sa.String(64), nullable=False),
        sa.Column("pdf_sha256", sa.String(64), nullable=False),
        sa.Column("pdf", sa.LargeBinary, nullable=False),
        sa.Column("digitally_signed", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.UniqueConstraint("document_id", name="uq_report_document_id"),
    )
    op.create_index("ix_report_documents_procedure_id", "report_documents", ["procedure_id"])
    for table in _TABLES:
        _append_only(table)


def _append_only(table: str) -> None:
    """UPDATE and DELETE are refused by the database itself (SIG-05), as for the audit trail."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    else:
        # The function is created by the foundation migration (0001).
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION slidesk_append_only()"
        )


def downgrade() -> None:
    raise RuntimeError("signatures cannot be downgraded away: it would destroy the record")
