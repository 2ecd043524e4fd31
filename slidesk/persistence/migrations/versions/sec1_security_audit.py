"""Security columns audited: the password hash (as a digest), the lockout, failed attempts.

From this version on, `users.password_hash` (a SHA-256 of it, never the hash),
`failed_attempts`, `locked_until` and `password_changed_at` are audited like every other
column, so that `slidesk verify` finds a raw edit of them. Accounts made before have no history
of these columns: one audit entry per account records their values as found at the upgrade
(time: that of the newest audit entry, since a migration has no clock), chained like any other.

Revision ID: sec1
Revises: acc1
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

revision = "sec1"
down_revision = "acc1"
branch_labels = None
depends_on = None

_USERS = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("created_at", UTCDateTime),
    sa.column("password_hash", sa.String),
    sa.column("failed_attempts", sa.Integer),
    sa.column("locked_until", UTCDateTime),
    sa.column("password_changed_at", UTCDateTime),
)
_AUDIT = sa.table("audit_log", *(sa.column(name) for name in (*HASHED_FIELDS, "prev_hash", "hash")))


def upgrade() -> None:
    bind = op.get_bind()
    users = bind.execute(sa.select(_USERS).order_by(_USERS.c.id)).fetchall()
    if not users:
        return
    head = bind.execute(
        sa.text("SELECT seq, hash, at_utc FROM audit_log ORDER BY seq DESC LIMIT 1")
    ).first()
    seq, prev = (int(head[0]), str(head[1])) if head else (0, GENESIS_HASH)
    at = str(head[2]) if head else canonical_value(max(u.created_at for u in users))
    entries: list[dict[str, Any]] = []
    for user in users:
        seq += 1
        changes = {
            "password_hash": [
                None,
                audit_digest(user.password_hash) if user.password_hash is not None else None,
            ],
            "failed_attempts": [None, user.failed_attempts],
            "locked_until": [None, canonical_value(user.locked_until)],
            "password_changed_at": [None, canonical_value(user.password_changed_at)],
        }
        entry: dict[str, Any] = {
            "seq": seq,
            "at_utc": at,
            "utc_offset_min": 0,
            "user_id": None,
            "username": None,
            "role": None,
            "host": socket.gethostname(),
            "action": "update",
            "event_type": "user.security_audited",
            "entity": "users",
            "entity_id": str(user.id),
            "procedure_id": None,
            "subject_id": None,
            "changes": canonical_json(changes),
            "reason": "security columns audited from this version on (as found at the upgrade)",
        }
        entry["prev_hash"] = prev
        entry["hash"] = prev = chain_hash(prev, {k: entry[k] for k in HASHED_FIELDS})
        entries.append(entry)
    bind.execute(_AUDIT.insert(), entries)


def downgrade() -> None:
    """Nothing to undo in the schema; the audit entries stay (the trail is append-only)."""
