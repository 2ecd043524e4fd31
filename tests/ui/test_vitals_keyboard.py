"""Vital signs by keyboard: Tab follows the fields as the grid shows them (BP on the second
row before EtCO2 and Temp), and Return in the sedation score, the last field, saves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.nurse.panel import NursePanel
from ui.session import BedsideSession


@pytest.fixture
def vitals(team, context, qtbot):  # type: ignore[no-untyped-def]
    session = BedsideSession(context)
    session.add(team.operator, make_active=False)
    session.add(team.nurse)
    view = team.started_procedure()
    panel = NursePanel(context, session)
    qtbot.addWidget(panel)
    panel.resize(480, 720)
    panel.set_procedure(view.id)
    panel.show()
    panel.tabs.setCurrentWidget(panel.vitals)
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    return panel.vitals


def _stops(qtbot, start, key, count: int) -> list[object]:  # type: ignore[no-untyped-def]
    start.setFocus(Qt.FocusReason.TabFocusReason)
    stops = []
    for _ in range(count):
        qtbot.keyClick(QApplication.focusWidget(), key)
        stops.append(QApplication.focusWidget())
    return stops


def test_tab_goes_row_by_row_as_the_grid_reads(qtbot, vitals) -> None:
    v = vitals
    # Pulse, SpO2, RR on the first row; BP (systolic / diastolic), EtCO2, Temp on the second.
    row_one = (v.hr, v.spo2, v.rr)
    row_two = (v.systolic, v.diastolic, v.etco2, v.temp)
    assert {w.geometry().top() for w in row_one} != {w.geometry().top() for w in row_two}
    assert sorted(row_two, key=lambda w: w.mapTo(v, w.rect().topLeft()).x()) == list(row_two)
    expected = [v.spo2, v.rr, v.systolic, v.diastolic, v.etco2, v.temp, v.score]
    expected += [v.time.now_box, v.save]  # the typed time is skipped while 'Now' is ticked
    assert _stops(qtbot, v.hr, Qt.Key.Key_Tab, len(expected)) == expected
    backwards = [v.hr, *expected[:-1]][::-1]
    assert _stops(qtbot, v.save, Qt.Key.Key_Backtab, len(backwards)) == backwards


def test_return_in_the_sedation_score_saves_the_row(qtbot, vitals) -> None:
    v = vitals
    qtbot.keyClicks(v.hr, "72")
    qtbot.keyClicks(v.systolic, "120")
    qtbot.keyClicks(v.diastolic, "80")
    v.score.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(v.score, Qt.Key.Key_Down)  # the first score after '— not assessed'
    chosen = v.score.currentData()
    assert chosen is not None
    with qtbot.waitSignal(v._context.changes.changed) as saved:  # the app's one notification
        qtbot.keyClick(v.score, Qt.Key.Key_Return)
    row = saved.args[0].result.live_vitals[-1]
    assert (row.hr, row.systolic, row.diastolic, row.sedation_score) == (72, 120, 80, chosen)
    assert v.score.currentIndex() == 0  # cleared for the next row
    assert "saved" in v.message.text().lower()


def test_return_on_an_open_score_list_only_picks_the_score(qtbot, vitals) -> None:
    v = vitals
    v.hr.setText("72")
    saved = []
    v._context.changes.changed.connect(saved.append)
    v.score.showPopup()
    popup = v.score.view()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert v.score.currentIndex() == 1
    assert saved == []
