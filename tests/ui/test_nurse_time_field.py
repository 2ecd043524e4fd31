"""The greyed Time field of the nurse's forms shows the time now (the injected clock's, on the
site's wall clock) while 'Now' is ticked — never the last time typed for a late entry."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt


def _hm(team) -> str:
    return team.clock.now().astimezone(team.clock.zone).strftime("%H:%M")


def test_after_a_late_entry_the_greyed_time_is_the_time_now(nurse_panel, team, qtbot):
    vitals = nurse_panel.vitals
    nurse_panel.tabs.setCurrentWidget(vitals)
    time = vitals.time
    assert time.time_edit.text() == _hm(team)
    team.clock.advance(minutes=20)
    vitals.hr.setText("72")
    time.now_box.setFocus()
    qtbot.keyClick(time.now_box, Qt.Key.Key_Space)  # untick: a late entry
    assert time.time_edit.hasFocus()
    typed = (team.clock.now() - timedelta(minutes=10)).astimezone(team.clock.zone)
    qtbot.keyClicks(time.time_edit, typed.strftime("%H%M"))
    # The field takes the typing as a whole time ("0940" reads 09:40) once it is read.
    assert time.time_edit.time().toString("HH:mm") == typed.strftime("%H:%M")
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.keyClick(time.time_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert time.now_box.isChecked()
    assert not time.time_edit.isEnabled()
    assert time.time_edit.text() == _hm(team)  # not the typed time


def test_the_greyed_time_follows_the_clock(nurse_panel, team):
    time = nurse_panel.medication.time
    team.clock.advance(minutes=7)
    time.tick.timeout.emit()
    assert time.time_edit.text() == _hm(team)
