"""The rules of signing, without a database: who may sign which meaning, what a version
refuses, when it is complete, and what a signer of an amended record confirms."""

from __future__ import annotations

import pytest

from slidesk.domain.errors import ConflictError, PermissionDenied, StateError, ValidationError
from slidesk.domain.signing import (
    Finding,
    Severity,
    amendment_findings,
    require_named_person,
    require_signable,
    signing_role,
    version_complete,
)
from slidesk.domain.users import Role


def test_a_reviewer_signs_as_operator_before_monitor() -> None:
    assert signing_role("reviewer", frozenset({Role.MONITOR, Role.OPERATOR})) is Role.OPERATOR
    assert signing_role("reviewer", frozenset({Role.MONITOR})) is Role.MONITOR
    assert signing_role("nurse", frozenset({Role.OPERATOR})) is None
    assert signing_role("unknown", frozenset(Role)) is None


def _named(role: str, signer_id: int) -> None:
    require_named_person(role, signer_id=signer_id, signer_name="Ann", operator_id=1, nurse_id=2)


def test_only_the_named_person_signs_that_they_did_the_work() -> None:
    _named("operator", 1)
    _named("nurse", 2)
    _named("reviewer", 7)  # a review is not "I did this"
    with pytest.raises(PermissionDenied, match="procedure's operator can give"):
        _named("operator", 2)
    with pytest.raises(PermissionDenied, match="procedure's sedation nurse can give"):
        _named("nurse", 1)


def _signable(**changes: object) -> None:
    values: dict[str, object] = {
        "meaning": "Performed by",
        "required": True,
        "locked": False,
        "signed_by": None,
        "signer_name": "Ann",
        "signer_signed_as": None,
        "unacknowledged": (),
    }
    values.update(changes)
    require_signable(**values)  # type: ignore[arg-type]


def test_a_version_takes_each_meaning_once_from_a_different_person() -> None:
    _signable()
    with pytest.raises(ConflictError, match="already signed by Bob for this version"):
        _signable(signed_by="Bob")
    with pytest.raises(ConflictError, match="Ann already signed this version as “Reviewed by”"):
        _signable(signer_signed_as="Reviewed by")


def test_a_signed_record_takes_only_optional_signatures() -> None:
    _signable(locked=True, required=False)
    with pytest.raises(StateError, match="signed and locked"):
        _signable(locked=True)


def test_every_warning_is_acknowledged_before_signing() -> None:
    warnings = [Finding(f"w{i}", Severity.WARNING, f"W{i}.") for i in range(4)]
    with pytest.raises(
        ValidationError, match=r"Acknowledge 4 warning\(s\) before signing: W0. W1. W2.$"
    ):
        _signable(unacknowledged=warnings)


def test_the_refusals_come_in_the_order_a_signer_is_told() -> None:
    late = [Finding("w", Severity.WARNING, "W.")]
    with pytest.raises(ConflictError, match="already signed by"):
        _signable(signed_by="Bob", locked=True, signer_signed_as="X", unacknowledged=late)
    with pytest.raises(StateError):
        _signable(locked=True, signer_signed_as="X", unacknowledged=late)


def test_a_version_is_complete_when_every_required_meaning_is_signed() -> None:
    assert version_complete(["operator", "nurse"], {"operator", "nurse", "reviewer"})
    assert not version_complete(["operator", "nurse"], {"operator", "reviewer"})
    assert version_complete([], set())


def test_an_amendment_that_changed_nothing_blocks_signing() -> None:
    (finding,) = amendment_findings(1, [])
    assert finding.code == "amendment-unchanged"
    assert finding.severity is Severity.BLOCKING
    assert "Nothing has changed since version 1" in finding.message


def test_each_change_of_an_amendment_is_a_warning_with_a_stable_code() -> None:
    first = amendment_findings(2, ["Fentanyl 25 µg at 13:28 corrected", "Site 3 skipped"])
    again = amendment_findings(2, ["Fentanyl 25 µg at 13:28 corrected", "Site 3 skipped"])
    assert first == again
    assert [f.severity for f in first] == [Severity.WARNING, Severity.WARNING]
    assert first[1].message == "Changed since version 2: Site 3 skipped"
    assert first[0].code.startswith("amended:")
    assert len(first[0].code) == len("amended:") + 10
    assert first[0].code != first[1].code
