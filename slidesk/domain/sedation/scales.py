"""Sedation-depth scales (MOAA/S, Ramsay, RASS): their scores, labels and what is deep.

Standard library only; imports nothing of SLI Desk but the domain's errors.
"""

from __future__ import annotations

from dataclasses import dataclass

from slidesk.domain.errors import ValidationError


@dataclass(frozen=True, slots=True)
class SedationScale:
    name: str
    low: int
    high: int
    labels: dict[int, str]
    # Scores at or beyond this are deeper than moderate sedation (an alarm).
    deep: frozenset[int]

    def check(self, score: int) -> int:
        if not self.low <= score <= self.high:
            raise ValidationError(
                f"{self.name} score {score} does not exist (the scale runs {self.low} to "
                f"{self.high})."
            )
        return score

    def label(self, score: int) -> str:
        return self.labels.get(score, "")

    def scores(self) -> tuple[int, ...]:
        """From alert to deepest, as a nurse reads the scale."""
        values = range(self.low, self.high + 1)
        return tuple(sorted(values, reverse=self.name == "MOAA/S"))


SCALES: dict[str, SedationScale] = {
    "MOAA/S": SedationScale(
        "MOAA/S",
        0,
        5,
        {
            5: "responds readily to name (alert)",
            4: "lethargic response to name",
            3: "responds only to loud or repeated name",
            2: "responds only to mild prodding",
            1: "responds only to trapezius squeeze",
            0: "no response to trapezius squeeze",
        },
        frozenset({0, 1}),
    ),
    "Ramsay": SedationScale(
        "Ramsay",
        1,
        6,
        {
            1: "anxious, agitated",
            2: "cooperative, oriented, tranquil",
            3: "responds to commands only",
            4: "asleep, brisk response to tap or loud sound",
            5: "asleep, sluggish response",
            6: "no response",
        },
        frozenset({5, 6}),
    ),
    "RASS": SedationScale(
        "RASS",
        -5,
        4,
        {
            4: "combative",
            3: "very agitated",
            2: "agitated",
            1: "restless",
            0: "alert and calm",
            -1: "drowsy",
            -2: "light sedation",
            -3: "moderate sedation",
            -4: "deep sedation",
            -5: "unarousable",
        },
        frozenset({-4, -5}),
    ),
}


def scale(name: str) -> SedationScale:
    try:
        return SCALES[name]
    except KeyError:
        raise ValidationError(f"Sedation scale '{name}' is not known.") from None
