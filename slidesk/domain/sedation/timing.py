"""The clock of the sedation record: when vital signs are due, which typed times are
possible, and when an entry is late.

Standard library only; every "now" is passed in by the caller (the injected clock). Must not
import services, persistence or the protocol reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from slidesk.domain.errors import ValidationError
from slidesk.domain.procedure.model import ProcedureStatus


class DueState(StrEnum):
    BASELINE = "baseline"  # no observation yet: take a baseline before the first injection
    NOT_DUE = "not_due"
    DUE = "due"  # due now (within a minute)
    OVERDUE = "overdue"
    STOPPED = "stopped"  # monitoring no longer runs on the clock (discharged / closed)


@dataclass(frozen=True, slots=True)
class VitalsDue:
    state: DueState
    due_at: datetime | None
    overdue_by: timedelta = timedelta(0)

    @property
    def needs_attention(self) -> bool:
        return self.state in (DueState.BASELINE, DueState.DUE, DueState.OVERDUE)


_GRACE = timedelta(minutes=1)


def vitals_due(
    *,
    last_vitals_at: datetime | None,
    interval_minutes: int,
    now: datetime,
    monitoring: bool = True,
) -> VitalsDue:
    """When the next set of observations is due.

    Baseline first; then every `interval_minutes` after the last set while `monitoring`
    (sedation or the procedure is running, or recovery is not yet complete).
    """
    if not monitoring:
        return VitalsDue(DueState.STOPPED, None)
    if last_vitals_at is None:
        return VitalsDue(DueState.BASELINE, now)
    due_at = last_vitals_at + timedelta(minutes=interval_minutes)
    if now < due_at - _GRACE:
        return VitalsDue(DueState.NOT_DUE, due_at)
    if now <= due_at + _GRACE:
        return VitalsDue(DueState.DUE, due_at)
    return VitalsDue(DueState.OVERDUE, due_at, now - due_at)


def record_due(
    *,
    last_vitals_at: datetime | None,
    first_dose_at: datetime | None,
    status: ProcedureStatus,
    discharge_met: bool,
    interval_minutes: int,
    now: datetime,
) -> VitalsDue:
    """When a procedure's next vital signs are due: the baseline, then every interval while
    the patient is sedated and not yet discharged; nothing once the record is signed."""
    sedating = first_dose_at is not None or status in (
        ProcedureStatus.IN_PROGRESS,
        ProcedureStatus.COMPLETED,
        ProcedureStatus.AMENDED,
    )
    # A signed record, amended or not, is of a patient no longer monitored: nothing is due.
    closed = status in (ProcedureStatus.SIGNED, ProcedureStatus.AMENDED)
    monitoring = not closed and not discharge_met
    if monitoring and last_vitals_at is not None and not sedating:
        return VitalsDue(DueState.NOT_DUE, None)  # baseline taken; the clock starts with sedation
    return vitals_due(
        last_vitals_at=last_vitals_at,
        interval_minutes=interval_minutes,
        now=now,
        monitoring=monitoring,
    )


# A typed event time may lie this far ahead of the clock (clock drift), never more.
FUTURE_TOLERANCE = timedelta(minutes=2)
# Event times this long before the procedure was planned are a typing slip (wrong day).
BEFORE_PLANNED = timedelta(hours=12)


def check_event_time(when: datetime, *, planned_at: datetime, now: datetime, what: str) -> datetime:
    """A typed event time (aware): refused in the future or long before the planned day."""
    if when > now + FUTURE_TOLERANCE:
        raise ValidationError(f"{what} lies in the future.")
    if when < planned_at - BEFORE_PLANNED:
        raise ValidationError(f"{what} lies before this procedure was planned; check the date.")
    return when


# An entry typed more than this after the event it records is marked late (ALCOA:
# contemporaneous, or visibly not).
LATE_ENTRY_AFTER = timedelta(minutes=10)


def is_late(event_at: datetime, recorded_at: datetime) -> bool:
    return recorded_at - event_at > LATE_ENTRY_AFTER
