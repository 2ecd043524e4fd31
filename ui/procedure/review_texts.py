"""The review's texts: the totals, the skips and deviations, and what is still missing.

Pure presentation: a `ProcedureView` and its `ReconciliationView` in, translated lines out
(translation context "ReviewDialog", as when the dialog worded them). Calls no service and
imports no widget.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from slidesk.clock import Clock
from slidesk.domain.kits import syringe_list
from slidesk.domain.procedure.model import EntryKind, ProcedureStatus
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure.dto_workspace import ReconciliationView
from ui.common.timefmt import duration, local_hm


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReviewDialog", text)


def totals_text(view: ProcedureView, flag_count: int, clock: Clock) -> str:
    """Sites injected and skipped, deviations, volume, start, duration (so far) and flags."""
    started = view.started_at
    took = duration((view.completed_at or clock.now()) - started) if started else "—"
    return (
        _tr(
            "<b>%1</b> of %2 injected · <b>%3</b> skipped · <b>%4</b> deviation(s) · "
            "volume <b>%5</b> · started %7 · duration %8 · "
            "%9 site flag(s)"
        )
        .replace("%1", str(view.injected_count))
        .replace("%2", str(view.total_sites))
        .replace("%3", str(view.skipped_count))
        .replace("%4", str(view.deviation_count))
        .replace("%5", str(view.injected_volume))
        .replace("%7", local_hm(started, clock.zone))
        .replace("%8", took)
        .replace("%9", str(flag_count))
    )


def exception_text(view: ProcedureView) -> str:
    """Skips with their reasons, deviations and relocations, one line each."""
    lines = []
    for site in view.sites:
        entry = site.entry
        if entry is None:
            continue
        if entry.kind is EntryKind.SKIPPED:
            reason = entry.skip_reason.label if entry.skip_reason else "?"
            detail = f": {entry.skip_detail}" if entry.skip_detail else ""
            lines.append(
                _tr("Site %1 skipped — %2%3")
                .replace("%1", str(site.number))
                .replace("%2", reason)
                .replace("%3", detail)
            )
        elif entry.deviation_reason or entry.relocated:
            what = [str(entry.depth), str(entry.volume)]
            if entry.relocated:
                what.append(_tr("relocated"))
            lines.append(
                _tr("Site %1 deviation (%2) — %3")
                .replace("%1", str(site.number))
                .replace("%2", ", ".join(what))
                .replace("%3", entry.deviation_reason or "")
            )
    if not lines:
        return _tr("No skips or deviations.")
    return "\n".join(lines)


def missing_items(
    view: ProcedureView, state: ReconciliationView, completion_gaps: tuple[str, ...]
) -> list[str]:
    """What keeps the procedure from being complete: open sites, unaccounted syringes after
    completion, skips without a reason and, while in progress, `completion_gaps` (worded by
    the service that checks them)."""
    gaps = []
    open_sites = [str(s.number) for s in view.sites if s.entry is None]
    if open_sites:
        gaps.append(
            _tr("sites neither injected nor skipped: %1").replace("%1", ", ".join(open_sites))
        )
    if state.unaccounted and view.status is not ProcedureStatus.IN_PROGRESS:
        # Still open to reconcile after completion; before it, the gaps below say it.
        gaps.append(
            _tr("%1 not yet accounted for: %2")
            .replace("%1", str(len(state.unaccounted)))
            .replace("%2", syringe_list(state.unaccounted))
        )
    skipped_without = [
        str(e.site_no)
        for e in view.entries
        if not e.voided and e.kind is EntryKind.SKIPPED and e.skip_reason is None
    ]
    if skipped_without:
        gaps.append(_tr("skips without reason: %1").replace("%1", ", ".join(skipped_without)))
    if view.status is ProcedureStatus.IN_PROGRESS:
        gaps += list(completion_gaps)  # worded by the service that checks them
    return gaps
