"""A subject's visits in time: named time points, the procedure date between baseline and
follow-up, and one death that no later visit contradicts.

Standard library only: decisions on visits the service has already read (`SeenVisit`). Must
not import services, persistence or the protocol reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from slidesk.domain.errors import ValidationError
from slidesk.domain.followup.model import BASELINE_MONTH, VisitEntry, VitalStatus


def time_point_label(month: int) -> str:
    """'Baseline' or 'Month 6', as visits are named on screen and in messages."""
    return "Baseline" if month == BASELINE_MONTH else f"Month {month}"


@dataclass(frozen=True, slots=True)
class SeenVisit:
    """What another saved visit of the subject says about when they were seen, and alive."""

    month: int
    visit_date: date | None
    vital_status: VitalStatus | None
    death_date: date | None


def check_procedure_date(procedure_date: date, visits: Iterable[SeenVisit]) -> None:
    """The procedure lies after the baseline visit and before every follow-up visit."""
    for visit in visits:
        day = visit.visit_date
        if day is None:
            continue
        if visit.month == BASELINE_MONTH and day > procedure_date:
            raise ValidationError("The baseline visit would come after this procedure date.")
        if visit.month != BASELINE_MONTH and day <= procedure_date:
            raise ValidationError(
                f"The {time_point_label(visit.month).lower()} visit would come before "
                "this procedure date."
            )


def check_deaths(others: Iterable[SeenVisit], month: int, entry: VisitEntry) -> None:
    """A subject dies once: later visits cannot find them alive, nor die again elsewhere.

    `others` are the subject's saved visits (the one at `month`, being saved, is skipped).
    """
    for other in others:
        if other.month == month:
            continue
        seen = other.visit_date
        if (
            entry.vital_status is VitalStatus.DIED
            and other.vital_status is VitalStatus.ALIVE
            and seen is not None
            and entry.death_date is not None
            and seen > entry.death_date
        ):
            raise ValidationError(
                f"The subject was seen alive on {seen} "
                f"({time_point_label(other.month).lower()} visit), after this date of death."
            )
        if other.vital_status is not VitalStatus.DIED:
            continue
        died = other.death_date
        where = time_point_label(other.month).lower()
        if entry.vital_status is VitalStatus.DIED and died != entry.death_date:
            raise ValidationError(
                f"A death on {died} is already recorded at the {where} visit; correct it there."
            )
        if (
            entry.vital_status is VitalStatus.ALIVE
            and died is not None
            and entry.visit_date is not None
            and entry.visit_date > died
        ):
            raise ValidationError(
                f"The subject died on {died} (recorded at the {where} visit) and cannot be "
                "seen alive later."
            )
