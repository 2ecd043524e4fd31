"""The skip dialog by keyboard: it opens on the first reason, shown focused; a plain digit
chooses that reason (Alt+digit too) and the details field takes the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from slidesk.domain.procedure.model import EntryKind, SkipReason
from tests.ui.bedside import (
    activate,
    live_entry,
    open_procedure,
    press,
)

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
REASONS = list(SkipReason)


def open_skip(qtbot, make_window, team):  # type: ignore[no-untyped-def]
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    press(qtbot, bedside.panel.syringe, Qt.Key.Key_K, CTRL)
    dialog = bedside.panel.active_dialog
    assert dialog is not None
    activate(qtbot, dialog)
    return bedside, started.sites[0].number, dialog


def test_the_skip_dialog_opens_with_the_first_reason_focused_and_shown_so(
    qtbot, make_window, team
) -> None:
    _bedside, _site, dialog = open_skip(qtbot, make_window, team)
    first = dialog.group.button(1)
    assert QApplication.focusWidget() is first
    assert dialog.reason() is None  # focused, not chosen: nothing is skipped by a stray Enter
    # The focus is drawn without a Tab pressed first (Qt's own frame waits for one): a
    # reason looks different once focused.
    second = dialog.group.button(2)
    unfocused = second.grab().toImage()
    second.setFocus(Qt.FocusReason.OtherFocusReason)
    assert second.hasFocus()
    assert second.grab().toImage() != unfocused


@pytest.mark.parametrize("digit", [1, 3, 5])
def test_a_plain_digit_chooses_that_reason_and_goes_to_the_details(
    qtbot, make_window, team, digit
) -> None:
    _bedside, _site, dialog = open_skip(qtbot, make_window, team)
    press(qtbot, QApplication.focusWidget(), getattr(Qt.Key, f"Key_{digit}"))
    assert dialog.reason() is REASONS[digit - 1]
    assert dialog.group.button(digit).isChecked()
    assert dialog.detail.hasFocus()
    # Digits typed into the details are text, not another reason.
    qtbot.keyClicks(dialog.detail, "2 cm")
    assert dialog.detail_text() == "2 cm"
    assert dialog.reason() is REASONS[digit - 1]
    assert dialog.buttons.buttons()[0].isEnabled()  # 'Other' too, now that it has a text


def test_a_digit_typed_on_the_buttons_also_chooses_and_enter_skips(
    qtbot, make_window, team
) -> None:
    bedside, site, dialog = open_skip(qtbot, make_window, team)
    cancel = dialog.buttons.buttons()[1]
    cancel.setFocus()
    press(qtbot, cancel, Qt.Key.Key_2)
    assert dialog.reason() is SkipReason.INFECTION
    press(qtbot, dialog.detail, Qt.Key.Key_Return)
    entry = live_entry(bedside.view, site)
    assert entry.kind is EntryKind.SKIPPED
    assert entry.skip_reason is SkipReason.INFECTION


def test_alt_digit_still_chooses_a_reason_and_flags_no_site(qtbot, make_window, team) -> None:
    bedside, _site, dialog = open_skip(qtbot, make_window, team)
    press(qtbot, QApplication.focusWidget(), Qt.Key.Key_4, ALT)
    qtbot.waitUntil(lambda: dialog.reason() is SkipReason.INTOLERANCE)
    assert bedside.page.flags == ()  # Alt+4 is a site flag in the workspace, not in here
