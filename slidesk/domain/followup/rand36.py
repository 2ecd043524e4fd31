"""RAND 36-Item Health Survey 1.0: the eight scale scores, by RAND's public scoring rules.

Standard library only.

Source: RAND Health Care, "36-Item Short Form Survey (SF-36) Scoring Instructions"
(https://www.rand.org/health-care/surveys_tools/mos/36-item-short-form/scoring.html).
Step 1 recodes each precoded answer to 0–100 (100 = the most favourable state) per RAND's
Table 1; step 2 averages the recoded items of each scale. Items left blank are not taken into
account: a scale score is the average of the items the respondent answered, and a scale with
no answered item has no score. Item 2 (health change) belongs to no scale.

This is RAND's scoring, not the SF-36 v1/v2 scoring of QualityMetric/Optum: RAND scores the
general health and pain scales differently, and the licensed SF-36 v2 norm-based (T-score)
scoring is deliberately not implemented. Scores are exact: the mean is rounded half up to
2 decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from slidesk.domain.errors import ValidationError

ITEM_COUNT = 36

# Step 1, RAND Table 1: precoded answer (1-based position) -> recoded value.
_FIVE_DOWN = (100, 75, 50, 25, 0)
_THREE_UP = (0, 50, 100)
_TWO_UP = (0, 100)
_SIX_DOWN = (100, 80, 60, 40, 20, 0)
_SIX_UP = (0, 20, 40, 60, 80, 100)
_FIVE_UP = (0, 25, 50, 75, 100)

RECODE: dict[int, tuple[int, ...]] = {}
for _items, _values in (
    ((1, 2, 20, 22, 34, 36), _FIVE_DOWN),
    ((3, 4, 5, 6, 7, 8, 9, 10, 11, 12), _THREE_UP),
    ((13, 14, 15, 16, 17, 18, 19), _TWO_UP),
    ((21, 23, 26, 27, 30), _SIX_DOWN),
    ((24, 25, 28, 29, 31), _SIX_UP),
    ((32, 33, 35), _FIVE_UP),
):
    for _item in _items:
        RECODE[_item] = _values
assert sorted(RECODE) == list(range(1, ITEM_COUNT + 1))


class Scale(StrEnum):
    """Step 2: the eight scales, in RAND's order."""

    PHYSICAL_FUNCTIONING = "physical_functioning"
    ROLE_PHYSICAL = "role_physical"
    ROLE_EMOTIONAL = "role_emotional"
    ENERGY_FATIGUE = "energy_fatigue"
    EMOTIONAL_WELL_BEING = "emotional_well_being"
    SOCIAL_FUNCTIONING = "social_functioning"
    PAIN = "pain"
    GENERAL_HEALTH = "general_health"

    @property
    def label(self) -> str:
        return _SCALE_LABELS[self]

    @property
    def items(self) -> tuple[int, ...]:
        return SCALE_ITEMS[self]


SCALE_ITEMS: dict[Scale, tuple[int, ...]] = {
    Scale.PHYSICAL_FUNCTIONING: (3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
    Scale.ROLE_PHYSICAL: (13, 14, 15, 16),
    Scale.ROLE_EMOTIONAL: (17, 18, 19),
    Scale.ENERGY_FATIGUE: (23, 27, 29, 31),
    Scale.EMOTIONAL_WELL_BEING: (24, 25, 26, 28, 30),
    Scale.SOCIAL_FUNCTIONING: (20, 32),
    Scale.PAIN: (21, 22),
    Scale.GENERAL_HEALTH: (1, 33, 34, 35, 36),
}

_SCALE_LABELS = {
    Scale.PHYSICAL_FUNCTIONING: "Physical functioning",
    Scale.ROLE_PHYSICAL: "Role limitations, physical health",
    Scale.ROLE_EMOTIONAL: "Role limitations, emotional problems",
    Scale.ENERGY_FATIGUE: "Energy/fatigue",
    Scale.EMOTIONAL_WELL_BEING: "Emotional well-being",
    Scale.SOCIAL_FUNCTIONING: "Social functioning",
    Scale.PAIN: "Pain",
    Scale.GENERAL_HEALTH: "General health",
}

# Short topic of each item, for the transcription grid (not the questionnaire's wording).
ITEM_TOPICS: tuple[str, ...] = (
    "General health rating",
    "Health compared with one year ago",
    "Vigorous activities",
    "Moderate activities",
    "Lifting or carrying groceries",
    "Climbing several flights of stairs",
    "Climbing one flight of stairs",
    "Bending, kneeling or stooping",
    "Walking more than a mile",
    "Walking several blocks",
    "Walking one block",
    "Bathing or dressing",
    "Physical: cut down time on work",
    "Physical: accomplished less",
    "Physical: limited in kind of work",
    "Physical: difficulty performing work",
    "Emotional: cut down time on work",
    "Emotional: accomplished less",
    "Emotional: less careful work",
    "Social activities: extent of interference",
    "Bodily pain: how much",
    "Pain: interference with work",
    "Full of pep",
    "Very nervous",
    "Down in the dumps",
    "Calm and peaceful",
    "A lot of energy",
    "Downhearted and blue",
    "Worn out",
    "Happy",
    "Tired",
    "Social activities: how much of the time",
    "Get sick easier than others",
    "As healthy as anybody",
    "Expect health to get worse",
    "Health is excellent",
)


def options(item: int) -> int:
    """How many answers item `item` (1–36) has on the paper form."""
    return len(RECODE[item])


def validate_responses(responses: Sequence[int | None]) -> tuple[int | None, ...]:
    """Check 36 precoded answers (None = left blank) and return them as a tuple."""
    if len(responses) != ITEM_COUNT:
        raise ValidationError(f"RAND-36 has {ITEM_COUNT} items; {len(responses)} were given.")
    for number, answer in enumerate(responses, start=1):
        if answer is None:
            continue
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ValidationError(f"RAND-36 item {number}: the answer must be a whole number.")
        if not 1 <= answer <= options(number):
            raise ValidationError(
                f"RAND-36 item {number} has answers 1–{options(number)}; {answer} is not one."
            )
    return tuple(responses)


def recode(item: int, answer: int) -> int:
    """Step 1: one precoded answer to its 0–100 value."""
    return RECODE[item][answer - 1]


@dataclass(frozen=True, slots=True)
class ScaleScore:
    scale: Scale
    score: Decimal | None  # None when no item of the scale was answered
    answered: int
    items: int


def score(responses: Sequence[int | None]) -> tuple[ScaleScore, ...]:
    """Step 2: the eight scale scores (0–100, higher is better), in `Scale` order."""
    answers = validate_responses(responses)
    result = []
    for scale in Scale:
        values = [recode(i, a) for i in scale.items if (a := answers[i - 1]) is not None]
        mean = (
            (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if values
            else None
        )
        result.append(ScaleScore(scale, mean, len(values), len(scale.items)))
    return tuple(result)
