"""What the nurse's tabs share (ui.nurse.entry): recording as the typist, striking out rows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.services.sedation import service as sedation
from ui.nurse.medication.entry import MedicationEntry
from ui.nurse.recovery import RecoveryEntry
from ui.nurse.vitals import VitalsEntry
from ui.session import BedsideSession


@pytest.fixture
def ward(team, context):
    session = BedsideSession(context)
    session.add(team.nurse)
    view = team.started_procedure()
    return context, session, view


def _tab(kind, ward, qtbot):
    context, session, view = ward
    tab = kind(context, session)
    qtbot.addWidget(tab)
    tab.set_record(
        sedation.get_sedation(
            uow=context.uow, clock=context.clock, actor=session.active, procedure_id=view.id
        )
    )
    return tab


def _chart_fentanyl(med, ward, qtbot) -> None:
    med.amount.setText("25")
    with qtbot.waitSignal(ward[0].changes.changed):
        qtbot.mouseClick(med.give, Qt.MouseButton.LeftButton)


def test_striking_out_a_dose_asks_why_and_keeps_it_in_the_record_marked_void(ward, qtbot) -> None:
    med = _tab(MedicationEntry, ward, qtbot)
    _chart_fentanyl(med, ward, qtbot)
    asked = []

    def ask(parent, title, prompt):
        asked.append((title, prompt))
        return "Charted on the wrong patient"

    med.ask_reason = ask
    med.table.selectRow(0)
    with qtbot.waitSignal(ward[0].changes.changed) as changed:
        med.strike.click()
    assert asked == [("Strike out dose", "Why is Fentanyl 25 µg struck out?")]
    dose = changed.args[0].result.doses[0]
    assert dose.voided
    assert dose.void_reason == "Charted on the wrong patient"
    assert med.model.row_at(0).voided


def test_a_strike_out_cancelled_at_the_reason_changes_nothing(ward, qtbot) -> None:
    med = _tab(MedicationEntry, ward, qtbot)
    _chart_fentanyl(med, ward, qtbot)
    med.ask_reason = lambda parent, title, prompt: None
    med.table.selectRow(0)
    with qtbot.assertNotEmitted(ward[0].changes.changed):
        med.strike.click()
    assert not med.model.row_at(0).voided


def test_strike_out_without_a_selected_row_says_to_select_one(ward, qtbot) -> None:
    vitals = _tab(VitalsEntry, ward, qtbot)
    vitals.ask_reason = lambda *args: pytest.fail("no row, no question")
    vitals.strike.click()
    assert vitals.message.text() == "Select the row to strike out first."


def test_striking_out_vital_signs_uses_the_same_flow(ward, qtbot) -> None:
    vitals = _tab(VitalsEntry, ward, qtbot)
    vitals.hr.setText("72")
    with qtbot.waitSignal(ward[0].changes.changed):
        vitals.save.click()
    vitals.ask_reason = lambda parent, title, prompt: "Wrong patient's monitor"
    vitals.table.selectRow(0)
    with qtbot.waitSignal(ward[0].changes.changed) as changed:
        vitals.strike.click()
    assert changed.args[0].result.vitals[0].void_reason == "Wrong patient's monitor"


def test_a_refused_entry_shows_the_reason_and_publishes_nothing(ward, qtbot) -> None:
    med = _tab(MedicationEntry, ward, qtbot)
    med.o2.device.setCurrentIndex(med.o2.device.findData(OxygenDevice.NASAL_CANNULA))
    med.o2.flow.setText("abc")
    with qtbot.assertNotEmitted(ward[0].changes.changed):
        med.o2.button.click()
    assert not med.message.isHidden()
    assert "flow" in med.message.text().lower()


def test_nothing_is_recorded_when_nobody_is_at_the_keyboard(ward, team, qtbot) -> None:
    recovery = _tab(RecoveryEntry, ward, qtbot)
    for combo in recovery.items.values():  # a complete assessment, so only the typist is missing
        combo.setCurrentIndex(0)
    _context, session, _view = ward
    session.sign_out(team.nurse.user_id)
    assert session.active is None
    with qtbot.assertNotEmitted(ward[0].changes.changed):
        recovery.save.click()
    assert recovery.model.rowCount() == 0
    assert "Nobody is signed in" in recovery.message.text()  # said, not a silent no-op
