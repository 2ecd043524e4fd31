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
