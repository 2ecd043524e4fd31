"""Date and time fields: Tab crosses them in one press; their sections stay on the arrows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QLineEdit, QVBoxLayout, QWidget

from ui.common.fields import OneStopDateTimeEdit, OneStopTimeEdit


@pytest.mark.parametrize("field_type", [OneStopDateTimeEdit, OneStopTimeEdit, QDateTimeEdit])
def test_tab_crosses_a_date_time_field_in_one_press(qtbot, field_type) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    layout = QVBoxLayout(form)
    before, field, after = QLineEdit(), field_type(), QLineEdit()
    for widget in (before, field, after):
        layout.addWidget(widget)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    before.setFocus()
    presses = 0
    while not after.hasFocus() and presses < 12:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        presses += 1
    if field_type is QDateTimeEdit:
        assert presses > 2  # Qt's own field: one stop per section (why ours exist)
    else:
        assert presses == 2
        qtbot.keyClick(after, Qt.Key.Key_Backtab)
        assert field.hasFocus() or field.isAncestorOf(QApplication.focusWidget())


def test_every_form_with_a_time_uses_the_one_stop_fields() -> None:
    import inspect

    from ui.nurse import ae_followup, ae_form, common
    from ui.procedure import new_procedure_dialog
    from ui.workspace import dialogs

    for module in (ae_form, ae_followup, common, new_procedure_dialog, dialogs):
        source = inspect.getsource(module)
        assert " QDateTimeEdit(" not in source, module.__name__
        assert " QTimeEdit(" not in source, module.__name__


def _form_with(qtbot, field):  # type: ignore[no-untyped-def]
    """`field` between two line edits in a shown, active window; the one after it."""
    form = QWidget()
    qtbot.addWidget(form)
    layout = QVBoxLayout(form)
    after = QLineEdit()
    for widget in (QLineEdit(), field, after):
        layout.addWidget(widget)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    return after


def _onset(qtbot):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QDate, QDateTime, QTime

    field = OneStopDateTimeEdit(QDateTime(QDate(2026, 12, 3), QTime(12, 28)))
    field.setDisplayFormat("yyyy-MM-dd HH:mm")
    after = _form_with(qtbot, field)
    field.setFocus(Qt.FocusReason.TabFocusReason)
    return field, after


def _type(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    for character in text:
        qtbot.keyClick(QApplication.focusWidget(), character)


def _shown(field) -> str:  # type: ignore[no-untyped-def]
    return field.dateTime().toString("yyyy-MM-dd HH:mm")


@pytest.mark.parametrize("select_all", [True, False], ids=["after Ctrl+A", "after Tab"])
def test_typing_a_whole_date_and_time_replaces_the_value_and_stays_in_the_field(
    qtbot, select_all: bool
) -> None:
    field, after = _onset(qtbot)
    if select_all:
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, "2026-12-04 13:31")
    assert field.hasFocus()
    assert after.text() == ""  # nothing spilled into the next field
    assert _shown(field) == "2026-12-04 13:31"
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert after.hasFocus()
    assert _shown(field) == "2026-12-04 13:31"
    assert field.text() == "2026-12-04 13:31"


def test_typing_just_a_time_into_a_date_and_time_sets_the_time_and_keeps_the_day(qtbot) -> None:
    field, after = _onset(qtbot)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, "13:31")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert _shown(field) == "2026-12-03 13:31"
    assert after.hasFocus()
    assert after.text() == ""


def test_typing_part_of_the_value_still_goes_section_by_section(qtbot) -> None:
    field, _after = _onset(qtbot)
    _type(qtbot, "2027")  # the year, as Qt's own field takes it
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert _shown(field) == "2027-12-03 12:28"
    field.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    _type(qtbot, "2026-1")  # Esc while typing a whole value puts the old one back
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == "2027-12-03 12:28"


def test_up_and_down_change_the_section_under_the_cursor(qtbot) -> None:
    field, _after = _onset(qtbot)
    for _ in range(11):  # from the year to the hour, by arrow
        qtbot.keyClick(field, Qt.Key.Key_Right)
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert _shown(field) == "2026-12-03 13:28"
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, "2026-12-03 13:31")
    qtbot.keyClick(field, Qt.Key.Key_Down)  # the cursor ends in the minutes
    assert _shown(field) == "2026-12-03 13:30"
    field.lineEdit().setCursorPosition(12)  # in the hour (a click puts it there)
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert _shown(field) == "2026-12-03 14:30"


def test_a_time_field_takes_a_typed_time_and_tab_leaves_it(qtbot) -> None:
    from PySide6.QtCore import QTime

    field = OneStopTimeEdit(QTime(12, 28))
    field.setDisplayFormat("HH:mm")
    after = _form_with(qtbot, field)
    field.setFocus(Qt.FocusReason.TabFocusReason)
    _type(qtbot, "13:31")
    assert field.hasFocus()
    assert after.text() == ""
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert field.time() == QTime(13, 31)
    assert after.hasFocus()


def test_the_adverse_event_onset_takes_a_typed_date_and_time_by_keyboard(
    qtbot, make_window, team
) -> None:
    """The walk: Ctrl+A in Onset, "2026-12-03 13:31" gave 03:01 and the rest went into
    Site(s). The onset is read on the site's wall clock."""
    from tests.ui.bedside import activate, open_procedure
    from ui.nurse.ae_form import AdverseEventDialog

    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_Return)
    bedside.panel.actions.adverse_event.trigger()  # Ctrl+Shift+E, for the injected site
    dialog = bedside.window.features.procedure.dialog
    assert isinstance(dialog, AdverseEventDialog)
    activate(qtbot, dialog)
    sites = dialog.sites.text()
    wall = team.clock.now().astimezone(team.clock.zone)
    typed = f"{wall:%Y-%m-%d} 13:31"
    dialog.onset.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(dialog.onset, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, typed)
    qtbot.keyClick(dialog.onset, Qt.Key.Key_Tab)
    assert dialog.onset.text() == typed
    assert dialog.sites.text() == sites  # nothing spilled into the next fields
    assert not dialog.onset.hasFocus()
    dialog.reject()
