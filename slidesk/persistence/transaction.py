"""The ORM transaction: an SQLAlchemy session whose audited rows change only through `add` and
`change`, each with its audit entry, committed together (see `tx_base`).

The flush guard lives here too: `guard_flushes` attaches it to a session factory (the unit of
work's own), and a flush that finds an audited row changed outside `add`/`change`, or deleted,
is refused — no code path can write clinical data without its audit entry. Must not import
`uow` or `lite`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, sessionmaker

from slidesk.clock import Clock
from slidesk.domain.errors import ReasonRequired
from slidesk.domain.events import AuditEvent
from slidesk.domain.users import Actor, Role
from slidesk.integrity.chain import canonical_value
from slidesk.persistence.fastsql import FastSQL
from slidesk.persistence.rows.core import Audited
from slidesk.persistence.tx_base import BaseTransaction, Database, PendingEntry

_TX_KEY = "slidesk_tx"


class UnauditedChange(RuntimeError):
    """Programming error: an audited row was changed without going through the transaction."""


class Transaction(BaseTransaction):
    """A unit of work on an ORM session (writes, or reads when not `writable`)."""

    def __init__(
        self,
        uow: Database,
        session: Session,
        *,
        actor: Actor | None,
        clock: Clock | None,
        role: Role | None,
        writable: bool,
    ) -> None:
        super().__init__(uow, session, actor=actor, clock=clock, role=role, writable=writable)
        self.session = session
        self._registered: set[int] = set()
        session.info[_TX_KEY] = self

    def __enter__(self) -> Transaction:
        return self

    def _connect_fast(self) -> FastSQL:
        return FastSQL.for_session(self.session)

    def _before_entries(self) -> None:
        if self.session.new or self.session.dirty or self.session.deleted:
            self.session.flush()

    def _commit_connection(self) -> None:
        self.session.commit()

    def _close(self) -> None:
        try:
            if self.writable and not self._done:
                self.session.rollback()
        finally:
            # close() alone ends a read: the connection goes back to the pool rolled back,
            # and rows already read stay readable (rollback() would expire them).
            self.session.close()

    # --- recording changes ----------------------------------------------------------------------

    def add(
        self,
        row: Audited,
        *,
        event_type: AuditEvent,
        procedure_id: int | None = None,
        subject_id: int | None = None,
        reason: str | None = None,
    ) -> None:
        """Insert an audited row; its audit entry lists every field as new."""
        self._require_writable()
        self.session.add(row)
        self._registered.add(id(row))
        self._ops.append(
            PendingEntry(
                action="create",
                row=row,
                event_type=event_type,
                procedure_id=procedure_id,
                subject_id=subject_id,
                reason=reason,
            )
        )

    def change(
        self,
        row: Audited,
        *,
        event_type: AuditEvent,
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
            PendingEntry(
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

    def flush(self) -> None:
        """Send pending changes to the database (new rows get their ids); nothing is committed."""
        self.session.flush()

    def is_registered(self, row: object) -> bool:
        return id(row) in self._registered


def guard_flushes(factory: sessionmaker[Session]) -> None:
    """Refuse, in every session `factory` makes, a flush with an unaudited change."""
    event.listen(factory, "before_flush", _refuse_unaudited)


def _audited_fields_changed(obj: Audited) -> bool:
    state = sa_inspect(obj)
    return any(state.attrs[f].history.has_changes() for f in type(obj).audit_fields())


def _refuse_unaudited(session: Session, _ctx: Any, _instances: Any) -> None:
    tx = session.info.get(_TX_KEY)
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Audited) or (tx is not None and tx.is_registered(obj)):
            continue
        if obj not in session.new and not _audited_fields_changed(obj):
            continue  # only fields kept out of the trail (sign-in counters) changed
        raise UnauditedChange(
            f"{type(obj).__name__} changed outside Transaction.add/change: no audit entry"
        )
    for obj in session.deleted:
        if isinstance(obj, Audited):
            raise UnauditedChange("audited rows are never deleted; void them with a reason")
