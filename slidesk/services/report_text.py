"""Wording for the report: site-local times with offsets, and the corrections list.

Every time on paper is in the site's time zone, passed in by the caller (`tz`), never the
host's: the same record prints the same on any workstation.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from typing import Any

from slidesk.domain.doses import Dimension, Dose, plain
from slidesk.domain.values import Depth, Volume
from slidesk.i18n import N_, _
from slidesk.persistence.uow import Transaction
from slidesk.reports.model import Table
from slidesk.services.record_snapshot import RecordSnapshot
from slidesk.services.record_v1 import RecordSnapshotV1

# Entities whose updates are status changes of the record itself, not corrections of data.
_NOT_CORRECTIONS = frozenset({"procedures", "users", "subjects"})
_ENTITY_LABELS = {
    "sedation_doses": N_("Dose"),
    "vital_signs": N_("Vital signs"),
    "sedation_oxygen": N_("Oxygen"),
    "sedation_events": N_("Sedation event"),
    "recovery_scores": N_("Recovery score"),
    "adverse_events": N_("Adverse event"),
    "checklist_ticks": N_("Checklist item"),
    "site_flags": N_("Site finding"),
    "syringe_dispositions": N_("Syringe"),
}
_FIELD_LABELS = {
    "depth_um": N_("depth"),
    "volume_ul": N_("volume"),
    "syringe_label": N_("syringe"),
    "performed_at": N_("time"),
    "deviation_reason": N_("deviation reason"),
    "voided": N_("undone"),
    "void_reason": N_("reason for undo"),
    "amount_nano": N_("amount"),
    "flow_ml_min": N_("flow"),
    "temp_dc": N_("temperature"),
}


def _offset(value: datetime) -> str:
    delta = value.utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta is not None else 0
    sign = "+" if minutes >= 0 else "−"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def local(value: datetime | None, tz: tzinfo, fmt: str = "%d %b %Y %H:%M") -> str:
    """A UTC time as site-local text with its offset ("25 Nov 2026 09:42 +01:00")."""
    if value is None:
        return "—"
    shown = value.astimezone(tz)
    if fmt == "%d %b %Y":
        return shown.strftime(fmt)
    return f"{shown.strftime(fmt)} {_offset(shown)}"


def local_time(value: datetime, tz: tzinfo) -> str:
    """Time of day with seconds and offset ("09:42:10 +01:00"), for times within the day."""
    return local(value, tz, "%H:%M:%S")


def clock(value: datetime, tz: tzinfo) -> str:
    """Time of day with seconds, no offset ("09:42:10"), inside a cell that has its offset."""
    return value.astimezone(tz).strftime("%H:%M:%S")


def corrections_table(
    tx: Transaction,
    snap: RecordSnapshot | RecordSnapshotV1,
    cutoff: datetime | None,
    tz: tzinfo,
) -> Table:
    """Every change after first entry (with its reason) up to `cutoff`, oldest first."""
    sites = {str(e.id): e.site_no for e in snap.entries}
    doses = {str(d.id): d for d in snap.doses} if isinstance(snap, RecordSnapshot) else {}
    names = tx.users.names()
    limit = _canonical(cutoff) if cutoff is not None else None
    rows = []
    for a in tx.audit.for_procedure(snap.procedure_id):
        if a.action != "update" or (a.entity or "") in _NOT_CORRECTIONS:
            continue
        if limit is not None and a.at_utc > limit:
            continue
        changes = json.loads(a.changes) if a.changes else {}
        entity = a.entity or ""
        if entity == "site_entries":
            what = _("Site {n}").format(n=sites.get(a.entity_id or "", "?"))
        else:
            what = f"{_(_ENTITY_LABELS.get(entity, entity or '?'))} #{a.entity_id}"
        dose = doses.get(a.entity_id or "") if entity == "sedation_doses" else None
        unit = (dose.dimension, dose.unit) if dose is not None else None
        rows.append(
            (
                local(_parse(a.at_utc), tz),
                names.get(a.user_id, a.username or "?") if a.user_id else (a.username or "?"),
                what,
                "; ".join(
                    describe(f, old, new, tz, unit) for f, (old, new) in sorted(changes.items())
                ),
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


def describe(
    field: str, old: Any, new: Any, tz: tzinfo, unit: tuple[str, str] | None = None
) -> str:
    """ "depth 12.5 mm → 14.0 mm": a field's change in words."""
    label = _(_FIELD_LABELS.get(field, field.replace("_", " ")))
    return f"{label} {value_text(field, old, tz, unit)} → {value_text(field, new, tz, unit)}"


def value_text(field: str, value: Any, tz: tzinfo, unit: tuple[str, str] | None = None) -> str:
    if value is None or value == "":
        return _("(empty)")
    if field == "depth_um":
        return str(Depth(int(value)))
    if field == "volume_ul":
        return str(Volume(int(value)))
    if field == "amount_nano" and unit is not None:
        return Dose(Dimension(unit[0]), int(value)).text(unit[1])
    if field == "flow_ml_min":
        return f"{plain(Decimal(int(value)) / 1000)} L/min"
    if field == "temp_dc":
        return f"{plain(Decimal(int(value)) / 10)} °C"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
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
