"""Reading and exporting the audit trail (AUD-05, AUD-06): filtered pages of DTOs, CSV export.

Pages use keyset pagination on the chain position (seq), so page 500 of a 100,000-entry trail
is as quick as page 1. Each entry's `changes` JSON ({field: [old, new]}, or details of a
non-data event) becomes `AuditChange` lines with readable values (micrometres as mm, UTC
times as local time with the offset recorded at the time). Reading needs READ_AUDIT; exporting
also needs EXPORT and is itself audited, with the file's SHA-256. The CSV's last line names
the checkpoint of the trail in force when it was written (`checkpoint_marks`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from slidesk.clock import Clock
from slidesk.domain.checkpoints import CheckpointReason
from slidesk.domain.errors import DomainError, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.users import Actor, Permission
from slidesk.domain.values import clean_text
from slidesk.i18n import _
from slidesk.integrity.chain import canonical_value
from slidesk.persistence.queries.audit import AuditCriteria, AuditQueries
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.audit.words import (
    AuditChange,
    Names,
    changes_in_words,
    event_label,
    field_label,
    format_local,
    named,
    record_in_words,
)
from slidesk.services.boundary import boundary
from slidesk.services.checkpoint_marks import mark_text, newest_in
from slidesk.services.csv_files import CsvWritten, write_csv

# Re-exported: callers import them from here.
__all__ = ["AuditChange", "field_label", "format_local"]

PAGE_SIZE = 200


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
    record: str = ""  # the record in words: "Account of M. Jansen (monitor)", "Procedure 4"
    label: str = ""  # the event type in words: "Injection corrected" (the stored text if unnamed)

    @property
    def who(self) -> str:
        """The person by name and username, and the role they acted in."""
        if not self.username:
            return _("(no signed-in user)")
        who = named(self.full_name, self.username)
        return _("{who} as {role}").format(who=who, role=self.role) if self.role else who

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
    names: Names = field(default_factory=Names)


@dataclass(frozen=True, slots=True)
class AuditExport(CsvWritten):
    """A written audit-trail CSV: `entries` audit entries (as the viewer counts them) on
    `rows` lines, one line per changed field."""

    entries: int = 0


class ExportCancelled(DomainError):
    """The person stopped the export; no file was written."""


@boundary
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
        # An entry that names only its procedure (a report printed, exported …) still belongs
        # to the procedure's subject.
        by_procedure = queries.procedure_study_ids(
            r["procedure_id"] for r in rows if r["procedure_id"] and not r["subject_id"]
        )
        entries = tuple(_entry_view(r, resolved.names, study_ids, by_procedure) for r in rows)
    next_cursor = entries[-1].seq if len(entries) == limit else None
    return AuditPage(entries, next_cursor)


@boundary
def count_entries(*, uow: UnitOfWork, actor: Actor, audit_filter: AuditFilter) -> int:
    actor.require(Permission.READ_AUDIT)
    with uow.read() as tx:
        resolved = _resolve(tx, audit_filter)
        if resolved.criteria is None:
            return 0
        return tx.repo(AuditQueries).count(resolved.criteria)


@boundary
def event_types(*, uow: UnitOfWork, actor: Actor) -> tuple[str, ...]:
    """Every kind of entry present in the trail, for the 'kind of change' filter."""
    actor.require(Permission.READ_AUDIT)
    with uow.read() as tx:
        return tuple(tx.repo(AuditQueries).event_types())


@boundary
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
    "change in words",
    "reason",
    "entry hash",
)


@boundary
def export_csv(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    audit_filter: AuditFilter,
    path: str | Path,
    progress: Callable[[int], bool] | None = None,
) -> AuditExport:
    """Write the filtered trail to CSV, one line per changed field; audit the export.

    The file holds exactly the entries the viewer shows with the same filter (a subject's
    entries include every entry about its procedures); `entries` counts them as the viewer
    does, `rows` counts the lines.

    `progress(rows_written)` is called every few hundred rows; returning False cancels (no
    file is left behind). Safe to run in a worker thread: it only opens its own transactions.
    """
    actor.require(Permission.READ_AUDIT)
    actor.require(Permission.EXPORT)

    seen = [0]

    def lines() -> Iterator[tuple[object, ...]]:
        written = 0
        for entry in iter_entries(uow=uow, actor=actor, audit_filter=audit_filter):
            seen[0] += 1
            for change in entry.changes or (AuditChange("", "", "", ""),):
                yield _csv_line(entry, change)
                written += 1
                if progress is not None and written % 500 == 0 and not progress(written):
                    raise ExportCancelled("The export was stopped; no file was written.")

    with uow.read() as tx:
        # The newest checkpoint before this export's own entry: its last line, and its entry.
        checkpoint = mark_text(newest_in(tx))
    written = write_csv(path, CSV_HEADER, lines(), trailer=(checkpoint,))
    details: dict[str, Any] = {
        "file": written.path.name,
        "checkpoint": checkpoint,
        "entries": seen[0],
        "rows": written.rows,
        "sha256": written.sha256,
        "filter": audit_filter.describe(),
    }
    with uow.begin(actor=actor, clock=clock) as tx:
        # An export of one subject's (or procedure's) trail is part of that trail.
        scope = _resolve(tx, audit_filter).criteria
        tx.event(
            event_type=AuditEvent.EXPORT_AUDIT_TRAIL,
            details=details,
            subject_id=scope.subject_id if scope is not None else None,
            procedure_id=audit_filter.procedure_id,
        )
        tx.commit()
    uow.milestone(clock, CheckpointReason.EXPORT)
    return AuditExport(written.path, written.rows, written.sha256, seen[0])


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
        change.sentence,
        entry.reason or "",
        entry.hash,
    )


def _resolve(tx: Transaction, f: AuditFilter) -> _Resolved:
    """Turn typed filters into database criteria; explain when a filter can match nothing."""
    queries = tx.repo(AuditQueries)
    names = Names(queries.people(), queries.all_study_ids())
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
    row: dict[str, Any],
    names: Names,
    study_ids: dict[int, str],
    by_procedure: dict[int, str],
) -> AuditEntryView:
    at = datetime.fromisoformat(row["at_utc"].replace("Z", "+00:00")).astimezone(UTC)
    offset = int(row["utc_offset_min"])
    user_id = row["user_id"]
    study_id = study_ids.get(row["subject_id"]) if row["subject_id"] else None
    if study_id is None and row["procedure_id"]:
        study_id = by_procedure.get(row["procedure_id"])
    return AuditEntryView(
        seq=int(row["seq"]),
        at_utc=at,
        utc_offset_min=offset,
        user_id=row["user_id"],
        username=row["username"],
        full_name=names.people[user_id][0] if user_id in names.people else None,
        role=row["role"],
        host=row["host"],
        action=row["action"],
        event_type=row["event_type"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        procedure_id=row["procedure_id"],
        subject_id=row["subject_id"],
        study_id=study_id,
        changes=changes_in_words(row["action"], row["changes"], offset, names),
        reason=row["reason"],
        hash=row["hash"],
        record=record_in_words(row["entity"], row["entity_id"], names, user_id),
        label=event_label(row["event_type"]),
    )
