"""One chronological list of everything in a procedure, for both roles and for the report.

Site entries and the nurse's entries come from their tables; checklist ticks, site flags,
corrections, undos and status changes come from the audit trail (their event types), so a
feature that writes audited events appears here without this module knowing its tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from slidesk.clock import Clock
from slidesk.domain.events import AuditEvent
from slidesk.domain.procedure.model import EntryKind
from slidesk.domain.users import Actor, Permission
from slidesk.persistence.rows.core import AuditRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.audit.words import event_label, event_of
from slidesk.services.boundary import boundary
from slidesk.services.dto import EntryView
from slidesk.services.procedure.views import entry_view, load_procedure
from slidesk.services.sedation.dto import SedationRecord
from slidesk.services.sedation.views import sedation_record


class TimelineKind(StrEnum):
    STATUS = "status"
    CHECKLIST = "checklist"
    INJECTION = "injection"
    SKIP = "skip"
    CORRECTION = "correction"
    FLAG = "flag"
    DOSE = "dose"
    OXYGEN = "oxygen"
    VITALS = "vitals"
    EVENT = "event"
    ADVERSE_EVENT = "adverse_event"
    RECOVERY = "recovery"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    TimelineKind.STATUS: "Procedure",
    TimelineKind.CHECKLIST: "Checklist",
    TimelineKind.INJECTION: "Injection",
    TimelineKind.SKIP: "Skipped site",
    TimelineKind.CORRECTION: "Correction",
    TimelineKind.FLAG: "Site finding",
    TimelineKind.DOSE: "Medication",
    TimelineKind.OXYGEN: "Oxygen",
    TimelineKind.VITALS: "Vital signs",
    TimelineKind.EVENT: "Sedation event",
    TimelineKind.ADVERSE_EVENT: "Adverse event",
    TimelineKind.RECOVERY: "Recovery",
}


@dataclass(frozen=True, slots=True)
class TimelineItem:
    at: datetime  # when it happened (typed or defaulted event time)
    recorded_at: datetime  # when it was entered (clock)
    kind: TimelineKind
    title: str
    detail: str
    who: str
    alarm: bool = False  # alarming vitals, a limit exceeded, a serious AE
    late: bool = False
    voided: bool = False
    highlight: bool = False  # reversal agent, SAE, hard-limit override


@dataclass(frozen=True, slots=True)
class Timeline:
    procedure_id: int
    items: tuple[TimelineItem, ...]
    sedation: SedationRecord

    def of(self, kinds: Iterable[TimelineKind]) -> tuple[TimelineItem, ...]:
        wanted = set(kinds)
        return tuple(i for i in self.items if i.kind in wanted)


@boundary
def get_timeline(
    *,
    uow: UnitOfWork,
    actor: Actor,
    clock: Clock,
    procedure_id: int,
    kinds: Iterable[TimelineKind] | None = None,
) -> Timeline:
    """Everything in the procedure, oldest first (optionally only some kinds)."""
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        row = load_procedure(tx, procedure_id)
        record = sedation_record(tx, row, clock.now())
        names = tx.users.names()
        entries = [entry_view(e, names) for e in tx.entries.for_procedure(row.id)]
        items = [
            *_entry_items(entries),
            *_audit_items(tx, row.id),
            *sedation_items(record),
        ]
        if kinds is not None:
            wanted = set(kinds)
            items = [i for i in items if i.kind in wanted]
        items.sort(key=lambda i: (i.at, i.recorded_at))
        return Timeline(row.id, tuple(items), record)


def sedation_items(record: SedationRecord) -> Iterator[TimelineItem]:
    """The nurse's record as timeline items (also used by the report)."""
    for d in record.doses:
        limit = d.over_single_max or d.over_cumulative_max
        detail = f"{d.route}; total {d.cumulative_text}"
        if d.entered_text.replace(" ", "") != d.text.replace(" ", ""):
            detail += f"; typed as {d.entered_text}"
        if d.limit_reason:
            detail += f"; above limit: {d.limit_reason}"
        yield _item(
            d.given_at, d.recorded_at, TimelineKind.DOSE, f"{d.drug_name} {d.text}", detail,
            d.performer.full_name, d.voided, d.void_reason, d.late,
            alarm=limit or d.cumulative_warning, highlight=d.is_reversal or d.over_cumulative_max,
        )  # fmt: skip
    for o in record.oxygen:
        yield _item(
            o.started_at, o.recorded_at, TimelineKind.OXYGEN, "Oxygen", o.text,
            o.performer.full_name, o.voided, o.void_reason, o.late,
        )  # fmt: skip
    for v in record.vitals:
        parts = [
            f"HR {v.hr}" if v.hr is not None else "",
            f"BP {v.bp_text}" if v.systolic is not None else "",
            f"SpO2 {v.spo2} %" if v.spo2 is not None else "",
            f"RR {v.rr}" if v.rr is not None else "",
            f"EtCO2 {v.etco2}" if v.etco2 is not None else "",
            f"T {v.temp_c} °C" if v.temp_c is not None else "",
            f"{v.sedation_scale} {v.sedation_score}" if v.sedation_score is not None else "",
        ]
        detail = ", ".join(p for p in parts if p)
        if v.alarms:
            detail += " — ALARM: " + "; ".join(a.message for a in v.alarms)
        title = "Baseline vital signs" if v.baseline else "Vital signs"
        yield _item(
            v.measured_at, v.recorded_at, TimelineKind.VITALS, title, detail,
            v.performer.full_name, v.voided, v.void_reason, v.late, alarm=bool(v.alarms),
        )  # fmt: skip
    for e in record.events:
        detail = "; ".join(x for x in (e.description or "", e.outcome or "") if x)
        yield _item(
            e.occurred_at, e.recorded_at, TimelineKind.EVENT, e.summary, detail,
            e.performer.full_name, e.voided, e.void_reason, e.late, alarm=True,
        )  # fmt: skip
    for a in record.adverse_events:
        sites = f" (site {', '.join(map(str, a.site_nos))})" if a.site_nos else ""
        detail = f"CTCAE grade {int(a.grade)}; {a.outcome.label.lower()}"
        if a.serious:
            detail = "SERIOUS; " + detail
        yield _item(
            a.onset_at, a.recorded_at, TimelineKind.ADVERSE_EVENT, f"{a.term}{sites}", detail,
            a.reporter.full_name, a.voided, a.void_reason, False,
            alarm=a.serious, highlight=a.serious,
        )  # fmt: skip
    for r in record.recovery:
        met = "discharge score met" if r.meets_threshold else "discharge score not met"
        yield _item(
            r.assessed_at, r.recorded_at, TimelineKind.RECOVERY, f"Aldrete {r.total}/10", met,
            r.performer.full_name, r.voided, r.void_reason, r.late,
        )  # fmt: skip


def _item(
    at: datetime,
    recorded_at: datetime,
    kind: TimelineKind,
    title: str,
    detail: str,
    who: str,
    voided: bool,
    void_reason: str | None,
    late: bool,
    *,
    alarm: bool = False,
    highlight: bool = False,
) -> TimelineItem:
    if voided:
        detail = f"STRUCK OUT ({void_reason}) — {detail}"
        alarm = highlight = False
    return TimelineItem(at, recorded_at, kind, title, detail, who, alarm, late, voided, highlight)


def _entry_items(entries: list[EntryView]) -> Iterator[TimelineItem]:
    for e in entries:
        if e.kind is EntryKind.INJECTED:
            title = f"Site {e.site_no} injected"
            detail = f"{e.depth}, {e.volume}, syringe {e.syringe_label}"
            if e.deviation_reason:
                detail += f"; deviation: {e.deviation_reason}"
            kind = TimelineKind.INJECTION
        else:
            title = f"Site {e.site_no} skipped"
            reason = e.skip_reason.label if e.skip_reason else ""
            detail = f"{reason}{': ' + e.skip_detail if e.skip_detail else ''}"
            kind = TimelineKind.SKIP
        yield _item(
            e.performed_at, e.recorded_at, kind, title, detail, e.performer.full_name,
            e.voided, e.void_reason, (e.recorded_at - e.performed_at).total_seconds() > 600,
        )  # fmt: skip


# The audit entries the timeline shows, and under which kind; each is titled by its label.
_AUDIT_KINDS = {
    AuditEvent.CHECKLIST_TICKED: TimelineKind.CHECKLIST,
    AuditEvent.CHECKLIST_UNTICKED: TimelineKind.CHECKLIST,
    AuditEvent.SITE_CORRECTED: TimelineKind.CORRECTION,
    AuditEvent.SITE_UNDONE: TimelineKind.CORRECTION,
    AuditEvent.SITE_SKIP_CORRECTED: TimelineKind.CORRECTION,
    AuditEvent.SITE_FLAGGED: TimelineKind.FLAG,
    AuditEvent.SITE_FLAG_WITHDRAWN: TimelineKind.FLAG,
    AuditEvent.PROCEDURE_PLANNED: TimelineKind.STATUS,
    AuditEvent.PROCEDURE_STARTED: TimelineKind.STATUS,
    AuditEvent.PROCEDURE_COMPLETED: TimelineKind.STATUS,
    AuditEvent.PROCEDURE_SIGNED: TimelineKind.STATUS,
    # The status change, not the amendment row written beside it (AMENDMENT_OPENED): one line
    # per amendment, in old trails as in new ones.
    AuditEvent.PROCEDURE_AMENDMENT_OPENED: TimelineKind.STATUS,
    AuditEvent.SEDATION_DOSE_CORRECTED: TimelineKind.CORRECTION,
    AuditEvent.SEDATION_VITALS_CORRECTED: TimelineKind.CORRECTION,
    AuditEvent.AE_FOLLOWED_UP: TimelineKind.ADVERSE_EVENT,
}


_WITH_REASON = frozenset(
    {
        AuditEvent.CHECKLIST_UNTICKED,
        AuditEvent.SITE_CORRECTED,
        AuditEvent.SITE_UNDONE,
        AuditEvent.SITE_SKIP_CORRECTED,
        AuditEvent.SITE_FLAG_WITHDRAWN,
        AuditEvent.SEDATION_DOSE_CORRECTED,
        AuditEvent.SEDATION_VITALS_CORRECTED,
        AuditEvent.AE_FOLLOWED_UP,
    }
)


def _audit_items(tx: Transaction, procedure_id: int) -> Iterator[TimelineItem]:
    names = tx.users.names()
    for a in tx.audit.for_procedure(procedure_id):
        event = event_of(a.event_type)
        kind = _AUDIT_KINDS.get(event) if event is not None else None
        if event is None or kind is None:
            continue
        title = event_label(event)
        changes = _changes(a)
        at = recorded = _utc(a.at_utc)
        detail = _describe(changes) if a.action == "update" else ""
        if event is AuditEvent.SITE_FLAGGED:
            at = _utc(_new(changes, "observed_at")) or at
            title = f"Site {_new(changes, 'site_no')}: {_new(changes, 'flag')}"
            detail = _new(changes, "note") or ""
        elif event is AuditEvent.CHECKLIST_TICKED:
            role = _new(changes, "ticked_role")
            detail = (_new(changes, "item_text") or "") + (f" (as {role})" if role else "")
        if a.reason and event in _WITH_REASON:
            detail = f"{detail} — reason: {a.reason}" if detail else f"reason: {a.reason}"
        yield TimelineItem(
            at, recorded, kind, title, detail, names.get(a.user_id or 0, a.username or "system")
        )


def _changes(a: AuditRow) -> dict[str, Any]:
    try:
        value = json.loads(a.changes)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _new(changes: dict[str, Any], field: str) -> Any:
    pair = changes.get(field)
    return pair[1] if isinstance(pair, list) and len(pair) == 2 else None


def _utc(text: Any) -> Any:
    if not isinstance(text, str):
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


_SKIP_FIELDS = {
    "recorded_at",
    "late",
    "alarms",
    "voided",
    "void_reason",
    "status",
    "started_at",
    "completed_at",
}
_SCALED = {"depth_um": ("depth", " mm"), "volume_ul": ("volume", " mL")}


def _describe(changes: dict[str, Any]) -> str:
    """'depth 12.5 mm → 13 mm; …' for the fields a change touched."""
    parts = []
    for field, pair in sorted(changes.items()):
        if field in _SKIP_FIELDS or not isinstance(pair, list) or len(pair) != 2:
            continue
        old, new = pair
        if field in _SCALED:
            name, unit = _SCALED[field]
            old = None if old is None else f"{Decimal(old) / 1000}{unit}"
            new = None if new is None else f"{Decimal(new) / 1000}{unit}"
            field = name
        parts.append(f"{field.replace('_', ' ')} {old} → {new}")
    return "; ".join(parts)
