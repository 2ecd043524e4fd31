"""The sedation event form at 1366×768: every intervention box keeps the height it needs to
be read, none overlaps another, before and after "Event recorded." appears."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.bedside import open_procedure


def _boxes_readable(events) -> list[str]:  # type: ignore[no-untyped-def]
    """What is wrong with the boxes as laid out now ([] when every one reads)."""
    problems = []
    rects: list[tuple[str, QRect]] = []
    for box in events.boxes.values():
        if box.height() < box.sizeHint().height() or box.width() < box.sizeHint().width():
            problems.append(f"{box.text()} crushed to {box.width()}×{box.height()}")
        rects.append((box.text(), QRect(box.mapTo(events, QPoint(0, 0)), box.size())))
    for i, (name, rect) in enumerate(rects):
        later = rects[i + 1 :]
        problems += [f"{name} overlaps {other}" for other, r in later if rect.intersects(r)]
    return problems


def test_the_interventions_read_at_1366x768_before_and_after_an_event(qtbot, team, make_window):
    view = team.started_procedure()
    bedside = make_window(team, typist=team.nurse)
    bedside.window.resize(1366, 768)
    open_procedure(qtbot, bedside, view.id)
    qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    nurse = bedside.window.features.record_tabs.sedation.inner
    events = nurse.events
    nurse.tabs.setCurrentWidget(events)
    QApplication.processEvents()
    assert _boxes_readable(events) == []
    events.boxes[next(iter(events.boxes))].setChecked(True)
    events.outcome.setText("SpO2 back to 96 % within 1 min")
    with qtbot.waitSignal(bedside.context.changes.changed):
        events.save.click()
    QApplication.processEvents()
    assert events.message.text() == "Event recorded."
    assert _boxes_readable(events) == []
