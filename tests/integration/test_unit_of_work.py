"""The unit of work's pieces: the flush guard on its own session factories, the lite bedside
transaction, the snapshot cache."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from slidesk.persistence.lite import LiteTransaction
from slidesk.persistence.rows.core import AuditRow, UserRow
from slidesk.persistence.snapshots import SnapshotCache
from slidesk.persistence.transaction import Transaction, UnauditedChange
from tests.conftest import Team


def test_an_audited_row_changed_outside_the_transaction_is_refused(team: Team) -> None:
    with team.uow.begin(actor=team.admin, clock=team.clock) as tx:
        row = tx.users.get(team.operator.user_id)
        assert row is not None
        row.full_name = "Someone Else"
        with pytest.raises(UnauditedChange, match="no audit entry"):
            tx.commit()


def test_a_read_session_is_guarded_too(team: Team) -> None:
    with team.uow.read() as tx:
        row = tx.users.get(team.operator.user_id)
        assert row is not None
        row.full_name = "Someone Else"
        with pytest.raises(UnauditedChange):
            tx.session.flush()


def test_the_guard_belongs_to_the_unit_of_work_not_to_every_session(team: Team) -> None:
    """A session the unit of work did not make (a migration, a tool) is not watched by it."""
    with Session(team.uow.engine) as session:
        row = session.get(UserRow, team.operator.user_id)
        assert row is not None
        row.full_name = "Renamed By A Tool"
        session.flush()  # no UnauditedChange: the guard is on the unit of work's factories
        session.rollback()


def test_changes_through_the_transaction_pass_the_guard(team: Team) -> None:
    with team.uow.begin(actor=team.admin, clock=team.clock) as tx:
        row = tx.users.get(team.operator.user_id)
        assert row is not None
        assert tx.change(row, event_type="user.deactivated", reason="left the team", active=False)
        tx.commit()
    with team.uow.read() as tx:
        assert tx.users.get(team.operator.user_id).active is False  # type: ignore[union-attr]


def test_the_lite_transaction_rolls_back_unless_committed(team: Team) -> None:
    def entries() -> int:
        with team.uow.read() as tx:
            return int(tx.session.scalar(select(func.count()).select_from(AuditRow)) or 0)

    before = entries()
    with team.uow.begin_lite(actor=team.operator, clock=team.clock) as tx:
        assert isinstance(tx, LiteTransaction)
        assert not isinstance(tx, Transaction)  # no ORM session on the bedside path
        tx.event(event_type="user.password_changed", entity="users", entity_id="1")
    assert entries() == before
    with team.uow.begin_lite(actor=team.operator, clock=team.clock) as tx:
        tx.event(event_type="user.password_changed", entity="users", entity_id="1")
        tx.commit()
        assert tx.committed_seq is not None
    assert entries() == before + 1


def test_a_snapshot_is_recalled_only_at_the_chain_head_it_was_made_at() -> None:
    cache = SnapshotCache(size=2)
    cache.remember("a", 5, "view-a")
    assert cache.recall("a", 5) == "view-a"
    assert cache.recall("a", 6) is None
    cache.remember("b", 5, "view-b")
    cache.remember("a", 5, "view-a")  # kept again: now the most recent
    cache.remember("c", 5, "view-c")  # over the size: the least recently kept goes
    assert cache.recall("b", 5) is None
    assert (cache.recall("a", 5), cache.recall("c", 5), len(cache)) == ("view-a", "view-c", 2)
