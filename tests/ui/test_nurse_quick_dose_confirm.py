"""A quick-dose button never charts a sedative or an opioid on one tap: the dose is shown back
(drug, amount, total after) and Enter charts it; Escape — or an accidental tap — charts nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from ui.nurse.medication.confirm import DoseConfirmDialog
from ui.nurse.panel import NursePanel


def _quick(nurse_panel: NursePanel, drug: str, text: str) -> QPushButton:
    med = nurse_panel.medication
    med.drug.setCurrentIndex(med.drug.findData(drug))
    buttons = [med.quick.itemAt(i).widget() for i in range(med.quick.count())]
    return next(b for b in buttons if isinstance(b, QPushButton) and b.text() == text)


def _when_asked_press(qtbot, key: Qt.Key, seen: list[str]) -> None:
    """When the confirmation opens, read what it shows and press `key` in it."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, DoseConfirmDialog):
            seen.append(f"{dialog.headline.text()} / {dialog.total_line.text()}")
            qtbot.keyClick(dialog, key)

    QTimer.singleShot(0, answer)


def test_a_quick_midazolam_tap_is_shown_back_and_enter_charts_it(nurse_panel, qtbot) -> None:
    button = _quick(nurse_panel, "midazolam", "1 mg")
    seen: list[str] = []
    _when_asked_press(qtbot, Qt.Key.Key_Return, seen)
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert seen == ["Midazolam  1 mg / Total 0 mg → 1 mg"]
    assert [d.text for d in nurse_panel.record.live_doses] == ["1 mg"]
    assert "Charted Midazolam 1 mg" in nurse_panel.medication.message.text()


def test_an_accidental_tap_on_a_quick_fentanyl_dose_charts_nothing(nurse_panel, qtbot) -> None:
    button = _quick(nurse_panel, "fentanyl", "50 µg")
    seen: list[str] = []
    _when_asked_press(qtbot, Qt.Key.Key_Escape, seen)
    with qtbot.assertNotEmitted(nurse_panel._context.changes.changed):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert seen == ["Fentanyl  50 µg / Total 0 µg → 50 µg"]
    assert nurse_panel.record.doses == ()
    assert nurse_panel.medication.message.text() == "Not charted."


def test_a_quick_reversal_agent_is_charted_at_once(nurse_panel, qtbot) -> None:
    """Naloxone in an emergency: no extra step (only sedatives and opioids are shown back)."""
    button = _quick(nurse_panel, "naloxone", "100 µg")
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert [d.text for d in nurse_panel.record.live_doses] == ["100 µg"]
