"""Wording for the report: site-local times with offsets, and the corrections list.

Every time on paper is in the site's time zone, passed in by the caller (`tz`), never the
host's: the same record prints the same on any workstation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from slidesk.domain.errors import DomainError
from slidesk.domain.sedation.doses import Dimension, Dose, plain, unit
from slidesk.domain.values import Depth, Volume
from slidesk.i18n import N_, _
from slidesk.persistence.transaction import Transaction
from slidesk.reports.model import Table
from slidesk.services.record.names import RecordNames
from slidesk.services.record.snapshot import RecordSnapshot
from slidesk.services.record.v1 import RecordSnapshotV1

# Entities whose updates are status changes of the record itself, not corrections of data.
_NOT_CORRECTIONS = frozenset({"procedures", "users", "subjects"})
_FIELD_LABELS = {
    "depth_um": N_("depth"),
    "volume_ul": N_("volume"),
    "syringe_label": N_("syringe"),
    "performed_at": N_("time"),
    "deviation_reason": N_("deviation reason"),
    "voided": N_("undone"),
    "void_reason": N_("reason for undo"),
    "amount_nano": N_("amount"),
    "entered_amount": N_("amount as typed"),
    "entered_unit": N_("unit as typed"),
    "given_at": N_("time given"),
    "flow_ml_min": N_("flow"),
    "temp_dc": N_("temperature"),
    "limit_reason": N_("reason for exceeding the limit"),
}
# Dose flags that follow from the amount: worded as part of the amount's line.
_DOSE_FLAGS = {
    "over_single_max": (
        N_("now above the single maximum"),
        N_("no longer above the single maximum"),
    ),
    "cumulative_warning": (
        N_("now reaches the cumulative warning level"),
        N_("no longer reaches the cumulative warning level"),
    ),
    "over_cumulative_max": (
        N_("now above the cumulative maximum"),
        N_("no longer above the cumulative maximum"),
    ),
}
# Columns that only restate another change: "late" follows from the corrected time.
_FOLLOWS = frozenset({"late"})


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


def duration_text(span: timedelta) -> str:
    """A duration as it was, to the second, never rounded down: "6 min 56 s", "45 s",
    "1 h 2 min 5 s", "6 min" (whole minutes say no seconds)."""
    total = int(span.total_seconds())
    hours, rest = divmod(abs(total), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(_("{n} h").format(n=hours))
    if minutes:
        parts.append(_("{n} min").format(n=minutes))
    if seconds or not parts:
        parts.append(_("{n} s").format(n=seconds))
    return ("−" if total < 0 else "") + " ".join(parts)


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
    items = RecordNames(snap, tz)
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
        rows.append(
            (
                local(_parse(a.at_utc), tz),
                names.get(a.user_id, a.username or "?") if a.user_id else (a.username or "?"),
                items.name(entity, a.entity_id),
                "; ".join(
                    change_lines(
                        changes, tz, dose_unit(items, entity, a.entity_id), void_reason=False
                    )
                ),
                a.reason or "",
            )
        )
    return Table(
        title="Corrections",
        columns=("When", "By", "Item", "Change (old → new)", "Reason"),
        rows=tuple(rows),
        widths=(1.45, 1.1, 1.5, 2.5, 2.4),
        empty_text="No entry was corrected or undone.",
    )


def change_lines(
    values: Mapping[str, Sequence[Any]],
    tz: tzinfo,
    unit: tuple[str, str] | None = None,
    *,
    void_reason: bool = True,
) -> list[str]:
    """One line per fact changed in one entry (`values`: field → (old, new)).

    A corrected dose changes the charted amount and the amount as typed together: that is
    one fact, said once ("amount 50 µg → 25 µg"), with the limit flags it moved; a strike-out
    is "struck out" with its reason (`void_reason=False` where a Reason column shows it).
    """
    changed = {f: (v[0], v[1]) for f, v in values.items() if v[0] != v[1]}
    voided = changed.pop("voided", None)
    why = changed.pop("void_reason", None)
    lines: list[str] = []
    if voided is not None and voided[1] is True:
        reason = why[1] if why is not None else None
        lines.append(
            _("struck out ({reason})").format(reason=reason)
            if void_reason and reason
            else _("struck out")
        )
    elif voided is not None:
        lines.append(_("restored"))
    elif why is not None:
        lines.append(describe("void_reason", why[0], why[1], tz, unit))
    flags = {f: changed.pop(f) for f in list(changed) if f in _DOSE_FLAGS}
    if "amount_nano" in changed:
        changed.pop("entered_amount", None)
        changed.pop("entered_unit", None)
    elif "entered_amount" in changed and "entered_unit" in changed:
        amount, code = changed.pop("entered_amount"), changed.pop("entered_unit")
        lines.append(
            _("amount as typed {old} → {new}").format(
                old=f"{amount[0]} {_unit_symbol(code[0])}",
                new=f"{amount[1]} {_unit_symbol(code[1])}",
            )
        )
    if any(f.endswith("_at") for f in changed):
        for follows in _FOLLOWS:
            changed.pop(follows, None)
    for field, (old, new) in sorted(changed.items()):
        line = describe(field, old, new, tz, unit)
        if field == "amount_nano" and flags:
            moved = [_(_DOSE_FLAGS[f][0 if new_flag else 1]) for f, (_o, new_flag) in flags.items()]
            line += f" ({', '.join(moved)})"
            flags = {}
        lines.append(line)
    lines.extend(
        _(_DOSE_FLAGS[f][0 if new_flag else 1]) for f, (_o, new_flag) in sorted(flags.items())
    )
    return lines


def dose_unit(items: RecordNames, entity: str, entity_id: str | None) -> tuple[str, str] | None:
    """(dimension, unit) of a dose entry, for wording its amounts; None for other entries."""
    dose = items.item(entity, entity_id) if entity == "sedation_doses" else None
    return (dose.dimension, dose.unit) if dose is not None else None


def _unit_symbol(code: Any) -> str:
    try:
        return unit(str(code)).symbol
    except (KeyError, ValueError, DomainError):
        return str(code)


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
