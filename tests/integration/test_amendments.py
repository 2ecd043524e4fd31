"""Amendments: opened with the opener's password, what may be corrected or added late, and
the list of changes since the last signed version (who, when, why)."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from slidesk.domain.errors import ReasonRequired, StateError, ValidationError
from slidesk.domain.procedure.model import ProcedureStatus, SkipReason
from slidesk.services.accounts.service import (
    GENERIC_FAILURE,
    MAX_FAILED_ATTEMPTS,
    AuthenticationFailed,
)
from slidesk.services.audit.verify import verify_database
from slidesk.services.procedure import corrections, site_entries, workspace
from slidesk.services.procedure import service as procedures
from slidesk.services.sedation import monitoring as sedation_monitoring
from slidesk.services.sedation import service as sedation
from slidesk.services.signing import service as signing
from slidesk.services.signing.changes import changes_since_signed
from tests.conftest import PASSWORD
from tests.signing_helpers import amend, completed_procedure, sign, signed_procedure


def _status(team, procedure_id: int) -> ProcedureStatus:
    return procedures.get_procedure(
        uow=team.uow, actor=team.monitor, procedure_id=procedure_id
    ).status


def _events(team, event_type: str) -> list[tuple[str, dict]]:
    with sqlite3.connect(team.db.location) as conn:
        rows = conn.execute(
            "SELECT username, changes FROM audit_log WHERE event_type = ? ORDER BY seq",
            (event_type,),
        ).fetchall()
    return [(user, json.loads(changes)) for user, changes in rows]


def _amendment_count(team) -> int:
    with sqlite3.connect(team.db.location) as conn:
        return conn.execute("SELECT count(*) FROM amendments").fetchone()[0]


def _changes(team, procedure_id: int):
    return changes_since_signed(
        uow=team.uow, actor=team.monitor, procedure_id=procedure_id, tz=team.clock.zone
    )


# --- opening ---------------------------------------------------------------------------------


def test_a_wrong_password_opens_no_amendment_and_counts_like_a_failed_sign_in(team) -> None:
    view = signed_procedure(team)
    with pytest.raises(AuthenticationFailed) as refused:
        amend(team, view.id, "Depth at site 12 transcribed wrongly", password="not-mine-1")
    assert refused.value.message == GENERIC_FAILURE
    assert _status(team, view.id) is ProcedureStatus.SIGNED
    assert _amendment_count(team) == 0
    user, details = _events(team, "auth.failed")[-1]
    assert user == "operator"
    assert details == {"purpose": "amendment", "failed_attempts": 1}


def test_the_openers_password_opens_the_amendment_and_the_sign_in_is_audited(team) -> None:
    view = signed_procedure(team)
    amendment = amend(team, view.id, "Depth at site 12 transcribed wrongly")
    assert amendment.version == 2
    assert amendment.opened_by.id == team.operator.user_id
    assert _status(team, view.id) is ProcedureStatus.AMENDED
    assert [user for user, _ in _events(team, "auth.amendment")] == ["operator"]


def test_repeated_wrong_passwords_lock_the_account_and_then_even_the_right_one_fails(
    team,
) -> None:
    view = signed_procedure(team)
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed):
            amend(team, view.id, "x", password="guessing-123")
    assert _events(team, "auth.locked")[-1][0] == "operator"
    with pytest.raises(AuthenticationFailed):
        amend(team, view.id, "x")
    assert _status(team, view.id) is ProcedureStatus.SIGNED
    assert _amendment_count(team) == 0


# --- what may change during an amendment -----------------------------------------------------


def test_during_an_amendment_a_forgotten_dose_is_added_only_with_its_real_earlier_time(
    team,
) -> None:
    view = signed_procedure(team)
    during = view.started_at + timedelta(minutes=5)
    amend(team, view.id, "Fentanyl given at the start was not charted")
    base = {
        "uow": team.uow,
        "clock": team.clock,
        "actor": team.nurse,
        "procedure_id": view.id,
        "drug_key": "fentanyl",
        "amount": "25",
        "unit_code": "ug",
    }
    with pytest.raises(ValidationError, match="late entry"):
        sedation.record_dose(**base)  # "now" is not when it was given
    team.clock.advance(minutes=2)
    with pytest.raises(ValidationError, match="after the amendment was opened"):
        sedation.record_dose(**base, given_at=team.clock.now() - timedelta(minutes=1))
    record = sedation.record_dose(**base, given_at=during)
    dose = record.live_doses[-1]
    assert dose.given_at == during
    assert dose.late
    change = _changes(team, view.id).changes[-1]
    # Named as a clinician would: drug, amount and the time it was given; no database id.
    assert change.what == f"Fentanyl 25 µg at {during.astimezone(team.clock.zone):%H:%M}"
    assert change.change.startswith("added late: happened ")
    assert change.who == "Nina Nurse"


def test_during_an_amendment_vital_signs_and_a_finding_also_need_their_real_time(team) -> None:
    view = signed_procedure(team)
    amend(team, view.id, "Observations from the paper chart")
    with pytest.raises(ValidationError, match="late entry"):
        sedation_monitoring.record_vitals(
            uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=view.id, hr=70
        )
    with pytest.raises(ValidationError, match="late entry"):
        workspace.flag_site(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            procedure_id=view.id,
            site_no=3,
            flag="bleeding",
        )
    seen = view.started_at + timedelta(minutes=3)
    flag = workspace.flag_site(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        site_no=3,
        flag="bleeding",
        observed_at=seen,
    )
    assert flag.observed_at == seen


def test_an_amendment_corrects_site_entries_but_adds_no_injection_or_skip(team) -> None:
    view = completed_procedure(team, skip=18)
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    amend(team, view.id, "Skip reason chosen wrongly")
    skipped = next(e for e in view.entries if e.site_no == 18 and not e.voided)
    with pytest.raises(StateError, match="'Amendment open', not 'In progress'"):
        site_entries.record_injection(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            procedure_id=view.id,
            site_no=18,
            depth_mm="12.5",
            volume_ml="1.0",
            syringe="30",
        )
    with pytest.raises(StateError, match="no injection values"):
        corrections.correct_entry(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            entry_id=skipped.id,
            depth_mm="12",
            reason="x",
        )
    with pytest.raises(StateError, match="undo an entry"):
        corrections.undo_last(
            uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=view.id, reason="x"
        )
    after = corrections.correct_skip(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=skipped.id,
        skip_reason=SkipReason.INFECTION,
        skip_detail="Signs of infection over the planned site",
        reason="Skip reason read again from the procedure note",
    )
    entry = next(e for e in after.entries if e.site_no == 18 and not e.voided)
    assert entry.skip_reason is SkipReason.INFECTION
    assert entry.skip_detail == "Signs of infection over the planned site"
    change = _changes(team, view.id).changes[-1]
    assert change.what == "Site 18"
    assert "skip reason ulcer → infection" in change.change
    assert change.reason == "Skip reason read again from the procedure note"


def test_a_skip_correction_keeps_other_explained_and_refuses_an_injected_site(team) -> None:
    view = completed_procedure(team, skip=18)
    skipped = next(e for e in view.entries if e.site_no == 18 and not e.voided)
    injected = next(e for e in view.entries if e.site_no == 1 and not e.voided)
    with pytest.raises(ReasonRequired, match="Other"):
        corrections.correct_skip(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            entry_id=skipped.id,
            skip_reason=SkipReason.OTHER,
            skip_detail="",
            reason="x",
        )
    with pytest.raises(StateError, match="was injected"):
        corrections.correct_skip(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            entry_id=injected.id,
            skip_reason=SkipReason.INFECTION,
            reason="x",
        )
    with pytest.raises(ValidationError, match="Nothing was changed"):
        corrections.correct_skip(
            uow=team.uow, clock=team.clock, actor=team.operator, entry_id=skipped.id, reason="x"
        )


# --- the list of changes ---------------------------------------------------------------------


def test_the_change_list_names_each_change_since_the_signed_version_with_who_when_and_why(
    team,
) -> None:
    view = completed_procedure(team, corrections=1)  # a correction before signing: not listed
    team.clock.advance(seconds=30)
    sedation.record_dose(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=view.id,
        drug_key="fentanyl",
        amount="50",
        unit_code="ug",
        given_at=view.started_at + timedelta(minutes=1),
    )
    assert _changes(team, view.id).since_version is None  # never signed: nothing to compare
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    assert _changes(team, view.id).changes == ()
    amend(team, view.id, "Values checked against the source notes")
    site = next(e for e in view.entries if e.site_no == 12 and not e.voided)
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=site.id,
        depth_mm="14",
        reason="Transcription error found at review",
    )
    dose = sedation.get_sedation(
        uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=view.id
    ).live_doses[-1]
    team.clock.advance(minutes=1)
    sedation.correct_dose(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        dose_id=dose.id,
        amount="25",
        reason="Half the ampoule was given",
    )
    listed = _changes(team, view.id)
    assert listed.since_version == 1
    assert listed.amendment_reason == "Values checked against the source notes"
    site_change, dose_change = listed.changes
    assert site_change.what == "Site 12"
    assert site_change.change == "depth 12.5 mm → 14.0 mm"
    assert (site_change.who, site_change.reason) == (
        "Olga Operator",
        "Transcription error found at review",
    )
    given = dose.given_at.astimezone(team.clock.zone)
    assert dose_change.what == f"Fentanyl 25 µg at {given:%H:%M}"
    # One fact, one line: the amount as typed changed with it and is not said again.
    assert dose_change.change == "amount 50 µg → 25 µg"
    assert (dose_change.who, dose_change.reason) == ("Nina Nurse", "Half the ampoule was given")
    assert dose_change.at == team.clock.now()
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    signed_again = _changes(team, view.id)
    assert (signed_again.since_version, signed_again.changes) == (2, ())
    assert verify_database(uow=team.uow).intact


def test_a_change_made_within_the_same_clock_tick_as_the_signature_is_still_listed(team) -> None:
    view = signed_procedure(team)  # the clock does not move from here on
    signing.open_amendment(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        reason="Depth at site 12 transcribed wrongly",
        password=PASSWORD,
        hasher=team.hasher,
    )
    site = next(e for e in view.entries if e.site_no == 12 and not e.voided)
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=site.id,
        depth_mm="14",
        reason="Transcription error found at review",
    )
    [change] = _changes(team, view.id).changes
    assert (change.what, change.change) == ("Site 12", "depth 12.5 mm → 14.0 mm")
