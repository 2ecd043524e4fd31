"""Time-out checklist: each item confirmed by the roles the protocol names, each role by its
own signed-in person; a refusal names who must still confirm; start waits until complete."""

from __future__ import annotations

import sqlite3

import pytest

from slidesk.domain.errors import (
    ConflictError,
    DomainError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.users import Role
from slidesk.services.audit.timeline import TimelineKind, get_timeline
from slidesk.services.procedure import checklist, planning

CHECKLIST = TimelineKind.CHECKLIST


def _planned(team) -> int:
    return planning.plan_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=team.subject(),
        kit_number="SAIL-K001",
        operator_id=team.operator.user_id,
        nurse_id=team.nurse.user_id,
        location="Angio 2",
    ).id


def _tick(team, pid: int, key: str, actor=None, role=None):
    return checklist.tick_item(
        uow=team.uow,
        clock=team.clock,
        actor=actor or team.nurse,
        procedure_id=pid,
        item_key=key,
        role=role,
    )


def _item(view, key: str):
    return next(i for i in view.items if i.key == key)


def _audit_count(team) -> int:
    with team.uow.read() as tx:
        return tx.audit.count()


def test_every_item_names_the_roles_that_confirm_it(team) -> None:
    view = checklist.get_checklist(uow=team.uow, actor=team.nurse, procedure_id=_planned(team))
    both = (Role.OPERATOR, Role.NURSE)
    assert {i.key: i.confirm_by for i in view.items if i.confirm_by == both}.keys() == {
        "identity",
        "limb",
        "consent",
        "imp",
    }
    assert all(i.missing == i.confirm_by and not i.done for i in view.items)


def test_start_is_refused_while_an_item_lacks_a_role_and_names_who_must_confirm(team) -> None:
    pid = _planned(team)
    team.tick_checklist(pid)
    checklist.untick_item(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        item_key="identity",
        reason="Wristband not yet checked",
        role=Role.NURSE,
    )
    before = _audit_count(team)
    with pytest.raises(StateError) as caught:
        planning.start_procedure(
            uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=pid
        )
    assert caught.value.message == (
        "The time-out checklist is not complete: 1 item(s) open — “Right subject: wristband "
        "checked, study ID on the kit label matches” (nurse). Tick every item before the first "
        "injection."
    )
    assert _audit_count(team) == before


def test_start_succeeds_once_every_item_is_confirmed_by_each_of_its_roles(team) -> None:
    pid = _planned(team)
    team.tick_checklist(pid)
    view = checklist.get_checklist(uow=team.uow, actor=team.nurse, procedure_id=pid)
    assert view.complete
    assert view.done_count == len(view.items)
    identity = _item(view, "identity")
    assert [(t.ticked_by.full_name, t.role) for t in identity.ticks] == [
        ("Olga Operator", "operator"),
        ("Nina Nurse", "nurse"),
    ]
    started = planning.start_procedure(
        uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=pid
    )
    assert started.status is ProcedureStatus.IN_PROGRESS


def test_each_tick_names_the_person_role_and_time_and_is_audited_with_its_role(team) -> None:
    pid = _planned(team)
    team.clock.advance(minutes=3)
    view = _tick(team, pid, "identity", actor=team.operator)
    identity = _item(view, "identity")
    assert identity.missing == (Role.NURSE,)
    assert not identity.done
    tick = identity.tick_for(Role.OPERATOR)
    assert tick is not None
    assert tick.ticked_by.full_name == "Olga Operator"
    assert tick.ticked_at == team.clock.now()
    view = _tick(team, pid, "identity")
    assert _item(view, "identity").done
    with team.uow.read() as tx:
        events = [(a.event_type, a.username, a.role) for a in tx.audit.for_procedure(pid)]
    assert ("checklist.ticked", "operator", "operator") in events
    assert ("checklist.ticked", "nurse", "nurse") in events
    timeline = get_timeline(
        uow=team.uow, actor=team.nurse, clock=team.clock, procedure_id=pid, kinds=[CHECKLIST]
    )
    assert [(i.detail, i.who) for i in timeline.items][-2:] == [
        (
            "Right subject: wristband checked, study ID on the kit label matches (as operator)",
            "Olga Operator",
        ),
        (
            "Right subject: wristband checked, study ID on the kit label matches (as nurse)",
            "Nina Nurse",
        ),
    ]


def test_one_person_cannot_confirm_an_item_for_both_roles(team) -> None:
    both = team.add("lead", "Lee Both", Role.OPERATOR, Role.NURSE)
    pid = _planned(team)
    view = _tick(team, pid, "identity", actor=both)
    assert _item(view, "identity").tick_for(Role.OPERATOR) is not None  # the first role needed
    before = _audit_count(team)
    with pytest.raises(ConflictError) as refused:
        _tick(team, pid, "identity", actor=both, role=Role.NURSE)
    assert refused.value.message == (
        "Lee Both already confirmed “Right subject: wristband checked, study ID on the kit "
        "label matches” as operator. A second person must confirm it: the nurse."
    )
    assert _audit_count(team) == before
    assert _item(_tick(team, pid, "identity"), "identity").done  # the nurse, another person


def test_a_role_is_confirmed_only_by_someone_who_holds_it(team) -> None:
    pid = _planned(team)
    with pytest.raises(PermissionDenied, match="confirmed by the operator, not the nurse"):
        _tick(team, pid, "skin", role=Role.NURSE)
    with pytest.raises(PermissionDenied) as refused:
        _tick(team, pid, "skin")  # the nurse, without saying as what
    assert refused.value.message == (
        "“Lower-leg skin inspected; ulcers, infection or necrosis marked” must still be "
        "confirmed by the operator; Nina Nurse is not one."
    )
    with pytest.raises(PermissionDenied, match="Nina Nurse does not have it"):
        _tick(team, pid, "identity", role=Role.OPERATOR)


def test_a_role_already_confirmed_is_not_confirmed_again(team) -> None:
    other_nurse = team.add("nurse2", "Noor Nurse", Role.NURSE)
    pid = _planned(team)
    _tick(team, pid, "identity")
    with pytest.raises(ConflictError, match="already confirmed as nurse by Nina Nurse"):
        _tick(team, pid, "identity", actor=other_nurse, role=Role.NURSE)
    with pytest.raises(PermissionDenied, match="must still be confirmed by the operator"):
        _tick(team, pid, "identity", actor=other_nurse)
    _tick(team, pid, "allergies")
    with pytest.raises(ConflictError, match="is already confirmed \\(Nina Nurse as nurse\\)"):
        _tick(team, pid, "allergies", actor=other_nurse)


def test_withdrawing_a_confirmation_needs_a_reason_and_keeps_it_voided(team) -> None:
    pid = _planned(team)
    _tick(team, pid, "identity", actor=team.operator)
    _tick(team, pid, "identity")
    with pytest.raises(ValidationError):
        checklist.untick_item(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            procedure_id=pid,
            item_key="identity",
            reason=" ",
        )
    view = checklist.untick_item(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        item_key="identity",
        reason="Ticked the wrong line",
    )  # no role given: the nurse's own confirmation
    identity = _item(view, "identity")
    assert identity.missing == (Role.NURSE,)
    assert identity.tick_for(Role.OPERATOR) is not None
    assert _item(_tick(team, pid, "identity"), "identity").done
    with team.uow.read() as tx:
        reasons = [a.reason for a in tx.audit.for_procedure(pid) if a.event_type.endswith("ed")]
    assert "Ticked the wrong line" in reasons


def test_an_unknown_item_role_and_a_monitor_are_refused(team) -> None:
    pid = _planned(team)
    with pytest.raises(DomainError, match="no item"):
        _tick(team, pid, "no-such-item")
    with pytest.raises(ValidationError, match="'surgeon' is not a role"):
        _tick(team, pid, "identity", role="surgeon")
    with pytest.raises(PermissionDenied):
        _tick(team, pid, "identity", actor=team.monitor)


def test_the_database_keeps_one_live_tick_per_item_and_role_and_per_person(team) -> None:
    pid = _planned(team)
    _tick(team, pid, "identity", actor=team.operator)
    conn = sqlite3.connect(_path(team))
    insert = (
        "INSERT INTO checklist_ticks (procedure_id, item_key, item_text, ticked_by, ticked_role,"
        " ticked_at, voided) VALUES (?, 'identity', 'x', ?, ?, '2026-11-25T08:30:00+00:00', 0)"
    )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(insert, (pid, team.nurse.user_id, "operator"))  # the role again
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(insert, (pid, team.operator.user_id, "nurse"))  # the person again
    conn.close()


def _path(team) -> str:
    return str(team.uow.engine.url.database)


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
