"""Late entries of the nurse's record, as review findings a signer acknowledges.

An entry typed more than ten minutes after the event it records is stored with `late` set
(`domain.sedation.is_late`); each live one is listed with what it was and how late. Worded
with durations, not clock times. Pure: reads a record snapshot. No Qt; no SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from slidesk.domain.sedation.doses import Dimension, Dose
from slidesk.domain.signing import Finding, Severity
from slidesk.i18n import _
from slidesk.services.record.snapshot import RecordSnapshot, live


def _minutes(happened: datetime, entered: datetime) -> int:
    return int((entered - happened).total_seconds() // 60)


def late_findings(snap: RecordSnapshot) -> Iterator[Finding]:
    """One warning per live late entry, in the order of the record's sections."""
    items: Iterable[tuple[str, int, str, datetime, datetime]] = (
        *(
            (
                "dose",
                d.id,
                _("{drug} {dose}").format(
                    drug=d.drug_name, dose=Dose(Dimension(d.dimension), d.amount_nano).text(d.unit)
                ),
                d.given_at,
                d.recorded_at,
            )
            for d in live(snap.doses)
            if d.late
        ),
        *(
            ("oxygen", o.id, _("Oxygen change"), o.started_at, o.recorded_at)
            for o in live(snap.oxygen)
            if o.late
        ),
        *(
            ("vitals", v.id, _("Vital signs"), v.measured_at, v.recorded_at)
            for v in live(snap.vitals)
            if v.late
        ),
        *(
            ("event", e.id, _("Sedation event"), e.occurred_at, e.recorded_at)
            for e in live(snap.events)
            if e.late
        ),
        *(
            ("recovery", r.id, _("Recovery score"), r.assessed_at, r.recorded_at)
            for r in live(snap.recovery)
            if r.late
        ),
    )
    for kind, entry_id, what, happened, entered in items:
        yield Finding(
            f"late-{kind}:{entry_id}",
            Severity.WARNING,
            _("{what}: entered {minutes} min after it happened (late entry).").format(
                what=what, minutes=_minutes(happened, entered)
            ),
        )
