"""The shared fixtures build a working team and procedure."""

from __future__ import annotations

from slidesk.domain.procedure.model import ProcedureStatus, SiteState


def test_team_can_start_a_procedure_and_the_first_site_is_next(team) -> None:
    view = team.started_procedure()
    assert view.status is ProcedureStatus.IN_PROGRESS
    assert view.next_site_no == view.sites[0].number
    assert view.sites[0].state is SiteState.NEXT
