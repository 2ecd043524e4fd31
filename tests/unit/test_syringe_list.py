"""Syringes named in a message: a few by their full labels, a long list by its runs."""

from __future__ import annotations

from slidesk.domain.kits import syringe_list


def test_a_few_syringes_are_named_in_full() -> None:
    assert syringe_list(["SAIL-K017-30"]) == "SAIL-K017-30"
    assert syringe_list(["SAIL-K001-29", "SAIL-K001-30"]) == "SAIL-K001-29, SAIL-K001-30"


def test_a_long_list_is_said_by_its_runs() -> None:
    labels = [f"SAIL-K005-{n:02d}" for n in (*range(13, 31), 2)]
    assert syringe_list(labels) == "SAIL-K005-13 to SAIL-K005-30, SAIL-K005-02"
