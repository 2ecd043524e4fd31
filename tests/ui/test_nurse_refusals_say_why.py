"""A refusal on the nurse's screens says why, driven by keyboard as at the bedside: a blank
reason is asked for (not a greyed button), letters in a vital sign are refused (not dropped),
Return saves the Aldrete form, and a refused oxygen flow says nothing was charted."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.nurse.panel import NursePanel


def _chart_fentanyl(nurse_panel: NursePanel, qtbot) -> None:
    med = nurse_panel.medication
    med.amount.setText("25")
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        med.give.click()


def test_a_blank_correction_reason_is_asked_for_and_nothing_is_corrected(nurse_panel, qtbot):
    _chart_fentanyl(nurse_panel, qtbot)
    med = nurse_panel.medication
    med.table.setFocus()
    qtbot.keyClick(med.table, Qt.Key.Key_Down)
    med.correct.click()
    dialog = med.correction_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.amount, "50")
    dialog.reason_field.setFocus()
    qtbot.keyClicks(dialog.reason_field, "   ")  # only spaces
    with qtbot.assertNotEmitted(nurse_panel._context.changes.changed):
        qtbot.keyClick(dialog.reason_field, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.message.text() == "Give the reason for the correction. Nothing is corrected yet."
    assert [d.text for d in nurse_panel.record.live_doses] == ["25 µg"]
    qtbot.keyClicks(dialog.reason_field, "Half the ampoule was given")
    assert dialog.message.isHidden()  # the reason typed: the refusal is no longer true
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.keyClick(dialog.reason_field, Qt.Key.Key_Return)
    assert [d.text for d in nurse_panel.record.live_doses] == ["50 µg"]


def test_a_blank_strike_out_reason_is_asked_for(nurse_panel, qtbot):
    _chart_fentanyl(nurse_panel, qtbot)
    med = nurse_panel.medication
    med.table.setFocus()
    qtbot.keyClick(med.table, Qt.Key.Key_Down)
    med.ask_reason = lambda parent, title, prompt: ""  # OK pressed on a blank reason
    with qtbot.assertNotEmitted(nurse_panel._context.changes.changed):
        med.strike.click()
    assert med.message.text() == "Give the reason for striking it out. Nothing is struck out."
    assert not nurse_panel.record.doses[0].voided


def test_letters_in_the_heart_rate_are_refused_not_dropped(nurse_panel, qtbot):
    vitals = nurse_panel.vitals
    vitals.hr.setFocus()
    qtbot.keyClicks(vitals.hr, "7a")
    assert vitals.hr.text() == "7a"  # kept as typed, where the nurse can see it
    with qtbot.assertNotEmitted(nurse_panel._context.changes.changed):
        qtbot.keyClick(vitals.hr, Qt.Key.Key_Return)
    assert vitals.message.text() == "Heart rate '7a' is not a whole number: type only the digits."
    assert nurse_panel.record.vitals == ()


def test_return_in_the_aldrete_form_saves_it(nurse_panel, qtbot):
    recovery = nurse_panel.recovery
    combos = list(recovery.items.values())
    for combo in combos:
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # 2 — the first choice
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.keyClick(combos[-1], Qt.Key.Key_Return)
    assert [r.total for r in nurse_panel.record.recovery] == [10]
    assert recovery.message.text() == "Aldrete score saved: 10/10."


def test_return_on_an_unscored_aldrete_form_says_what_is_missing(nurse_panel, qtbot):
    recovery = nurse_panel.recovery
    first = next(iter(recovery.items.values()))
    first.setFocus()
    with qtbot.assertNotEmitted(nurse_panel._context.changes.changed):
        qtbot.keyClick(first, Qt.Key.Key_Return)
    assert recovery.message.text().startswith("Not saved: score every item first")


def test_a_flow_that_is_not_a_number_says_the_oxygen_is_not_charted(nurse_panel, qtbot):
    med = nurse_panel.medication
    med.o2.flow.setFocus()
    med.o2.flow.selectAll()
    qtbot.keyClicks(med.o2.flow, "x")
    with qtbot.assertNotEmitted(nurse_panel._context.changes.changed):
        med.o2.button.click()
    assert med.message.text() == "Oxygen flow 'x' is not a number. The oxygen is NOT charted."
    assert nurse_panel.record.oxygen == ()


def test_a_dose_over_the_limit_without_a_reason_is_asked_for_not_greyed(nurse_panel, qtbot):
    from slidesk.services.sedation import service as sedation
    from ui.nurse.medication.confirm import DoseConfirmDialog

    preview = sedation.preview_dose(
        uow=nurse_panel._context.uow,
        actor=nurse_panel.session.active,
        procedure_id=nurse_panel.record.procedure_id,
        drug_key="fentanyl",
        amount="75",
        unit_code="ug",
    )
    assert preview.needs_reason
    dialog = DoseConfirmDialog(preview, nurse_panel)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ok_button.isEnabled()
    with qtbot.assertNotEmitted(dialog.accepted):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.message.text() == (
        "Give the reason for exceeding the protocol limit. Nothing is charted yet."
    )
    qtbot.keyClicks(dialog.reason, "Severe pain, approved by the anaesthetist")
    assert dialog.message.isHidden()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
