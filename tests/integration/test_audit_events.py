"""Every event type that reaches the trail is an `AuditEvent` member: the unit of work refuses
any other, the demo's whole trail and an upgraded old trail name only members, and an old
trail's amendments read right on the timeline."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from slidesk.demo import build as demo
from slidesk.domain.events import AuditEvent
from slidesk.services.accounts import service as accounts
from slidesk.services.audit.timeline import TimelineKind, get_timeline
from slidesk.services.audit.words import event_of
from slidesk.services.workstation.database import open_database
from tests.conftest import PASSWORD
from tests.fakes import START, FakeClock, cheap_hasher

SCHEMA1 = Path(__file__).parents[1] / "fixtures" / "schema1" / "schema1.sqlite3"


def _event_types(path: Path | str) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT DISTINCT event_type FROM audit_log")]


def _trail_length(team) -> int:
    with team.uow.read() as tx:
        return len(list(tx.audit.iter_all()))


def test_the_unit_of_work_refuses_an_event_type_no_member_names(team) -> None:
    before = _trail_length(team)
    with team.uow.begin(actor=team.admin, clock=team.clock) as tx:
        with pytest.raises(ValueError, match=r"export\.test"):
            tx.event(event_type="export.test", details={"n": 1})  # type: ignore[arg-type]
        user = tx.users.get(team.admin.user_id)
        assert user is not None
        with pytest.raises(ValueError, match=r"user\.renamed"):
            tx.change(user, event_type="user.renamed", reason="typo", full_name="X")  # type: ignore[arg-type]
    assert _trail_length(team) == before


def test_the_unit_of_work_takes_a_member_or_its_stored_text(team) -> None:
    with team.uow.begin(actor=team.admin, clock=team.clock) as tx:
        tx.event(event_type=AuditEvent.SESSION_LOCKED)
        tx.event(event_type="session.signed_out")  # type: ignore[arg-type]
        tx.commit()
    with team.uow.read() as tx:
        newest = [r["event_type"] for r in tx.audit.iter_all()][-2:]
    assert newest == ["session.locked", "session.signed_out"]


def test_every_event_type_in_the_demo_trail_is_a_member(tmp_path: Path) -> None:
    location = demo.build_demo(str(tmp_path / "demo.sqlite3"), clock=FakeClock(START))
    stored = _event_types(location)
    assert len(stored) > 30  # the demo writes most kinds of entry
    assert [text for text in stored if event_of(text) is None] == []


def test_an_upgraded_old_trail_names_only_members_and_reads_its_amendments_once(
    tmp_path: Path,
) -> None:
    """schema1.sqlite3 was written by an older release (both amendment entries included); the
    upgrade adds entries of its own (user.security_audited, user.password_retired)."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(SCHEMA1, path)
    db = open_database(path)
    try:
        stored = _event_types(path)
        assert {"amendment.opened", "procedure.amendment_opened"} <= set(stored)
        assert "user.security_audited" in stored
        assert [text for text in stored if event_of(text) is None] == []

        clock = FakeClock(start=datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
        monitor = accounts.authenticate(
            uow=db.uow, clock=clock, username="monitor", password=PASSWORD, hasher=cheap_hasher()
        )
        with sqlite3.connect(path) as conn:
            amended = conn.execute(
                "SELECT procedure_id, count(*) FROM amendments GROUP BY procedure_id"
            ).fetchall()
        assert amended
        for procedure_id, amendments in amended:
            timeline = get_timeline(
                uow=db.uow, actor=monitor, clock=clock, procedure_id=procedure_id
            )
            opened = [
                i for i in timeline.of([TimelineKind.STATUS]) if i.title == "Amendment opened"
            ]
            assert len(opened) == amendments
    finally:
        db.close()
