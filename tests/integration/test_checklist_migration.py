"""Databases from before time-out confirmers: revision chk2 lets an item have a live tick per
role, and a procedure that started with one tick per item keeps its time-out complete."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from slidesk.domain.users import Role
from slidesk.persistence import migrate
from slidesk.persistence.migrate import MigrationResult
from slidesk.persistence.rows.checklist import ChecklistTickRow
from slidesk.services.procedure import checklist, planning
from slidesk.services.workstation import database
from slidesk.services.workstation.database import open_database
from tests.conftest import Team
from tests.fakes import FakeClock

PG_URL = os.environ.get("TEST_PG_URL")
BEFORE = sorted(migrate.SCHEMA_HEADS - {"chk2"} | {"0002"})


def _upgrade_to_the_schema_before_chk2(engine: sa.Engine) -> MigrationResult:
    config = migrate._alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        for head in BEFORE:
            command.upgrade(config, head)
    return MigrationResult(frozenset(), frozenset(BEFORE), None)


def _old_style_time_out(team: Team, procedure_id: int, *, start: bool) -> None:
    """What the one-tick checklist wrote: the nurse ticked every item, then (maybe) start."""
    with team.uow.begin(actor=team.nurse, clock=team.clock) as tx:
        row = tx.procedures.get(procedure_id)
        for item in team.uow.protocols.default.checklist:
            tick = ChecklistTickRow(
                procedure_id=procedure_id,
                item_key=item.key,
                item_text=item.text,
                ticked_by=team.nurse.user_id,
                ticked_role="nurse",
                ticked_at=tx.now,
                voided=False,
                void_reason=None,
            )
            tx.add(tick, event_type="checklist.ticked", subject_id=row.subject_id)
        if start:
            tx.change(
                row,
                event_type="procedure.started",
                reason="procedure started",
                status="in_progress",
                started_at=tx.now,
            )
        tx.commit()


def _plan(team: Team, study_id: str, kit: str) -> int:
    return planning.plan_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=team.subject(study_id),
        kit_number=kit,
        operator_id=team.operator.user_id,
        nurse_id=team.nurse.user_id,
        location="Angio 2",
    ).id


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where the old database lives: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "old.sqlite3")
        return
    if not PG_URL:
        pytest.skip("TEST_PG_URL is not set (CI starts a PostgreSQL)")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}"'))
        admin.dispose()


@pytest.fixture
def upgraded(target: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Team, int, int]]:
    """A database written before chk2 (one started, one planned procedure), then upgraded."""
    path = target
    with monkeypatch.context() as patch:
        patch.setattr(database, "upgrade", _upgrade_to_the_schema_before_chk2)
        old = open_database(path)
    clock = FakeClock()
    team = Team(old, clock)
    started = _plan(team, "SAIL-01-001", "SAIL-K001")
    _old_style_time_out(team, started, start=True)
    planned = _plan(team, "SAIL-01-002", "SAIL-K002")
    _old_style_time_out(team, planned, start=False)
    old.close()
    opened = open_database(path)
    assert opened.migration.before == frozenset(BEFORE)
    assert opened.migration.after == migrate.SCHEMA_HEADS
    team.db, team.uow = opened, opened.uow
    # A session ends with the database it signed in to: the team signs in to the upgraded one.
    team.admin, team.operator, team.nurse, team.monitor = (
        team.sign_in(name) for name in ("admin", "operator", "nurse", "monitor")
    )
    yield team, started, planned
    opened.close()


def test_the_upgrade_replaces_the_one_tick_index_with_per_role_and_per_person_ones(upgraded):
    team, _started, _planned = upgraded
    indexes = {
        i["name"]: tuple(i["column_names"])
        for i in sa.inspect(team.uow.engine).get_indexes("checklist_ticks")
        if i["unique"]
    }
    assert indexes == {
        "uq_checklist_ticks_live_item_role": ("procedure_id", "item_key", "ticked_role"),
        "uq_checklist_ticks_live_item_person": ("procedure_id", "item_key", "ticked_by"),
    }


def test_a_procedure_started_with_one_tick_per_item_keeps_a_complete_time_out(upgraded):
    team, started, _planned = upgraded
    view = checklist.get_checklist(uow=team.uow, actor=team.monitor, procedure_id=started)
    assert view.complete
    assert all(item.done and item.missing == () for item in view.items)
    assert {t.ticked_by.full_name for i in view.items for t in i.ticks} == {"Nina Nurse"}


def test_a_planned_procedure_asks_the_roles_its_old_ticks_do_not_cover(upgraded) -> None:
    team, _started, planned = upgraded
    view = checklist.get_checklist(uow=team.uow, actor=team.nurse, procedure_id=planned)
    open_roles = {i.key: i.missing for i in view.items if not i.done}
    assert open_roles == {
        "identity": (Role.OPERATOR,),
        "limb": (Role.OPERATOR,),
        "consent": (Role.OPERATOR,),
        "anticoagulation": (Role.OPERATOR,),
        "skin": (Role.OPERATOR,),
        "imp": (Role.OPERATOR,),
    }
    team.tick_checklist(planned)  # the operator adds a second tick where the item has one
    started = planning.start_procedure(
        uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=planned
    )
    assert started.status.value == "in_progress"
