""" "Set O₂" on the nurse's panel, driven as the nurse does it: choose the device, type the
flow, press the button; the oxygen entry reaches the database and the screen says so."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.persistence.rows.sedation import OxygenRow, SedationRepository


def _oxygen_rows(team, procedure_id: int) -> list[tuple[str, int, int]]:
    with team.uow.read() as tx:
        rows = tx.repo(SedationRepository).for_procedure(OxygenRow, procedure_id)
        return [(r.device, r.flow_ml_min, r.performer_id) for r in rows]


def _choose(qtbot, med, device: OxygenDevice) -> None:
    """Pick the device in the list by keyboard, as a nurse would (Home, then Down)."""
    combo = med.o2.device
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.findData(device.value)):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert med.o2.choice() is device


def _shot(widget, name: str) -> None:
    if os.environ.get("SLIDESK_SHOTS"):
        QApplication.processEvents()
        folder = Path(os.environ["SLIDESK_SHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(folder / f"{name}.png"))


def test_set_o2_charts_the_chosen_device_and_flow_and_says_so(nurse_panel, team, qtbot) -> None:
    med = nurse_panel.medication
    pid = nurse_panel.record.procedure_id
    _choose(qtbot, med, OxygenDevice.FACE_MASK)
    med.o2.flow.selectAll()
    qtbot.keyClicks(med.o2.flow, "6")
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.mouseClick(med.o2.button, Qt.MouseButton.LeftButton)
    assert _oxygen_rows(team, pid) == [("face_mask", 6000, team.nurse.user_id)]
    assert not med.message.isHidden()
    assert med.message.text().startswith("Oxygen charted: 6 L/min, Face mask at ")
    assert med.o2.now.text() == "Now: 6 L/min, Face mask"
    _shot(nurse_panel, "nurse-oxygen-charted")


def test_room_air_needs_no_flow_and_records_that_oxygen_stopped(nurse_panel, team, qtbot) -> None:
    med = nurse_panel.medication
    pid = nurse_panel.record.procedure_id
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.mouseClick(med.o2.button, Qt.MouseButton.LeftButton)  # nasal cannula, 2 L/min
    _choose(qtbot, med, OxygenDevice.ROOM_AIR)
    assert not med.o2.flow.isEnabled()
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.keyClick(med.o2.button, Qt.Key.Key_Space)
    assert [(d, ml) for d, ml, _ in _oxygen_rows(team, pid)] == [
        ("nasal_cannula", 2000),
        ("room_air", 0),
    ]
    assert med.o2.now.text() == "Now: Room air (oxygen stopped)"


def test_an_impossible_flow_is_refused_on_screen_and_nothing_is_written(nurse_panel, team, qtbot):
    med = nurse_panel.medication
    pid = nurse_panel.record.procedure_id
    _choose(qtbot, med, OxygenDevice.NASAL_CANNULA)
    med.o2.flow.setText("0,2")
    with qtbot.assertNotEmitted(nurse_panel._context.changes.changed):
        qtbot.mouseClick(med.o2.button, Qt.MouseButton.LeftButton)
    assert _oxygen_rows(team, pid) == []
    assert not med.message.isHidden()
    assert med.message.text() == (
        "Oxygen flow 0.2 L/min is not possible (0.5–25 L/min). The oxygen is NOT charted."
    )
    _shot(nurse_panel, "nurse-oxygen-refused")


def test_stop_o2_charts_room_air_and_is_offered_only_while_oxygen_runs(nurse_panel, team, qtbot):
    med = nurse_panel.medication
    pid = nurse_panel.record.procedure_id
    assert not med.o2.stop.isEnabled()  # nothing to stop yet
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.mouseClick(med.o2.button, Qt.MouseButton.LeftButton)  # nasal cannula, 2 L/min
    assert med.o2.stop.isEnabled()
    team.clock.advance(minutes=3)
    med.o2.stop.setFocus()
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.keyClick(med.o2.stop, Qt.Key.Key_Space)
    assert [(d, ml) for d, ml, _ in _oxygen_rows(team, pid)] == [
        ("nasal_cannula", 2000),
        ("room_air", 0),
    ]
    assert med.message.text().startswith("Oxygen stopped at ")
    assert med.o2.now.text() == "Now: Room air (oxygen stopped)"
    assert not med.o2.stop.isEnabled()
    _shot(nurse_panel, "nurse-oxygen-stopped")


def test_a_flow_of_zero_typed_stops_the_oxygen(nurse_panel, team, qtbot):
    med = nurse_panel.medication
    pid = nurse_panel.record.procedure_id
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.mouseClick(med.o2.button, Qt.MouseButton.LeftButton)
    med.o2.flow.setFocus()
    med.o2.flow.selectAll()
    qtbot.keyClicks(med.o2.flow, "0")
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.mouseClick(med.o2.button, Qt.MouseButton.LeftButton)
    assert [(d, ml) for d, ml, _ in _oxygen_rows(team, pid)][-1] == ("room_air", 0)
    assert med.o2.now.text() == "Now: Room air (oxygen stopped)"


def test_aldrete_spo2_on_room_air_while_oxygen_runs_is_warned_and_refused(nurse_panel, qtbot):
    med = nurse_panel.medication
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.mouseClick(med.o2.button, Qt.MouseButton.LeftButton)  # nasal cannula, 2 L/min
    recovery = nurse_panel.recovery
    nurse_panel.tabs.setCurrentWidget(recovery)
    for combo in recovery.items.values():
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # 2 — the first choice, SpO2 included
    assert not recovery.oxygen_note.isHidden()
    assert "Oxygen is charted (2 L/min, Nasal cannula)" in recovery.oxygen_note.text()
    with qtbot.assertNotEmitted(nurse_panel._context.changes.changed):
        qtbot.keyClick(recovery.items["spo2"], Qt.Key.Key_Return)
    assert "The score is NOT saved." in recovery.message.text()
    assert nurse_panel.record.recovery == ()
    _shot(nurse_panel, "nurse-aldrete-oxygen")
    spo2 = recovery.items["spo2"]
    qtbot.keyClick(spo2, Qt.Key.Key_Down)  # 1 — needs O2 to keep > 90 %
    assert recovery.oxygen_note.isHidden()
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.keyClick(spo2, Qt.Key.Key_Return)
    assert [r.total for r in nurse_panel.record.recovery] == [9]
