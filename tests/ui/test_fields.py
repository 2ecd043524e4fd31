"""Date and time fields: Tab crosses them in one press; their sections stay on the arrows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QLineEdit, QVBoxLayout, QWidget

from ui.fields import OneStopDateTimeEdit, OneStopTimeEdit


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
