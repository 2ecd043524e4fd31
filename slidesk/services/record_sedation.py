"""The sedation record (doses, oxygen, vitals, events, recovery, adverse events) as plain
tables and series: what a signature covers and what the report prints.

Only live (not voided) entries; voids and corrections are in the audit trail and listed in
the report's corrections section. Times are canonical UTC text (shown local on paper).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from slidesk.audit import canonical_value
from slidesk.services.record_snapshot import SnapshotSeries, SnapshotTable


def _t(value: datetime | None) -> str:
    return canonical_value(value) if value is not None else ""


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _live(entries: Iterable[Any]) -> list[Any]:
    return [e for e in entries if not e.voided]


def _notes(*parts: str) -> str:
    """The non-empty remarks of a row, in one cell."""
    return "; ".join(p for p in parts if p)


def _timed(
    key: str, title: str, columns: tuple[str, ...], rows: Iterable[tuple[str, ...]]
) -> SnapshotTable:
    """A table whose first column is the time of each row."""
    return SnapshotTable(key=key, title=title, columns=columns, rows=tuple(rows), time_columns=(0,))


def sedation_tables(record: Any) -> tuple[SnapshotTable, ...]:
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
        SnapshotTable(
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


def sedation_series(record: Any) -> tuple[SnapshotSeries, ...]:
    live = _live(record.vitals)

    def series(key: str, label: str, unit: str) -> SnapshotSeries:
        points = tuple(
            (v.measured_at, getattr(v, key)) for v in live if getattr(v, key) is not None
        )
        return SnapshotSeries(key=key, label=label, unit=unit, points=points)

    return (
        series("hr", "Heart rate", "/min"),
        series("systolic", "Systolic BP", "mmHg"),
        series("diastolic", "Diastolic BP", "mmHg"),
        series("spo2", "SpO₂", "%"),
    )
