"""The unit of work: one transaction per service call, with its audit entries in the same commit.

`UnitOfWork` lives as long as the open database; `begin()` gives a `Transaction` that rolls back
unless `commit()` is called. Audited rows may only be created or changed through
`Transaction.add` / `Transaction.change`; a flush that finds an unregistered change is refused,
so no code path can write clinical data without its audit entry.
"""

from __future__ import annotations

import logging
import socket
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, sessionmaker

from slidesk.clock import Clock
from slidesk.domain.errors import ReasonRequired
from slidesk.domain.users import Actor, Role
from slidesk.integrity.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    canonical_json,
    canonical_value,
    chain_hash,
)
from slidesk.persistence.db import WRITE_OPTION, begin_immediate, is_sqlite
from slidesk.persistence.fastsql import FastSQL, table_of
from slidesk.persistence.queries.repositories import (
    AuditRepository,
    ProcedureRepository,
    Repository,
    SiteEntryRepository,
    SubjectRepository,
    UserRepository,
)
from slidesk.persistence.rows import load_row_modules
from slidesk.persistence.rows.core import Audited, AuditRow
from slidesk.protocol.catalog import ProtocolCatalog

log = logging.getLogger(__name__)
_R = TypeVar("_R")

# Any constant will do: it names the lock that serialises audit appends on PostgreSQL.
_PG_AUDIT_LOCK = 74_180_001


class UnauditedChange(RuntimeError):
    """Programming error: an audited row was changed without going through the transaction."""


class UnitOfWork:
    """Knows the database, the installed protocols and this machine's name."""

    def __init__(self, engine: Engine, protocols: ProtocolCatalog, host: str | None = None) -> None:
        load_row_modules()
        self.engine = engine
        self.protocols = protocols
        self.host = host or socket.gethostname()
        self._write = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        # Snapshots keyed by what they describe, valid while the audit chain's head is the one
        # they were made at: every write through the app appends to the chain, so an unchanged
        # head proves nothing changed since (see services.procedures.record_injection).
        self.snapshots: OrderedDict[object, tuple[int, object]] = OrderedDict()
        # Called by services after the commit of a moment worth a checkpoint (a signature, a
        # report, an export, a completion); set by `services.checkpoints.enable_automatic`.
        # It never raises: a checkpoint that cannot be written never undoes or blocks the work.
        self.milestone_hook: Callable[[Clock, str], None] | None = None
        # Called after every commit that appended audit entries, with the commit's time (the
        # hourly checkpoint: a comparison of two times unless one is due). Never raises.
        self.entries_hook: Callable[[Clock, datetime], None] | None = None
        # Called after the checkpoint, by name (e.g. "backup": `services.backup_auto`); same
        # rule: they never raise.
        self.after_milestone: dict[str, Callable[[Clock, str], None]] = {}

    def milestone(self, clock: Clock, reason: str) -> None:
        """A moment worth a checkpoint was committed (nothing happens unless enabled)."""
        if self.milestone_hook is not None:
            self.milestone_hook(clock, reason)
        for hook in tuple(self.after_milestone.values()):
            hook(clock, reason)

    def remember(self, key: object, seq: int, value: object) -> None:
        self.snapshots[key] = (seq, value)
        self.snapshots.move_to_end(key)
        while len(self.snapshots) > 16:
            self.snapshots.popitem(last=False)

    def recall(self, key: object, seq: int) -> object | None:
        found = self.snapshots.get(key)
        return found[1] if found is not None and found[0] == seq else None

    def begin(self, *, actor: Actor | None, clock: Clock, role: Role | None = None) -> Transaction:
        """A write transaction on behalf of `actor` (None only for system events)."""
        return Transaction(self, self._write(), actor=actor, clock=clock, role=role, writable=True)

    def begin_lite(
        self, *, actor: Actor | None, clock: Clock, role: Role | None = None
    ) -> Transaction:
        """A write transaction without an ORM session, for the bedside hot path.

        Only `chain_head`, `insert`, `event`, `commit` and the repositories' fast (plain
        record) methods work in it; the ORM's per-transaction bookkeeping costs more than
        the statements of one recorded site.
        """
        return Transaction(self, None, actor=actor, clock=clock, role=role, writable=True)

    def read(self) -> Transaction:
        """A read-only transaction (commit is refused)."""
        return Transaction(self, self._read(), actor=None, clock=None, role=None, writable=False)

    def account_state(self, user_id: int) -> tuple[bool, str] | None:
        """(active, roles as stored) of an account now, or None when there is none.

        One statement on a pooled DBAPI connection, outside any transaction of the caller:
        asked before every service call (`Actor.require`), so it must cost next to nothing.
        """
        raw = self.engine.raw_connection()
        try:
            fast = FastSQL(raw.driver_connection, self.engine.dialect)
            rows = fast.scalar_rows("SELECT active, roles FROM users WHERE id = :i", {"i": user_id})
            raw.rollback()
        finally:
            raw.close()
        return (bool(rows[0][0]), str(rows[0][1])) if rows else None

    def dispose(self) -> None:
        self.engine.dispose()


@dataclass(slots=True)
class _Op:
    """One pending audit entry of the transaction."""

    action: str
    event_type: str
    row: Audited | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    entity: str | None = None
    entity_id: str | None = None
    procedure_id: int | None = None
    subject_id: int | None = None
    reason: str | None = None
    user: tuple[int | None, str | None] | None = None


class Transaction:
    """One unit of work. Use as a context manager; it rolls back unless committed."""

    def __init__(
        self,
        uow: UnitOfWork,
        session: Session | None,
        *,
        actor: Actor | None,
        clock: Clock | None,
        role: Role | None,
        writable: bool,
    ) -> None:
        self.uow = uow
        self.session: Session = session  # type: ignore[assignment]  # None only when lite
        self._raw: Any = None
        if session is None:
            self._raw = uow.engine.raw_connection()
            if is_sqlite(uow.engine):
                begin_immediate(self._raw)
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
        self._ops: list[_Op] = []
        self._registered: set[int] = set()
        self._done = False
        self._repos: dict[type, object] = {}
        self._fast: FastSQL | None = None
        self._head: tuple[int, str] | None = None
        self.committed_seq: int | None = None
        if session is not None:
            session.info["slidesk_tx"] = self
        fast = self._get_fast
        self.users = UserRepository(session, fast)
        self.subjects = SubjectRepository(session, fast)
        self.procedures = ProcedureRepository(session, fast)
        self.entries = SiteEntryRepository(session, fast)
        self.audit = AuditRepository(session, fast)

    def __enter__(self) -> Transaction:
        return self

    def repo(self, cls: type[_R]) -> _R:
        """A repository of a feature module, bound to this transaction's session (cached)."""
        found = self._repos.get(cls)
        if found is None:
            if issubclass(cls, Repository):  # has fast methods: give it this transaction's path
                found = self._repos[cls] = cls(self.session, self._get_fast)
            else:
                found = self._repos[cls] = cls(self.session)  # type: ignore[call-arg]
        return found  # type: ignore[return-value]

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._raw is not None:
            try:
                if not self._done:
                    self._raw.rollback()
            finally:
                self._raw.close()
        else:
            try:
                if self.writable and not self._done:
                    self.session.rollback()
            finally:
                # close() alone ends a read: the connection goes back to the pool rolled back,
                # and rows already read stay readable (rollback() would expire them).
                self.session.close()
        hook = self.uow.entries_hook
        if self._entries_committed and hook is not None and self._clock is not None:
            self._entries_committed = False
            hook(self._clock, self.now)  # after the connection went back: the entry is saved

    # --- recording changes -------------------------------------------------------------------

    def add(
        self,
        row: Audited,
        *,
        event_type: str,
        procedure_id: int | None = None,
        subject_id: int | None = None,
        reason: str | None = None,
    ) -> None:
        """Insert an audited row; its audit entry lists every field as new."""
        self._require_writable()
        self.session.add(row)
        self._registered.add(id(row))
        self._ops.append(
            _Op(
                action="create",
                row=row,
                event_type=event_type,
                procedure_id=procedure_id,
                subject_id=subject_id,
                reason=reason,
            )
        )

    @property
    def fast(self) -> FastSQL:
        """The DBAPI path of this transaction (see fastsql), for the bedside hot path."""
        return self._get_fast()

    def _get_fast(self) -> FastSQL:
        if self._fast is None:
            if self._raw is not None:
                self._fast = FastSQL(self._raw.driver_connection, self.uow.engine.dialect)
            else:
                self._fast = FastSQL.for_session(self.session)
        return self._fast

    def insert(
        self,
        cls: type[Audited],
        values: Mapping[str, Any],
        *,
        event_type: str,
        procedure_id: int | None = None,
        subject_id: int | None = None,
    ) -> int:
        """Insert an audited row through the DBAPI path; returns its id. Same audit as `add`."""
        self._require_writable()
        table = table_of(cls)
        fields = cls.audit_fields()
        missing = [f for f in fields if f != "id" and f not in values]
        if missing:
            raise ValueError(f"{table.name}: values missing for {missing}")
        new_id = self.fast.insert(table, values)
        changes = {
            f: [None, new_id if f == "id" else cls.audit_value(f, values[f])] for f in fields
        }
        self._ops.append(
            _Op(
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

    def change(
        self,
        row: Audited,
        *,
        event_type: str,
        reason: str,
        procedure_id: int | None = None,
        subject_id: int | None = None,
        **values: Any,
    ) -> bool:
        """Change fields of an audited row with a reason; returns False when nothing changed."""
        self._require_writable()
        if not reason or not reason.strip():
            raise ReasonRequired("A reason is required for any change to a saved entry.")
        changes: dict[str, list[Any]] = {}
        audited = set(type(row).audit_fields())
        for name, new in values.items():
            if not hasattr(row, name):
                raise AttributeError(name)
            old = getattr(row, name)
            if canonical_value(old) != canonical_value(new):
                if name in audited:
                    changes[name] = [type(row).audit_value(name, old), row.audit_value(name, new)]
                setattr(row, name, new)
        self._registered.add(id(row))
        if not changes:
            return False
        self._ops.append(
            _Op(
                action="update",
                row=row,
                changes=changes,
                event_type=event_type,
                procedure_id=procedure_id,
                subject_id=subject_id,
                reason=reason.strip(),
            )
        )
        return True

    def event(
        self,
        *,
        event_type: str,
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
            _Op(
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

    def flush(self) -> None:
        """Send pending changes to the database (new rows get their ids); nothing is committed."""
        self.session.flush()

    def commit(self) -> datetime:
        """Flush, append the audit entries to the chain, commit. Returns the save time."""
        self._require_writable()
        if self._raw is None and (self.session.new or self.session.dirty or self.session.deleted):
            self.session.flush()
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
        if self._raw is not None:
            self._raw.commit()
        else:
            self.session.commit()
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

    # --- internals ---------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if not self.writable:
            raise RuntimeError("this transaction is read-only")
        if self._done:
            raise RuntimeError("this transaction is already committed")

    def _entry(self, op: _Op) -> dict[str, Any]:
        procedure_id, subject_id = op.procedure_id, op.subject_id
        if op.row is not None:
            row = op.row
            if op.action == "create":
                cls = type(row)
                changes = {
                    f: [None, cls.audit_value(f, getattr(row, f))] for f in cls.audit_fields()
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


def _audited_fields_changed(obj: Audited) -> bool:
    state = sa_inspect(obj)
    return any(state.attrs[f].history.has_changes() for f in type(obj).audit_fields())


@event.listens_for(Session, "before_flush")
def _refuse_unaudited(session: Session, _ctx: Any, _instances: Any) -> None:
    tx = session.info.get("slidesk_tx")
    registered = tx._registered if tx is not None else set()
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Audited) or id(obj) in registered:
            continue
        if obj not in session.new and not _audited_fields_changed(obj):
            continue  # only fields kept out of the trail (sign-in counters) changed
        raise UnauditedChange(
            f"{type(obj).__name__} changed outside Transaction.add/change: no audit entry"
        )
    for obj in session.deleted:
        if isinstance(obj, Audited):
            raise UnauditedChange("audited rows are never deleted; void them with a reason")
