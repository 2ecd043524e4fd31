"""Foundation: users, subjects, procedures, site entries, the append-only audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from slidesk.persistence.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("roles", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("password_hash", sa.String(300)),
        sa.Column("must_change_password", sa.Boolean, nullable=False),
        sa.Column("failed_attempts", sa.Integer, nullable=False),
        sa.Column("locked_until", UTCDateTime),
        sa.Column("last_login_at", UTCDateTime),
        sa.Column("password_changed_at", UTCDateTime),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "subjects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("study_id", sa.String(40), nullable=False, unique=True),
        sa.Column("index_limb", sa.String(5), nullable=False),
        sa.Column("centre", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_table(
        "procedures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_id", sa.Integer, sa.ForeignKey("subjects.id"), nullable=False),
        sa.Column("protocol_key", sa.String(40), nullable=False),
        sa.Column("protocol_version", sa.String(40), nullable=False),
        sa.Column("kit_number", sa.String(60), nullable=False),
        sa.Column("operator_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("nurse_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("location", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("product_release_at", UTCDateTime),
        sa.Column("planned_at", UTCDateTime, nullable=False),
        sa.Column("started_at", UTCDateTime),
        sa.Column("completed_at", UTCDateTime),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_index("ix_procedures_subject_id", "procedures", ["subject_id"])
    op.create_index("ix_procedures_status", "procedures", ["status"])
    op.create_index("ix_procedures_planned_at", "procedures", ["planned_at"])
    op.create_table(
        "site_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("procedure_id", sa.Integer, sa.ForeignKey("procedures.id"), nullable=False),
        sa.Column("site_no", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("performed_at", UTCDateTime, nullable=False),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.Column("depth_um", sa.Integer),
        sa.Column("volume_ul", sa.Integer),
        sa.Column("syringe_label", sa.String(60)),
        sa.Column("performer_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("recorder_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("deviation_reason", sa.Text),
        sa.Column("skip_reason", sa.String(40)),
        sa.Column("skip_detail", sa.Text),
        sa.Column("relocated", sa.Boolean, nullable=False),
        sa.Column("actual_x_e4", sa.Integer),
        sa.Column("actual_y_e4", sa.Integer),
        sa.Column("voided", sa.Boolean, nullable=False),
        sa.Column("void_reason", sa.Text),
    )
    op.create_index("ix_site_entries_procedure_id", "site_entries", ["procedure_id"])
    op.create_index(
        "uq_site_entries_live_site", "site_entries", ["procedure_id", "site_no"], unique=True,
        sqlite_where=sa.text("voided = 0"), postgresql_where=sa.text("voided = false"),
    )
    op.create_index(
        "uq_site_entries_live_syringe", "site_entries", ["procedure_id", "syringe_label"],
        unique=True,
        sqlite_where=sa.text("voided = 0 AND syringe_label IS NOT NULL"),
        postgresql_where=sa.text("voided = false AND syringe_label IS NOT NULL"),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at_utc", sa.String(40), nullable=False),
        sa.Column("utc_offset_min", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer),
        sa.Column("username", sa.String(64)),
        sa.Column("role", sa.String(20)),
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("entity", sa.String(60)),
        sa.Column("entity_id", sa.String(60)),
        sa.Column("procedure_id", sa.Integer),
        sa.Column("subject_id", sa.Integer),
        sa.Column("changes", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    # Few indexes on purpose: each one is another B-tree written in every bedside commit.
    # Filters by user, date or kind scan (100,000 entries scan in milliseconds); the chain
    # itself makes hashes unique.
    op.create_index("ix_audit_log_procedure_id", "audit_log", ["procedure_id"])
    op.create_index("ix_audit_entity", "audit_log", ["entity", "entity_id"])
    _append_only("audit_log")


def _append_only(table: str) -> None:
    """The trail refuses UPDATE and DELETE at the database level too (AUD-02)."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    else:
        op.execute(
            "CREATE OR REPLACE FUNCTION slidesk_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION slidesk_append_only()"
        )


def downgrade() -> None:
    raise RuntimeError("the foundation schema cannot be downgraded: it would destroy the record")
