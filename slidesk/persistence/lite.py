"""The lite transaction: the bedside hot path, on a bare pooled DBAPI connection, no ORM session.

Only `chain_head`, `insert`, `event`, `commit` and the repositories' fast (plain record)
methods work in it: the ORM's per-transaction bookkeeping costs more than the statements of one
recorded site. Durability is the ORM path's: BEGIN IMMEDIATE (SQLite's write lock, so the
chain head cannot move under us), the row and its audit entry in the same commit, and the
engine's WAL with synchronous=FULL. Must not import `uow` or `transaction`.
"""

from __future__ import annotations

from typing import Any

from slidesk.clock import Clock
from slidesk.domain.users import Actor, Role
from slidesk.persistence.db import begin_immediate, is_sqlite
from slidesk.persistence.fastsql import FastSQL
from slidesk.persistence.tx_base import BaseTransaction, Database


class LiteTransaction(BaseTransaction):
    """A write transaction on one pooled DBAPI connection, begun at once."""

    def __init__(
        self, uow: Database, *, actor: Actor | None, clock: Clock | None, role: Role | None
    ) -> None:
        # The write lock first: the transaction's time is read once it is had.
        self._raw: Any = uow.engine.raw_connection()
        if is_sqlite(uow.engine):
            begin_immediate(self._raw)
        super().__init__(uow, None, actor=actor, clock=clock, role=role, writable=True)

    def __enter__(self) -> LiteTransaction:
        return self

    def _connect_fast(self) -> FastSQL:
        return FastSQL(self._raw.driver_connection, self.uow.engine.dialect)

    def _commit_connection(self) -> None:
        self._raw.commit()

    def _close(self) -> None:
        try:
            if not self._done:
                self._raw.rollback()
        finally:
            self._raw.close()
