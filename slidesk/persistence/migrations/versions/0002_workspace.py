"""Workspace: time-out checklist ticks, site quick-flags, syringe dispositions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from slidesk.persistence.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checklist_ticks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("procedure_id", sa.Integer, sa.ForeignKey("procedures.id"), nullable=False),
        sa.Column("item_key", sa.String(60), nullable=False),
        sa.Column("item_text", sa.Text, nullable=False),
        sa.Column("ticked_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("ticked_role", sa.String(20)),
        sa.Column("ticked_at", UTCDateTime, nullable=False),
        sa.Column("voided", sa.Boolean, nullable=False),
        sa.Column("void_reason", sa.Text),
    )
    op.create_index("ix_checklist_ticks_procedure_id", "checklist_ticks", ["procedure_id"])
    op.create_index(
        "uq_checklist_ticks_live_item", "checklist_ticks", ["procedure_id", "item_key"],
        unique=True, sqlite_where=sa.text("voided = 0"), postgresql_where=sa.text("voided = false"),
    )
    op.create_table(
        "site_flags",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("procedure_id", sa.Integer, sa.ForeignKey("procedures.id"), nullable=False),
        sa.Column("site_no", sa.Integer, nullable=False),
        sa.Column("flag", sa.String(40), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("observed_at", UTCDateTime, nullable=False),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.Column("recorder_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("voided", sa.Boolean, nullable=False),
        sa.Column("void_reason", sa.Text),
    )
    op.create_index("ix_site_flags_procedure_id", "site_flags", ["procedure_id"])
    op.create_table(
        "syringe_dispositions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("procedure_id", sa.Integer, sa.ForeignKey("procedures.id"), nullable=False),
        sa.Column("syringe_label", sa.String(60), nullable=False),
        sa.Column("disposition", sa.String(20), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.Column("recorder_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("voided", sa.Boolean, nullable=False),
        sa.Column("void_reason", sa.Text),
    )
    op.create_index(
        "ix_syringe_dispositions_procedure_id", "syringe_dispositions", ["procedure_id"]
    )
    op.create_index(
        "uq_syringe_dispositions_live", "syringe_dispositions", ["procedure_id", "syringe_label"],
        unique=True, sqlite_where=sa.text("voided = 0"), postgresql_where=sa.text("voided = false"),
    )


def downgrade() -> None:
    op.drop_table("syringe_dispositions")
    op.drop_table("site_flags")
    op.drop_table("checklist_ticks")
