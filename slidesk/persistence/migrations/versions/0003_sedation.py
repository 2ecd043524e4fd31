"""Sedation and adverse events: doses, oxygen, vital signs, sedation events, recovery, AEs.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from slidesk.persistence.types import UTCDateTime

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def _entry_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("procedure_id", sa.Integer, sa.ForeignKey("procedures.id"), nullable=False),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.Column("late", sa.Boolean, nullable=False),
        sa.Column("performer_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("recorder_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("voided", sa.Boolean, nullable=False),
        sa.Column("void_reason", sa.Text),
    ]


def _table(name: str, *columns: sa.Column[Any]) -> None:
    op.create_table(name, *_entry_columns(), *columns)
    op.create_index(f"ix_{name}_procedure_id", name, ["procedure_id"])


def upgrade() -> None:
    _table(
        "sedation_doses",
        sa.Column("given_at", UTCDateTime, nullable=False),
        sa.Column("drug_key", sa.String(40), nullable=False),
        sa.Column("drug_name", sa.String(100), nullable=False),
        sa.Column("drug_kind", sa.String(20), nullable=False),
        sa.Column("dimension", sa.String(10), nullable=False),
        sa.Column("amount_nano", sa.BigInteger, nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("entered_amount", sa.String(30), nullable=False),
        sa.Column("entered_unit", sa.String(10), nullable=False),
        sa.Column("route", sa.String(20), nullable=False),
        sa.Column("over_single_max", sa.Boolean, nullable=False),
        sa.Column("over_cumulative_max", sa.Boolean, nullable=False),
        sa.Column("cumulative_warning", sa.Boolean, nullable=False),
        sa.Column("limit_reason", sa.Text),
    )
    _table(
        "sedation_oxygen",
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("device", sa.String(20), nullable=False),
        sa.Column("flow_ml_min", sa.Integer, nullable=False),
    )
    _table(
        "vital_signs",
        sa.Column("measured_at", UTCDateTime, nullable=False),
        sa.Column("hr", sa.Integer),
        sa.Column("systolic", sa.Integer),
        sa.Column("diastolic", sa.Integer),
        sa.Column("spo2", sa.Integer),
        sa.Column("rr", sa.Integer),
        sa.Column("etco2", sa.Integer),
        sa.Column("temp_dc", sa.Integer),
        sa.Column("sedation_scale", sa.String(10)),
        sa.Column("sedation_score", sa.Integer),
        sa.Column("baseline", sa.Boolean, nullable=False),
        sa.Column("alarms", sa.String(200), nullable=False),
        sa.Column("note", sa.Text),
    )
    _table(
        "sedation_events",
        sa.Column("occurred_at", UTCDateTime, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("interventions", sa.String(400), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("outcome", sa.Text),
        sa.Column("dose_id", sa.Integer, sa.ForeignKey("sedation_doses.id")),
    )
    _table(
        "recovery_scores",
        sa.Column("assessed_at", UTCDateTime, nullable=False),
        sa.Column("activity", sa.Integer, nullable=False),
        sa.Column("respiration", sa.Integer, nullable=False),
        sa.Column("circulation", sa.Integer, nullable=False),
        sa.Column("consciousness", sa.Integer, nullable=False),
        sa.Column("spo2", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("note", sa.Text),
    )
    _table(
        "adverse_events",
        sa.Column("subject_id", sa.Integer, sa.ForeignKey("subjects.id"), nullable=False),
        sa.Column("onset_at", UTCDateTime, nullable=False),
        sa.Column("first_known_at", UTCDateTime, nullable=False),
        sa.Column("term", sa.String(200), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("site_nos", sa.String(200), nullable=False),
        sa.Column("grade", sa.Integer, nullable=False),
        sa.Column("serious", sa.Boolean, nullable=False),
        sa.Column("serious_criteria", sa.String(200), nullable=False),
        sa.Column("related_product", sa.String(30), nullable=False),
        sa.Column("related_procedure", sa.String(30), nullable=False),
        sa.Column("related_sedation", sa.String(30), nullable=False),
        sa.Column("expectedness", sa.String(30), nullable=False),
        sa.Column("action_taken", sa.String(40), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("resolved_at", UTCDateTime),
        sa.Column("sae_due_at", UTCDateTime),
    )
    op.create_index("ix_adverse_events_subject_id", "adverse_events", ["subject_id"])


def downgrade() -> None:
    raise RuntimeError("the sedation tables cannot be downgraded: it would destroy the record")
