"""What changed between two signed contents, in words ("Site 12: depth 12.5 mm → 14.0 mm").

Printed on an amended version's report and listed in the review of an amendment, where the
signer confirms each change. Two schema-2 snapshots are compared item by item (same id: changed
fields; new id: a new entry). A version signed in schema 1 held the sedation record only as
worded tables; against it the header, the site entries and the checklist are compared field by
field, and the other sections are described from the audit trail since that version was
signed (every entry added or changed), which is exactly what the amendment changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import fields
from datetime import UTC, datetime, tzinfo
from typing import Any

from slidesk.i18n import N_, _
from slidesk.persistence.transaction import Transaction
from slidesk.protocol.model import Protocol
from slidesk.services.record.names import RecordNames, entry_name
from slidesk.services.record.snapshot import RecordSnapshot
from slidesk.services.record.v1 import RecordSnapshotV1
from slidesk.services.record.wording import change_lines, describe, dose_unit

_HEADER = (
    "kit_number",
    "location",
    "operator_id",
    "nurse_id",
    "product_release_at",
    "started_at",
    "completed_at",
)
_ENTRY_FIELDS = (
    "kind",
    "depth_um",
    "volume_ul",
    "syringe_label",
    "performed_at",
    "deviation_reason",
    "skip_reason",
    "skip_detail",
    "relocated",
    "actual_x_e4",
    "actual_y_e4",
    "voided",
    "void_reason",
)
# Schema-2 sections other than entries: (attribute, audit entity, label).
_SECTIONS = (
    ("checklist", "checklist_ticks", N_("Checklist item")),
    ("flags", "site_flags", N_("Site finding")),
    ("dispositions", "syringe_dispositions", N_("Syringe")),
    ("doses", "sedation_doses", N_("Dose")),
    ("oxygen", "sedation_oxygen", N_("Oxygen")),
    ("vitals", "vital_signs", N_("Vital signs")),
    ("events", "sedation_events", N_("Sedation event")),
    ("recovery", "recovery_scores", N_("Recovery score")),
    ("adverse_events", "adverse_events", N_("Adverse event")),
)


def amendment_changes(
    tx: Transaction,
    before: RecordSnapshot | RecordSnapshotV1,
    after: RecordSnapshot | RecordSnapshotV1,
    protocol: Protocol,
    *,
    since: datetime,
    until: datetime | None = None,
    tz: tzinfo = UTC,
) -> tuple[str, ...]:
    """Each difference between the previous signed content and this one, in words."""
    del protocol  # the wording needs no protocol data today; kept for callers' symmetry
    lines: list[str] = []
    for field in _HEADER:
        a, b = getattr(before, field), getattr(after, field)
        if a != b:
            lines.append(_("Header: {change}").format(change=describe(field, a, b, tz)))
    old = {e.id: e for e in before.entries}
    for e in after.entries:
        prior = old.get(e.id)
        if prior is None:
            lines.append(_("Site {n}: new entry ({kind})").format(n=e.site_no, kind=e.kind))
            continue
        diff = {f: (getattr(prior, f), getattr(e, f)) for f in _ENTRY_FIELDS}
        site = _("Site {n}").format(n=e.site_no)
        lines.extend(f"{site}: {line}" for line in change_lines(diff, tz))
    if isinstance(before, RecordSnapshot) and isinstance(after, RecordSnapshot):
        for attr, entity, _label in _SECTIONS:
            lines.extend(_item_changes(entity, getattr(before, attr), getattr(after, attr), tz))
    elif isinstance(before, RecordSnapshotV1) and isinstance(after, RecordSnapshotV1):
        lines.extend(_table_changes(before, after))
    elif isinstance(before, RecordSnapshotV1) and isinstance(after, RecordSnapshot):
        ticks_before = {(t.item_key, t.ticked_by, t.ticked_at) for t in before.checklist or ()}
        ticks_after = {
            (t.item_key, t.ticked_by, t.ticked_at) for t in after.checklist if not t.voided
        }
        if ticks_before != ticks_after:
            lines.append(_("Time-out checklist changed"))
        lines.extend(_trail_changes(tx, after, since, until, tz))
    return tuple(lines)


def _table_changes(before: RecordSnapshotV1, after: RecordSnapshotV1) -> Iterator[str]:
    """Two schema-1 versions: their worded tables compared row by row."""
    old_tables = {t.key: t for t in before.sections or ()}
    for table in after.sections or ():
        prior_rows = set(old_tables[table.key].rows) if table.key in old_tables else set()
        added = len(set(table.rows) - prior_rows)
        removed = len(prior_rows - set(table.rows))
        if added or removed:
            yield _("{table}: {added} row(s) new or changed, {removed} replaced").format(
                table=table.title, added=added, removed=removed
            )
    if (before.checklist or ()) != (after.checklist or ()):
        yield _("Time-out checklist changed")


def _item_changes(
    entity: str, before: Sequence[Any], after: Sequence[Any], tz: tzinfo
) -> Iterator[str]:
    old = {i.id: i for i in before}
    for item in after:
        prior = old.get(item.id)
        name = entry_name(entity, item, tz)
        if prior is None:
            yield _("{item}: new entry").format(item=name)
            continue
        diff = {
            f.name: (_plain(getattr(prior, f.name)), _plain(getattr(item, f.name)))
            for f in fields(item)
        }
        for line in change_lines(diff, tz, _unit(item)):
            yield f"{name}: {line}"


def _trail_changes(
    tx: Transaction, after: RecordSnapshot, since: datetime, until: datetime | None, tz: tzinfo
) -> Iterator[str]:
    """Entries added or changed after `since` (up to `until`) in the sections schema 1 held
    only as text."""
    entities = {entity for _attr, entity, _label in _SECTIONS if entity != "checklist_ticks"}
    items = RecordNames(after, tz)
    first, last = _utc(since), _utc(until) if until is not None else None
    for a in tx.audit.for_procedure(after.procedure_id):
        entity = a.entity or ""
        if entity not in entities or a.at_utc <= first or a.action not in ("create", "update"):
            continue
        if last is not None and a.at_utc > last:
            continue
        name = items.name(entity, a.entity_id)
        if a.action == "create":
            yield _("{item}: new entry").format(item=name)
            continue
        changes = json.loads(a.changes) if a.changes else {}
        for line in change_lines(changes, tz, dose_unit(items, entity, a.entity_id)):
            yield f"{name}: {line}"


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _unit(item: Any) -> tuple[str, str] | None:
    if hasattr(item, "amount_nano"):
        return (item.dimension, item.unit)
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return value
