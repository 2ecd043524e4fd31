"""Settings: site and workstation settings in the database, audited (time zone first).

Revision ID: set1
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from slidesk.persistence.types import UTCDateTime

revision = "set1"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("workstation", sa.String(200), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("changed_at", UTCDateTime, nullable=False),
        sa.Column("changed_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.UniqueConstraint("key", "workstation", name="uq_settings_key_workstation"),
    )


def downgrade() -> None:
    op.drop_table("settings")
