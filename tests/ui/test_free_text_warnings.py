"""Free text that should not identify the patient: a date of birth or a name typed in the
location, kit, centre, a skip detail or a reason (undo, correction, follow-up) is warned about
under the field while typing (issue 12, part 7), without blocking; the warning goes when the
text no longer looks like one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.signing_helpers import amend, completed_procedure, sign
from tests.ui.bedside import activate, open_procedure, press
from ui.followup.common import ReasonDialog as FollowUpReasonDialog
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


NAMED = "Mw. de Vries, geb. 01-02-1950"


def _bedside(qtbot, make_window, team):  # type: ignore[no-untyped-def]
    started = team.started_procedure()
    bedside = make_window(team)
    bedside.window.resize(1366, 768)
    open_procedure(qtbot, bedside, started.id)
    return bedside, started


def _assert_warned(warning, what: str) -> None:  # type: ignore[no-untyped-def]
    assert warning.isVisible()
    assert f"{what} contains a date or 'born'" in warning.text()
    assert f"{what} looks as if it names a person" in warning.text()


def test_the_skip_detail_is_warned_while_typed(qtbot, make_window, team) -> None:  # type: ignore[no-untyped-def]
    bedside, _started = _bedside(qtbot, make_window, team)
    press(qtbot, bedside.panel.syringe, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = bedside.panel.active_dialog
    activate(qtbot, dialog)
    press(qtbot, QApplication.focusWidget(), Qt.Key.Key_1)
    assert not dialog.detail_warning.isVisible()
    qtbot.keyClicks(dialog.detail, NAMED)
    _assert_warned(dialog.detail_warning, "The skip detail")
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.grab().save(str(SCREENS / "free_text_warnings_skip.png"))
    dialog.detail.setText("needle blocked")
    assert not dialog.detail_warning.isVisible()


def test_the_reasons_of_a_correction_are_warned_while_typed(qtbot, make_window, team) -> None:  # type: ignore[no-untyped-def]
    bedside, started = _bedside(qtbot, make_window, team)
    panel = bedside.panel
    press(qtbot, panel.syringe, Qt.Key.Key_Return)  # the first site is recorded
    panel.select_site(started.sites[0].number)
    press(qtbot, panel.syringe, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = panel.active_dialog
    activate(qtbot, dialog)
    assert not dialog.reason_warning.isVisible()
    qtbot.keyClicks(dialog.reason, NAMED)
    _assert_warned(dialog.reason_warning, "The reason for change")
    qtbot.keyClicks(dialog.deviation, "Dhr. Bakker")
    assert "The deviation reason looks as if it names a person" in dialog.deviation_warning.text()
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.grab().save(str(SCREENS / "free_text_warnings_correction.png"))


def test_the_reason_for_correcting_a_skip_is_warned_while_typed(qtbot, make_window, team) -> None:  # type: ignore[no-untyped-def]
    view = completed_procedure(team, skip=18)
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    amend(team, view.id, "Entries checked against the procedure note")
    bedside = make_window(team)
    bedside.window.resize(1366, 768)
    open_procedure(qtbot, bedside, view.id)
    panel = bedside.panel
    panel.select_site(18)
    press(qtbot, panel.syringe, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = panel.active_dialog
    activate(qtbot, dialog)
    assert not dialog.change_reason_warning.isVisible()
    qtbot.keyClicks(dialog.change_reason, NAMED)
    _assert_warned(dialog.change_reason_warning, "The reason for change")
    dialog.grab().save(str(SCREENS / "free_text_warnings_skip_correction.png"))


def test_a_follow_up_reason_is_warned_while_typed(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = FollowUpReasonDialog("Reason for the change", "Why is the saved visit changed?")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.warning.isVisible()
    qtbot.keyClicks(dialog.text, NAMED)
    _assert_warned(dialog.warning, "The reason")
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.grab().save(str(SCREENS / "free_text_warnings_follow_up.png"))
    dialog.text.setPlainText("value re-read from the paper CRF")
    assert not dialog.warning.isVisible()
