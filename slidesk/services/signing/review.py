"""The pre-signing review: what is missing (blocking) or odd (a warning to acknowledge).

A pure function of the record snapshot, the protocol and the status; no database access here
beyond what the caller passes in. Besides what blocks signing it lists what a signer must see:
every deviation, skip, late entry and gap in the sedation record (`domain.record_gaps`), and
what happened to the subject — adverse events (serious ones first), site findings, sedation
events (`signing_events`) — before signing and after it. Messages give durations, not clock
times, so they read the same in any time zone (the report has the times).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from slidesk.domain.procedure.injection import range_problems
from slidesk.domain.procedure.model import EntryKind, ProcedureStatus, SkipReason
from slidesk.domain.procedure.record_gaps import Gap, GapKind, SedationTimeline, sedation_gaps
from slidesk.domain.sedation.timing import is_late
from slidesk.domain.signing import Finding, Severity
from slidesk.domain.values import Depth, Volume
from slidesk.i18n import _
from slidesk.protocol.model import Protocol
from slidesk.services.record.sedation import TRACKED_KINDS
from slidesk.services.record.snapshot import RecordSnapshot, live
from slidesk.services.signing.events import SERIOUS_AE, event_findings
from slidesk.services.signing.late import late_findings

_SIGNABLE = (ProcedureStatus.COMPLETED, ProcedureStatus.AMENDED, ProcedureStatus.SIGNED)


def review_findings(
    snapshot: RecordSnapshot,
    protocol: Protocol,
    status: ProcedureStatus,
    *,
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
        if is_late(entry.performed_at, entry.recorded_at):
            minutes = int((entry.recorded_at - entry.performed_at).total_seconds() // 60)
            found.append(
                Finding(
                    f"late-site:{entry.id}",
                    Severity.WARNING,
                    _("{name}: entered {minutes} min after it was done (late entry).").format(
                        name=name, minutes=minutes
                    ),
                    number,
                )
            )
    found.extend(_record_findings(snapshot, protocol))
    found.extend(event_findings(snapshot, labels))
    found.extend(late_findings(snapshot))
    found.extend(_gap_findings(snapshot, protocol))
    return tuple(sorted(found, key=_reading_order))


def _reading_order(finding: Finding) -> tuple[int, int]:
    """What blocks signing, then serious adverse events, then the rest by site."""
    if finding.severity is Severity.BLOCKING:
        return (0, finding.site_no or 0)
    if finding.code.startswith(f"{SERIOUS_AE}:"):
        return (1, 0)
    return (2, finding.site_no or 0)


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


def _record_findings(snapshot: RecordSnapshot, protocol: Protocol) -> list[Finding]:
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
    if protocol.checklist:
        ticked = {t.item_key for t in live(snapshot.checklist)}
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
    return found


def _gap_findings(snapshot: RecordSnapshot, protocol: Protocol) -> list[Finding]:
    """The gaps in the sedation record (DECISIONS.md), one finding each."""
    injected = [e for e in snapshot.live_entries() if e.kind == EntryKind.INJECTED.value]
    vitals = live(snapshot.vitals)
    sedatives = [d.given_at for d in live(snapshot.doses) if d.drug_kind in TRACKED_KINDS]
    threshold = protocol.sedation.discharge_aldrete_min
    timeline = SedationTimeline(
        first_injection_at=min((e.performed_at for e in injected), default=None),
        vitals_at=tuple(v.measured_at for v in vitals),
        scores_at=tuple(v.measured_at for v in vitals if v.sedation_score is not None),
        sedative_doses_at=tuple(sedatives),
        aldrete=tuple((r.assessed_at, r.total >= threshold) for r in live(snapshot.recovery)),
        completed_at=snapshot.completed_at,
        vitals_interval=timedelta(minutes=protocol.sedation.vitals_interval_minutes),
    )
    first_dose = min(sedatives, default=None)
    return [_gap_finding(g, first_dose, protocol) for g in sedation_gaps(timeline)]


def _gap_finding(gap: Gap, first_dose: datetime | None, protocol: Protocol) -> Finding:
    sed = protocol.sedation
    if gap.kind is GapKind.NO_VITALS_WHILE_SEDATED and gap.start and gap.end and first_dose:
        begin = int((gap.start - first_dose).total_seconds() // 60)
        end = int((gap.end - first_dose).total_seconds() // 60)
        return Finding(
            f"{gap.kind.value}:{begin}",
            Severity.WARNING,
            _(
                "Gap in the sedation record: no vital signs for {minutes} min while sedated "
                "(from {begin} to {end} min after the first dose; every {interval} min is "
                "asked)."
            ).format(
                minutes=gap.minutes, begin=begin, end=end, interval=sed.vitals_interval_minutes
            ),
        )
    text = {
        GapKind.NO_BASELINE_VITALS: _(
            "No baseline vital signs were recorded before the first injection."
        ),
        GapKind.NO_SCORE_BEFORE_FIRST_INJECTION: _(
            "Gap in the sedation record: no sedation score ({scale}) before the first injection."
        ).format(scale=sed.scale),
        GapKind.NO_ALDRETE: _(
            "Gap in the sedation record: no recovery (Aldrete) score was recorded."
        ),
        GapKind.DISCHARGE_NOT_MET: _(
            "No recovery (Aldrete) score reached the discharge criterion ({minimum} of 10)."
        ).format(minimum=sed.discharge_aldrete_min),
    }[gap.kind]
    return Finding(gap.kind.value, Severity.WARNING, text)
