"""Free text that should not identify the patient: a date of birth or a name typed in the
location, kit, centre or a reason is warned about under the field while typing (issue 12,
part 7), without blocking; the warning goes when the text no longer looks like one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.bedside import activate
from ui.workspace.dialogs import ReasonDialog

SCREENS = Path("/tmp")  # where a run leaves its screen grabs for a person to look at


def _plan_dialog(qtbot, make_window, team):  # type: ignore[no-untyped-def]
    bedside = make_window(team)
    window = bedside.window
    window.show_home()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.dialog is not None)
    dialog = window.dialog
    activate(qtbot, dialog)
    dialog.subject.setCurrentIndex(0)
    dialog.study_id.setText("SAIL-01-062")
    dialog.left.click()
    dialog.kit.setText("SAIL-K062")
    return dialog


def test_a_date_of_birth_or_a_name_typed_in_the_plan_is_warned_under_its_field(
    qtbot, make_window, team
) -> None:  # type: ignore[no-untyped-def]
    dialog = _plan_dialog(qtbot, make_window, team)
    for warning in (dialog.location_warning, dialog.kit_warning, dialog.centre_warning):
        assert not warning.isVisible()
    dialog.location.clear()
    qtbot.keyClicks(dialog.location, "Angio 2 Jan Jansen, geb. 01-02-1950")
    assert dialog.location_warning.isVisible()
    text = dialog.location_warning.text()
    assert "Location contains a date or 'born'" in text
    assert "Location looks as if it names a person" in text
    dialog.centre.clear()
    qtbot.keyClicks(dialog.centre, "Mw. de Vries")
    assert dialog.centre_warning.isVisible()
    assert "Centre looks as if it names a person" in dialog.centre_warning.text()
    assert not dialog.kit_warning.isVisible()
    assert dialog.ok.isEnabled(), "a warning does not block"
    dialog.grab().save(str(SCREENS / "free_text_warnings_plan.png"))
    dialog.location.clear()
    qtbot.keyClicks(dialog.location, "Angio 2")
    dialog.centre.setText("UMC Utrecht")
    assert not dialog.location_warning.isVisible()
    assert not dialog.centre_warning.isVisible()


def test_a_reason_naming_a_person_is_warned_in_the_reason_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ReasonDialog("Undo the last entry", "Why is it undone?", ("Wrong site",))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.warning.isVisible()
    qtbot.keyClicks(dialog.combo, "patient Piet Bakker born 3 March 1948")
    assert dialog.warning.isVisible()
    assert "The reason contains a date or 'born'" in dialog.warning.text()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.grab().save(str(SCREENS / "free_text_warnings_reason.png"))
    dialog.combo.setCurrentIndex(0)
    assert not dialog.warning.isVisible()
