"""An amendment from the screen, by keyboard: sign a completed record, open the amendment with
a reason and the opener's password, correct a site and a dose with reasons, look at the
changes, sign again by both people, and print version 2 — then `slidesk verify`."""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.services.audit.verify import verify_database
from slidesk.services.procedure import service as procedures
from slidesk.services.sedation import service as sedation
from tests.conftest import PASSWORD
from tests.signing_helpers import completed_procedure
from tests.ui.bedside import activate, live_entry, open_procedure
from tests.ui.keyboard import (
    CTRL,
    CTRL_SHIFT,
    alt,
    key,
    open_sign_dialog,
    pdf_text,
    sign_by_keys,
    type_text,
)
from ui.signing.amendment_dialog import AmendmentDialog
from ui.signing.report_dialog import ReportDialog

SHOTS = Path(os.environ.get("SLIDESK_SHOTS", "/tmp/amendment_shots"))
REASON = "Depth at site 12 and the fentanyl dose transcribed wrongly from the paper chart"


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_an_amendment_is_opened_corrected_re_signed_and_printed_by_keyboard(
    qtbot, team, make_window
) -> None:
    view = completed_procedure(team)
    team.chart_sedation(view.id)  # a fentanyl dose of 50 µg to correct later
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    panel = bedside.panel

    # 1. Version 1: both sign the completed record.
    dialog = open_sign_dialog(qtbot, bedside)
    sign_by_keys(qtbot, dialog, "operator")
    sign_by_keys(qtbot, dialog, "nurse")
    assert dialog.review is not None
    assert dialog.review.status is ProcedureStatus.SIGNED
    assert not dialog.changes.isVisible()

    # 2. The amendment: Alt+O, the reason, Tab, the operator's password, Enter.
    alt(qtbot, Qt.Key.Key_O)
    qtbot.waitUntil(lambda: dialog.amendment_dialog is not None)
    amendment = dialog.amendment_dialog
    assert isinstance(amendment, AmendmentDialog)
    activate(qtbot, amendment)
    assert amendment.reason.hasFocus()
    type_text(qtbot, REASON)
    key(qtbot, Qt.Key.Key_Tab)
    assert amendment.password.hasFocus()
    type_text(qtbot, "not-my-password")
    key(qtbot, Qt.Key.Key_Return)  # refused: said in the dialog, nothing opened
    assert amendment.message.kind == "error"
    assert "not correct" in amendment.message.text()
    assert amendment.password.text() == ""
    assert amendment.password.hasFocus()
    assert bedside.view.status is ProcedureStatus.SIGNED
    type_text(qtbot, PASSWORD)
    shot(amendment, "amendment_open_dialog")
    with qtbot.waitSignal(dialog.amendment_opened, timeout=10_000):
        key(qtbot, Qt.Key.Key_Return)
    assert dialog.review is not None
    assert dialog.review.status is ProcedureStatus.AMENDED
    assert dialog.changes.isVisible()
    assert dialog.changes.model.rows == ()
    activate(qtbot, dialog)  # a window manager gives the keyboard back to the sign dialog
    shot(dialog, "amendment_sign_dialog_open")
    key(qtbot, Qt.Key.Key_Escape)  # back to the workspace
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: bedside.view.status is ProcedureStatus.AMENDED)
    assert "Amendment open" in panel.recorder.text()

    # 3. Correct site 12: Ctrl+G 12 Enter, Ctrl+E, the new depth, Alt+R, the reason, Enter.
    bedside.window.activateWindow()
    qtbot.waitUntil(bedside.window.isActiveWindow)
    panel.syringe.setFocus()
    key(qtbot, Qt.Key.Key_G, CTRL)
    type_text(qtbot, "12")
    key(qtbot, Qt.Key.Key_Return)
    assert panel.selected == 12
    assert panel.actions.correct.isEnabled()
    key(qtbot, Qt.Key.Key_E, CTRL)
    correction = panel.active_dialog
    assert correction is not None
    activate(qtbot, correction)
    assert correction.depth_field.hasFocus()
    key(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "14.0")
    alt(qtbot, Qt.Key.Key_R)
    assert correction.reason.hasFocus()
    type_text(qtbot, "Transcription error: the needle marks read 14 mm")
    shot(bedside.window, "amendment_workspace")
    shot(correction, "amendment_correct_site")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: live_entry(bedside.view, 12).depth.mm == 14)
    assert "Correction saved" in panel.last_action.text()
    activate(qtbot, bedside.window)
    assert panel.syringe.hasFocus()  # the panel takes the keyboard back

    # 4. The nurse corrects the dose: Ctrl+Shift+T (the nurse types), Ctrl+2, the dose row,
    # Correct selected…, the amount, Alt+R, the reason, Enter.
    key(qtbot, Qt.Key.Key_T, CTRL_SHIFT)
    assert bedside.session.active is not None
    assert bedside.session.active.user_id == team.nurse.user_id
    key(qtbot, Qt.Key.Key_2, CTRL)
    nurse = bedside.window.features.record_tabs.sedation.inner
    medication = nurse.medication
    nurse.tabs.setCurrentWidget(medication)
    medication.table.setFocus()  # the newest dose is the current row
    assert medication.table.currentIndex().row() == 0
    medication.correct.setFocus()
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: medication.correction_dialog is not None)
    dose_dialog = medication.correction_dialog
    activate(qtbot, dose_dialog)
    assert dose_dialog.amount.hasFocus()
    type_text(qtbot, "25")  # the charted 50 is selected: typing replaces it
    alt(qtbot, Qt.Key.Key_R)
    type_text(qtbot, "Half the ampoule was given; the rest discarded")
    shot(dose_dialog, "amendment_correct_dose")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: medication._record is not None and medication._record.live_doses[-1].text == "25 µg"
    )

    # 5. The changes since version 1, then both sign version 2.
    bedside.window.activateWindow()
    qtbot.waitUntil(bedside.window.isActiveWindow)
    panel.syringe.setFocus()
    dialog = open_sign_dialog(qtbot, bedside)
    changes = dialog.changes.model.rows
    assert [(c.what, c.who, c.reason) for c in changes] == [
        ("Site 12", "Olga Operator", "Transcription error: the needle marks read 14 mm"),
        (changes[1].what, "Nina Nurse", "Half the ampoule was given; the rest discarded"),
    ]
    assert changes[0].change == "depth 12.5 mm → 14.0 mm"
    assert changes[1].what.startswith("Fentanyl 25 µg at ")  # drug, amount, time: no id
    assert changes[1].change == "amount 50 µg → 25 µg"  # one fact, said once
    assert "Changes since version 1: 2 change(s)" in dialog.changes.title().replace("&", "")
    dialog.resize(1366, 768)
    shot(dialog, "amendment_sign_with_changes")
    sign_by_keys(qtbot, dialog, "operator")
    sign_by_keys(qtbot, dialog, "nurse")
    assert dialog.review is not None
    assert dialog.review.status is ProcedureStatus.SIGNED
    assert dialog.review.version == 2

    # 6. Version 2's report; version 1 stays, marked superseded.
    key(qtbot, Qt.Key.Key_P, CTRL)
    report = next(w for w in dialog.findChildren(ReportDialog) if w.isVisible())
    activate(qtbot, report)
    versions = [report.version.itemText(i) for i in range(report.version.count())]
    assert versions == ["Version 2 — signed", "Version 1 — signed (superseded by version 2)"]
    qtbot.waitUntil(lambda: report.issued is not None, timeout=20_000)  # built in the background
    assert report.issued.version == 2
    report.resize(1366, 768)
    shot(report, "amendment_report_version_2")
    text = pdf_text(report.issued.pdf)
    (SHOTS / "amendment_version_2.pdf").write_bytes(report.issued.pdf)
    flat = " ".join(text.split())
    assert REASON in flat
    assert "supersedes version 1" in flat
    assert f"Amendment 1 — {REASON}" in flat  # the first amendment, whatever its version
    # The site table's row of site 12 (LG4), up to its syringe: depth 14.0 (was 12.5).
    row = re.search(r"^12\nLG4\n(.*?)SAIL-K001-08", text, re.MULTILINE | re.DOTALL)
    assert row is not None, text
    assert "\n14.0\n1.0\n" in row.group(1)
    assert "25 µg" in flat
    after = procedures.get_procedure(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    assert after.status is ProcedureStatus.SIGNED
    record = sedation.get_sedation(
        uow=team.uow, clock=team.clock, actor=team.monitor, procedure_id=view.id
    )
    assert [d.text for d in record.live_doses] == ["25 µg"]
    verified = verify_database(uow=team.uow)
    assert verified.intact, verified.summary()
    report.close()
    dialog.close()
