"""The Aldrete form starts with no score: each item is what the nurse observed, and saving
with an item unanswered is refused, naming it, with nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from slidesk.persistence.rows.sedation import RecoveryScoreRow, SedationRepository
from ui.nurse.panel import NursePanel
from ui.session import BedsideSession


@pytest.fixture
def panel(team, context, qtbot):
    session = BedsideSession(context)
    session.add(team.nurse)
    view = team.started_procedure()
    widget = NursePanel(context, session)
    qtbot.addWidget(widget)
    widget.resize(480, 720)
    widget.set_procedure(view.id)
    widget.show()
    widget.tabs.setCurrentWidget(widget.recovery)
    widget.session = session  # a name on the session for the panel's lifetime
    return widget


def _saved(team, procedure_id: int) -> list[tuple[int, int, int, int, int, int]]:
    with team.uow.read() as tx:
        rows = tx.repo(SedationRepository).for_procedure(RecoveryScoreRow, procedure_id)
        return [
            (r.activity, r.respiration, r.circulation, r.consciousness, r.spo2, r.total)
            for r in rows
        ]


def _score(qtbot, combo, points: int) -> None:
    """Choose a score by keyboard: the list runs 2, 1, 0 from the top."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(2 - points):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == points


def test_a_new_assessment_has_no_item_scored_and_no_total(panel) -> None:
    recovery = panel.recovery
    assert [combo.currentIndex() for combo in recovery.items.values()] == [-1] * 5
    assert all(combo.currentText() == "" for combo in recovery.items.values())
    assert recovery.total.text() == "Total —/10 (0 of 5 items scored)"


def test_saving_with_items_unanswered_is_refused_naming_them(panel, team, qtbot) -> None:
    recovery = panel.recovery
    pid = panel.record.procedure_id
    _score(qtbot, recovery.items["activity"], 2)
    _score(qtbot, recovery.items["circulation"], 1)
    _score(qtbot, recovery.items["consciousness"], 2)
    assert recovery.total.text() == "Total —/10 (3 of 5 items scored)"
    with qtbot.assertNotEmitted(panel._context.changes.changed):
        qtbot.mouseClick(recovery.save, Qt.MouseButton.LeftButton)
    assert _saved(team, pid) == []
    assert not recovery.message.isHidden()
    assert recovery.message.text() == (
        "Not saved: score every item first — Respiration, SpO2 not scored."
    )
    assert recovery.focusWidget() is recovery.items["respiration"]
    if os.environ.get("SLIDESK_SHOTS"):
        QApplication.processEvents()
        folder = Path(os.environ["SLIDESK_SHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        panel.grab().save(str(folder / "nurse-aldrete-refused.png"))


def test_a_fully_scored_assessment_is_saved_and_the_next_starts_empty(panel, team, qtbot):
    recovery = panel.recovery
    pid = panel.record.procedure_id
    for key, points in (
        ("activity", 2),
        ("respiration", 2),
        ("circulation", 1),
        ("consciousness", 2),
        ("spo2", 2),
    ):
        _score(qtbot, recovery.items[key], points)
    assert recovery.total.text() == "Total 9/10 — meets the discharge score ≥ 9"
    with qtbot.waitSignal(panel._context.changes.changed):
        qtbot.mouseClick(recovery.save, Qt.MouseButton.LeftButton)
    assert _saved(team, pid) == [(2, 2, 1, 2, 2, 9)]
    assert recovery.message.text() == "Aldrete score saved: 9/10."
    assert "MET" in recovery.status.text()
    assert [combo.currentIndex() for combo in recovery.items.values()] == [-1] * 5
