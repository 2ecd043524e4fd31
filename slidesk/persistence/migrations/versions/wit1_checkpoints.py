"""Checkpoints: the database's identity and its signed checkpoints of the audit chain (append-only).

`database_identity` names this database for its witnesses (a random UUID made here, once); a
restored copy appends a new identity naming its origin, so the newest row is the identity.
`checkpoints` keeps every signed checkpoint as the line written to the witnesses
(`slidesk.integrity.checkpoint`). Both refuse UPDATE and DELETE, as the audit trail does.

Revision ID: wit1
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "wit1"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = ("database_identity", "checkpoints")


def upgrade() -> None:
    identity = op.create_table(
        "database_identity",
        sa.Column("n", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("identity", sa.String(36), nullable=False, unique=True),
        # Server time: no clinical meaning, and a migration has no clock of the app's.
        sa.Column("created_at", sa.String(40), nullable=False, server_default=sa.func.now()),
        sa.Column("origin", sa.Text),
    )
    op.create_table(
        "checkpoints",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("head", sa.String(64), nullable=False),
        sa.Column("at_utc", sa.String(40), nullable=False),
        sa.Column("line", sa.Text, nullable=False),
    )
    op.bulk_insert(identity, [{"n": 1, "identity": str(uuid.uuid4()), "origin": None}])
    for table in _TABLES:
        _append_only(table)


def _append_only(table: str) -> None:
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
    for table in _TABLES:
        op.drop_table(table)
