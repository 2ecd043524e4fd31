"""Syringe reconciliation in "Review and finish" by keyboard: a button pressed with nothing
selected says so and leaves the keyboard in the list; Space picks and drops a syringe."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from slidesk.domain.procedure.syringe import SyringeDisposition
from tests.ui.bedside import (
    activate,
    open_procedure,
    press,
)

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def open_review(qtbot, make_window, team):  # type: ignore[no-untyped-def]
    """The review of a procedure with two sites injected: 28 syringes are unaccounted.

    The caller keeps the returned `Bedside`: its window owns the review, and a window no
    Python name holds is collected (and the review deleted with it) mid-test."""
    view = team.started_procedure()
    for n, site in enumerate(view.sites[:2], start=1):
        view = team.inject(view.id, site.number, str(n))
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    bedside.window.open_review(view.id)
    review = bedside.window.dialog
    activate(qtbot, review)
    return bedside, review


def alt(qtbot, review, key: Qt.Key, button) -> None:  # type: ignore[no-untyped-def]
    """Alt+letter, then wait for the button's animated click to be over."""
    press(qtbot, review, key, ALT)
    assert button.isDown()  # the key reached the button (Qt clicks it a moment later)
    qtbot.waitUntil(lambda: not button.isDown())


def selected_rows(panel) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(panel.unaccounted.row(item) for item in panel.unaccounted.selectedItems())


def test_mark_returned_with_nothing_selected_says_so_and_goes_to_the_list(
    qtbot, make_window, team
) -> None:
    _bedside, review = open_review(qtbot, make_window, team)
    panel = review.reconcile
    assert panel.unaccounted.count() == 28
    asked = []
    panel.disposition_requested.connect(lambda *args: asked.append(args))
    alt(qtbot, review, Qt.Key.Key_R, panel.returned_button)
    assert asked == []
    assert panel.hint.isVisible()
    assert panel.hint.text().startswith("Select the syringes first")
    assert panel.unaccounted.hasFocus()
    assert panel.unaccounted.currentRow() == 0
    assert selected_rows(panel) == []  # current, not yet chosen: Space chooses it
    press(qtbot, panel.unaccounted, Qt.Key.Key_Space)
    assert selected_rows(panel) == [0]
    assert not panel.hint.isVisible()  # the hint goes once something is selected
    alt(qtbot, review, Qt.Key.Key_R, panel.returned_button)
    assert review.reconciliation.returned == ("SAIL-K001-03",)


def test_mark_wasted_with_nothing_selected_opens_no_dialog(qtbot, make_window, team) -> None:
    _bedside, review = open_review(qtbot, make_window, team)
    panel = review.reconcile
    review.table.setFocus()
    alt(qtbot, review, Qt.Key.Key_W, panel.wasted_button)
    assert panel.dialog is None
    assert panel.hint.text().startswith("Select the syringes first")
    assert panel.unaccounted.hasFocus()
    assert panel.unaccounted.currentRow() == 0


def test_space_toggles_and_shift_arrows_extend_in_the_unaccounted_list(
    qtbot, make_window, team
) -> None:
    _bedside, review = open_review(qtbot, make_window, team)
    panel = review.reconcile
    listing = panel.unaccounted
    listing.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    listing.setCurrentRow(0)
    assert selected_rows(panel) == [0]
    press(qtbot, listing, Qt.Key.Key_Space)
    assert selected_rows(panel) == []  # picked by mistake: Space drops it again
    press(qtbot, listing, Qt.Key.Key_Space)
    assert selected_rows(panel) == [0]
    press(qtbot, listing, Qt.Key.Key_Down)
    assert listing.currentRow() == 1
    press(qtbot, listing, Qt.Key.Key_Down, SHIFT)
    assert selected_rows(panel) == [1, 2]
    press(qtbot, listing, Qt.Key.Key_Space)  # drops the current one (row 2) only
    assert selected_rows(panel) == [1]
    asked = []
    panel.disposition_requested.connect(lambda *args: asked.append(args))
    alt(qtbot, review, Qt.Key.Key_R, panel.returned_button)
    assert asked == [(["SAIL-K001-04"], SyringeDisposition.RETURNED, "")]


def test_withdraw_with_nothing_selected_goes_to_the_recorded_list(qtbot, make_window, team) -> None:
    _bedside, review = open_review(qtbot, make_window, team)
    panel = review.reconcile
    panel.unaccounted.item(0).setSelected(True)
    alt(qtbot, review, Qt.Key.Key_R, panel.returned_button)
    assert panel.recorded.count() == 1
    review.table.setFocus()
    alt(qtbot, review, Qt.Key.Key_H, panel.withdraw_button)
    assert panel.dialog is None
    assert panel.hint.text().startswith("Select the recorded return or waste first")
    assert panel.recorded.hasFocus()
    assert panel.recorded.currentRow() == 0
    press(qtbot, panel.recorded, Qt.Key.Key_Space)
    alt(qtbot, review, Qt.Key.Key_H, panel.withdraw_button)
    assert panel.dialog is not None
    panel.dialog.reject()


def test_many_syringes_not_yet_accounted_for_are_said_by_their_run(
    qtbot, make_window, team
) -> None:
    _bedside, review = open_review(qtbot, make_window, team)
    text = review.reconcile.summary.text()
    assert "28 not yet accounted for: SAIL-K001-03 to SAIL-K001-30" in text
    assert "Not yet accounted for: syringes 03–30" in text
