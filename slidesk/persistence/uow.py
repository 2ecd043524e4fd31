"""The unit of work: one transaction per service call, with its audit entries in the same commit.

`UnitOfWork` lives as long as the open database; `begin()` gives a `Transaction` (an ORM
session, `transaction`), `begin_lite()` a `LiteTransaction` (the bedside path, `lite`), `read()`
a read-only one; each rolls back unless `commit()` is called. Audited rows may only be created
or changed through `Transaction.add` / `Transaction.change`: the flush guard on this unit of
work's own session factories refuses any other change. Snapshots of views are kept in a
`SnapshotCache` (`snapshots`). Imports the transactions; none of them imports this module.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slidesk.clock import Clock
from slidesk.domain.users import Actor, Role
from slidesk.persistence.db import WRITE_OPTION
from slidesk.persistence.fastsql import FastSQL
from slidesk.persistence.lite import LiteTransaction
from slidesk.persistence.rows import load_row_modules
from slidesk.persistence.snapshots import SnapshotCache
from slidesk.persistence.transaction import Transaction, guard_flushes
from slidesk.protocol.catalog import ProtocolCatalog

log = logging.getLogger(__name__)


class UnitOfWork:
    """Knows the database, the installed protocols and this machine's name."""

    def __init__(self, engine: Engine, protocols: ProtocolCatalog, host: str | None = None) -> None:
        load_row_modules()
        self.engine = engine
        self.protocols = protocols
        self.host = host or socket.gethostname()
        self._write: sessionmaker[Session] = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self._read: sessionmaker[Session] = sessionmaker(bind=engine, expire_on_commit=False)
        guard_flushes(self._write)
        guard_flushes(self._read)
        # Snapshots keyed by what they describe, valid while the audit chain's head is the one
        # they were made at (see services.procedure.service.record_injection).
        self.snapshots = SnapshotCache()
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
        """Keep a snapshot made at chain head `seq` (see `SnapshotCache`)."""
        self.snapshots.remember(key, seq, value)

    def recall(self, key: object, seq: int) -> object | None:
        """The snapshot of `key` if made at chain head `seq`, else None."""
        return self.snapshots.recall(key, seq)

    def begin(self, *, actor: Actor | None, clock: Clock, role: Role | None = None) -> Transaction:
        """A write transaction on behalf of `actor` (None only for system events)."""
        return Transaction(self, self._write(), actor=actor, clock=clock, role=role, writable=True)

    def begin_lite(
        self, *, actor: Actor | None, clock: Clock, role: Role | None = None
    ) -> LiteTransaction:
        """A write transaction without an ORM session, for the bedside hot path (see `lite`)."""
        return LiteTransaction(self, actor=actor, clock=clock, role=role)

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
        finally:
            raw.close()  # back to the pool, which rolls the connection back on its return
        return (bool(rows[0][0]), str(rows[0][1])) if rows else None

    def dispose(self) -> None:
        self.engine.dispose()
