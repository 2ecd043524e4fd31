"""The canonical content of a procedure record: what a signature covers and a version freezes.

`build_snapshot` reads the record as it is now, copying every audited row of the procedure
through the declared map (`record_map.RECORD`): the header (procedure and subject), site
entries, checklist ticks, site findings, syringe dispositions and the nurse's record (doses,
oxygen, vital signs, sedation events, recovery scores, adverse events), each as typed items
(`record_sections`). `content_hash` is SHA-256 over its canonical JSON. The same snapshot is
stored as JSON with each signed version; `stored_snapshot` reads it back in the schema it was
written in, and `live_hash` rebuilds the live record in that schema, so a version signed in
schema 1 keeps verifying (see docs/architecture.md, "Snapshot schemas"). Times are UTC; people
are referred to by id (names may be shown, not signed). No Qt; no SQL (rows come from
repositories).
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

from slidesk.persistence.queries.workspace import WorkspaceRepository
from slidesk.persistence.rows.checklist import ChecklistRepository
from slidesk.persistence.rows.sedation import (
    AdverseEventRow,
    OxygenRow,
    RecoveryScoreRow,
    SedationDoseRow,
    SedationEventRow,
    SedationRepository,
    VitalSignsRow,
)
from slidesk.persistence.transaction import Transaction
from slidesk.services.procedure.views import load_procedure
from slidesk.services.record.codec import decode, hash_text, stored_schema, to_json
from slidesk.services.record.map import RECORD, copied
from slidesk.services.record.sections import (
    SnapshotAdverseEvent,
    SnapshotDisposition,
    SnapshotDose,
    SnapshotEntry,
    SnapshotEvent,
    SnapshotFlag,
    SnapshotOxygen,
    SnapshotRecovery,
    SnapshotTick,
    SnapshotVitals,
)
from slidesk.services.record.v1 import RecordSnapshotV1, build_snapshot_v1, snapshot_v1_from_json

SNAPSHOT_SCHEMA = 2

__all__ = [
    "SNAPSHOT_SCHEMA",
    "RecordSnapshot",
    "SnapshotEntry",
    "build_snapshot",
    "hash_text",
    "live_hash",
    "snapshot_from_json",
    "stored_snapshot",
]

_Item = TypeVar("_Item")


@dataclass(frozen=True, slots=True)
class RecordSnapshot:
    schema: int
    # The header: the procedure and its subject.
    procedure_id: int
    subject_id: int
    study_id: str
    index_limb: str
    centre: str
    protocol_key: str
    protocol_version: str
    kit_number: str
    location: str
    operator_id: int
    nurse_id: int
    created_by: int
    product_release_at: datetime | None
    planned_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    # Every row of each kind, voided ones included, in the order they were entered.
    entries: tuple[SnapshotEntry, ...]
    checklist: tuple[SnapshotTick, ...]
    flags: tuple[SnapshotFlag, ...]
    dispositions: tuple[SnapshotDisposition, ...]
    doses: tuple[SnapshotDose, ...]
    oxygen: tuple[SnapshotOxygen, ...]
    vitals: tuple[SnapshotVitals, ...]
    events: tuple[SnapshotEvent, ...]
    recovery: tuple[SnapshotRecovery, ...]
    adverse_events: tuple[SnapshotAdverseEvent, ...]

    def to_json(self) -> str:
        return to_json(self)

    @property
    def content_hash(self) -> str:
        return hash_text(self.to_json())

    def live_entries(self) -> tuple[SnapshotEntry, ...]:
        return live(self.entries)


def live(items: Sequence[_Item]) -> tuple[_Item, ...]:
    """The items that are not voided (struck out with a reason)."""
    return tuple(i for i in items if not getattr(i, "voided", False))


# How the rows of each table of the record are read (every row, voided ones too, by id).
_READERS: dict[str, Callable[[Transaction, int], Sequence[Any]]] = {
    "site_entries": lambda tx, p: tx.entries.for_procedure(p),
    "checklist_ticks": lambda tx, p: tx.repo(ChecklistRepository).for_procedure(p),
    "site_flags": lambda tx, p: tx.repo(WorkspaceRepository).flags(p),
    "syringe_dispositions": lambda tx, p: tx.repo(WorkspaceRepository).dispositions(p),
    "sedation_doses": lambda tx, p: tx.repo(SedationRepository).for_procedure(SedationDoseRow, p),
    "sedation_oxygen": lambda tx, p: tx.repo(SedationRepository).for_procedure(OxygenRow, p),
    "vital_signs": lambda tx, p: tx.repo(SedationRepository).for_procedure(VitalSignsRow, p),
    "sedation_events": lambda tx, p: tx.repo(SedationRepository).for_procedure(SedationEventRow, p),
    "recovery_scores": lambda tx, p: tx.repo(SedationRepository).for_procedure(RecoveryScoreRow, p),
    "adverse_events": lambda tx, p: tx.repo(SedationRepository).for_procedure(AdverseEventRow, p),
}


def build_snapshot(tx: Transaction, procedure_id: int) -> RecordSnapshot:
    """The record as it is now, inside an open transaction."""
    row = load_procedure(tx, procedure_id)
    subject = tx.subjects.get(row.subject_id)
    assert subject is not None  # a foreign key guarantees it
    values: dict[str, Any] = {"schema": SNAPSHOT_SCHEMA}
    values.update(_copy(row, copied("procedures"), _FIELD_TYPES))
    values.update(_copy(subject, copied("subjects"), _FIELD_TYPES))
    for table, reader in _READERS.items():
        spec = RECORD[table]
        assert spec.item is not None
        hints = typing.get_type_hints(spec.item)
        columns = copied(table)
        values[spec.section] = tuple(
            spec.item(**_copy(r, columns, hints)) for r in reader(tx, row.id)
        )
    return RecordSnapshot(**values)


_FIELD_TYPES = typing.get_type_hints(RecordSnapshot)


def _copy(row: Any, columns: dict[str, str], hints: dict[str, Any]) -> dict[str, Any]:
    """{field: value} of one row, each value in its field's type (flags as bool, lists as
    tuples)."""
    return {f: _typed(getattr(row, c), hints[f]) for c, f in columns.items()}


def _typed(value: Any, tp: Any) -> Any:
    if tp is bool:
        return bool(value)
    if typing.get_origin(tp) is tuple and isinstance(value, str):
        (inner, _) = typing.get_args(tp)
        parts = [p for p in value.split(",") if p]
        return tuple(int(p) for p in parts) if inner is int else tuple(parts)
    return value


def snapshot_from_json(text: str) -> RecordSnapshot:
    """Read a stored schema-2 snapshot back (the inverse of `RecordSnapshot.to_json`)."""
    value = decode(RecordSnapshot, json.loads(text))
    assert isinstance(value, RecordSnapshot)
    if value.schema != SNAPSHOT_SCHEMA:
        raise ValueError(f"stored snapshot: schema {value.schema}, expected {SNAPSHOT_SCHEMA}")
    return value


def stored_snapshot(text: str) -> RecordSnapshot | RecordSnapshotV1:
    """A signed version's stored content, in the schema it was signed in."""
    schema = stored_schema(text)
    if schema == 1:
        return snapshot_v1_from_json(text)
    return snapshot_from_json(text)


def live_hash(tx: Transaction, procedure_id: int, schema: int) -> str:
    """The hash of the live record built as schema `schema` builds it.

    Comparing a SIGNED record with its latest version must use the version's own schema: a
    record signed in schema 1 rebuilt in schema 2 holds more (findings, dispositions …) and
    would hash differently without anything having changed.
    """
    if schema == 1:
        return build_snapshot_v1(tx, procedure_id).content_hash
    if schema == SNAPSHOT_SCHEMA:
        return build_snapshot(tx, procedure_id).content_hash
    raise ValueError(f"record snapshot schema {schema} is not known to this SLI Desk")


def section_fields(item: type) -> tuple[str, ...]:
    """The field names of a section item (for the completeness test and the report)."""
    return tuple(f.name for f in fields(item))
