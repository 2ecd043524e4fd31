"""Follow-up services on a real SQLite file: entry, reasons, signing, verdicts, permissions."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from slidesk.domain.errors import PermissionDenied, ReasonRequired, StateError, ValidationError
from slidesk.domain.followup.model import (
    Amputation,
    AmputationLevel,
    Item,
    MissingReason,
    VisitStatus,
    VitalStatus,
)
from slidesk.outcomes import ALGORITHM_VERSION, Criterion, Verdict
from slidesk.services.accounts.service import AuthenticationFailed
from slidesk.services.audit.verify import verify_database
from slidesk.services.followup import service as followup
from tests.conftest import NOT_CHARTED, PASSWORD
from tests.followup_helpers import (
    PROCEDURE,
    baseline_entry,
    entry,
    save,
    subject_in_follow_up,
)


def audit_of(team, entity: str, entity_id: int):
    with team.uow.read() as tx:
        return list(tx.audit.for_entity(entity, str(entity_id)))


def sign(team, visit_id: int, actor=None, password: str = PASSWORD):
    return followup.sign_visit(
        uow=team.uow,
        clock=team.clock,
        actor=actor or team.operator,
        visit_id=visit_id,
        password=password,
        hasher=team.hasher,
    )


def test_a_visit_stores_its_values_and_a_verdict_with_version_and_inputs(team):
    subject = subject_in_follow_up(team)
    save(team, subject, 0, baseline_entry())
    view = save(team, subject, 6, entry())
    assert view.status is VisitStatus.DRAFT
    assert view.entry.rutherford == 3
    assert view.assessor is not None
    assert view.assessor.full_name == "Olga Operator"
    assert view.abi.value == Decimal("0.48")
    assert view.tbi.value == Decimal("0.20")
    assert view.window is not None
    assert view.window.target == date(2026, 2, 28)
    assert view.outside_window_days == 0
    verdict = view.verdict
    assert verdict is not None
    assert verdict.verdict is Verdict.SUCCESS
    assert verdict.primary
    assert verdict.provisional
    assert verdict.algorithm_version == ALGORITHM_VERSION
    inputs = json.loads(verdict.inputs_json)
    assert inputs["baseline"] == {"rutherford": 4, "vas_mm": 60}
    assert inputs["visit"]["rutherford"] == 3
    assert [c.status for c in verdict.criteria] == [Criterion.MET] * 4
    assert verify_database(uow=team.uow).intact


def test_changing_a_baseline_input_recomputes_the_verdict_with_an_audit_entry(team):
    subject = subject_in_follow_up(team)
    save(team, subject, 0, baseline_entry())
    view = save(team, subject, 6, entry())
    assert view.verdict.verdict is Verdict.SUCCESS
    team.clock.advance(minutes=5)
    save(team, subject, 0, baseline_entry(rutherford=2), reason="Category misread on paper CRF")
    after = followup.get_visit(uow=team.uow, clock=team.clock, actor=team.monitor, visit_id=view.id)
    assert after.verdict.verdict is Verdict.FAILURE
    assert after.verdict.criteria[2].status is Criterion.NOT_MET
    trail = audit_of(team, "followup_verdicts", _verdict_id(team, view.id))
    assert [e.event_type for e in trail] == [
        "followup.verdict_computed",
        "followup.verdict_recomputed",
    ]
    assert trail[-1].reason == "input changed"
    changes = json.loads(trail[-1].changes)
    assert changes["verdict"] == ["success", "failure"]
    assert verify_database(uow=team.uow).intact


def _verdict_id(team, visit_id: int) -> int:
    from slidesk.persistence.queries.followup import FollowUpRepository

    with team.uow.read() as tx:
        row = tx.repo(FollowUpRepository).visit(visit_id)
        return next(
            v.id
            for v in tx.repo(FollowUpRepository).verdicts(row.subject_id)
            if v.visit_id == visit_id
        )


def test_a_major_amputation_reported_later_fails_an_earlier_visit(team):
    subject = subject_in_follow_up(team)
    save(team, subject, 0, baseline_entry())
    six = save(team, subject, 6, entry())
    bka = Amputation(date(2026, 2, 1), AmputationLevel.BELOW_KNEE)
    save(
        team,
        subject,
        12,
        entry(visit_date=date(2026, 8, 30), new_amputation=True, amputations=(bka,)),
    )
    again = followup.get_visit(uow=team.uow, clock=team.clock, actor=team.operator, visit_id=six.id)
    assert again.verdict.verdict is Verdict.FAILURE
    assert "below-knee" in again.verdict.criteria[1].reason
    assert again.other_amputations[0].is_major


def test_filling_blanks_needs_no_reason_but_overwriting_does(team):
    subject = subject_in_follow_up(team)
    first = save(team, subject, 2, entry(visit_date=date(2025, 10, 30), vas_mm=None))
    filled = save(team, subject, 2, replace(first.entry, vas_mm=40))
    assert filled.entry.vas_mm == 40
    with pytest.raises(ReasonRequired, match="Pain \\(VAS\\)"):
        save(team, subject, 2, replace(filled.entry, vas_mm=45))
    changed = save(team, subject, 2, replace(filled.entry, vas_mm=45), reason="Typo: 45 on paper")
    assert changed.entry.vas_mm == 45
    reasons = [e.reason for e in audit_of(team, "followup_visits", first.id)]
    assert reasons == [None, "first entry of blank items", "Typo: 45 on paper"]


def test_a_blank_without_a_code_blocks_signing_and_a_code_allows_it(team):
    subject = subject_in_follow_up(team)
    view = save(team, subject, 2, entry(visit_date=date(2025, 10, 30), vas_mm=None))
    with pytest.raises(StateError, match="Pain \\(VAS\\)"):
        sign(team, view.id)
    coded = save(team, subject, 2, replace(view.entry, missing={Item.VAS: MissingReason.REFUSED}))
    assert coded.blanks == ()
    signed = sign(team, view.id)
    assert signed.status is VisitStatus.SIGNED
    assert signed.signed_by.full_name == "Olga Operator"
    assert signed.verdict.verdict is Verdict.INCOMPLETE  # no baseline, VAS refused
    assert not signed.verdict.provisional


def test_signing_reauthenticates_the_assessor(team):
    subject = subject_in_follow_up(team)
    view = save(team, subject, 2, entry(visit_date=date(2025, 10, 30)))
    with pytest.raises(AuthenticationFailed):
        sign(team, view.id, password="wrong-password-1")
    with pytest.raises(PermissionDenied, match="Only the assessor"):
        sign(team, view.id, actor=team.nurse)
    with team.uow.read() as tx:
        purposes = [e for e in tx.audit.iter_all() if e["event_type"] == "auth.failed"]
    assert purposes, "a failed signature attempt is audited"
    assert sign(team, view.id).status is VisitStatus.SIGNED


def test_a_signed_visit_changes_only_through_an_audited_amendment(team):
    subject = subject_in_follow_up(team)
    save(team, subject, 0, baseline_entry())
    view = save(team, subject, 6, entry())
    sign(team, view.id)
    with pytest.raises(StateError, match="open an amendment"):
        save(team, subject, 6, replace(view.entry, vas_mm=30), reason="late correction")
    amended = followup.open_amendment(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        visit_id=view.id,
        reason="Source document re-checked",
    )
    assert amended.status is VisitStatus.AMENDED
    with pytest.raises(ReasonRequired):
        save(team, subject, 6, replace(view.entry, vas_mm=30))
    save(team, subject, 6, replace(view.entry, vas_mm=30), reason="VAS was 30 mm on the CRF")
    resigned = sign(team, view.id)
    assert resigned.status is VisitStatus.SIGNED
    assert resigned.entry.vas_mm == 30
    events = [e.event_type for e in audit_of(team, "followup_visits", view.id)]
    assert events == [
        "followup.visit_created",
        "followup.visit_signed",
        "followup.visit_amendment_opened",
        "followup.visit_updated",
        "followup.visit_signed",
    ]
    assert verify_database(uow=team.uow).intact


def test_monitor_reads_but_cannot_enter_or_sign(team):
    subject = subject_in_follow_up(team)
    view = save(team, subject, 2, entry(visit_date=date(2025, 10, 30)))
    with pytest.raises(PermissionDenied, match="follow-up"):
        save(team, subject, 6, entry(), actor=team.monitor)
    with pytest.raises(PermissionDenied):
        sign(team, view.id, actor=team.monitor)
    with pytest.raises(PermissionDenied):
        followup.open_amendment(
            uow=team.uow, clock=team.clock, actor=team.monitor, visit_id=view.id, reason="x"
        )
    outcomes = followup.get_subject_outcomes(
        uow=team.uow, clock=team.clock, actor=team.monitor, subject_id=subject
    )
    assert outcomes.time_point(2).visit.id == view.id


def test_nurse_enters_a_visit_as_assessor_and_signs_it(team):
    subject = subject_in_follow_up(team)
    view = save(team, subject, 2, entry(visit_date=date(2025, 10, 30)), actor=team.nurse)
    assert view.assessor.full_name == "Nina Nurse"
    assert sign(team, view.id, actor=team.nurse).status is VisitStatus.SIGNED


def test_amputations_and_ulcers_are_voided_not_deleted(team):
    from slidesk.domain.followup.model import Ulcer, UlcerLocation, area_to_ucm2

    subject = subject_in_follow_up(team)
    toe = Amputation(date(2025, 10, 1), AmputationLevel.TOE)
    heel = Ulcer(UlcerLocation.HEEL, area_ucm2=area_to_ucm2("2.50"))
    view = save(
        team,
        subject,
        2,
        entry(
            visit_date=date(2025, 10, 30),
            new_amputation=True,
            amputations=(toe,),
            ulcer_count=1,
            ulcers=(heel,),
        ),
    )
    saved_toe = view.entry.amputations[0]
    assert saved_toe.id is not None
    assert not saved_toe.is_major
    assert view.entry.ulcers[0].area_cm2 == Decimal("2.50")
    with pytest.raises(ReasonRequired, match="amputations"):
        save(team, subject, 2, replace(view.entry, new_amputation=False, amputations=()))
    after = save(
        team,
        subject,
        2,
        replace(view.entry, new_amputation=False, amputations=()),
        reason="Amputation belonged to the other leg",
    )
    assert after.entry.amputations == ()
    trail = audit_of(team, "followup_amputations", saved_toe.id)
    assert trail[-1].event_type == "followup.amputation_removed"
    assert verify_database(uow=team.uow).intact


def test_death_is_recorded_once_and_later_visits_are_not_chased(team):
    subject = subject_in_follow_up(team)
    save(team, subject, 0, baseline_entry())
    died = entry(
        visit_date=date(2026, 2, 27),
        vital_status=VitalStatus.DIED,
        death_date=date(2026, 1, 15),
        death_cause="Cardiac arrest",
        rutherford=None,
        fontaine=None,
        rest_pain=None,
        vas_mm=None,
        ulcer_count=None,
        walk_distance_m=None,
        pressures={},
        eq5d=None,
        rand36=None,
    )
    view = save(team, subject, 6, died)
    assert view.blanks == ()
    assert view.verdict.verdict is Verdict.FAILURE
    assert view.verdict.criteria[0].reason == "Died on 2026-01-15."
    with pytest.raises(ValidationError, match="cannot be seen alive"):
        save(team, subject, 12, entry(visit_date=date(2026, 8, 30)))
    due = followup.due_visits(uow=team.uow, clock=team.clock, actor=team.monitor)
    assert {(d.month, d.state.value) for d in due if d.subject_id == subject} == {
        (0, "started"),
        (6, "started"),
    }


def completed_procedure(team, study_id: str = "SAIL-01-201"):
    from slidesk.services.procedure import completion

    view = team.started_procedure(study_id=study_id, kit="SAIL-K201")
    for n, site in enumerate(view.sites, start=1):
        view = team.inject(view.id, site.number, str(n))
    return completion.complete_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        gaps_reason=NOT_CHARTED,
    )


@pytest.mark.fixed_date
def test_the_procedure_date_is_the_local_day_of_the_completed_procedure(team):
    team.clock.current = team.clock.current.replace(hour=23, minute=10)  # 00:10 local (+01:00)
    view = completed_procedure(team)
    outcomes = followup.get_subject_outcomes(
        uow=team.uow, clock=team.clock, actor=team.nurse, subject_id=view.subject.id
    )
    assert outcomes.procedure_date == date(2026, 11, 26)
    assert "procedure record" in outcomes.procedure_date_note
    assert outcomes.time_point(6).window.target == date(2027, 5, 26)
    assert [t.month for t in outcomes.time_points] == [0, 2, 6, 12, 24, 60]


@pytest.mark.fixed_date
def test_due_visits_lists_overdue_due_and_upcoming_in_order(team):
    subject = subject_in_follow_up(team, "SAIL-01-301")  # procedure 31 Aug 2025
    save(team, subject, 0, baseline_entry())
    save(team, subject, 2, entry(visit_date=date(2025, 10, 30)))
    # Today (clock) is 25 Nov 2026: month 6 (28 Feb 2026) and 12 (31 Aug 2026) are overdue.
    due = followup.due_visits(uow=team.uow, clock=team.clock, actor=team.monitor)
    mine = [(d.month, d.state.value, d.days) for d in due if d.subject_id == subject]
    assert mine == [(6, "overdue", 242), (12, "overdue", 56), (0, "started", 0), (2, "started", 0)]
    later = followup.due_visits(
        uow=team.uow, clock=team.clock, actor=team.monitor, today=date(2027, 8, 10)
    )
    month24 = next(d for d in later if d.subject_id == subject and d.month == 24)
    assert (month24.state.value, month24.days) == ("due", 81)  # window closes 30 Oct 2027
    soon = followup.due_visits(
        uow=team.uow, clock=team.clock, actor=team.monitor, today=date(2027, 7, 10)
    )
    month24 = next(d for d in soon if d.subject_id == subject and d.month == 24)
    assert (month24.state.value, month24.days) == ("upcoming", 22)  # opens 1 Aug 2027


def test_a_subject_without_baseline_shows_it_overdue_once_treated(team):
    subject = subject_in_follow_up(team, "SAIL-01-302")
    due = followup.due_visits(uow=team.uow, clock=team.clock, actor=team.operator)
    baseline = next(d for d in due if d.subject_id == subject and d.month == 0)
    assert baseline.state.value == "overdue"
    assert baseline.window is None


def test_a_procedure_date_typed_by_hand_needs_a_reason_and_fits_the_visits(team):
    subject = subject_in_follow_up(team, "SAIL-01-303")
    save(team, subject, 0, baseline_entry())
    with pytest.raises(ValidationError, match="baseline visit would come after"):
        followup.set_procedure_date(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            subject_id=subject,
            procedure_date=date(2025, 8, 1),
            reason="checked",
        )
    with pytest.raises(ValidationError, match="required"):
        followup.set_procedure_date(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            subject_id=subject,
            procedure_date=date(2025, 9, 1),
            reason=" ",
        )
    outcomes = followup.set_procedure_date(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=subject,
        procedure_date=date(2025, 9, 1),
        reason="Date corrected from the angio-suite log",
    )
    assert outcomes.procedure_date == date(2025, 9, 1)
    assert "angio-suite log" in outcomes.procedure_date_note


def test_a_baseline_not_entered_is_due_on_the_procedure_day_and_overdue_the_day_after(team):
    subject = subject_in_follow_up(team, "SAIL-01-304")

    def baseline(today):
        due = followup.due_visits(uow=team.uow, clock=team.clock, actor=team.monitor, today=today)
        found = next(d for d in due if d.subject_id == subject and d.month == 0)
        return found.state.value, found.days

    assert baseline(PROCEDURE - timedelta(days=2)) == ("due", 2)
    assert baseline(PROCEDURE) == ("due", 0)
    assert baseline(PROCEDURE + timedelta(days=1)) == ("overdue", 1)
