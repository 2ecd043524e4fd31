"""The primary endpoint "therapy success": a small, pure, versioned rule. No Qt, no database.

A visit is a **success** when all four criteria hold:

- **A** the subject is alive;
- **B** the index limb has had no major amputation (proximal of the ankle);
- **C** neither the Rutherford category nor the pain VAS is worse than at baseline;
- **D** the Rutherford category or the VAS improved by at least the protocol's threshold
  (default: any decrease).

Each criterion is *met*, *not met* or *unknown* (data missing). The verdict follows
three-valued logic: any criterion that is certainly not met makes the verdict **failure** —
so death or a major amputation decide failure even when every other value is missing;
otherwise any unknown criterion makes it **incomplete**; only four met criteria give
**success**. The caller assembles the inputs (deaths and amputations reported at any visit up
to this visit's date count); this module only judges them.

Change the rule only together with `ALGORITHM_VERSION`: stored verdicts record the version and
their inputs, and are recomputed (with an audit entry) when either changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

ALGORITHM_VERSION = "SAIL-TS-1.0"


class Verdict(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    INCOMPLETE = "incomplete"

    @property
    def label(self) -> str:
        return {"success": "Success", "failure": "Failure", "incomplete": "Incomplete"}[self.value]


class Criterion(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Improvement needed for criterion D (from the protocol's [outcomes] table)."""

    rutherford_improvement: int = 1
    vas_improvement_mm: int = 1


@dataclass(frozen=True, slots=True)
class BaselineInputs:
    rutherford: int | None
    vas_mm: int | None


@dataclass(frozen=True, slots=True)
class AmputationInput:
    on: date
    level: str
    major: bool


@dataclass(frozen=True, slots=True)
class VisitInputs:
    """What the rule needs from a follow-up visit.

    `alive`: True / False (died on or before the visit) / None (unknown).
    `amputation_assessed`: the visit answered the amputation question.
    `amputations`: index-limb amputations dated on or before the visit, from any visit.
    """

    month: int
    alive: bool | None
    death_date: date | None = None
    amputation_assessed: bool = False
    amputations: tuple[AmputationInput, ...] = ()
    rutherford: int | None = None
    vas_mm: int | None = None


@dataclass(frozen=True, slots=True)
class CriterionResult:
    key: str
    title: str
    status: Criterion
    reason: str


@dataclass(frozen=True, slots=True)
class TherapySuccess:
    verdict: Verdict
    criteria: tuple[CriterionResult, ...]
    algorithm_version: str = ALGORITHM_VERSION
    inputs: dict[str, Any] = field(default_factory=dict, compare=False)

    def criterion(self, key: str) -> CriterionResult:
        return next(c for c in self.criteria if c.key == key)


def therapy_success(
    baseline: BaselineInputs, visit: VisitInputs, *, thresholds: Thresholds | None = None
) -> TherapySuccess:
    """Judge one follow-up visit against baseline; every criterion carries its reason."""
    limits = thresholds or Thresholds()
    criteria = (
        _alive(visit),
        _no_major_amputation(visit),
        _not_worsened(baseline, visit),
        _improved(baseline, visit, limits),
    )
    statuses = [c.status for c in criteria]
    if Criterion.NOT_MET in statuses:
        verdict = Verdict.FAILURE
    elif Criterion.UNKNOWN in statuses:
        verdict = Verdict.INCOMPLETE
    else:
        verdict = Verdict.SUCCESS
    return TherapySuccess(verdict, criteria, ALGORITHM_VERSION, inputs(baseline, visit, limits))


def inputs(baseline: BaselineInputs, visit: VisitInputs, limits: Thresholds) -> dict[str, Any]:
    """The inputs as plain data, for storing as canonical JSON beside the verdict."""
    return {
        "algorithm_version": ALGORITHM_VERSION,
        "baseline": {"rutherford": baseline.rutherford, "vas_mm": baseline.vas_mm},
        "visit": {
            "month": visit.month,
            "alive": visit.alive,
            "death_date": visit.death_date.isoformat() if visit.death_date else None,
            "amputation_assessed": visit.amputation_assessed,
            "amputations": [
                {"date": a.on.isoformat(), "level": a.level, "major": a.major}
                for a in visit.amputations
            ],
            "rutherford": visit.rutherford,
            "vas_mm": visit.vas_mm,
        },
        "thresholds": {
            "rutherford_improvement": limits.rutherford_improvement,
            "vas_improvement_mm": limits.vas_improvement_mm,
        },
    }


def _alive(visit: VisitInputs) -> CriterionResult:
    title = "Alive"
    if visit.alive is False:
        when = f" on {visit.death_date.isoformat()}" if visit.death_date else ""
        return CriterionResult("A", title, Criterion.NOT_MET, f"Died{when}.")
    if visit.alive is True:
        return CriterionResult("A", title, Criterion.MET, "Alive at the visit.")
    return CriterionResult("A", title, Criterion.UNKNOWN, "Vital status not known.")


def _no_major_amputation(visit: VisitInputs) -> CriterionResult:
    title = "No major amputation of the index limb"
    majors = [a for a in visit.amputations if a.major]
    if majors:
        first = min(majors, key=lambda a: a.on)
        level = first.level.replace("_", "-")
        return CriterionResult(
            "B", title, Criterion.NOT_MET, f"Major ({level}) amputation on {first.on.isoformat()}."
        )
    if not visit.amputation_assessed:
        return CriterionResult("B", title, Criterion.UNKNOWN, "Amputation status not known.")
    minors = len(visit.amputations)
    detail = f" ({minors} minor amputation{'s' if minors != 1 else ''})" if minors else ""
    return CriterionResult("B", title, Criterion.MET, f"No major amputation{detail}.")


def _change(before: int | None, after: int | None) -> int | None:
    return None if before is None or after is None else after - before


def _describe(name: str, before: int | None, after: int | None, unit: str = "") -> str:
    if before is None and after is None:
        return f"{name}: not known at baseline nor at the visit"
    if before is None:
        return f"{name}: not known at baseline"
    if after is None:
        return f"{name}: not known at the visit"
    delta = after - before
    trend = "unchanged" if delta == 0 else ("worse" if delta > 0 else "better")
    return f"{name} {before}{unit} → {after}{unit} ({trend})"


def _moved(delta: int, unit: str) -> str:
    if delta == 0:
        return "unchanged"
    return f"down by {-delta}{unit}" if delta < 0 else f"up by {delta}{unit}"


def _not_worsened(baseline: BaselineInputs, visit: VisitInputs) -> CriterionResult:
    title = "Not worse in Rutherford category nor in pain (VAS)"
    r = _change(baseline.rutherford, visit.rutherford)
    v = _change(baseline.vas_mm, visit.vas_mm)
    reason = (
        _describe("Rutherford", baseline.rutherford, visit.rutherford)
        + "; "
        + _describe("VAS", baseline.vas_mm, visit.vas_mm, " mm")
        + "."
    )
    if (r is not None and r > 0) or (v is not None and v > 0):
        return CriterionResult("C", title, Criterion.NOT_MET, reason)
    if r is None or v is None:
        return CriterionResult("C", title, Criterion.UNKNOWN, reason)
    return CriterionResult("C", title, Criterion.MET, reason)


def _improved(baseline: BaselineInputs, visit: VisitInputs, limits: Thresholds) -> CriterionResult:
    title = "Improved in Rutherford category or in pain (VAS)"
    r = _change(baseline.rutherford, visit.rutherford)
    v = _change(baseline.vas_mm, visit.vas_mm)
    need = (
        f"needed: Rutherford down by ≥ {limits.rutherford_improvement} or "
        f"VAS down by ≥ {limits.vas_improvement_mm} mm"
    )
    r_better = r is not None and -r >= limits.rutherford_improvement
    v_better = v is not None and -v >= limits.vas_improvement_mm
    parts = []
    if r is not None:
        parts.append(f"Rutherford {_moved(r, '')}")
    if v is not None:
        parts.append(f"VAS {_moved(v, ' mm')}")
    if r is None:
        parts.append(_describe("Rutherford", baseline.rutherford, visit.rutherford))
    if v is None:
        parts.append(_describe("VAS", baseline.vas_mm, visit.vas_mm))
    shown = "; ".join(parts)
    reason = f"{shown} ({need})."
    if r_better or v_better:
        return CriterionResult("D", title, Criterion.MET, reason)
    if r is None or v is None:
        return CriterionResult("D", title, Criterion.UNKNOWN, reason)
    return CriterionResult("D", title, Criterion.NOT_MET, reason)
