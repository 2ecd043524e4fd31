"""Issued reports keep the settings they were printed with (the site time zone).

DECISIONS: a document is frozen when issued — the time zone (and later the language, footer
and checkpoint) printed in a PDF are those in force when it was issued, stored with it. Rows
issued before this revision have none (NULL): they were printed in the workstation's zone.

Revision ID: rep1
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rep1"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("report_documents", sa.Column("issued_with", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_documents") as batch:
        batch.drop_column("issued_with")
