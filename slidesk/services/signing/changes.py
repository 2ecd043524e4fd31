"""What an open amendment has changed since the last signed version: each change with who,
when and why, for the people who sign the amended record.

The list comes from the audit trail after the last signed version was frozen: every entry of
the record added (a late entry) or changed (a correction, a strike-out) since, with its old and
new values worded like the report's corrections (`report_text.describe`). The difference
between the two signed contents themselves is `report_text.amendment_changes`, which the
review asks the signers to acknowledge and the amended report prints; this list says who made
each change, when, and the reason they gave. No Qt; rows are reached through repositories.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from typing import Any

from slidesk.domain.events import AuditEvent
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.users import Actor, Permission
from slidesk.i18n import _
from slidesk.persistence.rows.core import AuditRow
from slidesk.persistence.rows.signing import SigningRepository
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.procedure.views import load_procedure
from slidesk.services.record.names import KIND_LABELS, RecordNames
from slidesk.services.record.snapshot import build_snapshot
from slidesk.services.record.wording import change_lines, dose_unit, local
from slidesk.services.signing.dto import RecordChange, SignedChanges

# The record's own entries (what a signature covers); status changes, signatures and
# sign-in events are not changes of the record.
_ENTITIES = frozenset(KIND_LABELS)
_VERSION_SIGNED = AuditEvent.RECORD_VERSION_SIGNED
# When each kind of entry happened (the event time, as opposed to the entry time).
_EVENT_TIME = (
    "performed_at",
    "given_at",
    "started_at",
    "measured_at",
    "occurred_at",
    "assessed_at",
    "observed_at",
    "onset_at",
)


@boundary
def changes_since_signed(
    *, uow: UnitOfWork, actor: Actor, procedure_id: int, tz: tzinfo
) -> SignedChanges:
    """Each change of the record since its last signed version (oldest first).

    Empty when the record was never signed. `tz` is the site's zone for the times in words.
    Each entry is named as it stands in the record now ("Fentanyl 25 µg at 13:28"), each
    change said once (a corrected dose is one amount, not also the amount as typed).
    """
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        row = load_procedure(tx, procedure_id)
        repo = tx.repo(SigningRepository)
        versions = repo.versions(row.id)
        if not versions:
            return SignedChanges(row.id, None, None, None, ())
        latest = versions[-1]
        reason = None
        if row.status == ProcedureStatus.AMENDED.value:
            opened = [a for a in repo.amendments(row.id) if a.version == latest.version + 1]
            reason = opened[-1].reason if opened else None
        names = tx.users.names()
        items = RecordNames(build_snapshot(tx, row.id), tz)
        trail = tx.audit.for_procedure(row.id)
        # After the entry that froze the version, in the chain's order (times may be equal).
        frozen = next(
            (
                a.seq
                for a in trail
                if a.event_type == _VERSION_SIGNED and a.entity_id == str(latest.id)
            ),
            None,
        )
        since = _canonical(latest.signed_at)
        changes = []
        for a in trail:
            after = a.seq > frozen if frozen is not None else a.at_utc > since
            if not after or a.action not in ("create", "update") or a.entity not in _ENTITIES:
                continue
            who = names.get(a.user_id, a.username or "?") if a.user_id else (a.username or "?")
            changes.append(
                RecordChange(
                    at=_parse(a.at_utc),
                    who=who,
                    what=items.name(a.entity or "", a.entity_id),
                    change=_change(a, items, tz),
                    reason=a.reason or "",
                )
            )
        return SignedChanges(row.id, latest.version, latest.signed_at, reason, tuple(changes))


def _change(a: AuditRow, items: RecordNames, tz: tzinfo) -> str:
    values: dict[str, Any] = json.loads(a.changes) if a.changes else {}
    if a.action == "create":
        happened = next((values[f][1] for f in _EVENT_TIME if f in values), None)
        if not isinstance(happened, str):
            return _("added")
        return _("added late: happened {time}").format(time=local(_parse(happened), tz))
    unit = dose_unit(items, a.entity or "", a.entity_id)
    return "; ".join(change_lines(values, tz, unit, void_reason=False))


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _canonical(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
