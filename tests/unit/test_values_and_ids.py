"""Exact quantities and pseudonymised subject IDs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slidesk.domain.errors import ValidationError
from slidesk.domain.subject import passes_eleven_test, validate_study_id
from slidesk.domain.values import Depth, Volume, clean_text, parse_whole_number

PATTERN, EXAMPLE = r"^SAIL-[0-9]{2}-[0-9]{3}$", "SAIL-01-007"


def test_depth_accepts_a_decimal_comma_and_keeps_it_exact() -> None:
    assert Depth.from_mm("12,5").um == 12_500
    assert Depth.from_mm("12.5").mm == Decimal("12.5")
    assert str(Depth.from_mm("10")) == "10.0 mm"


@pytest.mark.parametrize("text", ["", "abc", "1e999999", "NaN", "12.0001"])
def test_depth_refuses_what_is_not_an_exact_number(text: str) -> None:
    with pytest.raises(ValidationError):
        Depth.from_mm(text)


@given(st.integers(min_value=0, max_value=100_000))
def test_volume_round_trips_exactly_through_its_decimal(ul: int) -> None:
    volume = Volume(ul)
    assert Volume.from_ml(volume.ml) == volume
    assert Volume.from_ml(format(volume.ml, "f")).ul == ul


@given(st.lists(st.integers(min_value=0, max_value=1500), max_size=40))
def test_volume_totals_never_drift(parts: list[int]) -> None:
    total = sum(Volume(p).ml for p in parts)
    assert Volume.from_ml(total).ul == sum(parts)


def test_a_bsn_is_recognised_by_the_eleven_test() -> None:
    assert passes_eleven_test("111222333")
    assert not passes_eleven_test("111222334")


@pytest.mark.parametrize("typed", ["111222333", "111.222.333", "SAIL-111222333"])
def test_a_study_id_that_looks_like_a_bsn_is_refused_with_the_reason(typed: str) -> None:
    with pytest.raises(ValidationError, match="citizen service number"):
        validate_study_id(typed, PATTERN, EXAMPLE)


def test_a_study_id_in_the_wrong_format_names_the_expected_format() -> None:
    with pytest.raises(ValidationError, match="SAIL-01-007"):
        validate_study_id("J. Jansen", PATTERN, EXAMPLE)


def test_a_valid_study_id_is_normalised_to_upper_case() -> None:
    assert validate_study_id(" sail-01-004 ", PATTERN, EXAMPLE) == "SAIL-01-004"


@pytest.mark.parametrize("bad", ["a\x00b", "x\x1bq", "\ud800"])
def test_free_text_refuses_control_and_broken_characters(bad: str) -> None:
    with pytest.raises(ValidationError):
        clean_text(bad, "Reason")


def test_free_text_has_a_length_limit_with_a_clear_message() -> None:
    with pytest.raises(ValidationError, match="too long"):
        clean_text("x" * 501, "Reason")


def test_a_whole_number_is_read_from_digits_and_anything_else_is_refused_by_name() -> None:
    assert parse_whole_number(" 72 ", "Heart rate") == 72
    assert parse_whole_number("", "Heart rate") is None
    assert parse_whole_number(None, "Heart rate") is None
    assert parse_whole_number(72, "Heart rate") == 72
    for typed in ("7a", "7.5", "-7", "٧٢", "7 2"):
        with pytest.raises(ValidationError, match=f"Heart rate '{typed}' is not a whole number"):
            parse_whole_number(typed, "Heart rate")
