"""Who may tick which time-out item, and when an item is complete
(slidesk.domain.procedure.checklist)."""

from __future__ import annotations

import pytest

from slidesk.domain.errors import ConflictError, PermissionDenied
from slidesk.domain.procedure.checklist import (
    Confirmation,
    is_complete,
    missing_roles,
    role_to_confirm,
    roles_text,
)
from slidesk.domain.users import Role

OP, RN = Role.OPERATOR, Role.NURSE
BOTH = (OP, RN)
OLGA = Confirmation(1, "Olga Operator", OP)
NINA = Confirmation(2, "Nina Nurse", RN)


def ask(confirm_by, ticks, person_id, roles, wanted=None, name="Lee"):  # type: ignore[no-untyped-def]
    return role_to_confirm(
        item_text="Right limb",
        confirm_by=confirm_by,
        ticks=ticks,
        person_id=person_id,
        person_name=name,
        person_roles=frozenset(roles),
        wanted=wanted,
    )


def test_an_item_of_two_roles_is_complete_only_with_both_by_two_people() -> None:
    assert missing_roles(BOTH, []) == BOTH
    assert missing_roles(BOTH, [OLGA]) == (RN,)
    assert not is_complete(BOTH, [OLGA])
    assert is_complete(BOTH, [OLGA, NINA])
    one_person_twice = [Confirmation(7, "Lee", OP), Confirmation(7, "Lee", RN)]
    assert not is_complete(BOTH, one_person_twice)


def test_a_tick_in_a_role_the_item_does_not_name_does_not_count() -> None:
    assert not is_complete((OP,), [NINA])
    assert not is_complete((OP,), [Confirmation(2, "Nina Nurse", None)])  # an old tick
    assert is_complete((RN,), [NINA])


def test_the_first_role_still_needed_that_the_person_holds_is_chosen() -> None:
    assert ask(BOTH, [], 7, {OP, RN}) is OP
    assert ask(BOTH, [OLGA], 2, {RN}) is RN
    assert ask(BOTH, [], 2, {RN}) is RN


def test_the_same_person_cannot_add_the_second_role_and_is_told_who_must() -> None:
    with pytest.raises(ConflictError) as refused:
        ask(BOTH, [Confirmation(7, "Lee", OP)], 7, {OP, RN})
    assert refused.value.message == (
        "Lee already confirmed “Right limb” as operator. A second person must confirm it: "
        "the nurse."
    )


def test_a_person_without_the_role_is_told_whose_it_is() -> None:
    with pytest.raises(PermissionDenied, match="must still be confirmed by the nurse; Olga"):
        ask(BOTH, [Confirmation(9, "Otto", OP)], 1, {OP}, name="Olga")
    with pytest.raises(PermissionDenied, match="Only someone with the operator role"):
        ask(BOTH, [], 2, {RN}, wanted=OP)
    with pytest.raises(PermissionDenied, match="confirmed by the operator, not the nurse"):
        ask((OP,), [], 2, {RN}, wanted=RN)


def test_a_role_or_an_item_already_confirmed_is_refused_naming_who_did() -> None:
    with pytest.raises(ConflictError, match="already confirmed as operator by Olga Operator"):
        ask(BOTH, [OLGA], 9, {OP, RN}, wanted=OP)
    with pytest.raises(ConflictError, match=r"already confirmed \(Olga Operator as operator, "):
        ask(BOTH, [OLGA, NINA], 9, {OP, RN})


def test_roles_read_as_words() -> None:
    assert roles_text((OP,)) == "operator"
    assert roles_text(BOTH) == "operator and nurse"
