"""Plan a procedure: every Alt+letter of the dialog reaches one thing, so Alt+L and Alt+R
tick the index limb instead of only moving the focus between two namesakes."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget

from tests.ui.bedside import (
    activate,
    press,
)

ALT = Qt.KeyboardModifier.AltModifier
_MNEMONIC = re.compile(r"&([^&\s])")


def plan_dialog(qtbot, make_window, team):  # type: ignore[no-untyped-def]
    bedside = make_window(team)
    press(qtbot, bedside.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bedside.window.dialog is not None)
    dialog = bedside.window.dialog
    activate(qtbot, dialog)
    # The window owns the dialog: a window no name holds would be collected mid-test.
    dialog.bedside = bedside
    return dialog


def alt_letters(dialog: QWidget) -> dict[str, list[str]]:
    """Alt+letter → the visible buttons, buddied labels and group boxes that carry it."""
    found: dict[str, list[str]] = defaultdict(list)
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        match = _MNEMONIC.search(text.replace("&&", ""))
        if match:
            found[match.group(1).lower()].append(text)
    return found


def test_no_two_things_in_the_plan_dialog_share_an_alt_letter(qtbot, make_window, team) -> None:
    dialog = plan_dialog(qtbot, make_window, team)
    letters = alt_letters(dialog)
    assert {"l", "r"} <= letters.keys()  # the limb radios are counted
    assert {k: v for k, v in letters.items() if len(v) > 1} == {}


@pytest.mark.parametrize(("key", "limb"), [(Qt.Key.Key_L, "left"), (Qt.Key.Key_R, "right")])
def test_alt_letter_of_a_limb_ticks_it(qtbot, make_window, team, key, limb) -> None:
    dialog = plan_dialog(qtbot, make_window, team)
    radio = getattr(dialog, limb)
    assert radio.isEnabled()  # a new subject: the limb is asked
    press(qtbot, dialog, key, ALT)
    qtbot.waitUntil(radio.isChecked)  # Qt clicks a mnemonic's button a moment after the key
    assert radio.hasFocus()
    assert dialog.limb_group.checkedButton() is radio
    assert "index limb" not in dialog.missing()


def test_location_and_product_release_keep_a_key_of_their_own(qtbot, make_window, team) -> None:
    dialog = plan_dialog(qtbot, make_window, team)
    press(qtbot, dialog, Qt.Key.Key_T, ALT)
    assert dialog.location.hasFocus()
    press(qtbot, dialog, Qt.Key.Key_P, ALT)
    assert dialog.release.hasFocus()
