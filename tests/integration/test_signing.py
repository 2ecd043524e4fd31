"""Electronic signatures (SIG-01…06): re-authentication, role and person checks, locking."""

from __future__ import annotations

import json
import sqlite3

import pytest

from slidesk.domain.errors import (
    ConflictError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.signing import Severity
from slidesk.domain.users import Role
from slidesk.services.accounts import admin as account_admin
from slidesk.services.accounts import service as accounts
from slidesk.services.accounts.service import AuthenticationFailed
from slidesk.services.procedure import completion, corrections
from slidesk.services.sedation import monitoring as sedation_monitoring
from slidesk.services.signing import service as signing
from tests.conftest import NOT_CHARTED, PASSWORD
from tests.signing_helpers import all_warnings, completed_procedure, sign, signed_procedure


def _signature_count(team) -> int:
    with sqlite3.connect(team.db.location) as conn:
        return conn.execute("SELECT count(*) FROM signatures").fetchone()[0]


def _events(team, event_type: str) -> list[tuple]:
    with sqlite3.connect(team.db.location) as conn:
        return conn.execute(
            "SELECT username, changes FROM audit_log WHERE event_type = ?", (event_type,)
        ).fetchall()


def test_review_lists_the_skip_and_the_deviation_as_warnings_to_acknowledge(team) -> None:
    view = completed_procedure(team)
    review = signing.review_for_signing(uow=team.uow, actor=team.nurse, procedure_id=view.id)
    codes = {f.code: f for f in review.warnings}
    assert "skipped:18" in codes
    assert "Ulcer" in codes["skipped:18"].message
    assert "deviation:23" in codes
    assert "8.0 mm" in codes["deviation:23"].message
    assert "Thin muscle" in codes["deviation:23"].message
    assert review.blocking == ()
    assert review.signable
    assert review.version == 1
    assert [m.role for m in review.meanings] == ["operator", "nurse", "reviewer"]
    assert [m.required for m in review.meanings] == [True, True, False]


def test_a_procedure_in_progress_cannot_be_signed(team) -> None:
    view = team.started_procedure()
    team.inject(view.id, view.sites[0].number, "1")
    review = signing.review_for_signing(uow=team.uow, actor=team.operator, procedure_id=view.id)
    assert [f.code for f in review.blocking] == ["not-completed"]
    with pytest.raises(StateError, match="complete it before"):
        sign(team, view.id, "operator", "operator")
    assert _signature_count(team) == 0


def test_operator_then_nurse_signatures_make_version_one_and_lock_the_record(team) -> None:
    view = completed_procedure(team)
    first = sign(team, view.id, "operator", "operator")
    assert not first.version_completed
    assert first.status is ProcedureStatus.COMPLETED
    second = sign(team, view.id, "nurse", "nurse")
    assert second.version_completed
    assert second.status is ProcedureStatus.SIGNED
    versions = signing.list_versions(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    assert [v.version for v in versions] == [1]
    assert {s.meaning_role for s in versions[0].signatures} == {"operator", "nurse"}
    sig = first.signature
    assert sig.signer_full_name == "Olga Operator"
    assert sig.signer_role == "operator"
    assert sig.meaning == "Performed and verified the injections"
    assert sig.signed_at.tzinfo is not None
    assert sig.utc_offset_min == 60
    assert sig.version == 1
    assert sig.content_hash == versions[0].content_hash
    assert len(sig.content_hash) == 64
    assert any("Ulcer" in text for text in sig.acknowledged)
    assert _events(team, "procedure.signed")


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("operator", "wrong-password-1"),  # wrong password
        ("operator", "Lavender-Kettle-77"),  # another user's password
        ("nobody", PASSWORD),  # unknown user
    ],
)
def test_a_wrong_signing_credential_is_refused_logged_and_writes_no_signature(
    team, username, password
) -> None:
    accounts.change_password(
        uow=team.uow,
        clock=team.clock,
        username="nurse",
        old_password=PASSWORD,
        new_password="Lavender-Kettle-77",
        hasher=team.hasher,
    )
    view = completed_procedure(team)
    before = len(_events(team, "auth.failed"))
    with pytest.raises(AuthenticationFailed):
        sign(team, view.id, "operator", username, password)
    assert _signature_count(team) == 0
    failed = _events(team, "auth.failed")
    assert len(failed) == before + 1
    assert json.loads(failed[-1][1])["purpose"] == "signature"


def test_a_deactivated_user_cannot_sign(team) -> None:
    view = completed_procedure(team)
    account_admin.set_active(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.nurse.user_id,
        active=False,
        reason="left the department",
    )
    with pytest.raises(AuthenticationFailed):
        sign(team, view.id, "nurse", "nurse")
    assert _signature_count(team) == 0
    assert _events(team, "auth.refused_inactive")


def test_nurse_credentials_cannot_give_the_operator_signature(team) -> None:
    view = completed_procedure(team)
    with pytest.raises(PermissionDenied, match="on behalf"):
        sign(team, view.id, "operator", "nurse")
    assert _signature_count(team) == 0
    refused = _events(team, "signature.refused")
    assert refused
    assert refused[-1][0] == "nurse"


def test_another_operator_cannot_sign_for_the_procedures_operator(team) -> None:
    team.add("op2", "Otto Other", Role.OPERATOR)
    view = completed_procedure(team)
    with pytest.raises(PermissionDenied, match="not named on this procedure"):
        sign(team, view.id, "operator", "op2")
    assert _signature_count(team) == 0


def test_unacknowledged_warnings_block_the_signature(team) -> None:
    view = completed_procedure(team)
    # Not charted at all: no baseline, no score before the first injection, no Aldrete; and
    # the deviation at site 23 (the skip at 18 is acknowledged).
    with pytest.raises(ValidationError, match=r"Acknowledge 4 warning.*baseline vital"):
        signing.sign_record(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            procedure_id=view.id,
            meaning_role="operator",
            username="operator",
            password=PASSWORD,
            acknowledged={"skipped:18"},
            hasher=team.hasher,
        )
    assert _signature_count(team) == 0


def test_the_same_meaning_cannot_be_signed_twice(team) -> None:
    view = completed_procedure(team)
    sign(team, view.id, "operator", "operator")
    with pytest.raises(ConflictError, match="already signed"):
        sign(team, view.id, "operator", "operator")
    assert _signature_count(team) == 1


def test_a_correction_after_the_first_signature_supersedes_it(team) -> None:
    view = completed_procedure(team)
    sign(team, view.id, "operator", "operator")
    entry = next(e for e in view.entries if e.site_no == 5)
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=entry.id,
        depth_mm="13",
        reason="Depth read again",
    )
    review = signing.review_for_signing(uow=team.uow, actor=team.operator, procedure_id=view.id)
    operator = review.meaning("operator")
    assert operator.signature is None
    assert len(operator.superseded) == 1
    result = sign(team, view.id, "nurse", "nurse")
    assert result.status is ProcedureStatus.COMPLETED  # the operator must sign again
    result = sign(team, view.id, "operator", "operator")
    assert result.status is ProcedureStatus.SIGNED


def test_the_signature_tables_refuse_update_and_delete_in_sql(team) -> None:
    view = signed_procedure(team)
    with sqlite3.connect(team.db.location) as conn:
        for statement in (
            "UPDATE signatures SET meaning = 'x'",
            "DELETE FROM signatures",
            "UPDATE record_versions SET content_hash = 'x'",
            "DELETE FROM record_versions",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)
    assert view.status is ProcedureStatus.SIGNED
    assert _signature_count(team) == 2


def test_the_optional_reviewer_can_sign_a_signed_record_without_reopening_it(team) -> None:
    view = signed_procedure(team)
    result = sign(team, view.id, "reviewer", "monitor")
    assert result.status is ProcedureStatus.SIGNED
    assert not result.version_completed
    assert result.review.meaning("reviewer").signature is not None
    versions = signing.list_versions(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    assert {s.meaning_role for s in versions[0].signatures} == {"operator", "nurse", "reviewer"}


def test_one_person_cannot_give_two_meanings_of_one_version(team) -> None:
    view = signed_procedure(team)
    with pytest.raises(ConflictError, match="different person"):
        sign(team, view.id, "reviewer", "operator")


def test_every_required_warning_code_is_stable_between_reviews(team) -> None:
    view = completed_procedure(team)
    assert all_warnings(team, view.id) == all_warnings(team, view.id)
    review = signing.review_for_signing(uow=team.uow, actor=team.operator, procedure_id=view.id)
    assert all(f.severity is Severity.WARNING for f in review.warnings)


def test_missing_baseline_vitals_is_a_warning_until_vitals_precede_the_first_injection(
    team,
) -> None:
    view = team.started_procedure()
    sedation_monitoring.record_vitals(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=view.id,
        hr=72,
        systolic=130,
        diastolic=80,
        spo2=97,
    )
    for n, site in enumerate(view.sites, start=1):
        team.inject(view.id, site.number, str(n))
    completion.complete_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        gaps_reason=NOT_CHARTED,
    )
    assert "no-baseline-vitals" not in all_warnings(team, view.id)
    other = completed_procedure(team, study_id="SAIL-01-002", kit="SAIL-K002")
    assert "no-baseline-vitals" in all_warnings(team, other.id)
