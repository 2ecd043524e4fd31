"""The nurse's whole record of a procedure, read inside a transaction, and when vitals are due.

The entry views are `entry_views`, the totals `totals`, the due rule `domain.sedation.timing`.
Must not import Qt or write anything.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.sedation.timing import DueState, VitalsDue, record_due
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.rows.sedation import (
    AdverseEventRow,
    OxygenRow,
    RecoveryScoreRow,
    SedationDoseRow,
    SedationEventRow,
    SedationRepository,
    VitalSignsRow,
)
from slidesk.persistence.transaction import Transaction
from slidesk.services.procedure.views import procedure_protocol
from slidesk.services.sedation.bedside import EDITABLE
from slidesk.services.sedation.dto import (
    OxygenView,
    RecoveryView,
    SedationEventView,
    SedationRecord,
    VitalsView,
)
from slidesk.services.sedation.entry_views import (
    adverse_event_view,
    dose_views,
    event_view,
    oxygen_view,
    person,
    recovery_view,
    vitals_view,
)
from slidesk.services.sedation.totals import drug_totals

EntryRow = TypeVar(
    "EntryRow",
    SedationDoseRow,
    OxygenRow,
    VitalSignsRow,
    SedationEventRow,
    RecoveryScoreRow,
    AdverseEventRow,
)
"""Any kind of entry row of the nurse's record (sedation or adverse event)."""
_View = TypeVar("_View", OxygenView, VitalsView, SedationEventView, RecoveryView)


def sedation_record(
    tx: Transaction, row: ProcedureRow, now: datetime, saved_at: datetime | None = None
) -> SedationRecord:
    protocol = procedure_protocol(tx, row)
    repo = tx.repo(SedationRepository)
    names = tx.users.names()
    subject = tx.subjects.get(row.subject_id)
    dose_rows = repo.for_procedure(SedationDoseRow, row.id)
    doses = dose_views(dose_rows, names)
    threshold = protocol.sedation.discharge_aldrete_min
    live_given = [d.given_at for d in doses if not d.voided]

    def rows(cls: type[EntryRow]) -> Sequence[EntryRow]:
        return repo.for_procedure(cls, row.id)

    record = SedationRecord(
        procedure_id=row.id,
        study_id=subject.study_id if subject else "?",
        status=ProcedureStatus(row.status),
        editable=ProcedureStatus(row.status) in EDITABLE,
        nurse=person(names, row.nurse_id),
        scale=protocol.sedation.scale,
        vitals_interval_minutes=protocol.sedation.vitals_interval_minutes,
        discharge_aldrete_min=threshold,
        alarm_limits=protocol.sedation.alarms,
        doses=doses,
        totals=drug_totals(protocol, dose_rows),
        oxygen=_in_time_order(
            (oxygen_view(o, names) for o in rows(OxygenRow)), lambda o: o.started_at
        ),
        vitals=_in_time_order(
            (vitals_view(v, protocol, names) for v in rows(VitalSignsRow)), lambda v: v.measured_at
        ),
        events=_in_time_order(
            (event_view(e, names) for e in rows(SedationEventRow)), lambda e: e.occurred_at
        ),
        recovery=_in_time_order(
            (recovery_view(r, threshold, names) for r in rows(RecoveryScoreRow)),
            lambda r: r.assessed_at,
        ),
        adverse_events=tuple(adverse_event_view(a, protocol, names) for a in rows(AdverseEventRow)),
        due=VitalsDue(DueState.STOPPED, None),
        first_dose_at=min(live_given, default=None),
        last_dose_at=max(live_given, default=None),
        saved_at=saved_at,
        started_at=row.started_at,
    )
    return _with_due(record, now)


def _in_time_order(views: Iterable[_View], at: Callable[[_View], datetime]) -> tuple[_View, ...]:
    """Views in the order things happened; the id (entry order) breaks a tie."""
    return tuple(sorted(views, key=lambda v: (at(v), v.id)))


def _with_due(record: SedationRecord, now: datetime) -> SedationRecord:
    return replace(record, due=compute_due(record, now))


def compute_due(record: SedationRecord, now: datetime) -> VitalsDue:
    """When the next vital signs are due (baseline, then every interval while monitoring)."""
    return record_due(
        last_vitals_at=max((v.measured_at for v in record.live_vitals), default=None),
        first_dose_at=record.first_dose_at,
        status=record.status,
        discharge_met=record.discharge_met,
        interval_minutes=record.vitals_interval_minutes,
        now=now,
    )
