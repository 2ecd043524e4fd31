"""Wording for the report: local times with offsets, the corrections list, amendment changes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from slidesk.clock import DEFAULT_ZONE
from slidesk.domain.values import Depth, Volume
from slidesk.persistence.uow import Transaction
from slidesk.protocol import Protocol
from slidesk.reports.model import Table
from slidesk.services.record_snapshot import RecordSnapshot

# Entities whose updates are status changes of the record itself, not corrections of data.
_NOT_CORRECTIONS = frozenset({"procedures", "users", "subjects"})
_ENTITY_LABELS = {
    "sedation_doses": "Dose",
    "vital_signs": "Vital signs",
    "oxygen": "Oxygen",
    "sedation_events": "Sedation event",
    "recovery_scores": "Recovery score",
    "adverse_events": "Adverse event",
    "checklist_ticks": "Checklist item",
    "site_flags": "Site flag",
}
_FIELD_LABELS = {
    "depth_um": "depth",
    "volume_ul": "volume",
    "syringe_label": "syringe",
    "performed_at": "time",
    "deviation_reason": "deviation reason",
    "voided": "undone",
    "void_reason": "reason for undo",
}


def _offset(value: datetime) -> str:
    delta = value.utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta is not None else 0
    sign = "+" if minutes >= 0 else "−"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def local(value: datetime | None, tz: tzinfo | None, fmt: str = "%d %b %Y %H:%M") -> str:
    """A UTC time as local text with its offset ("25 Nov 2026 09:42 +01:00")."""
    if value is None:
        return "—"
    shown = value.astimezone(tz if tz is not None else ZoneInfo(DEFAULT_ZONE))
    if fmt == "%d %b %Y":
        return shown.strftime(fmt)
    return f"{shown.strftime(fmt)} {_offset(shown)}"


def local_time(value: datetime, tz: tzinfo | None) -> str:
    return local(value, tz, "%H:%M:%S")


def corrections_table(
    tx: Transaction, snap: RecordSnapshot, cutoff: datetime | None, tz: tzinfo | None
) -> Table:
    """Every change after first entry (with its reason) up to `cutoff`, oldest first."""
    sites = {str(e.id): e.site_no for e in snap.entries}
    names = tx.users.names()
    limit = _canonical(cutoff) if cutoff is not None else None
    rows = []
    for a in tx.audit.for_procedure(snap.procedure_id):
        if a.action != "update" or (a.entity or "") in _NOT_CORRECTIONS:
            continue
        if limit is not None and a.at_utc > limit:
            continue
        changes = json.loads(a.changes) if a.changes else {}
        if (a.entity or "") == "site_entries":
            what = f"Site {sites.get(a.entity_id or '', '?')}"
        else:
            what = f"{_ENTITY_LABELS.get(a.entity or '', a.entity or '?')} #{a.entity_id}"
        rows.append(
            (
                local(_parse(a.at_utc), tz),
                names.get(a.user_id, a.username or "?") if a.user_id else (a.username or "?"),
                what,
                "; ".join(describe(f, old, new, tz) for f, (old, new) in sorted(changes.items())),
                a.reason or "",
            )
        )
    return Table(
        title="Corrections",
        columns=("When", "By", "Item", "Change (old → new)", "Reason"),
        rows=tuple(rows),
        widths=(1.55, 1.1, 1.0, 2.9, 2.4),
        empty_text="No entry was corrected or undone.",
    )


def amendment_changes(
    before: RecordSnapshot, after: RecordSnapshot, protocol: Protocol
) -> tuple[str, ...]:
    """What differs between two signed contents, in words ("Site 12: depth 12.5 → 14.0 mm")."""
    lines: list[str] = []
    old = {e.id: e for e in before.entries}
    for e in after.entries:
        prior = old.get(e.id)
        if prior is None:
            lines.append(f"Site {e.site_no}: new entry ({e.kind})")
            continue
        for field in (
            "depth_um",
            "volume_ul",
            "syringe_label",
            "performed_at",
            "deviation_reason",
            "skip_reason",
            "skip_detail",
            "voided",
        ):
            a, b = getattr(prior, field), getattr(e, field)
            if a != b:
                lines.append(f"Site {e.site_no}: {describe(field, a, b, None)}")
    for field in ("kit_number", "location", "product_release_at", "started_at", "completed_at"):
        if getattr(before, field) != getattr(after, field):
            lines.append(f"{field.replace('_', ' ').capitalize()} changed")
    old_tables = {t.key: t for t in before.sections or ()}
    for table in after.sections or ():
        prior_rows = set(old_tables[table.key].rows) if table.key in old_tables else set()
        added = len(set(table.rows) - prior_rows)
        removed = len(prior_rows - set(table.rows))
        if added or removed:
            lines.append(f"{table.title}: {added} row(s) new or changed, {removed} replaced")
    if (before.checklist or ()) != (after.checklist or ()):
        lines.append("Time-out checklist changed")
    return tuple(lines)


def describe(field: str, old: Any, new: Any, tz: tzinfo | None) -> str:
    """A field's change in words ("depth 12.5 mm → 14.0 mm")."""
    label = _FIELD_LABELS.get(field, field.replace("_", " "))
    return f"{label} {_value(field, old, tz)} → {_value(field, new, tz)}"


def _value(field: str, value: Any, tz: tzinfo | None) -> str:
    if value is None or value == "":
        return "(empty)"
    if field == "depth_um":
        return str(Depth(int(value)))
    if field == "volume_ul":
        return str(Volume(int(value)))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return local(value, tz)
    if isinstance(value, str) and field.endswith("_at"):
        try:
            return local(_parse(value), tz)
        except ValueError:
            return value
    return str(value)


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _canonical(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
