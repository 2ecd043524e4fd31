"""Free text must not identify the patient: a BSN is refused, a date of birth or a name warned."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slidesk.domain.errors import ValidationError
from slidesk.domain.free_text import (
    bsn_numbers,
    free_text,
    identifying_warnings,
    passes_bsn_11_test,
)

ISSUE_EXAMPLE = "Jan Jansen, geb. 01-02-1950, BSN 111222333"


def _with_check_digit(first8: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(first8, range(9, 1, -1), strict=True))
    last = total % 11
    return first8 + str(last) if last < 10 else None


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_a_number_made_by_the_11_test_passes_and_any_single_digit_change_fails(first8) -> None:
    bsn = _with_check_digit(first8)
    if bsn is None or int(bsn) == 0:
        return
    assert passes_bsn_11_test(bsn)
    for i in range(9):
        for d in "0123456789":
            if d != bsn[i]:
                assert not passes_bsn_11_test(bsn[:i] + d + bsn[i + 1 :])


@pytest.mark.parametrize("written", ["111222333", "123456782", "1234.56.782", "123 456 782"])
def test_a_bsn_as_people_write_it_is_refused_in_free_text(written) -> None:
    with pytest.raises(ValidationError, match="Location holds a number that could be a"):
        free_text(f"Angio 2 {written}", "Location")


@pytest.mark.parametrize(
    "text", ["Angio 2", "UMC Utrecht", "SAIL-K001", "room 123456789", "2026-12-03", "phone 0612"]
)
def test_ordinary_text_and_numbers_that_fail_the_11_test_pass(text) -> None:
    assert not passes_bsn_11_test("123456789")
    assert free_text(text, "Location") == text


def test_the_issue_example_is_refused_and_warned_about_on_both_counts() -> None:
    assert bsn_numbers(ISSUE_EXAMPLE) == ("111222333",)
    with pytest.raises(ValidationError):
        free_text(ISSUE_EXAMPLE, "Centre")
    warnings = identifying_warnings("Jan Jansen, geb. 01-02-1950", "Centre")
    assert len(warnings) == 2
    assert "date of birth" in warnings[0]
    assert "names a person" in warnings[1]


@pytest.mark.parametrize(
    "text",
    ["mevr. De Vries", "dhr. J. Jansen", "Jan van Dijk", "J.P. Jansen", "Piet Pietersen, kamer 3"],
)
def test_a_name_like_pattern_is_warned_about(text) -> None:
    (warning,) = identifying_warnings(text, "Reason")
    assert warning.startswith("Reason looks as if it names a person")


@pytest.mark.parametrize("text", ["born 1950", "DOB 3/4/51", "geboren 3 mei 1950", "12-3-1950"])
def test_a_date_of_birth_is_warned_about(text) -> None:
    (warning,) = identifying_warnings(text, "Reason")
    assert "date of birth" in warning


@pytest.mark.parametrize(
    "text", ["Angio 2", "UMC Utrecht", "patient refused", "wrong depth typed", "Isala Zwolle"]
)
def test_ordinary_free_text_gives_no_warning(text) -> None:
    assert identifying_warnings(text, "Reason") == ()
