"""The procedure's states and the rules of site entries. Standard library only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from slidesk.domain.errors import StateError


class ProcedureStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    SIGNED = "signed"
    AMENDED = "amended"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    ProcedureStatus.PLANNED: "Planned",
    ProcedureStatus.IN_PROGRESS: "In progress",
    ProcedureStatus.COMPLETED: "Completed",
    ProcedureStatus.SIGNED: "Signed",
    ProcedureStatus.AMENDED: "Amendment open",
}

# Which status may follow which. Signing and amending are added by the signing workflow.
ALLOWED: dict[ProcedureStatus, frozenset[ProcedureStatus]] = {
    ProcedureStatus.PLANNED: frozenset({ProcedureStatus.IN_PROGRESS}),
    ProcedureStatus.IN_PROGRESS: frozenset({ProcedureStatus.COMPLETED}),
    ProcedureStatus.COMPLETED: frozenset({ProcedureStatus.SIGNED}),
    ProcedureStatus.SIGNED: frozenset({ProcedureStatus.AMENDED}),
    ProcedureStatus.AMENDED: frozenset({ProcedureStatus.SIGNED}),
}


def check_transition(current: ProcedureStatus, target: ProcedureStatus) -> None:
    if target not in ALLOWED[current]:
        raise StateError(f"A procedure that is '{current.label}' cannot become '{target.label}'.")


def require_status(
    current: ProcedureStatus, allowed: Iterable[ProcedureStatus], action: str
) -> None:
    allowed = tuple(allowed)
    if current not in allowed:
        wanted = " or ".join(f"'{s.label}'" for s in allowed)
        raise StateError(f"Cannot {action}: the procedure is '{current.label}', not {wanted}.")


class EntryKind(StrEnum):
    """What a site entry says happened at the site."""

    INJECTED = "injected"
    SKIPPED = "skipped"


class SiteState(StrEnum):
    """How a site is shown: by shape and number as well as colour."""

    PENDING = "pending"
    NEXT = "next"
    DONE = "done"
    SKIPPED = "skipped"
    DEVIATION = "deviation"


class SkipReason(StrEnum):
    ULCER = "ulcer"
    INFECTION = "infection"
    NECROSIS = "necrosis"
    INTOLERANCE = "patient_intolerance"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            SkipReason.ULCER: "Ulcer at the site",
            SkipReason.INFECTION: "Infection at the site",
            SkipReason.NECROSIS: "Necrosis at the site",
            SkipReason.INTOLERANCE: "Patient intolerance",
            SkipReason.OTHER: "Other (explain)",
        }[self]


def next_site(order: Sequence[int], finished: Iterable[int]) -> int | None:
    """The first site in protocol order that is neither injected nor skipped."""
    finished_set = set(finished)
    for number in order:
        if number not in finished_set:
            return number
    return None
