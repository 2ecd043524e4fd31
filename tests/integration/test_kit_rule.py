"""Planning refuses a kit recorded for another subject, or already used for a procedure; a
refusal writes nothing; two planners at once cannot both take one kit (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select

from slidesk.domain.errors import ConflictError, DomainError, StateError
from slidesk.domain.procedure.model import SkipReason
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import completion, corrections, planning
from slidesk.services.workstation.database import open_database
from tests.conftest import NOT_CHARTED, Team
from tests.fakes import START, FakeClock

PG_URL = os.environ.get("TEST_PG_URL")


def _plan(team: Team, subject_id: int, kit: str) -> ProcedureView:
    return planning.plan_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=subject_id,
        kit_number=kit,
        operator_id=team.operator.user_id,
        nurse_id=team.nurse.user_id,
        location="Angio 2",
    )


def _start(team: Team, procedure_id: int) -> ProcedureView:
    team.tick_checklist(procedure_id)
    return planning.start_procedure(
        uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=procedure_id
    )


def _written(team: Team) -> tuple[int, int]:
    with team.uow.read() as tx:
        count = tx.session.scalar(select(func.count()).select_from(ProcedureRow))
        return int(count or 0), tx.audit.count()


def test_a_kit_recorded_for_one_subject_is_refused_for_another_and_nothing_is_written(team):
    team.started_procedure("SAIL-01-004", kit="SAIL-K004")
    other = team.subject("SAIL-01-007")
    before = _written(team)
    with pytest.raises(ConflictError) as refused:
        _plan(team, other, "sail-k004")  # typed in lower case: the same kit
    assert refused.value.message.startswith(
        "Kit SAIL-K004 belongs to subject SAIL-01-004 (recorded with a procedure planned "
        f"{START:%d %b %Y}); it cannot be used for SAIL-01-007."
    )
    assert _written(team) == before


def test_a_kit_is_refused_for_another_subject_even_before_its_procedure_started(team) -> None:
    _plan(team, team.subject("SAIL-01-004"), "SAIL-K004")
    other = team.subject("SAIL-01-007")
    before = _written(team)
    with pytest.raises(ConflictError, match="belongs to subject SAIL-01-004"):
        _plan(team, other, "SAIL-K004")
    assert _written(team) == before


def test_a_kit_used_in_a_procedure_serves_no_second_one_for_the_same_subject(team) -> None:
    view = team.started_procedure("SAIL-01-004", kit="SAIL-K004")
    team.inject(view.id, view.next_site_no, "1")
    subject_id = view.subject.id
    before = _written(team)
    with pytest.raises(ConflictError, match="A kit serves one procedure; take a new kit"):
        _plan(team, subject_id, "SAIL-K004")
    assert _written(team) == before


def test_an_injection_struck_out_still_counts_as_the_kit_used(team) -> None:
    view = team.started_procedure("SAIL-01-004", kit="SAIL-K004")
    team.inject(view.id, view.next_site_no, "1")
    corrections.undo_last(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        reason="Entered on the wrong site",
    )
    with pytest.raises(ConflictError, match="injections are recorded"):
        _plan(team, view.subject.id, "SAIL-K004")


def test_a_kit_in_a_procedure_in_progress_is_refused_before_its_first_injection(team) -> None:
    view = team.started_procedure("SAIL-01-004", kit="SAIL-K004")
    with pytest.raises(ConflictError, match="which is in progress"):
        _plan(team, view.subject.id, "SAIL-K004")


def test_a_procedure_abandoned_before_its_first_injection_frees_its_kit(team) -> None:
    view = team.started_procedure("SAIL-01-004", kit="SAIL-K004")
    for site in view.sites:
        team.skip(view.id, site.number, SkipReason.INTOLERANCE)
    completion.complete_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        gaps_reason=NOT_CHARTED,
    )
    again = _plan(team, view.subject.id, "SAIL-K004")
    assert _start(team, again.id).status.value == "in_progress"


def test_a_replanned_kit_serves_the_new_plan_and_the_old_plan_cannot_start(team) -> None:
    subject_id = team.subject("SAIL-01-004")
    first = _plan(team, subject_id, "SAIL-K004")
    second = _plan(team, subject_id, "SAIL-K004")
    team.tick_checklist(first.id)
    before = _written(team)
    with pytest.raises(StateError, match="that plan replaced this one, which can no longer"):
        planning.start_procedure(
            uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=first.id
        )
    assert _written(team) == before
    assert _start(team, second.id).status.value == "in_progress"
    with pytest.raises(ConflictError, match="which is in progress"):
        _plan(team, subject_id, "SAIL-K004")


# --- two planners at once ---------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def racing_team(request, make_db) -> Iterator[Team]:
    if request.param == "sqlite":
        yield Team(make_db(), FakeClock())
        return
    if not PG_URL:
        pytest.skip("TEST_PG_URL is not set (CI starts a PostgreSQL)")
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    opened = open_database(PG_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        yield Team(opened, FakeClock())
    finally:
        opened.close()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}"'))
        admin.dispose()


def _waiting_on_a_lock(team: Team) -> bool:
    """Whether another connection waits for a lock (PostgreSQL; SQLite cannot tell)."""
    if team.uow.engine.dialect.name != "postgresql":
        return True
    import sqlalchemy as sa

    with team.uow.engine.connect() as conn:
        return bool(conn.scalar(sa.text("SELECT count(*) FROM pg_locks WHERE NOT granted")))


def test_two_planners_of_one_kit_for_two_subjects_cannot_both_succeed(
    racing_team: Team, monkeypatch: pytest.MonkeyPatch, qtbot_free_wait: Callable[..., None]
) -> None:
    team = racing_team
    first_subject = team.subject("SAIL-01-004")
    second_subject = team.subject("SAIL-01-007")
    checked = threading.Event()
    go = threading.Event()
    rule = planning.check_kit_for_new_procedure

    def hold_the_first_planner(kit: str, study_id: str, uses: object) -> None:
        rule(kit, study_id, uses)  # type: ignore[arg-type]
        if study_id == "SAIL-01-004":
            checked.set()  # the rule passed; the plan is not yet committed
            assert go.wait(30)

    monkeypatch.setattr(planning, "check_kit_for_new_procedure", hold_the_first_planner)
    results: dict[str, object] = {}

    def plan(label: str, subject_id: int) -> None:
        try:
            results[label] = _plan(team, subject_id, "SAIL-K004")
        except DomainError as exc:
            results[label] = exc

    first = threading.Thread(target=plan, args=("first", first_subject))
    first.start()
    assert checked.wait(30)
    second = threading.Thread(target=plan, args=("second", second_subject))
    second.start()
    # The second planner is let go only once it waits for the first (or has finished).
    qtbot_free_wait(lambda: _waiting_on_a_lock(team) or not second.is_alive())
    go.set()
    first.join(30)
    second.join(30)
    assert isinstance(results["first"], ProcedureView)
    refused = results["second"]
    assert isinstance(refused, ConflictError), refused
    assert "Kit SAIL-K004 belongs to subject SAIL-01-004" in refused.message
    assert _written(team)[0] == 1


@pytest.fixture
def qtbot_free_wait() -> Callable[..., None]:
    """Wait until a condition holds (a bounded poll on an event, never a bare sleep)."""

    def wait(condition: Callable[[], bool], timeout: float = 30.0) -> None:
        pause = threading.Event()
        for _ in range(int(timeout / 0.02)):
            if condition():
                return
            pause.wait(0.02)
        raise AssertionError("the condition did not come true in time")

    return wait
