"""The pre-signing review: what is missing (blocking) or odd (a warning to acknowledge).

A pure function of the record snapshot, the protocol and the status; no database access here
beyond what the caller passes in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from slidesk.domain.procedure import EntryKind, ProcedureStatus, SkipReason
from slidesk.domain.signing import Finding, Severity
from slidesk.domain.values import Depth, Volume
from slidesk.protocol import Protocol
from slidesk.services.procedures import range_problems
from slidesk.services.record_snapshot import RecordSnapshot

_SIGNABLE = (ProcedureStatus.COMPLETED, ProcedureStatus.AMENDED, ProcedureStatus.SIGNED)


def review_findings(
    snapshot: RecordSnapshot,
    protocol: Protocol,
    status: ProcedureStatus,
    *,
    baseline_vitals: bool | None,
    integrity_problem: str | None,
    unaccounted_syringes: Sequence[str] = (),
) -> tuple[Finding, ...]:
    """Findings in the order a reviewer reads them: blocking first, then warnings by site."""
    found: list[Finding] = []
    if unaccounted_syringes:
        numbers = ", ".join(label.rsplit("-", 1)[-1] for label in unaccounted_syringes)
        found.append(
            Finding(
                "syringes-unaccounted",
                Severity.WARNING,
                f"{len(unaccounted_syringes)} syringe(s) of the kit are not accounted for "
                f"({numbers}): neither injected nor recorded as returned or wasted.",
            )
        )
    if status not in _SIGNABLE:
        found.append(
            Finding(
                "not-completed",
                Severity.BLOCKING,
                f"The procedure is '{status.label}': complete it before anyone signs.",
            )
        )
    if integrity_problem:
        found.append(Finding("record-changed", Severity.BLOCKING, integrity_problem))
    live = {e.site_no: e for e in snapshot.live_entries()}
    labels = {s.number: s.label for s in protocol.sites}
    for number in protocol.order:
        entry = live.get(number)
        name = f"Site {number} ({labels[number]})"
        if entry is None:
            if status in _SIGNABLE:
                found.append(
                    Finding(
                        f"open-site:{number}",
                        Severity.BLOCKING,
                        f"{name} is neither injected nor skipped.",
                        number,
                    )
                )
            continue
        if entry.kind == EntryKind.SKIPPED.value:
            reason = SkipReason(entry.skip_reason) if entry.skip_reason else None
            if reason is None or (reason is SkipReason.OTHER and not entry.skip_detail):
                found.append(
                    Finding(
                        f"skip-no-reason:{number}",
                        Severity.BLOCKING,
                        f"{name} is skipped without a stated reason.",
                        number,
                    )
                )
                continue
            detail = f" — {entry.skip_detail}" if entry.skip_detail else ""
            found.append(
                Finding(
                    f"skipped:{number}",
                    Severity.WARNING,
                    f"{name} was skipped: {reason.label}{detail}.",
                    number,
                )
            )
            continue
        problems = []
        if entry.depth_um is not None and entry.volume_ul is not None:
            problems = range_problems(protocol, Depth(entry.depth_um), Volume(entry.volume_ul))
        if entry.relocated:
            problems.append("relocated from the planned position")
        if problems and not entry.deviation_reason:
            found.append(
                Finding(
                    f"deviation-no-reason:{number}",
                    Severity.BLOCKING,
                    f"{name}: {'; '.join(problems)}, and no deviation reason is recorded.",
                    number,
                )
            )
        elif problems or entry.deviation_reason:
            what = "; ".join(problems) or "deviation noted"
            found.append(
                Finding(
                    f"deviation:{number}",
                    Severity.WARNING,
                    f"{name}: {what} — reason: {entry.deviation_reason}.",
                    number,
                )
            )
        found.extend(_time_findings(snapshot, name, number, entry.performed_at))
    found.extend(_record_findings(snapshot, protocol, baseline_vitals))
    return tuple(sorted(found, key=lambda f: (f.severity is not Severity.BLOCKING, f.site_no or 0)))


def _time_findings(snapshot: RecordSnapshot, name: str, number: int, at: datetime) -> list[Finding]:
    found = []
    if snapshot.started_at is not None and at < snapshot.started_at - timedelta(minutes=1):
        found.append(
            Finding(
                f"before-start:{number}",
                Severity.WARNING,
                f"{name}: its time lies before the procedure was started.",
                number,
            )
        )
    if snapshot.completed_at is not None and at > snapshot.completed_at:
        found.append(
            Finding(
                f"after-completion:{number}",
                Severity.WARNING,
                f"{name}: its time lies after the procedure was completed.",
                number,
            )
        )
    return found


def _record_findings(
    snapshot: RecordSnapshot, protocol: Protocol, baseline_vitals: bool | None
) -> list[Finding]:
    found = []
    injected = [e for e in snapshot.live_entries() if e.kind == EntryKind.INJECTED.value]
    release = snapshot.product_release_at
    if release is not None and injected:
        last = max(e.performed_at for e in injected)
        minutes = int((last - release).total_seconds() // 60)
        if minutes > protocol.product.use_by_minutes:
            found.append(
                Finding(
                    "use-by",
                    Severity.WARNING,
                    f"The last injection was {minutes} min after product release "
                    f"(use-by {protocol.product.use_by_minutes} min).",
                )
            )
    if snapshot.checklist is not None and protocol.checklist:
        ticked = {t.item_key for t in snapshot.checklist}
        missing = [i for i in protocol.checklist if i.key not in ticked]
        if missing:
            found.append(
                Finding(
                    "checklist",
                    Severity.WARNING,
                    f"The time-out checklist has {len(missing)} unticked item(s): "
                    + "; ".join(i.text for i in missing[:3])
                    + ("…" if len(missing) > 3 else ""),
                )
            )
    if baseline_vitals is False:
        found.append(
            Finding(
                "no-baseline-vitals",
                Severity.WARNING,
                "No baseline vital signs were recorded before the first injection.",
            )
        )
    return found
