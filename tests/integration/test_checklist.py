"""Time-out checklist: ticks by named people, refusal to start until complete, audit."""

from __future__ import annotations

import pytest

from slidesk.domain.errors import ConflictError, PermissionDenied, StateError, ValidationError
from slidesk.domain.procedure import ProcedureStatus
from slidesk.services import checklist, procedures


def _planned(team) -> int:
    return procedures.plan_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=team.subject(),
        kit_number="SAIL-K001",
        operator_id=team.operator.user_id,
        nurse_id=team.nurse.user_id,
        location="Angio 2",
    ).id


def _tick(team, pid: int, key: str, actor=None):
    return checklist.tick_item(
        uow=team.uow, clock=team.clock, actor=actor or team.nurse, procedure_id=pid, item_key=key
    )


def _keys(team) -> list[str]:
    return [item.key for item in team.uow.protocols.default.checklist]


def test_start_is_refused_while_checklist_items_are_open_and_names_them(team) -> None:
    pid = _planned(team)
    for key in _keys(team)[:-2]:
        _tick(team, pid, key)
    with pytest.raises(StateError) as caught:
        procedures.start_procedure(
            uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=pid
        )
    message = caught.value.message
    assert "2 item(s) open" in message
    texts = [item.text for item in team.uow.protocols.default.checklist]
    assert texts[-1] in message
    assert texts[-2] in message


def test_start_succeeds_once_every_item_is_ticked(team) -> None:
    pid = _planned(team)
    for key in _keys(team):
        view = _tick(team, pid, key)
    assert view.complete
    assert view.done_count == len(_keys(team))
    started = procedures.start_procedure(
        uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=pid
    )
    assert started.status is ProcedureStatus.IN_PROGRESS


def test_each_tick_names_the_person_and_time_and_is_audited(team) -> None:
    pid = _planned(team)
    team.clock.advance(minutes=3)
    view = _tick(team, pid, "identity", actor=team.operator)
    _tick(team, pid, "consent")
    first = view.items[0]
    assert first.tick is not None
    assert first.tick.ticked_by.full_name == "Olga Operator"
    assert first.tick.ticked_at == team.clock.now()
    with team.uow.read() as tx:
        events = [(a.event_type, a.username) for a in tx.audit.for_procedure(pid)]
    assert ("checklist.ticked", "operator") in events
    assert ("checklist.ticked", "nurse") in events


def test_ticking_twice_is_refused(team) -> None:
    pid = _planned(team)
    _tick(team, pid, "identity")
    with pytest.raises(ConflictError, match="already ticked"):
        _tick(team, pid, "identity", actor=team.operator)


def test_untick_needs_a_reason_and_keeps_the_voided_tick(team) -> None:
    pid = _planned(team)
    _tick(team, pid, "allergies")
    with pytest.raises(ValidationError):
        checklist.untick_item(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            procedure_id=pid,
            item_key="allergies",
            reason=" ",
        )
    view = checklist.untick_item(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        item_key="allergies",
        reason="Ticked the wrong line",
    )
    assert not next(i for i in view.items if i.key == "allergies").done
    again = _tick(team, pid, "allergies")
    assert next(i for i in again.items if i.key == "allergies").done
    with team.uow.read() as tx:
        reasons = [a.reason for a in tx.audit.for_procedure(pid) if a.event_type.endswith("ed")]
    assert "Ticked the wrong line" in reasons


def test_an_unknown_item_and_a_monitor_are_refused(team) -> None:
    pid = _planned(team)
    with pytest.raises(Exception, match="no item"):
        _tick(team, pid, "no-such-item")
    with pytest.raises(PermissionDenied):
        _tick(team, pid, "identity", actor=team.monitor)


def test_checklist_is_frozen_once_the_procedure_has_started(team) -> None:
    view = team.started_procedure()
    state = checklist.get_checklist(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    assert state.complete
    assert not state.editable
    with pytest.raises(StateError):
        checklist.untick_item(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            procedure_id=view.id,
            item_key="identity",
            reason="late change",
        )
