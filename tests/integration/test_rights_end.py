"""Sessions end when rights end: a person deactivated, or stripped of a role, while signed in
is refused at their next action, whatever service it is (issue 12, part 6)."""

from __future__ import annotations

import pytest

from slidesk.domain.errors import DomainError, PermissionDenied, RightsEnded
from slidesk.domain.users import Role
from slidesk.domain.values import Limb
from slidesk.services.accounts import admin as account_admin
from slidesk.services.procedure import service as procedures
from slidesk.services.procedure import subjects
from slidesk.services.sedation import service as sedation
from tests.conftest import Team


def _deactivate(team: Team, user_id: int) -> None:
    account_admin.set_active(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=user_id,
        active=False,
        reason="left the trial team",
    )


def test_a_deactivated_operator_cannot_record_the_next_injection(team: Team) -> None:
    view = team.started_procedure()
    team.inject(view.id, 1, "1")
    _deactivate(team, team.operator.user_id)
    with pytest.raises(RightsEnded, match="deactivated") as refused:
        team.inject(view.id, 2, "2")
    assert refused.value.user_id == team.operator.user_id
    assert isinstance(refused.value, DomainError)
    after = procedures.get_procedure(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    assert [e.site_no for e in after.entries] == [1], "nothing recorded in their name"


def test_a_deactivated_person_cannot_register_subjects_or_read(team: Team) -> None:
    _deactivate(team, team.nurse.user_id)
    with pytest.raises(RightsEnded):
        subjects.register_subject(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            study_id="SAIL-01-009",
            index_limb=Limb.LEFT,
            centre="UMC Utrecht",
        )
    with pytest.raises(RightsEnded):
        subjects.list_subjects(uow=team.uow, actor=team.nurse)


def test_a_person_stripped_of_a_role_is_refused_even_where_the_new_role_would_allow(
    team: Team,
) -> None:
    account_admin.set_roles(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.operator.user_id,
        roles=frozenset({Role.NURSE}),
        reason="now works as sedation nurse",
    )
    with pytest.raises(RightsEnded, match="no longer operator"):
        subjects.list_subjects(uow=team.uow, actor=team.operator)
    fresh = team.sign_in("operator")
    assert fresh.roles == frozenset({Role.NURSE})
    subjects.list_subjects(uow=team.uow, actor=fresh)


def test_a_role_added_while_signed_in_does_not_end_the_session(team: Team) -> None:
    account_admin.set_roles(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.operator.user_id,
        roles=frozenset({Role.OPERATOR, Role.NURSE}),
        reason="also covers sedation",
    )
    subjects.list_subjects(uow=team.uow, actor=team.operator)
    procedure_id = team.started_procedure().id
    with pytest.raises(PermissionDenied) as refused:  # the session still has only its own roles
        sedation.record_dose(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            procedure_id=procedure_id,
            drug_key="fentanyl",
            amount="50",
            unit_code="ug",
        )
    assert not isinstance(refused.value, RightsEnded)
