"""Gaps in the sedation record: what a signer must see. Standard library only.

A gap (DECISIONS.md) is: no baseline vital signs before the first injection; no sedation score
before the first injection; any stretch longer than the vitals interval without vital signs
while the patient is sedated; no recovery (Aldrete) assessment. "Sedated" runs from the first
dose of an analgesic or sedative until the first Aldrete score that meets the discharge
criterion (or, lacking one, until the procedure was completed). A stretch counts when it
exceeds the interval by more than the minute of grace the screen gives before it calls vital
signs overdue (`sedation.vitals_due`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import pairwise

GRACE = timedelta(minutes=1)


class GapKind(StrEnum):
    NO_BASELINE_VITALS = "no-baseline-vitals"
    NO_SCORE_BEFORE_FIRST_INJECTION = "no-score-before-injection"
    NO_VITALS_WHILE_SEDATED = "vitals-gap"
    NO_ALDRETE = "no-aldrete"
    DISCHARGE_NOT_MET = "discharge-not-met"


@dataclass(frozen=True, slots=True)
class Gap:
    kind: GapKind
    # For a stretch without vital signs: where it starts and ends.
    start: datetime | None = None
    end: datetime | None = None

    @property
    def minutes(self) -> int:
        if self.start is None or self.end is None:
            return 0
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class SedationTimeline:
    """The times the rules need, from the live (not voided) entries."""

    first_injection_at: datetime | None
    vitals_at: tuple[datetime, ...]
    scores_at: tuple[datetime, ...]
    sedative_doses_at: tuple[datetime, ...]
    # (time, meets the discharge criterion) of each Aldrete assessment.
    aldrete: tuple[tuple[datetime, bool], ...]
    completed_at: datetime | None
    vitals_interval: timedelta


def sedation_gaps(t: SedationTimeline) -> tuple[Gap, ...]:
    """Every gap, in the order of the record (baseline, score, stretches, recovery)."""
    gaps: list[Gap] = []
    first = t.first_injection_at
    if first is not None:
        if not any(v <= first for v in t.vitals_at):
            gaps.append(Gap(GapKind.NO_BASELINE_VITALS))
        if not any(s <= first for s in t.scores_at):
            gaps.append(Gap(GapKind.NO_SCORE_BEFORE_FIRST_INJECTION))
    gaps.extend(_stretches(t))
    if t.completed_at is not None or t.aldrete:
        if not t.aldrete:
            gaps.append(Gap(GapKind.NO_ALDRETE))
        elif not any(met for _, met in t.aldrete):
            gaps.append(Gap(GapKind.DISCHARGE_NOT_MET))
    return tuple(gaps)


def _stretches(t: SedationTimeline) -> Iterable[Gap]:
    if not t.sedative_doses_at:
        return []
    start = min(t.sedative_doses_at)
    discharged = sorted(at for at, met in t.aldrete if met)
    end = discharged[0] if discharged else t.completed_at
    if end is None or end <= start:
        return []
    marks = [start, *sorted(v for v in t.vitals_at if start < v < end)]
    marks.append(end)
    limit = t.vitals_interval + GRACE
    return [Gap(GapKind.NO_VITALS_WHILE_SEDATED, a, b) for a, b in pairwise(marks) if b - a > limit]
