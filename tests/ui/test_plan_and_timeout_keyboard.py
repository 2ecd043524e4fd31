"""The plan and time-out dialogs driven by keyboard only: what is missing is said in words,
Tab goes field by field, and the checklist has focus where the person expects it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_workspace_support import (
    activate,
    open_window,
    press,
    ui_settings,  # noqa: F401 - fixture used through pytestmark
)

pytestmark = pytest.mark.usefixtures("ui_settings")
CTRL = Qt.KeyboardModifier.ControlModifier


def _new_procedure_dialog(qtbot, team):  # type: ignore[no-untyped-def]
    bedside = open_window(qtbot, team)
    press(qtbot, bedside.window, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: bedside.window.dialog is not None)
    dialog = bedside.window.dialog
    activate(qtbot, dialog)
    return dialog


def test_the_plan_dialog_says_what_is_still_needed_next_to_the_button(qtbot, team) -> None:
    dialog = _new_procedure_dialog(qtbot, team)
    assert "required" in dialog.location.placeholderText()
    assert "required" in dialog.kit.placeholderText()
    assert "required" in dialog.study_id.placeholderText()
    dialog.location.clear()
    qtbot.keyClicks(dialog.study_id, "SAIL-01-040")
    dialog.left.click()
    qtbot.keyClicks(dialog.kit, "SAIL-K040")
    assert dialog.still_needed.isVisible()
    assert dialog.still_needed.text() == "Still needed: location"
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.location, "Angio suite 2")
    assert "Still needed" not in dialog.still_needed.text()
    assert dialog.still_needed.text() == "Ready to plan."
    assert dialog.ok.isEnabled()


def test_a_mistyped_kit_number_is_named_with_its_expected_form(qtbot, team) -> None:
    dialog = _new_procedure_dialog(qtbot, team)
    qtbot.keyClicks(dialog.kit, "SAIL-K0")
    example = dialog.protocol.product.kit_example
    assert f"kit number like {example}" in dialog.still_needed.text()


def _tab_stops(qtbot, dialog, start, target, key, most: int) -> list[object]:  # type: ignore[no-untyped-def]
    """Press `key` from `start` until `target` has focus (at most `most` times); the stops."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    stops = []
    for _ in range(most):
        qtbot.keyClick(dialog.focusWidget(), key)
        stops.append(dialog.focusWidget())
        if stops[-1] is target:
            break
    return stops


def test_tab_leaves_the_release_date_time_in_one_press(qtbot, team) -> None:
    dialog = _new_procedure_dialog(qtbot, team)
    release = dialog.release
    on_release = (release, release.lineEdit())
    # kit → "released at" → release → operator → nurse → location
    stops = _tab_stops(qtbot, dialog, dialog.kit, dialog.location, Qt.Key.Key_Tab, 9)
    assert stops[-1] is dialog.location
    assert len(stops) == 5
    assert sum(stop in on_release for stop in stops) == 1
    back = _tab_stops(qtbot, dialog, dialog.location, dialog.kit, Qt.Key.Key_Backtab, 9)
    assert back[-1] is dialog.kit
    assert sum(stop in on_release for stop in back) == 1
    # The parts of the date and time are still reached with the arrow keys.
    release.setFocus(Qt.FocusReason.TabFocusReason)
    assert release.currentSection() is release.Section.YearSection
    for _ in range(5):
        qtbot.keyClick(release, Qt.Key.Key_Right)
    assert release.currentSection() is release.Section.MonthSection
