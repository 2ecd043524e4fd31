"""The services refuse a BSN in location, kit, centre and reasons (issue 12, part 7)."""

from __future__ import annotations

import pytest

from slidesk.domain.errors import ValidationError
from slidesk.domain.values import Limb
from slidesk.services.procedure import corrections, planning, subjects
from slidesk.services.text_checks import free_text_warnings
from tests.conftest import Team

ISSUE_EXAMPLE = "Jan Jansen, geb. 01-02-1950, BSN 111222333"


def test_a_centre_with_the_issue_example_is_refused_and_nothing_registered(team: Team) -> None:
    with pytest.raises(ValidationError, match="Centre holds a number"):
        subjects.register_subject(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            study_id="SAIL-01-002",
            index_limb=Limb.LEFT,
            centre=ISSUE_EXAMPLE,
        )
    assert subjects.list_subjects(uow=team.uow, actor=team.operator) == ()


@pytest.mark.parametrize(("field", "what"), [("location", "Location"), ("kit_number", "Kit")])
def test_a_plan_with_a_bsn_in_location_or_kit_is_refused(team: Team, field, what) -> None:
    values = {"kit_number": "SAIL-K001", "location": "Angio 2"}
    values[field] = "123456782"
    with pytest.raises(ValidationError, match=f"{what}.* holds a number"):
        planning.plan_procedure(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            subject_id=team.subject(),
            operator_id=team.operator.user_id,
            nurse_id=team.nurse.user_id,
            **values,
        )


def test_a_deviation_reason_and_an_undo_reason_with_a_bsn_are_refused(team: Team) -> None:
    view = team.started_procedure()
    with pytest.raises(ValidationError, match="Deviation reason holds a number"):
        team.inject(view.id, 1, "1", depth_mm="30", deviation_reason="pt 1234.56.782 asked")
    view = team.inject(view.id, 1, "1")
    with pytest.raises(ValidationError, match="An undo reason holds a number"):
        corrections.undo_last(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            procedure_id=view.id,
            reason="wrong patient 111222333",
        )


def test_a_screen_can_ask_for_the_warnings_while_the_person_types() -> None:
    assert len(free_text_warnings(text="Jan Jansen, geb. 01-02-1950", what="Location")) == 2
    assert free_text_warnings(text="Angio 2", what="Location") == ()
