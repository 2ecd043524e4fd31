"""What every transaction of the unit of work shares: who and when, the repositories, the
pending audit entries (`event`, `insert`) and their append to the hash chain at commit.

The subclasses say how the connection is had, committed and given back:
`transaction.Transaction` (an ORM session) and `lite.LiteTransaction` (a bare pooled DBAPI
connection, the bedside path). Must not import `uow`, `transaction` or `lite`: the unit of work
is seen through the small `Database` protocol below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from types import TracebackType
from typing import Any, Protocol, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from slidesk.clock import Clock
from slidesk.domain.events import AuditEvent
from slidesk.domain.users import Actor, Role
from slidesk.integrity.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    canonical_json,
    canonical_value,
    chain_hash,
)
from slidesk.persistence.db import is_sqlite
from slidesk.persistence.fastsql import FastSQL, table_of
from slidesk.persistence.queries.repositories import (
    AuditRepository,
    ProcedureRepository,
    Repository,
    SiteEntryRepository,
    SubjectRepository,
    UserRepository,
)
from slidesk.persistence.rows.core import Audited, AuditRow
from slidesk.protocol.catalog import ProtocolCatalog

_R = TypeVar("_R")

# Any constant will do: it names the lock that serialises audit appends on PostgreSQL.
_PG_AUDIT_LOCK = 74_180_001


_SHAPES: dict[type, tuple[tuple[str, ...], frozenset[str]]] = {}


def _audit_shape(cls: type[Audited]) -> tuple[tuple[str, ...], frozenset[str]]:
    """A row class's audited fields and those kept as a digest (fixed once it is mapped)."""
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = (cls.audit_fields(), frozenset(cls.__audit_digest__))
    return shape


class Database(Protocol):
    """What a transaction needs of its unit of work."""

    engine: Engine
    protocols: ProtocolCatalog
    host: str
    entries_hook: Callable[[Clock, datetime], None] | None


@dataclass(slots=True)
class PendingEntry:
    """One audit entry of the transaction, written to the chain at commit."""

    action: str
    event_type: AuditEvent
    row: Audited | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    entity: str | None = None
    entity_id: str | None = None
    procedure_id: int | None = None
    subject_id: int | None = None
    reason: str | None = None
    user: tuple[int | None, str | None] | None = None

    def __post_init__(self) -> None:
        # An event type the enum does not name is a programming error: raise before any write.
        self.event_type = AuditEvent(self.event_type)


class BaseTransaction:
    """One unit of work. Use as a context manager; it rolls back unless committed."""

    def __init__(
        self,
        uow: Database,
        session: Session | None,
        *,
        actor: Actor | None,
        clock: Clock | None,
        role: Role | None,
        writable: bool,
    ) -> None:
        self.uow = uow
        self.protocols = uow.protocols
        self.actor = actor
        self.role = role or (actor.primary_role if actor else None)
        self.writable = writable
        self._clock = clock
        self._entries_committed = False
        self.now: datetime = clock.now() if clock else datetime.min.replace(tzinfo=UTC)
        self._offset = clock.local_offset_minutes(self.now) if clock else 0
        # The site's zone, for times written into messages ("already done at 10:42").
        self.zone: tzinfo = clock.zone if clock else UTC
        self._ops: list[PendingEntry] = []
        self._done = False
        self._repos: dict[type, object] = {}
        self._fast: FastSQL | None = None
        self._head: tuple[int, str] | None = None
        self.committed_seq: int | None = None
        self._session_for_repos = session
        fast = self._get_fast
        self.users = UserRepository(session, fast)
        self.subjects = SubjectRepository(session, fast)
        self.procedures = ProcedureRepository(session, fast)
        self.entries = SiteEntryRepository(session, fast)
        self.audit = AuditRepository(session, fast)

    # --- the connection: each subclass has its own ----------------------------------------------

    def _connect_fast(self) -> FastSQL:
        """The DBAPI path on this transaction's connection."""
        raise NotImplementedError

    def _before_entries(self) -> None:
        """Send what the transaction holds back before the audit entries are appended."""

    def _commit_connection(self) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        """Roll back unless committed, and give the connection back."""
        raise NotImplementedError

    # --- the context manager ------------------------------------------------------------------

    def __enter__(self) -> BaseTransaction:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._close()
        hook = self.uow.entries_hook
        if self._entries_committed and hook is not None and self._clock is not None:
            self._entries_committed = False
            hook(self._clock, self.now)  # after the connection went back: the entry is saved

    def repo(self, cls: type[_R]) -> _R:
        """A repository of a feature module, bound to this transaction's session (cached)."""
        found = self._repos.get(cls)
        if found is None:
            session = self._session_for_repos
            if issubclass(cls, Repository):  # has fast methods: give it this transaction's path
                found = self._repos[cls] = cls(session, self._get_fast)
            else:
                found = self._repos[cls] = cls(session)  # type: ignore[call-arg]
        return found  # type: ignore[return-value]

    @property
    def fast(self) -> FastSQL:
        """The DBAPI path of this transaction (see fastsql), for the bedside hot path."""
        return self._get_fast()

    def _get_fast(self) -> FastSQL:
        if self._fast is None:
            self._fast = self._connect_fast()
        return self._fast

    # --- audit entries ------------------------------------------------------------------------

    def insert(
        self,
        cls: type[Audited],
        values: Mapping[str, Any],
        *,
        event_type: AuditEvent,
        procedure_id: int | None = None,
        subject_id: int | None = None,
    ) -> int:
        """Insert an audited row through the DBAPI path; returns its id. Same audit as `add`."""
        self._require_writable()
        table = table_of(cls)
        fields, digested = _audit_shape(cls)
        missing = [f for f in fields if f != "id" and f not in values]
        if missing:
            raise ValueError(f"{table.name}: values missing for {missing}")
        new_id = self.fast.insert(table, values)
        changes = {
            f: [
                None,
                new_id
                if f == "id"
                else (cls.audit_value(f, values[f]) if f in digested else values[f]),
            ]
            for f in fields
        }
        self._ops.append(
            PendingEntry(
                action="create",
                changes=changes,
                event_type=event_type,
                entity=table.name,
                entity_id=str(new_id),
                procedure_id=procedure_id,
                subject_id=subject_id,
            )
        )
        assert new_id is not None
        return new_id

    def event(
        self,
        *,
        event_type: AuditEvent,
        details: Mapping[str, Any] | None = None,
        entity: str | None = None,
        entity_id: str | None = None,
        procedure_id: int | None = None,
        subject_id: int | None = None,
        reason: str | None = None,
        user: tuple[int | None, str | None] | None = None,
    ) -> None:
        """A non-data event (sign-in, lockout, export, print …) for the trail."""
        self._require_writable()
        self._ops.append(
            PendingEntry(
                action="event",
                changes=dict(details or {}),
                event_type=event_type,
                entity=entity,
                entity_id=entity_id,
                procedure_id=procedure_id,
                subject_id=subject_id,
                reason=reason,
                user=user,
            )
        )

    def commit(self) -> datetime:
        """Flush, append the audit entries to the chain, commit. Returns the save time."""
        self._require_writable()
        self._before_entries()
        entries = [self._entry(op) for op in self._ops]
        if entries:
            seq, prev = self.chain_head()
            for entry in entries:
                seq += 1
                entry["seq"] = seq
                entry["prev_hash"] = prev
                entry["hash"] = prev = chain_hash(prev, {k: entry[k] for k in HASHED_FIELDS})
            self.fast.insert_many(table_of(AuditRow), entries)
            self.committed_seq = seq
            self._entries_committed = True
        self._commit_connection()
        # The DBAPI connection went back to the pool with the commit; reads after this point
        # must go through the session's next connection, never the old one.
        self._fast = None
        self._head = None
        self._done = True
        self._ops.clear()
        return self.now

    def chain_head(self) -> tuple[int, str]:
        """(seq, hash) of the newest audit entry, read once under the write lock.

        SQLite's BEGIN IMMEDIATE already holds the database's write lock; PostgreSQL takes an
        advisory lock, so no other writer can append between this read and our commit.
        """
        if not self.writable:
            raise RuntimeError("this transaction is read-only")
        if self._head is None:
            fast = self.fast
            if not is_sqlite(self.uow.engine):
                fast.scalar_rows("SELECT pg_advisory_xact_lock(:k)", {"k": _PG_AUDIT_LOCK})
            rows = fast.scalar_rows("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", {})
            self._head = (int(rows[0][0]), str(rows[0][1])) if rows else (0, GENESIS_HASH)
        return self._head

    # --- internals ----------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if not self.writable:
            raise RuntimeError("this transaction is read-only")
        if self._done:
            raise RuntimeError("this transaction is already committed")

    def _entry(self, op: PendingEntry) -> dict[str, Any]:
        procedure_id, subject_id = op.procedure_id, op.subject_id
        if op.row is not None:
            row = op.row
            if op.action == "create":
                cls = type(row)
                changes = {
                    f: [None, cls.audit_value(f, getattr(row, f))] for f in _audit_shape(cls)[0]
                }
            else:
                changes = op.changes
            entity: str | None = table_of(type(row)).name
            entity_id: str | None = row.audit_key()
            scope_procedure, scope_subject = row.audit_scope()
            procedure_id = procedure_id if procedure_id is not None else scope_procedure
            subject_id = subject_id if subject_id is not None else scope_subject
        else:
            changes = op.changes
            entity, entity_id = op.entity, op.entity_id
        if op.user is not None:
            user_id, username = op.user
        elif self.actor is not None:
            user_id, username = self.actor.user_id, self.actor.username
        else:
            user_id, username = None, None
        return {
            "at_utc": canonical_value(self.now),
            "utc_offset_min": self._offset,
            "user_id": user_id,
            "username": username,
            "role": self.role.value if self.role else None,
            "host": self.uow.host,
            "action": op.action,
            "event_type": op.event_type,
            "entity": entity,
            "entity_id": entity_id,
            "procedure_id": procedure_id,
            "subject_id": subject_id,
            "changes": canonical_json(changes),
            "reason": op.reason,
        }
