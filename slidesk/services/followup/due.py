"""Which follow-up visits need attention today, for every subject (the home screen's panel)."""

from __future__ import annotations

from datetime import date

from slidesk.clock import Clock
from slidesk.domain.followup.model import BASELINE_MONTH, VisitStatus, VitalStatus
from slidesk.domain.followup.schedule import DueState, VisitWindow, due_state
from slidesk.domain.users import Actor, Permission
from slidesk.persistence.queries.followup import FollowUpRepository
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.followup.dto import DueVisit
from slidesk.services.followup.views import local_date

_SHOWN = (DueState.OVERDUE, DueState.DUE, DueState.STARTED, DueState.UPCOMING)
_ORDER = {state: i for i, state in enumerate(_SHOWN)}


@boundary
def due_visits(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    today: date | None = None,
    horizon_days: int = 30,
) -> tuple[DueVisit, ...]:
    """Overdue, due, unsigned and upcoming visits (window opening within `horizon_days`).

    Subjects without a procedure date have no schedule yet. After a recorded death no further
    visit is chased; unsigned visits are still listed so that they get signed.
    """
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        repo = tx.repo(FollowUpRepository)
        day = today or local_date(clock, clock.now())
        treatments = repo.first_treatment_times()
        anchors = repo.all_anchors()
        visits: dict[int, dict[int, tuple[str, str | None]]] = {}
        for subject_id, month, status, vital, _missing in repo.all_visit_states():
            visits.setdefault(subject_id, {})[month] = (status, vital)
        found: list[DueVisit] = []
        for subject in repo.subjects():
            if subject.id in anchors:
                procedure = date.fromisoformat(anchors[subject.id])
                protocol = tx.protocols.default
            elif subject.id in treatments:
                started, key, version = treatments[subject.id]
                procedure = local_date(clock, started)
                protocol = tx.protocols.get(key, version)
            else:
                continue
            recorded = visits.get(subject.id, {})
            died = any(vital == VitalStatus.DIED.value for _s, vital in recorded.values())
            baseline = recorded.get(BASELINE_MONTH)
            if baseline is None:
                found.append(_baseline_due(subject.id, subject.study_id, procedure, day))
            elif baseline[0] != VisitStatus.SIGNED.value:
                found.append(
                    DueVisit(
                        subject.id, subject.study_id, BASELINE_MONTH, None, DueState.STARTED, 0
                    )
                )
            for spec in protocol.follow_up:
                window = VisitWindow.around(
                    procedure, spec.month, spec.window_before_days, spec.window_after_days
                )
                entry = recorded.get(spec.month)
                state = due_state(
                    window,
                    day,
                    entered=entry is not None,
                    signed=entry is not None and entry[0] == VisitStatus.SIGNED.value,
                    horizon_days=horizon_days,
                )
                if state not in _SHOWN or (died and state is not DueState.STARTED):
                    continue
                found.append(
                    DueVisit(
                        subject.id,
                        subject.study_id,
                        spec.month,
                        window,
                        state,
                        _days(state, window, day),
                    )
                )
        found.sort(
            key=lambda d: (
                _ORDER[d.state],
                -d.days if d.state is DueState.OVERDUE else d.days,
                d.study_id,
            )
        )
        return tuple(found)


def _baseline_due(subject_id: int, study_id: str, procedure: date, today: date) -> DueVisit:
    """A baseline not entered: its window closes on the procedure day, so it is due until
    then (the day of the procedure included) and overdue from the next day on; `days` is
    the days left before the procedure, or the days since it."""
    if today <= procedure:
        state, days = DueState.DUE, (procedure - today).days
    else:
        state, days = DueState.OVERDUE, (today - procedure).days
    return DueVisit(subject_id, study_id, BASELINE_MONTH, None, state, days)


def _days(state: DueState, window: VisitWindow, today: date) -> int:
    if state is DueState.UPCOMING:
        return (window.opens - today).days
    if state is DueState.DUE:
        return (window.closes - today).days
    if state is DueState.OVERDUE:
        return (today - window.closes).days
    return 0
