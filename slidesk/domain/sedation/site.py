"""The sedation state at each injected site, derived from the timed entries (never typed twice).

For every injection: the latest sedation score at or before it (and how old it was), marked
stale when older than the protocol's `score_interval_minutes`; and the cumulative dose of each
tracked drug given at or before it, in exact nano-units. `sedation_at` gives the same state at
any moment (now, before the next injection). Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Injection:
    site_no: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Score:
    """A sedation score on the protocol's scale, taken at `at`."""

    at: datetime
    scale: str
    score: int


@dataclass(frozen=True, slots=True)
class GivenDose:
    at: datetime
    drug_key: str
    nano: int


@dataclass(frozen=True, slots=True)
class SedationAtSite:
    site_no: int
    injected_at: datetime
    # The latest score at or before the injection; None when none had been taken.
    score: Score | None
    # How long before the injection that score was taken.
    score_age: timedelta | None
    # No score, or the latest is older than the protocol's assessment interval.
    stale: bool
    # (drug key, nano-units given at or before the injection), in the order of `drugs`.
    cumulative: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class SedationState:
    """The sedation state at one moment: what an injection at `at` would be given under."""

    at: datetime
    # The latest score at or before `at`; None when none had been taken.
    score: Score | None
    # How long before `at` that score was taken.
    score_age: timedelta | None
    # No score, or the latest is older than the protocol's assessment interval.
    stale: bool
    # (drug key, nano-units given at or before `at`), in the order of `drugs`.
    cumulative: tuple[tuple[str, int], ...]


def score_is_stale(age: timedelta | None, score_interval: timedelta) -> bool:
    """No score at all, or one older than the interval (exactly the interval is current)."""
    return age is None or age > score_interval


def sedation_at(
    at: datetime,
    scores: Iterable[Score],
    doses: Iterable[GivenDose],
    *,
    drugs: Sequence[str],
    score_interval: timedelta,
) -> SedationState:
    """The state at `at`: a score or dose at the same instant counts as before it."""
    latest = None
    for score in sorted(scores, key=lambda s: s.at):
        if score.at > at:
            break
        latest = score
    age = at - latest.at if latest is not None else None
    totals = dict.fromkeys(drugs, 0)
    for dose in doses:
        if dose.at <= at and dose.drug_key in totals:
            totals[dose.drug_key] += dose.nano
    return SedationState(
        at=at,
        score=latest,
        score_age=age,
        stale=score_is_stale(age, score_interval),
        cumulative=tuple((key, totals[key]) for key in drugs),
    )


def sedation_at_sites(
    injections: Iterable[Injection],
    scores: Iterable[Score],
    doses: Iterable[GivenDose],
    *,
    drugs: Sequence[str],
    score_interval: timedelta,
) -> tuple[SedationAtSite, ...]:
    """One state per injection, in the order the injections happened.

    A score or dose at the same instant as the injection counts as before it (it was taken
    for it). A score exactly `score_interval` old is still current; older is stale.
    """
    ordered_scores = sorted(scores, key=lambda s: s.at)
    given = list(doses)
    out = []
    for injection in sorted(injections, key=lambda i: (i.at, i.site_no)):
        state = sedation_at(
            injection.at, ordered_scores, given, drugs=drugs, score_interval=score_interval
        )
        out.append(
            SedationAtSite(
                site_no=injection.site_no,
                injected_at=injection.at,
                score=state.score,
                score_age=state.score_age,
                stale=state.stale,
                cumulative=state.cumulative,
            )
        )
    return tuple(out)
