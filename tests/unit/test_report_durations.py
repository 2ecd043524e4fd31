"""Durations on paper are stated as they were, to the second, never rounded down."""

from __future__ import annotations

from datetime import timedelta

import pytest

from slidesk.services.record.wording import duration_text


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(minutes=6, seconds=56), "6 min 56 s"),
        (timedelta(minutes=6), "6 min"),
        (timedelta(seconds=45), "45 s"),
        (timedelta(0), "0 s"),
        (timedelta(hours=1, minutes=2, seconds=5), "1 h 2 min 5 s"),
        (timedelta(hours=2), "2 h"),
        (timedelta(minutes=1, seconds=40, milliseconds=900), "1 min 40 s"),
    ],
)
def test_a_duration_reads_to_the_second(span: timedelta, text: str) -> None:
    assert duration_text(span) == text
