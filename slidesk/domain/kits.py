"""A kit belongs to one subject and serves one procedure. Standard library only.

In a blinded trial the kit carries its subject's allocation: a kit recorded for one subject
used for another gives that subject someone else's treatment. So a kit number already
recorded for a subject is refused for every other subject, whatever happened to it.

For its own subject a kit serves one procedure. It may be planned again only when every
earlier procedure with it never had an injection: either it was planned and never started (the
new plan replaces it, and the old one can no longer start), or it was finished without a single
injection (abandoned before the first needle). An injection that was later struck out still
counts: the syringe may have been opened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from slidesk.domain.errors import ConflictError, StateError
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.i18n import _


@dataclass(frozen=True, slots=True)
class KitUse:
    """A procedure that recorded the kit: for whom, how far it got."""

    procedure_id: int
    study_id: str
    status: ProcedureStatus
    planned_at: datetime  # as it is to be read (local time), for the message
    injected: bool  # an injection was ever recorded in it (struck-out ones included)

    @property
    def planned_on(self) -> str:
        return self.planned_at.strftime("%d %b %Y")


def check_kit_for_new_procedure(kit: str, study_id: str, uses: Iterable[KitUse]) -> None:
    """Refuse (ConflictError) a new procedure of `study_id` with `kit`, given every procedure
    that already recorded the kit; the message says whose kit it is and what to do."""
    earlier = sorted(uses, key=lambda u: u.procedure_id)
    for use in earlier:
        if use.study_id != study_id:
            raise ConflictError(
                _(
                    "Kit {kit} belongs to subject {owner} (recorded with a procedure planned "
                    "{day}); it cannot be used for {subject}. A kit carries its subject's "
                    "allocation: check the label and take the kit allocated to {subject}."
                ).format(kit=kit, owner=use.study_id, day=use.planned_on, subject=study_id)
            )
    for use in earlier:
        if use.injected:
            raise ConflictError(
                _(
                    "Kit {kit} was already used for {subject}: injections are recorded in the "
                    "procedure planned {day} ({status}). A kit serves one procedure; take a "
                    "new kit."
                ).format(kit=kit, subject=study_id, day=use.planned_on, status=use.status.label)
            )
        if use.status is ProcedureStatus.IN_PROGRESS:
            raise ConflictError(
                _(
                    "Kit {kit} is in use for {subject} in the procedure planned {day}, which is "
                    "in progress. A kit serves one procedure: continue that procedure, or "
                    "finish it before planning the kit again."
                ).format(kit=kit, subject=study_id, day=use.planned_on)
            )


def check_kit_for_start(procedure_id: int, kit: str, study_id: str, uses: Iterable[KitUse]) -> None:
    """Refuse to start procedure `procedure_id` when its kit now serves another procedure: a
    later plan replaced this one, or another procedure has begun with the kit."""
    others = sorted(
        (u for u in uses if u.procedure_id != procedure_id), key=lambda u: u.procedure_id
    )
    for use in others:
        if use.study_id != study_id:
            raise ConflictError(
                _(
                    "Kit {kit} belongs to subject {owner} (recorded with a procedure planned "
                    "{day}); it cannot be used for {subject}. This procedure cannot start with it."
                ).format(kit=kit, owner=use.study_id, day=use.planned_on, subject=study_id)
            )
    for use in others:
        if use.procedure_id > procedure_id and not use.injected:
            raise StateError(
                _(
                    "Kit {kit} was planned again for {subject} (planned {day}, {status}): that "
                    "plan replaced this one, which can no longer start. Open the newer plan."
                ).format(kit=kit, subject=study_id, day=use.planned_on, status=use.status.label)
            )
        if use.injected or use.status is ProcedureStatus.IN_PROGRESS:
            raise ConflictError(
                _(
                    "Kit {kit} already serves the procedure planned {day} ({status}). A kit "
                    "serves one procedure; this one cannot start with it."
                ).format(kit=kit, day=use.planned_on, status=use.status.label)
            )


def syringe_list(labels: Sequence[str], *, named: int = 3) -> str:
    """A few syringes by their full labels ("SAIL-K017-30"); more as the first and last
    label of each run ("SAIL-K005-13 to SAIL-K005-30"), so that a long list stays short."""
    if len(labels) <= named:
        return ", ".join(labels)
    runs: list[list[str]] = []
    previous: int | None = None
    for label in labels:
        tail = label.rsplit("-", 1)[-1]
        number = int(tail) if tail.isdigit() else None
        if runs and number is not None and previous is not None and number == previous + 1:
            runs[-1].append(label)
        else:
            runs.append([label])
        previous = number
    return ", ".join(
        run[0] if len(run) == 1 else _("%(first)s to %(last)s") % {"first": run[0], "last": run[-1]}
        for run in runs
    )
