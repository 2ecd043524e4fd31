"""The canonical content of a procedure record: what a signature covers and a version freezes.

`build_snapshot` reads the record as it is now; `content_hash` is SHA-256 over
`slidesk.audit.canonical_json` of it. The same snapshot is stored as JSON with each signed
version, and `snapshot_from_json` reads it back, so the report of version n is made from exactly
what was signed. Times are UTC; people are referred to by id (names may be shown, not signed).
No Qt; no SQL (rows come from repositories).
"""

from __future__ import annotations

import hashlib
import json
import types
import typing
from dataclasses import asdict, dataclass, fields, is_dataclass
from datetime import datetime
from typing import Any

from slidesk.audit import canonical_json
from slidesk.persistence.uow import Transaction
from slidesk.services.record_sections import checklist_ticks, module_sections
from slidesk.services.views import load_procedure

SNAPSHOT_SCHEMA = 1


@dataclass(frozen=True, slots=True)
class SnapshotEntry:
    id: int
    site_no: int
    kind: str
    performed_at: datetime
    recorded_at: datetime
    depth_um: int | None
    volume_ul: int | None
    syringe_label: str | None
    performer_id: int
    recorder_id: int
    deviation_reason: str | None
    skip_reason: str | None
    skip_detail: str | None
    relocated: bool
    actual_x_e4: int | None
    actual_y_e4: int | None
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class SnapshotTick:
    item_key: str
    item_text: str
    ticked_by: int
    ticked_at: datetime


@dataclass(frozen=True, slots=True)
class SnapshotTable:
    """A section contributed by another module (sedation, adverse events) as a plain table.

    Cells are text; the cells of `time_columns` hold canonical UTC times (shown local on paper).
    """

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    time_columns: tuple[int, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SnapshotSeries:
    """A measured series for the report's small chart: (UTC time, integer value) points."""

    key: str
    label: str
    unit: str
    points: tuple[tuple[datetime, int], ...]


@dataclass(frozen=True, slots=True)
class RecordSnapshot:
    schema: int
    procedure_id: int
    study_id: str
    index_limb: str
    centre: str
    protocol_key: str
    protocol_version: str
    kit_number: str
    location: str
    operator_id: int
    nurse_id: int
    product_release_at: datetime | None
    planned_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    entries: tuple[SnapshotEntry, ...]
    # None when the checklist module is not installed; () when nothing was ticked.
    checklist: tuple[SnapshotTick, ...] | None
    # None when the sedation module is not installed.
    sections: tuple[SnapshotTable, ...] | None
    series: tuple[SnapshotSeries, ...]

    def to_json(self) -> str:
        return canonical_json(asdict(self))

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    def live_entries(self) -> tuple[SnapshotEntry, ...]:
        return tuple(e for e in self.entries if not e.voided)

    def section(self, key: str) -> SnapshotTable | None:
        for table in self.sections or ():
            if table.key == key:
                return table
        return None


def build_snapshot(tx: Transaction, procedure_id: int) -> RecordSnapshot:
    """The record as it is now, inside an open transaction."""
    row = load_procedure(tx, procedure_id)
    subject = tx.subjects.get(row.subject_id)
    assert subject is not None  # a foreign key guarantees it
    entries = tuple(
        SnapshotEntry(
            id=e.id,
            site_no=e.site_no,
            kind=e.kind,
            performed_at=e.performed_at,
            recorded_at=e.recorded_at,
            depth_um=e.depth_um,
            volume_ul=e.volume_ul,
            syringe_label=e.syringe_label,
            performer_id=e.performer_id,
            recorder_id=e.recorder_id,
            deviation_reason=e.deviation_reason,
            skip_reason=e.skip_reason,
            skip_detail=e.skip_detail,
            relocated=bool(e.relocated),
            actual_x_e4=e.actual_x_e4,
            actual_y_e4=e.actual_y_e4,
            voided=bool(e.voided),
            void_reason=e.void_reason,
        )
        for e in tx.entries.for_procedure(row.id)
    )
    ticks = checklist_ticks(tx, row.id)
    sections, series = module_sections(tx, row.id)
    return RecordSnapshot(
        schema=SNAPSHOT_SCHEMA,
        procedure_id=row.id,
        study_id=subject.study_id,
        index_limb=subject.index_limb,
        centre=subject.centre,
        protocol_key=row.protocol_key,
        protocol_version=row.protocol_version,
        kit_number=row.kit_number,
        location=row.location,
        operator_id=row.operator_id,
        nurse_id=row.nurse_id,
        product_release_at=row.product_release_at,
        planned_at=row.planned_at,
        started_at=row.started_at,
        completed_at=row.completed_at,
        entries=entries,
        checklist=(
            tuple(SnapshotTick(t[0], t[1], t[2], t[3]) for t in ticks)
            if ticks is not None
            else None
        ),
        sections=sections,
        series=series,
    )


def snapshot_from_json(text: str) -> RecordSnapshot:
    """Read a stored snapshot back (the inverse of `RecordSnapshot.to_json`)."""
    value = _decode(RecordSnapshot, json.loads(text))
    assert isinstance(value, RecordSnapshot)
    return value


def hash_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _decode(tp: Any, value: Any) -> Any:
    """Turn canonical JSON back into the typed dataclasses above (a small, strict decoder)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _decode(inner, value)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value, strict=True))
    if is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        build: Any = tp
        return build(**{f.name: _decode(hints[f.name], value[f.name]) for f in fields(tp)})
    if tp is datetime:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    if tp in (int, str, bool):
        if not isinstance(value, tp):
            raise ValueError(f"stored snapshot: expected {tp.__name__}, got {value!r}")
        return value
    raise TypeError(f"cannot decode {tp!r}")
