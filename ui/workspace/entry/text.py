"""Puts the entry presenter's texts (`entry.presenter`) on the entry panel's widgets.

The wording and the rules of what may be used live in the pure presenter; this only hands it
the panel's `EntrySelection` and applies the `EntryTexts` it gets back to the panel's widgets
(`EntryForm`). Imports the form, never the panel.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ui.workspace.entry.layout import EntryForm
from ui.workspace.entry.presenter import (
    EntrySelection,
    EntryTexts,
    present,
    syringe_hint,
    why_not_flagging,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("EntryPanel", text)


def describe(panel: EntryForm, chosen: EntrySelection) -> None:
    """Show what `chosen` says on the panel's widgets, and enable what may be used."""
    texts = present(chosen, tr, panel.state_chip.styleSheet())
    actions = panel.actions
    if not texts.shows_site:
        panel.title.setText(texts.title)
        for widget in (panel.state_chip, panel.subtitle, panel.target, panel.syringe_hint):
            widget.setText("")
        actions.set_enabled(False)
        panel.confirm_button.setEnabled(False)
        panel.confirm_button.setText(texts.confirm)
        panel.sedation.show_site(None, None)
        _sync_buttons(panel, chosen)
        return
    panel.title.setText(texts.title)
    if texts.state_style is not None:
        panel.state_chip.setStyleSheet(texts.state_style)
    panel.state_chip.setText(texts.state)
    panel.subtitle.setText(texts.subtitle)
    panel.target.setText(texts.target)
    for field in (panel.depth, panel.volume, panel.syringe):
        field.setReadOnly(texts.read_only)
    if texts.values is not None:
        for field, value in zip(
            (panel.depth, panel.volume, panel.syringe), texts.values, strict=True
        ):
            field.setText(value)
    if texts.syringe_hint is not None:
        panel.syringe_hint.setText(texts.syringe_hint)
    panel.sedation.show_site(chosen.view, chosen.site())
    _apply_confirm(panel, texts)
    for name, on in texts.enabled.items():
        getattr(actions, name).setEnabled(on)
    panel.flag_box.setTitle(texts.flag_title)
    for action in actions.flag_actions:
        action.setEnabled(texts.flags_enabled)
    panel.flag_list.setText(texts.flag_list)
    actions.adverse_event.setEnabled(texts.adverse_event_enabled)
    panel.recorder.setText(texts.recorder)
    _sync_buttons(panel, chosen, texts.why_not)


def _apply_confirm(panel: EntryForm, texts: EntryTexts) -> None:
    button = panel.confirm_button
    button.setEnabled(texts.confirm_enabled)
    button.setToolTip(texts.confirm_tip)
    button.setText(texts.confirm)
    if bool(button.property("finish")) != texts.finish:  # re-styling is costly
        button.setProperty("finish", texts.finish)
        button.style().unpolish(button)
        button.style().polish(button)


def describe_syringe(panel: EntryForm, chosen: EntrySelection) -> None:
    """Live feedback under the syringe field: the full label it stands for, or why not."""
    hint = syringe_hint(chosen, tr)
    if hint is not None:
        panel.syringe_hint.setText(hint)


def _sync_buttons(panel: EntryForm, chosen: EntrySelection, why_not: str | None = None) -> None:
    """Buttons mirror their action: text with the shortcut, enabled state; one disabled
    because of who is typing says why in its tooltip."""
    flag_why = why_not_flagging(chosen.actor, tr) if chosen.view is not None else None
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
