"""Time-out confirmers: one live tick per checklist item AND role, and per item AND person.

An item the protocol has confirmed by two roles needs two ticks by two people. The old
index allowed one live tick per item; existing ticks satisfy both new indexes (there was at
most one per item), so no recorded time-out changes.

Revision ID: chk2
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "chk2"
down_revision = "0002"
branch_labels = None
depends_on = None

_SQLITE_LIVE = sa.text("voided = 0")
_PG_LIVE = sa.text("voided = false")


def upgrade() -> None:
    op.drop_index("uq_checklist_ticks_live_item", "checklist_ticks")
    op.create_index(
        "uq_checklist_ticks_live_item_role",
        "checklist_ticks",
        ["procedure_id", "item_key", "ticked_role"],
        unique=True,
        sqlite_where=_SQLITE_LIVE,
        postgresql_where=_PG_LIVE,
    )
    op.create_index(
        "uq_checklist_ticks_live_item_person",
        "checklist_ticks",
        ["procedure_id", "item_key", "ticked_by"],
        unique=True,
        sqlite_where=_SQLITE_LIVE,
        postgresql_where=_PG_LIVE,
    )


def downgrade() -> None:
    # Fails while an item has two live ticks: withdraw one first (a downgrade loses no tick).
    op.drop_index("uq_checklist_ticks_live_item_person", "checklist_ticks")
    op.drop_index("uq_checklist_ticks_live_item_role", "checklist_ticks")
    op.create_index(
        "uq_checklist_ticks_live_item",
        "checklist_ticks",
        ["procedure_id", "item_key"],
        unique=True,
        sqlite_where=_SQLITE_LIVE,
        postgresql_where=_PG_LIVE,
    )
