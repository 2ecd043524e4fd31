"""Reading and exporting the audit trail (AUD-05, AUD-06): filtered pages of DTOs, CSV export.

Pages use keyset pagination on the chain position (seq), so page 500 of a 100,000-entry trail
is as quick as page 1. Each entry's `changes` JSON ({field: [old, new]}, or details of a
non-data event) becomes `AuditChange` lines with readable values (micrometres as mm, UTC
times as local time with the offset recorded at the time). Reading needs READ_AUDIT; exporting
also needs EXPORT and is itself audited, with the file's SHA-256.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from slidesk.audit import canonical_value
from slidesk.clock import Clock
from slidesk.domain.errors import DomainError, ValidationError
from slidesk.domain.users import Actor, Permission
from slidesk.domain.values import clean_text
from slidesk.persistence.audit_queries import AuditCriteria, AuditQueries
from slidesk.persistence.uow import Transaction, UnitOfWork
from slidesk.services.csv_files import CsvWritten, write_csv

PAGE_SIZE = 200
_UTC_TEXT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
_HIDDEN = "(hidden)"


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """The viewer's filters; empty fields do not filter. Times are aware; `until` is exclusive."""

    study_id: str | None = None
    procedure_id: int | None = None
    username: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    event_prefix: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    newest_first: bool = True

    def describe(self) -> dict[str, str]:
        """The active filters as text (for the export's audit entry and the file name)."""
        shown: dict[str, str] = {}
        for name in (
            "study_id",
            "procedure_id",
            "username",
            "since",
            "until",
            "event_prefix",
            "entity",
            "entity_id",
        ):
            value = getattr(self, name)
            if value not in (None, ""):
                shown[name] = str(canonical_value(value))
        return shown


@dataclass(frozen=True, slots=True)
class AuditChange:
    """One field of an entry: `old` → `new`, as readable text ('' for none).

    For a non-data event (sign-in, export …) `is_detail` is true and `new` holds the detail.
    """

    field: str
    label: str
    old: str
    new: str
    is_detail: bool = False


@dataclass(frozen=True, slots=True)
class AuditEntryView:
    seq: int
    at_utc: datetime
    utc_offset_min: int
    user_id: int | None
    username: str | None
    full_name: str | None
    role: str | None
    host: str
    action: str
    event_type: str
    entity: str | None
    entity_id: str | None
    procedure_id: int | None
    subject_id: int | None
    study_id: str | None
    changes: tuple[AuditChange, ...]
    reason: str | None
    hash: str

    @property
    def local_time(self) -> str:
        """When, in the local time of the machine that wrote it, with that offset."""
        return format_local(self.at_utc, self.utc_offset_min)


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: tuple[AuditEntryView, ...]
    next_cursor: int | None
    notice: str | None = None  # e.g. "No subject with study ID …" (why the page is empty)


@dataclass(frozen=True, slots=True)
class _Resolved:
    criteria: AuditCriteria | None
    notice: str | None = None
    names: dict[int, str] = field(default_factory=dict)


class ExportCancelled(DomainError):
    """The person stopped the export; no file was written."""


def format_local(at_utc: datetime, offset_min: int) -> str:
    local = at_utc.astimezone(timezone(timedelta(minutes=offset_min)))
    sign = "+" if offset_min >= 0 else "-"
    hours, minutes = divmod(abs(offset_min), 60)
    return f"{local:%Y-%m-%d %H:%M:%S} {sign}{hours:02d}:{minutes:02d}"


def read_page(
    *,
    uow: UnitOfWork,
    actor: Actor,
    audit_filter: AuditFilter,
    cursor: int | None = None,
    limit: int = PAGE_SIZE,
) -> AuditPage:
    """One page of entries matching the filter; pass `next_cursor` back for the next one."""
    actor.require(Permission.READ_AUDIT)
    limit = max(1, min(limit, 5000))
    with uow.read() as tx:
        resolved = _resolve(tx, audit_filter)
        if resolved.criteria is None:
            return AuditPage((), None, resolved.notice)
        queries = tx.repo(AuditQueries)
        rows = queries.page(
            resolved.criteria,
            cursor=cursor,
            newest_first=audit_filter.newest_first,
            limit=limit,
        )
        study_ids = queries.study_ids(r["subject_id"] for r in rows if r["subject_id"])
        entries = tuple(_entry_view(r, resolved.names, study_ids) for r in rows)
    next_cursor = entries[-1].seq if len(entries) == limit else None
    return AuditPage(entries, next_cursor)


def count_entries(*, uow: UnitOfWork, actor: Actor, audit_filter: AuditFilter) -> int:
    actor.require(Permission.READ_AUDIT)
    with uow.read() as tx:
        resolved = _resolve(tx, audit_filter)
        if resolved.criteria is None:
            return 0
        return tx.repo(AuditQueries).count(resolved.criteria)


def event_types(*, uow: UnitOfWork, actor: Actor) -> tuple[str, ...]:
    """Every kind of entry present in the trail, for the 'kind of change' filter."""
    actor.require(Permission.READ_AUDIT)
    with uow.read() as tx:
        return tuple(tx.repo(AuditQueries).event_types())


def iter_entries(
    *, uow: UnitOfWork, actor: Actor, audit_filter: AuditFilter, batch: int = 2000
) -> Iterator[AuditEntryView]:
    """Every matching entry, page by page (one short read transaction per page)."""
    cursor: int | None = None
    while True:
        page = read_page(
            uow=uow, actor=actor, audit_filter=audit_filter, cursor=cursor, limit=batch
        )
        yield from page.entries
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


CSV_HEADER = (
    "seq",
    "local time",
    "UTC time",
    "username",
    "full name",
    "role",
    "host",
    "event type",
    "action",
    "entity",
    "record",
    "subject",
    "procedure",
    "field",
    "old value",
    "new value",
    "reason",
    "entry hash",
)


def export_csv(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    audit_filter: AuditFilter,
    path: str | Path,
    progress: Callable[[int], bool] | None = None,
) -> CsvWritten:
    """Write the filtered trail to CSV, one line per changed field; audit the export.

    `progress(rows_written)` is called every few hundred rows; returning False cancels (no
    file is left behind). Safe to run in a worker thread: it only opens its own transactions.
    """
    actor.require(Permission.READ_AUDIT)
    actor.require(Permission.EXPORT)

    def lines() -> Iterator[tuple[object, ...]]:
        written = 0
        for entry in iter_entries(uow=uow, actor=actor, audit_filter=audit_filter):
            for change in entry.changes or (AuditChange("", "", "", ""),):
                yield _csv_line(entry, change)
                written += 1
                if progress is not None and written % 500 == 0 and not progress(written):
                    raise ExportCancelled("The export was stopped; no file was written.")

    written = write_csv(path, CSV_HEADER, lines())
    details: dict[str, Any] = {
        "file": written.path.name,
        "rows": written.rows,
        "sha256": written.sha256,
        "filter": audit_filter.describe(),
    }
    with uow.begin(actor=actor, clock=clock) as tx:
        tx.event(event_type="export.audit_trail", details=details)
        tx.commit()
    return written


def _csv_line(entry: AuditEntryView, change: AuditChange) -> tuple[object, ...]:
    return (
        entry.seq,
        entry.local_time,
        canonical_value(entry.at_utc),
        entry.username or "",
        entry.full_name or "",
        entry.role or "",
        entry.host,
        entry.event_type,
        entry.action,
        entry.entity or "",
        entry.entity_id or "",
        entry.study_id or "",
        entry.procedure_id if entry.procedure_id is not None else "",
        change.label,
        change.old,
        change.new,
        entry.reason or "",
        entry.hash,
    )


def _resolve(tx: Transaction, f: AuditFilter) -> _Resolved:
    """Turn typed filters into database criteria; explain when a filter can match nothing."""
    queries = tx.repo(AuditQueries)
    names = queries.full_names()
    subject_id = user_id = None
    if f.study_id:
        study_id = (clean_text(f.study_id, "Study ID", max_len=40) or "").upper()
        subject_id = queries.subject_id(study_id)
        if subject_id is None:
            return _Resolved(None, f"No subject with study ID {study_id}.", names)
    if f.username:
        username = clean_text(f.username, "User", max_len=64) or ""
        user_id = queries.user_id(username)
        if user_id is None:
            return _Resolved(None, f"No account with username {username}.", names)
    for name in ("since", "until"):
        value = getattr(f, name)
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise ValidationError(f"The '{name}' date has no time zone.")
    prefix = clean_text(f.event_prefix, "Kind of change", max_len=60)
    criteria = AuditCriteria(
        subject_id=subject_id,
        procedure_id=f.procedure_id,
        user_id=user_id,
        since_utc=canonical_value(f.since) if f.since else None,
        until_utc=canonical_value(f.until) if f.until else None,
        event_prefix=prefix,
        entity=f.entity,
        entity_id=f.entity_id,
    )
    return _Resolved(criteria, None, names)


def _entry_view(
    row: dict[str, Any], names: dict[int, str], study_ids: dict[int, str]
) -> AuditEntryView:
    at = datetime.fromisoformat(row["at_utc"].replace("Z", "+00:00")).astimezone(UTC)
    offset = int(row["utc_offset_min"])
    return AuditEntryView(
        seq=int(row["seq"]),
        at_utc=at,
        utc_offset_min=offset,
        user_id=row["user_id"],
        username=row["username"],
        full_name=names.get(row["user_id"]) if row["user_id"] is not None else None,
        role=row["role"],
        host=row["host"],
        action=row["action"],
        event_type=row["event_type"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        procedure_id=row["procedure_id"],
        subject_id=row["subject_id"],
        study_id=study_ids.get(row["subject_id"]) if row["subject_id"] else None,
        changes=_changes(row["action"], row["changes"], offset, names),
        reason=row["reason"],
        hash=row["hash"],
    )


# Columns that hold a user id: shown as the person's name (with the id, which is unique).
_PERSON_FIELDS = frozenset(
    {"performer_id", "recorder_id", "operator_id", "nurse_id", "created_by", "signer_id"}
)


def _changes(action: str, text: str, offset: int, names: dict[int, str]) -> tuple[AuditChange, ...]:
    data = json.loads(text) if text else {}
    if not isinstance(data, dict):
        return (AuditChange("", "", "", _show(data, "", offset), is_detail=True),)
    lines = []
    for key in sorted(data):
        value = data[key]
        if action in ("create", "update", "delete") and _is_pair(value):
            old, new = value
            if action == "create" and (key == "id" or new in (None, "")):
                continue  # the record key is in 'What'; empty fields of a new record say nothing
            label = field_label(key)
            if key in _PERSON_FIELDS:
                label = label.removesuffix(" id")
                shown = (_person(old, names), _person(new, names))
            else:
                shown = (_show(old, key, offset), _show(new, key, offset))
            lines.append(AuditChange(key, label, *shown))
        else:
            lines.append(
                AuditChange(key, field_label(key), "", _show(value, key, offset), is_detail=True)
            )
    return tuple(lines)


def _person(value: object, names: dict[int, str]) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{names.get(value, '?')} (#{value})"
    return "" if value is None else str(value)


def _is_pair(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2


_UNITS = {"_um": ("mm", 1000), "_ul": ("mL", 1000), "_e4": ("", 10_000)}


def field_label(name: str) -> str:
    """'depth_um' → 'depth (mm)': the stored column, named for a reader."""
    for suffix, (unit, _) in _UNITS.items():
        if name.endswith(suffix):
            base = name[: -len(suffix)].replace("_", " ")
            return f"{base} ({unit})" if unit else base
    return name.replace("_", " ")


def _show(value: object, name: str, offset: int) -> str:
    """A stored value as a reader should see it; never a password hash."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        for suffix, (_, scale) in _UNITS.items():
            if name.endswith(suffix):
                return format((Decimal(value) / scale).normalize(), "f")
        return str(value)
    if isinstance(value, str):
        if value.startswith("$argon2"):
            return _HIDDEN
        if _UTC_TEXT.match(value):
            at = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return format_local(at, offset)
        return value
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v, k, offset)}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        return ", ".join(_show(v, name, offset) for v in value)
    return str(value)
