"""Record snapshot schema 1, frozen: how versions signed before schema 2 were built.

Databases hold signed versions whose stored content is a schema-1 snapshot, hashed over its
canonical JSON. To tell whether such a SIGNED record is still what was signed, its live content
is rebuilt here exactly as the release that signed it built it, and hashed again. Nothing in
this module may change the JSON it produces for a given record: `tests/fixtures/schema1`
holds a database signed by that release, and the tests rebuild and compare every version.

Schema 1 held the procedure header, the site entries, the live checklist ticks and the
sedation/adverse-event record as text tables (with names and worded values); it left out site
findings, syringe dispositions and several adverse-event and recovery fields, which schema 2
holds. No Qt; no SQL (rows come from repositories).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slidesk.integrity.chain import canonical_value
from slidesk.persistence.rows.checklist import ChecklistRepository
from slidesk.persistence.transaction import Transaction
from slidesk.services.procedure.views import load_procedure
from slidesk.services.record.codec import decode, hash_text, to_json
from slidesk.services.sedation.views import sedation_record

SCHEMA_1 = 1


@dataclass(frozen=True, slots=True)
class V1Entry:
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
class V1Tick:
    item_key: str
    item_text: str
    ticked_by: int
    ticked_at: datetime


@dataclass(frozen=True, slots=True)
class V1Table:
    """A text table; the cells of `time_columns` hold canonical UTC times."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    time_columns: tuple[int, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class V1Series:
    key: str
    label: str
    unit: str
    points: tuple[tuple[datetime, int], ...]


@dataclass(frozen=True, slots=True)
class RecordSnapshotV1:
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
    entries: tuple[V1Entry, ...]
    checklist: tuple[V1Tick, ...] | None
    sections: tuple[V1Table, ...] | None
    series: tuple[V1Series, ...]

    def to_json(self) -> str:
        return to_json(self)

    @property
    def content_hash(self) -> str:
        return hash_text(self.to_json())

    def section(self, key: str) -> V1Table | None:
        return next((t for t in self.sections or () if t.key == key), None)


def snapshot_v1_from_json(text: str) -> RecordSnapshotV1:
    value = decode(RecordSnapshotV1, json.loads(text))
    assert isinstance(value, RecordSnapshotV1)
    return value


def build_snapshot_v1(tx: Transaction, procedure_id: int) -> RecordSnapshotV1:
    """The live record as the schema-1 release built it (to compare with a schema-1 version)."""
    row = load_procedure(tx, procedure_id)
    subject = tx.subjects.get(row.subject_id)
    assert subject is not None  # a foreign key guarantees it
    entries = tuple(
        V1Entry(
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
    ticks = tuple(
        V1Tick(t.item_key, t.item_text, t.ticked_by, t.ticked_at)
        for t in tx.repo(ChecklistRepository).for_procedure(row.id)
        if not t.voided
    )
    record = sedation_record(tx, row, tx.now)
    return RecordSnapshotV1(
        schema=SCHEMA_1,
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
        checklist=ticks,
        sections=_tables(record),
        series=_series(record),
    )


# --- the sedation record as schema 1 worded it (frozen) ---------------------------------------


def _t(value: datetime | None) -> str:
    return canonical_value(value) if value is not None else ""


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _live(entries: Iterable[Any]) -> list[Any]:
    return [e for e in entries if not e.voided]


def _notes(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _timed(
    key: str, title: str, columns: tuple[str, ...], rows: Iterable[tuple[str, ...]]
) -> V1Table:
    return V1Table(key=key, title=title, columns=columns, rows=tuple(rows), time_columns=(0,))


def _tables(record: Any) -> tuple[V1Table, ...]:
    return (
        _timed(
            "doses",
            "Medication given",
            ("Time", "Drug", "Dose", "Route", "Cumulative", "Given by", "Note"),
            (
                (
                    _t(d.given_at),
                    d.drug_name,
                    d.text,
                    d.route,
                    d.cumulative_text,
                    d.performer.full_name,
                    _notes(
                        f"limit exceeded: {d.limit_reason}" if d.limit_reason else "",
                        "late entry" if d.late else "",
                    ),
                )
                for d in _live(record.doses)
            ),
        ),
        V1Table(
            key="dose_totals",
            title="Cumulative totals",
            columns=("Drug", "Total", "Doses", "Warning at", "Maximum"),
            rows=tuple(
                (
                    t.drug_name,
                    t.total_text,
                    str(t.dose_count),
                    _s(t.warning_text),
                    _s(t.maximum_text),
                )
                for t in record.totals
                if t.dose_count
            ),
        ),
        _timed(
            "oxygen",
            "Oxygen",
            ("From", "Device and flow", "By"),
            ((_t(o.started_at), o.text, o.performer.full_name) for o in _live(record.oxygen)),
        ),
        _timed(
            "vitals",
            "Vital signs",
            (
                "Time",
                "HR",
                "BP",
                "SpO₂",
                "RR",
                "EtCO₂",
                "Temp",
                record.scale,
                "Alarms / note",
                "By",
            ),
            (
                (
                    _t(v.measured_at),
                    _s(v.hr),
                    v.bp_text,
                    _s(v.spo2),
                    _s(v.rr),
                    _s(v.etco2),
                    _s(v.temp_c),
                    _s(v.sedation_score),
                    _notes(
                        "baseline" if v.baseline else "",
                        ", ".join(a.message for a in v.alarms),
                        v.note or "",
                    ),
                    v.performer.full_name,
                )
                for v in _live(record.vitals)
            ),
        ),
        _timed(
            "events",
            "Sedation events",
            ("Time", "Event", "Description", "Outcome", "By"),
            (
                (
                    _t(e.occurred_at),
                    e.summary,
                    _s(e.description),
                    _s(e.outcome),
                    e.performer.full_name,
                )
                for e in _live(record.events)
            ),
        ),
        _timed(
            "recovery",
            "Recovery (Aldrete)",
            ("Time", "Score", "Discharge criterion", "Note", "By"),
            (
                (
                    _t(r.assessed_at),
                    f"{r.total}/10",
                    "met"
                    if r.meets_threshold
                    else f"not met (needs {record.discharge_aldrete_min})",
                    _s(r.note),
                    r.performer.full_name,
                )
                for r in _live(record.recovery)
            ),
        ),
        _timed(
            "adverse_events",
            "Adverse events",
            ("Onset", "Term", "Grade", "Serious", "Related", "Action", "Outcome", "Sites"),
            (
                (
                    _t(a.onset_at),
                    a.term + (f" — {a.description}" if a.description else ""),
                    f"{int(a.grade)} {a.grade.label}",
                    ("yes: " + ", ".join(c.label for c in a.criteria)) if a.serious else "no",
                    f"product: {a.related_product}; procedure: {a.related_procedure}; "
                    f"sedation: {a.related_sedation}",
                    a.action_taken.label,
                    a.outcome.label + (f" ({_t(a.resolved_at)})" if a.resolved_at else ""),
                    ", ".join(str(n) for n in a.site_nos),
                )
                for a in _live(record.adverse_events)
            ),
        ),
    )


def _series(record: Any) -> tuple[V1Series, ...]:
    live = _live(record.vitals)

    def series(key: str, label: str, unit: str) -> V1Series:
        points = tuple(
            (v.measured_at, getattr(v, key)) for v in live if getattr(v, key) is not None
        )
        return V1Series(key=key, label=label, unit=unit, points=points)

    return (
        series("hr", "Heart rate", "/min"),
        series("systolic", "Systolic BP", "mmHg"),
        series("diastolic", "Diastolic BP", "mmHg"),
        series("spo2", "SpO₂", "%"),
    )
