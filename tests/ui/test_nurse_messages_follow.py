"""A message on the nurse's screens belongs to the procedure and the form it was said about:
showing another procedure clears it, and so does changing the input it was about (typed,
chosen, ticked or selected by keyboard, as at the bedside). What the program resets after a
save leaves the "saved" message standing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.nurse.ae_form import AdverseEventDialog


def _shown(line) -> str:
    return "" if line.isHidden() else line.text()


def test_showing_another_procedure_clears_the_message_of_the_last_one(nurse_panel, team, qtbot):
    med = nurse_panel.medication
    med.amount.setFocus()
    qtbot.keyClicks(med.amount, "25")
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        qtbot.keyClick(med.amount, Qt.Key.Key_Return)
    assert _shown(med.message) == "Charted Fentanyl 25 µg."  # the reset form keeps it
    other = team.started_procedure("SAIL-01-002", kit="SAIL-K002")
    nurse_panel.set_procedure(other.id)
    assert nurse_panel.record.procedure_id == other.id
    assert _shown(med.message) == ""


def test_fixing_the_heart_rate_clears_the_refusal(nurse_panel, qtbot):
    vitals = nurse_panel.vitals
    vitals.hr.setFocus()
    qtbot.keyClicks(vitals.hr, "7")
    qtbot.keyClick(vitals.hr, Qt.Key.Key_Return)
    assert "Heart rate 7/min is not possible" in _shown(vitals.message)
    qtbot.keyClicks(vitals.hr, "2")  # 72
    assert _shown(vitals.message) == ""


def test_scoring_the_missing_aldrete_items_clears_not_saved(nurse_panel, qtbot):
    recovery = nurse_panel.recovery
    combos = list(recovery.items.values())
    for combo in combos[:-1]:
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # 2 — the first choice
    recovery.save.click()
    assert _shown(recovery.message).startswith("Not saved: score every item first")
    last = combos[-1]
    assert last.hasFocus()  # the refusal took the nurse to the item left unscored
    qtbot.keyClick(last, Qt.Key.Key_Down)
    assert recovery.total.text().startswith("Total 10/10")
    assert _shown(recovery.message) == ""


def test_selecting_a_dose_clears_select_the_dose_first(nurse_panel, qtbot):
    med = nurse_panel.medication
    med.amount.setText("25")
    with qtbot.waitSignal(nurse_panel._context.changes.changed):
        med.give.click()
    med.strike.click()
    assert _shown(med.message) == "Select the dose to strike out first."
    med.table.setFocus()
    qtbot.keyClick(med.table, Qt.Key.Key_Down)
    assert med.table.currentIndex().row() == 0
    assert _shown(med.message) == ""


def test_choosing_a_term_clears_term_is_required(nurse_panel, context, qtbot):
    dialog = AdverseEventDialog.for_procedure(
        context,
        nurse_panel.session,
        nurse_panel,
        nurse_panel.record.procedure_id,
        show_error=nurse_panel.message.error,
    )
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.save_button.click()
    assert _shown(dialog.message) == "Adverse event term is required."
    dialog.term.setFocus()
    qtbot.keyClick(dialog.term, Qt.Key.Key_Down)  # the first term of the list
    assert dialog.term.currentText()
    assert _shown(dialog.message) == ""


def test_typing_the_description_clears_the_adverse_event_refusal(nurse_panel, context, qtbot):
    dialog = AdverseEventDialog.for_procedure(
        context,
        nurse_panel.session,
        nurse_panel,
        nurse_panel.record.procedure_id,
        show_error=nurse_panel.message.error,
    )
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.save_button.click()
    assert _shown(dialog.message) == "Adverse event term is required."
    dialog.description.setFocus()
    qtbot.keyClicks(dialog.description, "Pain at site 3")
    assert _shown(dialog.message) == ""
