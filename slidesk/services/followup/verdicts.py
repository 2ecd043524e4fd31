"""Keep each follow-up visit's stored therapy-success verdict equal to the rule's result.

Called inside every write transaction of the follow-up services: it assembles the inputs of
each follow-up visit (baseline scores; deaths and amputations reported at any visit and dated
on or before the visit; the visit's own answers), runs `slidesk.outcomes.therapy_success`, and
adds or changes the verdict row — with the reason "input changed" (or "algorithm version
changed") — only when its inputs, version or result differ from what is stored.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from slidesk.domain.events import AuditEvent
from slidesk.domain.followup.model import BASELINE_MONTH, AmputationLevel, VitalStatus
from slidesk.domain.followup.schedule import VisitWindow
from slidesk.integrity.chain import canonical_json
from slidesk.outcomes import (
    AmputationInput,
    BaselineInputs,
    Criterion,
    TherapySuccess,
    Thresholds,
    Verdict,
    VisitInputs,
    therapy_success,
)
from slidesk.persistence.queries.followup import FollowUpRepository
from slidesk.persistence.rows.followup import (
    FollowUpAmputationRow,
    FollowUpVerdictRow,
    FollowUpVisitRow,
)
from slidesk.persistence.transaction import Transaction
from slidesk.protocol.model import Protocol
from slidesk.services.followup.codec import parse_iso
from slidesk.services.followup.dto import CriterionView, VerdictView


def thresholds(protocol: Protocol) -> Thresholds:
    return Thresholds(
        rutherford_improvement=protocol.outcomes.rutherford_improvement,
        vas_improvement_mm=protocol.outcomes.vas_improvement_mm,
    )


def _reference_date(
    visit: FollowUpVisitRow, protocol: Protocol, procedure_date: date | None
) -> date | None:
    """The day the visit speaks for: its date, else the end of its window."""
    if visit.visit_date:
        return date.fromisoformat(visit.visit_date)
    if procedure_date is None:
        return None
    for spec in protocol.follow_up:
        if spec.month == visit.month:
            window = VisitWindow.around(
                procedure_date, spec.month, spec.window_before_days, spec.window_after_days
            )
            return window.closes
    return None


def visit_inputs(
    visit: FollowUpVisitRow,
    visits: Sequence[FollowUpVisitRow],
    amputations: Sequence[FollowUpAmputationRow],
    protocol: Protocol,
    procedure_date: date | None,
) -> VisitInputs:
    ref = _reference_date(visit, protocol, procedure_date)
    month_of = {v.id: v.month for v in visits}

    def counts(day: date | None, reported_month: int) -> bool:
        # Dated on or before the visit; without a reference date, reported by then.
        return (
            day <= ref if (ref is not None and day is not None) else reported_month <= visit.month
        )

    deaths = sorted(
        d
        for v in visits
        if v.month != BASELINE_MONTH
        and v.vital_status == VitalStatus.DIED.value
        and (d := parse_iso(v.death_date)) is not None
        and counts(d, v.month)
    )
    if deaths:
        alive: bool | None = False
    elif visit.vital_status == VitalStatus.ALIVE.value:
        alive = True
    else:
        alive = None
    chosen = [
        a
        for a in amputations
        if not a.voided
        and month_of.get(a.visit_id, BASELINE_MONTH) != BASELINE_MONTH
        and counts(date.fromisoformat(a.amputation_date), month_of[a.visit_id])
    ]
    chosen.sort(key=lambda a: (a.amputation_date, a.id))
    clinical = visit.vital_status != VitalStatus.DIED.value
    return VisitInputs(
        month=visit.month,
        alive=alive,
        death_date=deaths[0] if deaths else None,
        amputation_assessed=visit.new_amputation is not None,
        amputations=tuple(
            AmputationInput(
                date.fromisoformat(a.amputation_date), a.level, AmputationLevel(a.level).is_major
            )
            for a in chosen
        ),
        rutherford=visit.rutherford if clinical else None,
        vas_mm=visit.vas_mm if clinical else None,
    )


def baseline_inputs(visits: Sequence[FollowUpVisitRow]) -> BaselineInputs:
    base = next((v for v in visits if v.month == BASELINE_MONTH), None)
    if base is None:
        return BaselineInputs(None, None)
    return BaselineInputs(base.rutherford, base.vas_mm)


def _criteria_json(result: TherapySuccess) -> str:
    return canonical_json({c.key: [c.status.value, c.title, c.reason] for c in result.criteria})


def refresh_verdicts(
    tx: Transaction, subject_id: int, protocol: Protocol, procedure_date: date | None
) -> None:
    """Recompute every follow-up verdict of the subject; write only what changed."""
    repo = tx.repo(FollowUpRepository)
    tx.session.flush()  # new visits and amputations need their ids
    visits = list(repo.visits(subject_id))
    amputations = list(repo.amputations(subject_id))
    stored = {v.visit_id: v for v in repo.verdicts(subject_id)}
    base = baseline_inputs(visits)
    limits = thresholds(protocol)
    for visit in visits:
        if visit.month == BASELINE_MONTH:
            continue
        result = therapy_success(
            base,
            visit_inputs(visit, visits, amputations, protocol, procedure_date),
            thresholds=limits,
        )
        values: dict[str, Any] = {
            "algorithm_version": result.algorithm_version,
            "inputs": canonical_json(result.inputs),
            "verdict": result.verdict.value,
            "criteria": _criteria_json(result),
        }
        row = stored.get(visit.id)
        if row is None:
            row = FollowUpVerdictRow(
                visit_id=visit.id,
                subject_id=subject_id,
                month=visit.month,
                computed_at=tx.now,
                **values,
            )
            tx.add(row, event_type=AuditEvent.FOLLOWUP_VERDICT_COMPUTED)
            continue
        if all(getattr(row, k) == v for k, v in values.items()):
            continue
        if row.algorithm_version != result.algorithm_version:
            why = "algorithm version changed"
        elif row.inputs != values["inputs"]:
            why = "input changed"
        else:
            why = "explanation wording updated (same rule, same inputs)"
        tx.change(
            row,
            event_type=AuditEvent.FOLLOWUP_VERDICT_RECOMPUTED,
            reason=why,
            computed_at=tx.now,
            **values,
        )


def verdict_view(row: FollowUpVerdictRow, *, primary: bool, provisional: bool) -> VerdictView:
    criteria = json.loads(row.criteria)
    return VerdictView(
        visit_id=row.visit_id,
        month=row.month,
        verdict=Verdict(row.verdict),
        criteria=tuple(
            CriterionView(key, title, Criterion(status), reason)
            for key, (status, title, reason) in sorted(criteria.items())
        ),
        algorithm_version=row.algorithm_version,
        inputs_json=row.inputs,
        computed_at=row.computed_at,
        primary=primary,
        provisional=provisional,
    )
