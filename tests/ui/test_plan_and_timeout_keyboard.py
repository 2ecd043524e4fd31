"""The plan and time-out dialogs driven by keyboard only: what is missing is said in words,
Tab goes field by field, and the checklist has focus where the person expects it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt

from slidesk.domain.users import Role
from slidesk.services.procedure import planning
from tests.ui.bedside import (
    activate,
    press,
)

CTRL = Qt.KeyboardModifier.ControlModifier


def _new_procedure_dialog(qtbot, make_window, team):  # type: ignore[no-untyped-def]
    bedside = make_window(team)
    press(qtbot, bedside.window, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: bedside.window.dialog is not None)
    dialog = bedside.window.dialog
    activate(qtbot, dialog)
    # The window owns the dialog: a window no name holds would be collected mid-test.
    dialog.bedside = bedside
    return dialog


def test_the_plan_dialog_says_what_is_still_needed_next_to_the_button(
    qtbot, make_window, team
) -> None:
    dialog = _new_procedure_dialog(qtbot, make_window, team)
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


def test_a_mistyped_kit_number_is_named_with_its_expected_form(qtbot, make_window, team) -> None:
    dialog = _new_procedure_dialog(qtbot, make_window, team)
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


def test_tab_leaves_the_release_date_time_in_one_press(qtbot, make_window, team) -> None:
    dialog = _new_procedure_dialog(qtbot, make_window, team)
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


def _timeout_dialog(qtbot, make_window, team, *, ticked: int | None = 0):  # type: ignore[no-untyped-def]
    """The time-out of a planned procedure, its first `ticked` items (None: all) confirmed by
    every role they name; the operator is typing and chosen to confirm."""
    from slidesk.services.procedure import checklist

    bedside = make_window(team)
    planned = planning.plan_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=team.subject(),
        kit_number="SAIL-K001",
        operator_id=team.operator.user_id,
        nurse_id=team.nurse.user_id,
        location="Angio 2",
    )
    state = checklist.get_checklist(uow=team.uow, actor=team.nurse, procedure_id=planned.id)
    for item in state.items if ticked is None else state.items[:ticked]:
        for role in item.confirm_by:
            checklist.tick_item(
                uow=team.uow,
                clock=team.clock,
                actor=team.operator if role is Role.OPERATOR else team.nurse,
                procedure_id=planned.id,
                item_key=item.key,
                role=role,
            )
    bedside.window.open_procedure(planned.id)
    dialog = bedside.window.dialog
    assert type(dialog).__name__ == "TimeOutDialog"
    activate(qtbot, dialog)
    dialog.bedside = bedside  # keeps the owning window alive (see _new_procedure_dialog)
    return dialog


def _shown_in_scroll_area(dialog, widget) -> bool:  # type: ignore[no-untyped-def]
    viewport = dialog.items.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


def _boxes_of(dialog, role):  # type: ignore[no-untyped-def]
    return [box for (_key, box_role), box in dialog.boxes.items() if box_role is role]


def test_the_time_out_opens_on_the_first_open_box_and_tab_visits_only_usable_things(
    qtbot, make_window, team
) -> None:
    dialog = _timeout_dialog(qtbot, make_window, team)
    mine = _boxes_of(dialog, Role.OPERATOR)  # the operator is typing and confirms
    assert dialog.focusWidget() is mine[0]
    assert not dialog.close_button.isDefault()
    dialog.who.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, dialog.who, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is mine[0]
    # Once round the dialog: every stop is something this person can see and use (the
    # nurse's boxes wait for the nurse; Start is still disabled).
    dialog.who.setFocus(Qt.FocusReason.TabFocusReason)
    stops = []
    for _ in range(len(mine) + 3):
        press(qtbot, dialog.focusWidget(), Qt.Key.Key_Tab)
        stops.append(dialog.focusWidget())
    assert stops == [*mine, dialog.close_button, dialog.sign_in_button, dialog.who]


def test_both_people_tick_every_item_by_keyboard_and_focus_ends_on_start(
    qtbot, make_window, team
) -> None:
    dialog = _timeout_dialog(qtbot, make_window, team)
    operator_boxes = _boxes_of(dialog, Role.OPERATOR)
    for number, check in enumerate(operator_boxes, start=1):
        assert dialog.focusWidget() is check
        press(qtbot, check, Qt.Key.Key_Space)
        assert check.isChecked()
        if number < len(operator_boxes):
            press(qtbot, check, Qt.Key.Key_Tab)
    assert "2 of 10" in dialog.progress.text()  # anticoagulation and skin: the operator's own
    # The operator is done: focus goes to "Confirmed by", and the banner says who is next.
    assert dialog.focusWidget() is dialog.who
    assert "Still open: 8 item(s), for the nurse" in dialog.banner.text()
    qtbot.keyClicks(dialog.who, "Nina")  # the list finds the nurse by name
    assert dialog.who.currentData() == team.nurse.user_id
    press(qtbot, dialog.who, Qt.Key.Key_Tab)
    nurse_boxes = _boxes_of(dialog, Role.NURSE)
    for number, check in enumerate(nurse_boxes, start=1):
        assert dialog.focusWidget() is check
        press(qtbot, check, Qt.Key.Key_Space)
        assert check.isChecked()
        if number < len(nurse_boxes):
            press(qtbot, check, Qt.Key.Key_Tab)
    assert "10 of 10" in dialog.progress.text()
    assert dialog.start_button.isEnabled()
    assert dialog.focusWidget() is dialog.start_button


def test_a_reopened_time_out_focuses_the_first_open_box_and_scrolls_to_focus(
    qtbot, make_window, team
) -> None:
    dialog = _timeout_dialog(qtbot, make_window, team, ticked=3)
    mine = _boxes_of(dialog, Role.OPERATOR)
    assert dialog.focusWidget() is dialog.boxes[("anticoagulation", Role.OPERATOR)]
    # A short scroll area (large fonts, small screen): the focused box is scrolled into view.
    dialog.items.setMaximumHeight(3 * mine[0].sizeHint().height())
    qtbot.waitUntil(lambda: dialog.items.verticalScrollBar().maximum() > 0)
    dialog.items.verticalScrollBar().setValue(0)
    assert not _shown_in_scroll_area(dialog, mine[-1])
    dialog.close_button.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, dialog.close_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.focusWidget() is mine[-1]
    assert _shown_in_scroll_area(dialog, mine[-1])
    dialog.who.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, dialog.who, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is mine[0]  # ticked, and still focusable to withdraw it
    assert _shown_in_scroll_area(dialog, mine[0])


def test_a_complete_time_out_opens_on_start(qtbot, make_window, team) -> None:
    dialog = _timeout_dialog(qtbot, make_window, team, ticked=None)
    assert dialog.start_button.isEnabled()
    assert dialog.focusWidget() is dialog.start_button


def _the_close_question(qtbot, dialog):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.close_question is not None and dialog.close_question.isVisible())
    return dialog.close_question


def test_space_on_close_with_a_box_left_open_asks_and_goes_back_to_that_box(
    qtbot, make_window, team
) -> None:
    dialog = _timeout_dialog(qtbot, make_window, team)
    qtbot.keyClicks(dialog.who, "Nina")
    nurse_boxes = _boxes_of(dialog, Role.NURSE)
    # The nurse's boxes in reading order, the first one passed over by one Tab too many.
    nurse_boxes[0].setFocus(Qt.FocusReason.TabFocusReason)
    for check in nurse_boxes[1:]:
        press(qtbot, dialog.focusWidget(), Qt.Key.Key_Tab)
        assert dialog.focusWidget() is check
        press(qtbot, check, Qt.Key.Key_Space)
        assert check.isChecked()
    press(qtbot, dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.close_button
    press(qtbot, dialog.close_button, Qt.Key.Key_Space)
    question = _the_close_question(qtbot, dialog)
    assert "still open:\n• 1. " in question.text()  # the item passed over, by number
    assert dialog.isVisible()
    press(qtbot, question, Qt.Key.Key_Escape)  # Esc (and Enter) keep the time-out going
    qtbot.waitUntil(lambda: dialog.close_question is None)
    assert dialog.isVisible()
    assert dialog.focusWidget() is nurse_boxes[0]
    press(qtbot, nurse_boxes[0], Qt.Key.Key_Space)
    assert nurse_boxes[0].isChecked()


def test_closing_a_begun_time_out_on_purpose_keeps_it_planned(qtbot, make_window, team) -> None:
    dialog = _timeout_dialog(qtbot, make_window, team, ticked=2)
    press(qtbot, dialog, Qt.Key.Key_Escape)
    question = _the_close_question(qtbot, dialog)
    close = next(b for b in question.buttons() if "stays planned" in b.text())
    close.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, close, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.result() == int(dialog.DialogCode.Rejected)


def test_an_untouched_time_out_closes_without_a_question(qtbot, make_window, team) -> None:
    dialog = _timeout_dialog(qtbot, make_window, team)
    press(qtbot, dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.close_question is None


def test_a_refused_study_id_puts_the_keyboard_on_it_and_plan_no_longer_says_ready(
    qtbot, make_window, team
) -> None:
    dialog = _new_procedure_dialog(qtbot, make_window, team)
    qtbot.keyClicks(dialog.study_id, "111222333")  # looks like a citizen service number
    dialog.left.click()
    qtbot.keyClicks(dialog.kit, "SAIL-K040")
    dialog.location.setFocus()
    qtbot.keyClicks(dialog.location, "Angio suite 2")
    assert dialog.still_needed.text() == "Ready to plan."
    press(qtbot, dialog.ok, Qt.Key.Key_Space)
    assert "BSN" in dialog.banner.text()
    assert dialog.still_needed.text() != "Ready to plan."
    assert dialog.study_id.hasFocus()
    assert dialog.study_id.selectedText() == "111222333"  # typing replaces it
    qtbot.keyClicks(dialog.study_id, "SAIL-01-040")
    assert dialog.still_needed.text() == "Ready to plan."
