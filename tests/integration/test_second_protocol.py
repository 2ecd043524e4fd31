"""A second protocol (40 sites, another order, another ID format) works with no code change."""

from __future__ import annotations

from pathlib import Path

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.protocol.catalog import ProtocolCatalog
from slidesk.protocol.parse import load_protocol
from slidesk.services.procedure import completion, planning, subjects
from tests.conftest import NOT_CHARTED, Team

GRID40 = Path(__file__).parent.parent / "fixtures" / "protocols" / "grid40.toml"


def test_a_whole_procedure_runs_under_a_forty_site_protocol(make_db, clock) -> None:
    catalog = ProtocolCatalog([load_protocol(GRID40)])
    team = Team(make_db("grid.sqlite3", protocols=catalog), clock)
    subject = subjects.register_subject(
        uow=team.uow,
        clock=clock,
        actor=team.operator,
        study_id="G40-0012",
        index_limb="left",
        centre="X",
    )
    view = planning.plan_procedure(
        uow=team.uow,
        clock=clock,
        actor=team.operator,
        subject_id=subject.id,
        kit_number="SAIL-K009",
        operator_id=team.operator.user_id,
        nurse_id=team.nurse.user_id,
        location="Room 1",
    )
    assert (view.protocol_key, view.protocol_version) == ("GRID40", "2.0-test")
    team.tick_checklist(view.id)
    view = planning.start_procedure(
        uow=team.uow, clock=clock, actor=team.operator, procedure_id=view.id
    )
    assert view.total_sites == 40
    proposed = []
    for syringe in range(1, 41):
        proposed.append(view.next_site_no)
        view = team.inject(view.id, view.next_site_no, str(syringe))
    assert proposed == list(range(40, 0, -1))
    done = completion.complete_procedure(
        uow=team.uow,
        clock=clock,
        actor=team.operator,
        procedure_id=view.id,
        gaps_reason=NOT_CHARTED,
    )
    assert done.status is ProcedureStatus.COMPLETED
