"""A document is frozen when issued: its time zone is stored with it and re-issuing the same
version gives the same bytes, whatever zone the caller has now."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from slidesk.persistence.rows.signing import SigningRepository
from slidesk.services.audit.verify import verify_database
from slidesk.services.reporting.service import ReportPurpose, issue_report
from tests.signing_helpers import signed_procedure

AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")


def _issue(team, procedure_id: int, tz: ZoneInfo, tmp_path):
    team.clock.advance(minutes=1)
    return issue_report(
        uow=team.uow,
        clock=team.clock,
        actor=team.monitor,
        procedure_id=procedure_id,
        purpose=ReportPurpose.EXPORT,
        tz=tz,
        key_folder=tmp_path / "keys",
    )


def test_an_issued_version_keeps_its_zone_and_bytes(team, tmp_path) -> None:
    view = signed_procedure(team)
    first = _issue(team, view.id, AMS, tmp_path)
    assert first.archived
    assert not first.from_archive
    assert first.time_zone == "Europe/Amsterdam"
    with team.uow.read() as tx:
        (doc,) = tx.repo(SigningRepository).documents(view.id)
        assert json.loads(doc.issued_with or "{}") == {
            "time_zone": "Europe/Amsterdam",
            "checkpoint": None,  # none written yet: "No checkpoint of the audit trail yet"
        }
    again = _issue(team, view.id, NYC, tmp_path)
    assert again.from_archive
    assert again.pdf == first.pdf
    assert again.time_zone == "Europe/Amsterdam"
    assert verify_database(uow=team.uow).intact


def test_a_draft_prints_in_the_zone_it_is_asked_for(team, tmp_path) -> None:
    from tests.signing_helpers import completed_procedure

    view = completed_procedure(team)
    draft = _issue(team, view.id, NYC, tmp_path)
    assert not draft.archived
    assert draft.time_zone == "America/New_York"
