"""Follow-up: visits (baseline = month 0) with missing-data codes, amputations, ulcers,
therapy-success verdicts, and procedure dates entered by hand.

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from slidesk.persistence.types import UTCDateTime

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

_CODE = 20
_PRESSURES = ("brachial_left", "brachial_right", "ankle_dp", "ankle_pt", "toe")


def _code(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.String(_CODE))


def _visit_columns() -> list[sa.Column[Any]]:
    columns: list[sa.Column[Any]] = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_id", sa.Integer, sa.ForeignKey("subjects.id"), nullable=False),
        sa.Column("month", sa.Integer, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("protocol_key", sa.String(40), nullable=False),
        sa.Column("protocol_version", sa.String(40), nullable=False),
        sa.Column("visit_date", sa.String(10)),
        _code("visit_missing"),
        sa.Column("assessor_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("signed_at", UTCDateTime),
        sa.Column("signed_by", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("vital_status", sa.String(10)),
        _code("vital_status_missing"),
        sa.Column("death_date", sa.String(10)),
        sa.Column("death_cause", sa.Text),
        sa.Column("new_amputation", sa.Boolean),
        _code("amputation_missing"),
        sa.Column("rutherford", sa.Integer),
        _code("rutherford_missing"),
        sa.Column("fontaine", sa.String(4)),
        _code("fontaine_missing"),
        sa.Column("rest_pain", sa.Boolean),
        _code("rest_pain_missing"),
        sa.Column("vas_mm", sa.Integer),
        _code("vas_missing"),
        sa.Column("ulcer_count", sa.Integer),
        _code("ulcers_missing"),
        sa.Column("walk_distance_m", sa.Integer),
        _code("walk_unable"),
        sa.Column("walk_unable_detail", sa.Text),
        _code("walking_missing"),
        sa.Column("abi_method", sa.String(20), nullable=False),
        sa.Column("eq5d_mobility", sa.Integer),
        sa.Column("eq5d_self_care", sa.Integer),
        sa.Column("eq5d_usual_activities", sa.Integer),
        sa.Column("eq5d_pain_discomfort", sa.Integer),
        sa.Column("eq5d_anxiety", sa.Integer),
        sa.Column("eq5d_vas", sa.Integer),
        sa.Column("eq5d_version", sa.String(100)),
        _code("eq5d_missing"),
        sa.Column("rand36_version", sa.String(100)),
        _code("rand36_missing"),
    ]
    for site in _PRESSURES:
        columns += [sa.Column(f"{site}_mmhg", sa.Integer), _code(f"{site}_flag"), _code(f"{site}_missing")]
    columns += [sa.Column(f"rand36_{n:02d}", sa.Integer) for n in range(1, 37)]
    return columns


def upgrade() -> None:
    op.create_table(
        "followup_anchors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_id", sa.Integer, sa.ForeignKey("subjects.id"), nullable=False, unique=True),
        sa.Column("procedure_date", sa.String(10), nullable=False),
        sa.Column("entry_reason", sa.Text, nullable=False),
        sa.Column("entered_at", UTCDateTime, nullable=False),
        sa.Column("entered_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_table(
        "followup_visits",
        *_visit_columns(),
        sa.UniqueConstraint("subject_id", "month", name="uq_followup_visit_month"),
    )
    op.create_index("ix_followup_visits_subject_id", "followup_visits", ["subject_id"])
    for table, columns in (
        (
            "followup_amputations",
            [
                sa.Column("amputation_date", sa.String(10), nullable=False),
                sa.Column("level", sa.String(20), nullable=False),
            ],
        ),
        (
            "followup_ulcers",
            [
                sa.Column("location", sa.String(20), nullable=False),
                sa.Column("detail", sa.Text),
                sa.Column("area_ucm2", sa.Integer),
                _code("area_missing"),
            ],
        ),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("visit_id", sa.Integer, sa.ForeignKey("followup_visits.id"), nullable=False),
            sa.Column("subject_id", sa.Integer, sa.ForeignKey("subjects.id"), nullable=False),
            *columns,
            sa.Column("voided", sa.Boolean, nullable=False),
            sa.Column("void_reason", sa.Text),
        )
        op.create_index(f"ix_{table}_visit_id", table, ["visit_id"])
        op.create_index(f"ix_{table}_subject_id", table, ["subject_id"])
    op.create_table(
        "followup_verdicts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("visit_id", sa.Integer, sa.ForeignKey("followup_visits.id"), nullable=False, unique=True),
        sa.Column("subject_id", sa.Integer, sa.ForeignKey("subjects.id"), nullable=False),
        sa.Column("month", sa.Integer, nullable=False),
        sa.Column("algorithm_version", sa.String(20), nullable=False),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(12), nullable=False),
        sa.Column("criteria", sa.Text, nullable=False),
        sa.Column("computed_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_followup_verdicts_subject_id", "followup_verdicts", ["subject_id"])


def downgrade() -> None:
    raise RuntimeError("the follow-up tables cannot be downgraded: it would destroy the record")
