"""The plan and time-out dialogs driven by keyboard only: what is missing is said in words,
Tab goes field by field, and the checklist has focus where the person expects it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt

from slidesk.services import procedures
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
    """The time-out of a planned procedure, its first `ticked` items (None: all) confirmed."""
    from slidesk.services import checklist

    bedside = make_window(team)
    planned = procedures.plan_procedure(
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
        checklist.tick_item(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            procedure_id=planned.id,
            item_key=item.key,
        )
    bedside.window.open_procedure(planned.id)
    dialog = bedside.window.dialog
    assert type(dialog).__name__ == "TimeOutDialog"
    activate(qtbot, dialog)
    dialog.bedside = bedside  # keeps the owning window alive (see _new_procedure_dialog)
    return dialog


def _shown_in_scroll_area(dialog, widget) -> bool:  # type: ignore[no-untyped-def]
    viewport = dialog.scroll.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


def test_the_time_out_opens_on_the_first_open_item_and_tab_visits_only_visible_things(
    qtbot, make_window, team
) -> None:
    dialog = _timeout_dialog(qtbot, make_window, team)
    items = list(dialog.boxes.values())
    assert dialog.focusWidget() is items[0]
    assert not dialog.close_button.isDefault()
    dialog.who.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, dialog.who, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is items[0]
    # Once round the dialog: every stop is something the person can see and use.
    dialog.who.setFocus(Qt.FocusReason.TabFocusReason)
    stops = []
    for _ in range(len(items) + 2):
        press(qtbot, dialog.focusWidget(), Qt.Key.Key_Tab)
        stops.append(dialog.focusWidget())
    assert stops == [*items, dialog.close_button, dialog.who]  # Start is still disabled


def test_every_item_is_ticked_by_keyboard_and_focus_ends_on_start(qtbot, make_window, team) -> None:
    dialog = _timeout_dialog(qtbot, make_window, team)
    items = list(dialog.boxes.values())
    for number, check in enumerate(items, start=1):
        assert dialog.focusWidget() is check
        press(qtbot, check, Qt.Key.Key_Space)
        assert check.isChecked()
        assert f"{number} of {len(items)}" in dialog.progress.text()
        if number < len(items):
            press(qtbot, check, Qt.Key.Key_Tab)
    assert dialog.start_button.isEnabled()
    assert dialog.focusWidget() is dialog.start_button


def test_a_reopened_time_out_focuses_the_first_open_item_and_scrolls_to_focus(
    qtbot, make_window, team
) -> None:
    dialog = _timeout_dialog(qtbot, make_window, team, ticked=3)
    items = list(dialog.boxes.values())
    assert dialog.focusWidget() is items[3]
    # A short scroll area (large fonts, small screen): the focused item is scrolled into view.
    dialog.scroll.setMaximumHeight(3 * items[0].sizeHint().height())
    qtbot.waitUntil(lambda: dialog.scroll.verticalScrollBar().maximum() > 0)
    dialog.scroll.verticalScrollBar().setValue(0)
    assert not _shown_in_scroll_area(dialog, items[-1])
    dialog.close_button.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, dialog.close_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.focusWidget() is items[-1]
    assert _shown_in_scroll_area(dialog, items[-1])
    dialog.who.setFocus(Qt.FocusReason.TabFocusReason)
    press(qtbot, dialog.who, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is items[0]
    assert _shown_in_scroll_area(dialog, items[0])


def test_a_complete_time_out_opens_on_start(qtbot, make_window, team) -> None:
    dialog = _timeout_dialog(qtbot, make_window, team, ticked=None)
    assert dialog.start_button.isEnabled()
    assert dialog.focusWidget() is dialog.start_button
