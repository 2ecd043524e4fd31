"""RAND-36 scale scores by RAND's published rules, on worked examples built from them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from slidesk.domain.errors import ValidationError
from slidesk.domain.followup.rand36 import ITEM_COUNT, RECODE, Scale, options, score

# The best answer of each item is the one RAND recodes to 100, the worst the one recoded to 0.
BEST = [RECODE[i].index(100) + 1 for i in range(1, ITEM_COUNT + 1)]
WORST = [RECODE[i].index(0) + 1 for i in range(1, ITEM_COUNT + 1)]


def scores(responses) -> dict[Scale, Decimal | None]:
    return {s.scale: s.score for s in score(responses)}


def test_all_best_answers_score_100_on_every_scale():
    assert set(scores(BEST).values()) == {Decimal(100)}


def test_all_worst_answers_score_0_on_every_scale():
    assert set(scores(WORST).values()) == {Decimal(0)}


def test_item_2_health_change_belongs_to_no_scale():
    changed = list(BEST)
    changed[1] = 5  # much worse than a year ago
    assert set(scores(changed).values()) == {Decimal(100)}


def test_rands_worked_example_for_energy_with_a_blank_item():
    # RAND's example: 4 on item 23 (40), 3 on 27 (60), 3 on 29 (40), 31 blank -> 140 / 3.
    answers: list[int | None] = list(BEST)
    answers[22], answers[26], answers[28], answers[30] = 4, 3, 3, None
    result = {s.scale: s for s in score(answers)}[Scale.ENERGY_FATIGUE]
    assert result.score == Decimal("46.67")
    assert (result.answered, result.items) == (3, 4)


def test_a_mixed_case_computed_by_hand():
    answers = [None] * ITEM_COUNT
    # General health: item 1 = 3 (50), 33 = 2 (25), 34 = 4 (25), 35 = 5 (100), 36 = 1 (100).
    answers[0], answers[32], answers[33], answers[34], answers[35] = 3, 2, 4, 5, 1
    # Physical functioning: 3-12 = 1,2,3,1,2,3,1,2,3,3 -> 0,50,100,0,50,100,0,50,100,100 = 550/10.
    for item, answer in zip(range(3, 13), (1, 2, 3, 1, 2, 3, 1, 2, 3, 3), strict=True):
        answers[item - 1] = answer
    # Pain: 21 = 2 (80), 22 = 3 (50) -> 65.
    answers[20], answers[21] = 2, 3
    # Role physical: 13-16 = yes, no, no, yes -> 0, 100, 100, 0 -> 50.
    answers[12:16] = [1, 2, 2, 1]
    # Emotional well-being: 24 = 5 (80), 25 = 6 (100), 26 = 2 (80), 28 = 4 (60), 30 = 3 (60).
    answers[23], answers[24], answers[25], answers[27], answers[29] = 5, 6, 2, 4, 3
    # Social functioning: 20 = 2 (75), 32 = 4 (75) -> 75.
    answers[19], answers[31] = 2, 4
    result = scores(answers)
    assert result[Scale.GENERAL_HEALTH] == Decimal("60.00")
    assert result[Scale.PHYSICAL_FUNCTIONING] == Decimal("55.00")
    assert result[Scale.PAIN] == Decimal("65.00")
    assert result[Scale.ROLE_PHYSICAL] == Decimal("50.00")
    assert result[Scale.EMOTIONAL_WELL_BEING] == Decimal("76.00")
    assert result[Scale.SOCIAL_FUNCTIONING] == Decimal("75.00")
    assert result[Scale.ROLE_EMOTIONAL] is None  # nothing answered: no score
    assert result[Scale.ENERGY_FATIGUE] is None


def test_rounding_is_half_up_to_two_decimals():
    answers = [None] * ITEM_COUNT
    answers[16], answers[17], answers[18] = 2, 2, 1  # role emotional: 100, 100, 0 -> 66.666…
    assert scores(answers)[Scale.ROLE_EMOTIONAL] == Decimal("66.67")


def test_answer_counts_follow_the_paper_form():
    assert [options(i) for i in (1, 3, 13, 20, 21, 22, 23, 32, 36)] == [5, 3, 2, 5, 6, 5, 6, 5, 5]


def test_out_of_range_answers_and_wrong_lengths_are_refused():
    wrong = list(BEST)
    wrong[12] = 3  # items 13-19 are yes/no
    with pytest.raises(ValidationError, match="item 13"):
        score(wrong)
    with pytest.raises(ValidationError, match="36 items"):
        score(BEST[:35])
