"""The sedation record (doses, oxygen, vitals, events, recovery, adverse events) as plain
tables and series: what a signature covers and what the report prints.

Only live (not voided) entries; voids and corrections are in the audit trail and listed in
the report's corrections section. Times are canonical UTC text (shown local on paper).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slidesk.audit import canonical_value
from slidesk.services.record_snapshot import SnapshotSeries, SnapshotTable


def _t(value: datetime | None) -> str:
    return canonical_value(value) if value is not None else ""


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def sedation_tables(record: Any) -> tuple[SnapshotTable, ...]:
    doses = [d for d in record.doses if not d.voided]
    tables = [
        SnapshotTable(
            key="doses",
            title="Medication given",
            columns=("Time", "Drug", "Dose", "Route", "Cumulative", "Given by", "Note"),
            rows=tuple(
                (
                    _t(d.given_at),
                    d.drug_name,
                    d.text,
                    d.route,
                    d.cumulative_text,
                    d.performer.full_name,
                    "; ".join(
                        x
                        for x in (
                            f"limit exceeded: {d.limit_reason}" if d.limit_reason else "",
                            "late entry" if d.late else "",
                        )
                        if x
                    ),
                )
                for d in doses
            ),
            time_columns=(0,),
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
        SnapshotTable(
            key="oxygen",
            title="Oxygen",
            columns=("From", "Device and flow", "By"),
            rows=tuple(
                (_t(o.started_at), o.text, o.performer.full_name)
                for o in record.oxygen
                if not o.voided
            ),
            time_columns=(0,),
        ),
        SnapshotTable(
            key="vitals",
            title="Vital signs",
            columns=(
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
            rows=tuple(
                (
                    _t(v.measured_at),
                    _s(v.hr),
                    v.bp_text,
                    _s(v.spo2),
                    _s(v.rr),
                    _s(v.etco2),
                    _s(v.temp_c),
                    _s(v.sedation_score),
                    "; ".join(
                        x
                        for x in (
                            "baseline" if v.baseline else "",
                            ", ".join(a.message for a in v.alarms) if v.alarms else "",
                            v.note or "",
                        )
                        if x
                    ),
                    v.performer.full_name,
                )
                for v in record.vitals
                if not v.voided
            ),
            time_columns=(0,),
        ),
        SnapshotTable(
            key="events",
            title="Sedation events",
            columns=("Time", "Event", "Description", "Outcome", "By"),
            rows=tuple(
                (
                    _t(e.occurred_at),
                    e.summary,
                    _s(e.description),
                    _s(e.outcome),
                    e.performer.full_name,
                )
                for e in record.events
                if not e.voided
            ),
            time_columns=(0,),
        ),
        SnapshotTable(
            key="recovery",
            title="Recovery (Aldrete)",
            columns=("Time", "Score", "Discharge criterion", "Note", "By"),
            rows=tuple(
                (
                    _t(r.assessed_at),
                    f"{r.total}/10",
                    "met"
                    if r.meets_threshold
                    else f"not met (needs {record.discharge_aldrete_min})",
                    _s(r.note),
                    r.performer.full_name,
                )
                for r in record.recovery
                if not r.voided
            ),
            time_columns=(0,),
        ),
        SnapshotTable(
            key="adverse_events",
            title="Adverse events",
            columns=("Onset", "Term", "Grade", "Serious", "Related", "Action", "Outcome", "Sites"),
            rows=tuple(
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
                for a in record.adverse_events
                if not a.voided
            ),
            time_columns=(0,),
        ),
    ]
    return tuple(tables)


def sedation_series(record: Any) -> tuple[SnapshotSeries, ...]:
    live = [v for v in record.vitals if not v.voided]

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
