"""What the entry panel says about the selected site, and which of its actions are possible.

Kept apart from `entry_panel` so that the panel holds the flow and this holds the wording.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from slidesk.domain.procedure.model import EntryKind, ProcedureStatus, SiteState
from slidesk.domain.procedure.syringe import normalise_syringe
from slidesk.domain.users import Permission
from ui.common.timefmt import local_hm
from ui.door import operations

if TYPE_CHECKING:
    from ui.workspace.entry.panel import EntryPanel

_STATE_STYLE = {
    SiteState.NEXT: ("background:#E69F00; color:#1A1A1A;", "NEXT in protocol order"),
    SiteState.PENDING: ("background:#E8E8E8; color:#1A1A1A;", "to do"),
    SiteState.DONE: ("background:#009E73; color:white;", "DONE"),
    SiteState.SKIPPED: ("background:#D9D9D9; color:#1A1A1A;", "SKIPPED"),
    SiteState.DEVIATION: ("background:#CC79A7; color:#1A1A1A;", "DONE with deviation"),
}


def tr(text: str) -> str:
    return QCoreApplication.translate("EntryPanel", text)


def field_number(value: Decimal) -> str:
    """A depth or volume as typed in the fields: at least one decimal ("1.0", "12.5", "0.75")."""
    plain = value.normalize()
    decimals = max(1, -int(plain.as_tuple().exponent))
    return f"{plain:.{decimals}f}"


def describe(panel: EntryPanel) -> None:
    view = panel.view
    site = panel._site()
    open_for_entry = panel._recording_open()
    actions = panel.actions
    if view is None or site is None or panel.protocol is None:
        panel.title.setText(tr("No procedure open"))
        for widget in (panel.state_chip, panel.subtitle, panel.target, panel.syringe_hint):
            widget.setText("")
        actions.set_enabled(False)
        panel.confirm_button.setEnabled(False)
        panel.confirm_button.setText(tr("Confirm site"))
        panel.sedation.show_site(None, None)
        _sync_buttons(panel)
        return
    spec = panel.protocol.injection
    total = len(view.sites)
    panel.title.setText(
        tr("Site %1").replace("%1", str(site.number))
        + f"  <span style='font-size:12pt; color:#4D4D4D;'>"
        f"({site.order_index + 1} / {total})</span>"
    )
    style, label = _STATE_STYLE[site.state]
    text = tr(label)
    if site.state is SiteState.PENDING and view.next_site_no is not None:
        text = tr("OUT OF ORDER — next in order is site %1").replace("%1", str(view.next_site_no))
        style = "background:#56B4E9; color:#1A1A1A;"
    style += " border-radius:4px; padding:4px 8px; font-weight:600;"
    if panel.state_chip.styleSheet() != style:  # re-styling is costly
        panel.state_chip.setStyleSheet(style)
    panel.state_chip.setText(text)
    view_name = tr("front view") if site.view == "front" else tr("back view")
    panel.subtitle.setText(f"<b>{site.label}</b> · {site.muscle} · {view_name}")
    volume = (
        f"{spec.volume_ml} mL"
        if spec.volume_min_ml == spec.volume_max_ml
        else f"{spec.volume_min_ml}–{spec.volume_max_ml} mL"
    )
    panel.target.setText(
        tr("Target: depth %1–%2 mm, volume %3")
        .replace("%1", str(spec.depth_min_mm))
        .replace("%2", str(spec.depth_max_mm))
        .replace("%3", volume)
    )
    entry = site.entry
    finished = entry is not None
    why_not = _why_not_recording(panel)
    for field in (panel.depth, panel.volume, panel.syringe):
        field.setReadOnly(finished or not open_for_entry or why_not is not None)
    if entry is not None:
        panel.depth.setText(field_number(entry.depth.mm) if entry.depth else "—")
        panel.volume.setText(field_number(entry.volume.ml) if entry.volume else "—")
        panel.syringe.setText(entry.syringe_label or "—")
        if entry.kind is EntryKind.SKIPPED:
            reason = entry.skip_reason.label if entry.skip_reason else ""
            detail = f" — {entry.skip_detail}" if entry.skip_detail else ""
            panel.syringe_hint.setText(
                tr("Skipped %1 by %2: %3%4")
                .replace("%1", local_hm(entry.performed_at, panel.clock.zone))
                .replace("%2", entry.recorder.full_name)
                .replace("%3", reason)
                .replace("%4", detail)
            )
        else:
            extra = (
                f" · {tr('deviation')}: {entry.deviation_reason}" if entry.deviation_reason else ""
            )
            moved = f" · {tr('relocated')}" if entry.relocated else ""
            panel.syringe_hint.setText(
                tr("Injected %1, recorded by %2%3%4")
                .replace("%1", local_hm(entry.performed_at, panel.clock.zone))
                .replace("%2", entry.recorder.full_name)
                .replace("%3", moved)
                .replace("%4", extra)
            )
    else:
        describe_syringe(panel)
    panel.sedation.show_site(view, site)
    # A control this typist may not use is disabled and says why (it looked ready before).
    may = why_not is None
    can_enter = open_for_entry and not finished and may
    # With every site finished the big button leads on to the review (Enter does the same).
    review_next = open_for_entry and panel.all_sites_finished()
    panel.confirm_button.setEnabled(can_enter or review_next)
    panel.confirm_button.setToolTip(
        why_not if why_not and open_for_entry and not finished and not review_next else ""
    )
    if review_next:
        panel.confirm_button.setText(tr("All sites recorded — Review and finish…   ⏎"))
    elif can_enter or (open_for_entry and not finished):
        panel.confirm_button.setText(tr("Confirm site %1   ⏎").replace("%1", str(site.number)))
    else:
        panel.confirm_button.setText(
            tr("Site %1 recorded").replace("%1", str(site.number)) if finished else tr("Read-only")
        )
    if bool(panel.confirm_button.property("finish")) != review_next:  # re-styling is costly
        panel.confirm_button.setProperty("finish", review_next)
        panel.confirm_button.style().unpolish(panel.confirm_button)
        panel.confirm_button.style().polish(panel.confirm_button)
    actions.confirm.setEnabled(can_enter)
    actions.skip.setEnabled(can_enter)
    actions.relocate.setEnabled(can_enter)
    actions.undo.setEnabled(open_for_entry and may and any(not e.voided for e in view.entries))
    # Injected and skipped entries alike; an amendment reopens a signed record for this.
    correctable = view.status in (
        ProcedureStatus.IN_PROGRESS,
        ProcedureStatus.COMPLETED,
        ProcedureStatus.AMENDED,
    )
    actions.correct.setEnabled(correctable and may and entry is not None)
    actions.goto.setEnabled(True)
    actions.back_to_next.setEnabled(view.next_site_no is not None)
    _describe_flags(panel, open_for_entry)
    _describe_recorder(panel, open_for_entry, view.status)
    _sync_buttons(panel, why_not)


def _why_not_recording(panel: EntryPanel) -> str | None:
    """Why the typist may not record injections (None: they may)."""
    actor = panel.actor
    if actor is None:
        return tr("Nobody is signed in.")
    if actor.can(Permission.RECORD_INJECTION):
        return None
    return tr("%1 may not record injections: switch to the operator (Ctrl+Shift+T).").replace(
        "%1", actor.full_name
    )


def _why_not_flagging(panel: EntryPanel) -> str | None:
    """Why the typist may not record findings or adverse events (None: they may)."""
    actor = panel.actor
    if actor is None:
        return tr("Nobody is signed in.")
    if actor.can(Permission.RECORD_ADVERSE_EVENT):
        return None
    return tr("%1 may not record findings or adverse events.").replace("%1", actor.full_name)


def describe_syringe(panel: EntryPanel) -> None:
    """Live feedback under the syringe field: the full label it stands for, or why not."""
    site = panel._site()
    if panel.view is None or panel.protocol is None or site is None or site.entry is not None:
        return
    text = panel.syringe.text().strip()
    if not text:
        panel.syringe_hint.setText(tr("Scan the syringe label or type its number."))
        return
    refusal: list[str] = []
    label = operations.check(
        partial(normalise_syringe, panel.protocol, panel.view.kit_number, text),
        show_error=refusal.append,
    )
    if label is None:
        # The banner says it in full; here only the gist, so the panel keeps its shape.
        gist = refusal[0].split(":")[0].split(" (")[0] if refusal else ""
        panel.syringe_hint.setText(f"<span style='color:#D55E00;'>✗ {escape(gist)}</span>")
        return
    used = panel._used_labels()
    if label in used:
        note = tr("already used at site %1").replace("%1", str(used[label]))
        panel.syringe_hint.setText(f"<span style='color:#D55E00;'>{label}: {note}</span>")
    elif label in panel.disposed:
        panel.syringe_hint.setText(
            f"<span style='color:#D55E00;'>{label}: {tr('returned or wasted')}</span>"
        )
    else:
        panel.syringe_hint.setText(f"= <b>{label}</b>")


def _describe_flags(panel: EntryPanel, open_for_entry: bool) -> None:
    target = panel.flag_target()
    keys = f"Alt+1…Alt+{len(panel.actions.flag_actions)}" if panel.actions.flag_actions else ""
    shown = panel._site()
    if target is None and shown is not None and shown.entry is not None:
        panel.flag_box.setTitle(
            tr("Findings: none at site %1 (not injected)").replace("%1", str(shown.number))
        )
    elif target is None:
        panel.flag_box.setTitle(tr("Findings (after the first site)"))
    else:
        panel.flag_box.setTitle(
            tr("Findings at site %1  (%2)").replace("%1", str(target)).replace("%2", keys)
        )
    may_flag = _why_not_flagging(panel) is None
    for action in panel.actions.flag_actions:
        # During an amendment a finding is added late, with the time it was seen.
        action.setEnabled((open_for_entry or panel.amending()) and target is not None and may_flag)
    flags = [f for f in panel.flags if f.site_no == target]
    panel.flag_list.setText(
        "; ".join(
            f"{f.flag}{' — ' + f.note if f.note else ''} "
            f"({local_hm(f.observed_at, panel.clock.zone)})"
            for f in flags
        )
    )
    panel.actions.adverse_event.setEnabled(target is not None and may_flag)


def _describe_recorder(panel: EntryPanel, open_for_entry: bool, status: ProcedureStatus) -> None:
    actor = panel.actor
    if status is ProcedureStatus.SIGNED:
        # One line each: at 1366×768 the panel shows whole, without scrolling.
        panel.recorder.setText(
            tr("Signed and locked: to correct it, open an amendment (Ctrl+Shift+S).")
        )
    elif status is ProcedureStatus.AMENDED:
        panel.recorder.setText(
            "<span style='color:#7A2E00;'>"
            + tr("Amendment open: correct entries with a reason (Ctrl+E).")
            + "</span>"
        )
    elif not open_for_entry:
        panel.recorder.setText(
            tr("This procedure is %1: entries are read-only; corrections need a reason.").replace(
                "%1", status.label.lower()
            )
        )
    elif actor is None:
        panel.recorder.setText(tr("Nobody is signed in."))
    elif not actor.can(Permission.RECORD_INJECTION):
        panel.recorder.setText(
            "<span style='color:#D55E00;'>"
            + tr("%1 may not record injections: switch to the operator.").replace(
                "%1", actor.full_name
            )
            + "</span>"
        )
    else:
        panel.recorder.setText(tr("Recording as %1").replace("%1", actor.full_name))


def _sync_buttons(panel: EntryPanel, why_not: str | None = None) -> None:
    """Buttons mirror their action: text with the shortcut, enabled state; one disabled
    because of who is typing says why in its tooltip."""
    flag_why = _why_not_flagging(panel) if panel.view is not None else None
    for button in (
        panel.skip_button,
        panel.relocate_button,
        panel.undo_button,
        panel.correct_button,
        panel.next_button,
        panel.ae_button,
    ):
        action = button.property("action")
        text = action.text().replace("&", "")
        shortcut = action.shortcut().toString()
        button.setText(f"{text}  ({shortcut})" if shortcut else text)
        button.setEnabled(action.isEnabled())
        why = flag_why if button is panel.ae_button else why_not
        if button is not panel.next_button:
            button.setToolTip(why if why and not action.isEnabled() else "")
    for action in panel.actions.flag_actions:
        for i in range(panel.flag_buttons_row.count()):
            item = panel.flag_buttons_row.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None and widget.property("action") is action:
                widget.setEnabled(action.isEnabled())
                usual = action.shortcut().toString()
                widget.setToolTip(flag_why if flag_why and not action.isEnabled() else usual)
