"""The password history audited: each retired hash as a digest, like the account's own hash.

From this version on a password change or reset writes its retired hash through the unit of
work, with an audit entry holding a SHA-256 of the hash (never the hash), so `slidesk verify`
finds a raw edit of the history (an emptied or rewritten history lets an old password be
chosen again). Rows made before have no history: one chained `create` entry per row records
it as found at the upgrade (time: that of the newest audit entry, since a migration has no
clock), as `sec1` did for the accounts.

Revision ID: sec2
Revises: sec1
Create Date: 2026-12-03
"""

from __future__ import annotations

import socket
from typing import Any

import sqlalchemy as sa
from alembic import op

from slidesk.integrity.chain import GENESIS_HASH, HASHED_FIELDS, canonical_json, canonical_value, chain_hash
from slidesk.persistence.rows.core import audit_digest
from slidesk.persistence.types import UTCDateTime

revision = "sec2"
down_revision = "sec1"
branch_labels = None
depends_on = None

_HISTORY = sa.table(
    "password_history",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("password_hash", sa.String),
    sa.column("retired_at", UTCDateTime),
)
_AUDIT = sa.table("audit_log", *(sa.column(name) for name in (*HASHED_FIELDS, "prev_hash", "hash")))


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_HISTORY).order_by(_HISTORY.c.id)).fetchall()
    if not rows:
        return
    head = bind.execute(
        sa.text("SELECT seq, hash, at_utc FROM audit_log ORDER BY seq DESC LIMIT 1")
    ).first()
    seq, prev = (int(head[0]), str(head[1])) if head else (0, GENESIS_HASH)
    at = str(head[2]) if head else canonical_value(max(r.retired_at for r in rows))
    entries: list[dict[str, Any]] = []
    for row in rows:
        seq += 1
        changes = {
            "id": [None, row.id],
            "user_id": [None, row.user_id],
            "password_hash": [None, audit_digest(row.password_hash)],
            "retired_at": [None, canonical_value(row.retired_at)],
        }
        entry: dict[str, Any] = {
            "seq": seq,
            "at_utc": at,
            "utc_offset_min": 0,
            "user_id": None,
            "username": None,
            "role": None,
            "host": socket.gethostname(),
            "action": "create",
            "event_type": "user.password_retired",
            "entity": "password_history",
            "entity_id": str(row.id),
            "procedure_id": None,
            "subject_id": None,
            "changes": canonical_json(changes),
            "reason": "password history audited from this version on (as found at the upgrade)",
        }
        entry["prev_hash"] = prev
        entry["hash"] = prev = chain_hash(prev, {k: entry[k] for k in HASHED_FIELDS})
        entries.append(entry)
    bind.execute(_AUDIT.insert(), entries)


def downgrade() -> None:
    """Nothing to undo in the schema; the audit entries stay (the trail is append-only)."""
