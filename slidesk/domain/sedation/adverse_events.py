"""Adverse-event rules: CTCAE grade, ICH E2A seriousness, causality, SAE reporting deadline.

Standard library only. Severity (grade) and seriousness are separate fields; a grade-5 event
(death) is always serious. Relatedness is judged three times: to the investigational product,
to the injection procedure and to the sedation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

from slidesk.domain.errors import ValidationError


class Grade(IntEnum):
    """CTCAE v5.0 severity grade."""

    MILD = 1
    MODERATE = 2
    SEVERE = 3
    LIFE_THREATENING = 4
    DEATH = 5

    @property
    def label(self) -> str:
        return {
            1: "1 – mild",
            2: "2 – moderate",
            3: "3 – severe",
            4: "4 – life-threatening",
            5: "5 – death",
        }[int(self)]


class SeriousCriterion(StrEnum):
    """ICH E2A seriousness criteria (multi-select)."""

    DEATH = "death"
    LIFE_THREATENING = "life_threatening"
    HOSPITALISATION = "hospitalisation"
    DISABILITY = "disability"
    CONGENITAL_ANOMALY = "congenital_anomaly"
    IMPORTANT_MEDICAL_EVENT = "important_medical_event"

    @property
    def label(self) -> str:
        return {
            SeriousCriterion.DEATH: "Results in death",
            SeriousCriterion.LIFE_THREATENING: "Life-threatening",
            SeriousCriterion.HOSPITALISATION: "Hospitalisation or prolongation",
            SeriousCriterion.DISABILITY: "Persistent or significant disability",
            SeriousCriterion.CONGENITAL_ANOMALY: "Congenital anomaly / birth defect",
            SeriousCriterion.IMPORTANT_MEDICAL_EVENT: "Other important medical event",
        }[self]


class ActionTaken(StrEnum):
    NONE = "none"
    LOCAL_TREATMENT = "local_treatment"
    MEDICATION = "medication"
    PROCEDURE_INTERRUPTED = "procedure_interrupted"
    PROCEDURE_STOPPED = "procedure_stopped"
    SITE_SKIPPED = "site_skipped"
    HOSPITALISATION = "hospitalisation"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            ActionTaken.NONE: "None",
            ActionTaken.LOCAL_TREATMENT: "Local treatment (e.g. compression, cooling)",
            ActionTaken.MEDICATION: "Medication given",
            ActionTaken.PROCEDURE_INTERRUPTED: "Procedure interrupted",
            ActionTaken.PROCEDURE_STOPPED: "Procedure stopped",
            ActionTaken.SITE_SKIPPED: "Site(s) skipped",
            ActionTaken.HOSPITALISATION: "Hospital admission",
            ActionTaken.OTHER: "Other",
        }[self]


class Outcome(StrEnum):
    """CDISC AEOUT outcomes."""

    ONGOING = "not_recovered"
    RECOVERING = "recovering"
    RECOVERED = "recovered"
    RECOVERED_WITH_SEQUELAE = "recovered_with_sequelae"
    FATAL = "fatal"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            Outcome.ONGOING: "Not recovered / ongoing",
            Outcome.RECOVERING: "Recovering",
            Outcome.RECOVERED: "Recovered / resolved",
            Outcome.RECOVERED_WITH_SEQUELAE: "Recovered with sequelae",
            Outcome.FATAL: "Fatal",
            Outcome.UNKNOWN: "Unknown",
        }[self]

    @property
    def resolved(self) -> bool:
        return self in (Outcome.RECOVERED, Outcome.RECOVERED_WITH_SEQUELAE, Outcome.FATAL)


@dataclass(frozen=True, slots=True)
class Seriousness:
    serious: bool
    criteria: frozenset[SeriousCriterion]


def decide_seriousness(
    grade: Grade, serious: bool, criteria: Iterable[SeriousCriterion], outcome: Outcome
) -> Seriousness:
    """Apply the rules: grade 5 or a fatal outcome is serious with 'death'; serious needs a
    criterion; a non-serious event has none."""
    chosen = frozenset(criteria)
    if grade is Grade.DEATH or outcome is Outcome.FATAL:
        if grade is not Grade.DEATH:
            raise ValidationError("A fatal outcome is CTCAE grade 5; set the grade to 5.")
        return Seriousness(True, chosen | {SeriousCriterion.DEATH})
    if SeriousCriterion.DEATH in chosen:
        raise ValidationError("'Results in death' needs CTCAE grade 5.")
    if serious and not chosen:
        raise ValidationError(
            "A serious adverse event needs at least one seriousness criterion (ICH E2A)."
        )
    if not serious and chosen:
        raise ValidationError(
            "Seriousness criteria are ticked but the event is marked not serious; "
            "mark it serious or clear the criteria."
        )
    return Seriousness(serious, chosen)


def sae_report_deadline(first_known_at: datetime, hours: int) -> datetime:
    """Investigator → sponsor: within `hours` (24) of first knowledge of a serious event."""
    return first_known_at + timedelta(hours=hours)


@dataclass(frozen=True, slots=True)
class CausalityScale:
    """The protocol's relatedness scale, in order from unrelated to certain."""

    levels: tuple[str, ...]
    related_from: str

    def check(self, value: str, what: str) -> str:
        if value not in self.levels:
            raise ValidationError(
                f"Relatedness to {what} '{value}' is not on the scale ({', '.join(self.levels)})."
            )
        return value

    def is_related(self, value: str) -> bool:
        """'Reasonable possibility' of a causal link: at or above `related_from`."""
        return self.levels.index(value) >= self.levels.index(self.related_from)


def parse_site_numbers(value: Iterable[int] | str, known: Iterable[int]) -> tuple[int, ...]:
    """'3, 5 7' or (3, 5, 7) → (3, 5, 7); unknown site numbers are refused."""
    if isinstance(value, str):
        parts = [p for p in value.replace(",", " ").replace(";", " ").split() if p]
        numbers: list[int] = []
        for part in parts:
            if not part.isdigit():
                raise ValidationError(f"Site '{part}' is not a site number.")
            numbers.append(int(part))
    else:
        numbers = [int(n) for n in value]
    allowed = set(known)
    unknown = sorted(n for n in set(numbers) if n not in allowed)
    if unknown:
        raise ValidationError(f"There is no site {', '.join(map(str, unknown))} in this protocol.")
    return tuple(sorted(set(numbers)))
