"""What a username and a set of roles may be (slidesk.domain.users), without a database."""

from __future__ import annotations

import pytest

from slidesk.domain.errors import ValidationError
from slidesk.domain.users import Role, plausible_username, valid_roles, valid_username


@pytest.mark.parametrize(("typed", "name"), [(" Olga ", "olga"), ("a.b_c-9", "a.b_c-9")])
def test_a_username_is_kept_lower_case_and_trimmed(typed, name) -> None:
    assert valid_username(typed) == name
    assert plausible_username(typed) == name


@pytest.mark.parametrize("typed", ["", "o", "9olga", "olga smith", "x" * 33, "ölga"])
def test_what_cannot_be_a_username_is_refused_and_never_looked_up(typed) -> None:
    with pytest.raises(ValidationError, match="A username has 2–32 characters"):
        valid_username(typed)
    assert plausible_username(typed) is None


def test_a_typed_username_that_is_no_text_is_not_looked_up() -> None:
    assert plausible_username(None) is None
    assert plausible_username(b"olga") is None


def test_roles_combine_only_as_the_trial_allows() -> None:
    valid_roles(frozenset({Role.OPERATOR, Role.NURSE}))
    valid_roles(frozenset({Role.ADMIN}))
    valid_roles(frozenset({Role.MONITOR}))
    with pytest.raises(ValidationError, match="at least one role"):
        valid_roles(frozenset())
    with pytest.raises(ValidationError, match="cannot also enter clinical data"):
        valid_roles(frozenset({Role.ADMIN, Role.NURSE}))
    with pytest.raises(ValidationError, match="read-only and holds no other role"):
        valid_roles(frozenset({Role.MONITOR, Role.OPERATOR}))
