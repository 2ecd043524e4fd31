"""The sedation state at each injected site, derived from the timed entries (never typed twice).

For every injection: the latest sedation score at or before it (and how old it was), marked
stale when older than the protocol's `score_interval_minutes`; and the cumulative dose of each
tracked drug given at or before it, in exact nano-units. Standard library only.
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
    given = sorted(doses, key=lambda d: d.at)
    out = []
    for injection in sorted(injections, key=lambda i: (i.at, i.site_no)):
        latest = None
        for score in ordered_scores:
            if score.at > injection.at:
                break
            latest = score
        age = injection.at - latest.at if latest is not None else None
        totals = dict.fromkeys(drugs, 0)
        for dose in given:
            if dose.at > injection.at:
                break
            if dose.drug_key in totals:
                totals[dose.drug_key] += dose.nano
        out.append(
            SedationAtSite(
                site_no=injection.site_no,
                injected_at=injection.at,
                score=latest,
                score_age=age,
                stale=age is None or age > score_interval,
                cumulative=tuple((key, totals[key]) for key in drugs),
            )
        )
    return tuple(out)
