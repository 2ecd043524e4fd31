"""A whole procedure as a team records it, through the real main window.

Plan → time-out by two people → sites with the nurse's vital signs, sedation score, doses and
oxygen, a finding and an adverse event from a site → the app's process is killed in the middle
(a real subprocess, SIGKILL) → restart and resume → the rest of the sites, a recovery score →
complete with the kit reconciled → signed by both → the PDF checked against the database →
an amendment → signed again → version 2's PDF → `slidesk verify` intact.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt

from slidesk.domain.procedure.model import ProcedureStatus, SiteState
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.services.audit.verify import verify_database
from slidesk.services.procedure import service as procedures
from slidesk.services.procedure import workspace
from slidesk.services.sedation import adverse_events
from slidesk.services.sedation import service as sedation
from slidesk.services.workstation.database import open_database
from tests.conftest import PASSWORD, Team
from tests.ui.bedside import Bedside, activate, live_entry
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
from ui.nurse.ae_form import AdverseEventDialog
from ui.signing.report_dialog import ReportDialog

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("SLIDESK_SHOTS", "/tmp/journey_shots"))
KILL_AFTER = 5  # sites the killed process confirmed before it died


def _shot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def _plan_and_time_out(qtbot: Any, bedside: Bedside, team: Team) -> None:
    """Ctrl+N, the plan; the time-out, each person ticking what their role confirms; Start."""
    window = bedside.window
    key(qtbot, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: window.dialog is not None)
    plan = window.dialog
    activate(qtbot, plan)
    qtbot.keyClicks(plan.study_id, "SAIL-01-050")
    plan.right.click()
    qtbot.keyClicks(plan.kit, "SAIL-K050")
    plan.location.setText("Angio suite 2")
    with qtbot.waitSignal(plan.planned):
        qtbot.mouseClick(plan.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: type(window.dialog).__name__ == "TimeOutDialog")
    timeout = window.dialog
    activate(qtbot, timeout)
    for person in (team.operator, team.nurse):
        timeout.who.setCurrentIndex(timeout.who.findData(person.user_id))
        for check in timeout.boxes.values():
            if check.isEnabled() and not check.isChecked():
                team.clock.advance(seconds=5)
                qtbot.mouseClick(
                    check, Qt.MouseButton.LeftButton, pos=QPoint(10, check.height() // 2)
                )
    assert "10 of 10" in timeout.progress.text()
    _shot(timeout, "01_time_out")
    qtbot.mouseClick(timeout.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace.isVisible())


def _as(qtbot: Any, bedside: Bedside, person: Any) -> None:
    """Ctrl+Shift+T until `person` is the one typing."""
    for _ in range(3):
        if bedside.session.active is not None and bedside.session.active.user_id == person.user_id:
            return
        activate(qtbot, bedside.window)
        target = bedside.window.focusWidget() or bedside.window
        qtbot.keyClick(target, Qt.Key.Key_T, CTRL_SHIFT)
    assert bedside.session.active is not None
    assert bedside.session.active.user_id == person.user_id


def _nurse_tab(qtbot: Any, bedside: Bedside) -> Any:
    qtbot.keyClick(bedside.window, Qt.Key.Key_2, CTRL)
    return bedside.window.features.record_tabs.sedation.inner


def _chart_vitals(qtbot: Any, bedside: Bedside, team: Team, score: int, **values: str) -> None:
    nurse = _nurse_tab(qtbot, bedside)
    nurse.tabs.setCurrentWidget(nurse.vitals)
    vitals = nurse.vitals
    for field, value in values.items():
        getattr(vitals, field).setText(value)
    vitals.score.setCurrentIndex(vitals.score.findData(score))
    team.clock.advance(seconds=10)
    with qtbot.waitSignal(bedside.context.changes.changed):
        qtbot.mouseClick(vitals.save, Qt.MouseButton.LeftButton)


def _give(qtbot: Any, bedside: Bedside, team: Team, drug: str, amount: str) -> None:
    nurse = _nurse_tab(qtbot, bedside)
    nurse.tabs.setCurrentWidget(nurse.medication)
    med = nurse.medication
    med.drug.setCurrentIndex(med.drug.findData(drug))
    med.amount.setText(amount)
    team.clock.advance(seconds=10)
    with qtbot.waitSignal(bedside.context.changes.changed):
        qtbot.mouseClick(med.give, Qt.MouseButton.LeftButton)


def _oxygen(qtbot: Any, bedside: Bedside, team: Team) -> None:
    nurse = _nurse_tab(qtbot, bedside)
    nurse.tabs.setCurrentWidget(nurse.medication)
    med = nurse.medication
    med.o2.device.setCurrentIndex(med.o2.device.findData(OxygenDevice.NASAL_CANNULA.value))
    med.o2.flow.setText("2")
    team.clock.advance(seconds=10)
    with qtbot.waitSignal(bedside.context.changes.changed):
        qtbot.mouseClick(med.o2.button, Qt.MouseButton.LeftButton)
    assert "Oxygen charted" in med.message.text()


def _inject(qtbot: Any, bedside: Bedside, team: Team, count: int) -> None:
    """The operator confirms the suggested site and syringe with Return, `count` times."""
    qtbot.keyClick(bedside.window, Qt.Key.Key_1, CTRL)
    panel = bedside.panel
    for _ in range(count):
        before = bedside.view.injected_count
        team.clock.advance(seconds=40)
        panel.syringe.setFocus()
        qtbot.keyClick(panel.syringe, Qt.Key.Key_Return)
        assert bedside.view.injected_count == before + 1, panel.banner.text()


def _kill_while_recording(db_path: Path, procedure_id: int, team: Team) -> list[int]:
    """The app in a real process records sites until it is killed after KILL_AFTER of them."""
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.ui.journey_worker",
            str(db_path),
            str(procedure_id),
            team.clock.now().isoformat(),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    confirmed: list[int] = []
    assert worker.stdout is not None
    try:
        for line in worker.stdout:
            words = line.split()
            assert words[0] in ("READY", "CONFIRMED"), line
            if words[0] == "CONFIRMED":
                confirmed.append(int(words[1]))
                if len(confirmed) == KILL_AFTER:
                    worker.send_signal(signal.SIGKILL)
                    break
    finally:
        worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL
    # The killed process's clock ran 40 s per site; ours goes on after it.
    team.clock.advance(seconds=40 * (KILL_AFTER + 2))
    return confirmed


def _complete(qtbot: Any, bedside: Bedside, team: Team) -> None:
    """Review and finish (Ctrl+Shift+F): every syringe injected; complete, with a reason for
    what the sedation record lacks if the review asks."""
    bedside.panel.syringe.setFocus()
    qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_F, CTRL_SHIFT)
    qtbot.waitUntil(lambda: bedside.window.dialog is not None)
    review = bedside.window.dialog
    activate(qtbot, review)
    assert review.reconciliation.balanced
    assert "cells" not in review.totals.text()
    _shot(review, "05_review_before_completion")
    team.clock.advance(minutes=1)
    qtbot.mouseClick(review.complete_button, Qt.MouseButton.LeftButton)
    if review.reason_dialog is not None and review.reason_dialog.isVisible():
        ask = review.reason_dialog
        ask.combo.setCurrentText("Vital signs charted on the anaesthesia monitor printout")
        ask.accept()
    qtbot.waitUntil(lambda: bedside.view.status is ProcedureStatus.COMPLETED)
    review.accept()


def _report(qtbot: Any, sign_dialog: Any) -> Any:
    key(qtbot, Qt.Key.Key_P, CTRL)  # Ctrl+P: report / print, as in the Procedure menu
    report = next(w for w in sign_dialog.findChildren(ReportDialog) if w.isVisible())
    activate(qtbot, report)
    qtbot.waitUntil(lambda: report.issued is not None, timeout=30_000)
    return report


def _facts_in_pdf(team: Team, procedure_id: int, text: str) -> None:
    """What the database holds for the procedure is on the paper."""
    flat = " ".join(text.split())
    view = procedures.get_procedure(uow=team.uow, actor=team.monitor, procedure_id=procedure_id)
    for entry in (e for e in view.entries if not e.voided):
        assert entry.syringe_label in flat, entry
    record = sedation.get_sedation(
        uow=team.uow, clock=team.clock, actor=team.monitor, procedure_id=procedure_id
    )
    assert record.live_doses
    for dose in record.live_doses:
        assert dose.text in flat, dose
    for oxygen in record.oxygen:
        assert oxygen.text.split(",")[0] in flat, oxygen
    for vitals in record.live_vitals:
        assert str(vitals.hr) in flat
    ae_options = adverse_events.adverse_event_options(
        uow=team.uow, actor=team.monitor, procedure_id=procedure_id
    )
    assert ae_options is not None
    for ae in record.adverse_events:
        assert ae.term in flat
        assert "1 – mild" in flat  # the grade, printed once
    for finding in workspace.list_flags(
        uow=team.uow, actor=team.monitor, procedure_id=procedure_id
    ):
        assert finding.flag in flat
    assert "Olga Operator" in flat
    assert "Nina Nurse" in flat
    assert "Cells injected" not in flat


def test_a_team_records_signs_and_amends_a_procedure_through_the_main_window(
    qtbot: Any, make_db: Any, clock: Any, tmp_path: Path, make_window: Any
) -> None:
    db_path = tmp_path / "journey.sqlite3"
    db = make_db("journey.sqlite3")
    team = Team(db, clock)
    bedside = make_window(team)
    _plan_and_time_out(qtbot, bedside, team)
    procedure_id = bedside.view.id

    # The nurse: baseline vital signs with the sedation score, fentanyl, oxygen.
    _as(qtbot, bedside, team.nurse)
    _chart_vitals(qtbot, bedside, team, 5, hr="78", systolic="142", diastolic="84", spo2="98")
    _give(qtbot, bedside, team, "fentanyl", "25")
    _oxygen(qtbot, bedside, team)

    # The operator: eight sites; a pain reaction at the eighth, reported as an adverse event.
    _as(qtbot, bedside, team.operator)
    _inject(qtbot, bedside, team, 8)
    site = bedside.view.entries[-1].site_no
    team.clock.advance(seconds=10)
    qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: any(f.site_no == site for f in bedside.page.flags))
    qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_E, CTRL_SHIFT)
    qtbot.waitUntil(
        lambda: isinstance(bedside.window.features.procedure.dialog, AdverseEventDialog)
    )
    ae = bedside.window.features.procedure.dialog
    activate(qtbot, ae)
    assert ae.sites.text() == str(site)
    ae.term.setCurrentText("Injection-site pain")
    with qtbot.waitSignal(ae.adverse_event_recorded):
        ae.save_button.click()
    _shot(bedside.window, "02_workspace_before_the_crash")

    # The nurse: a second score as sedation deepens, and midazolam.
    _as(qtbot, bedside, team.nurse)
    _chart_vitals(qtbot, bedside, team, 4, hr="72", systolic="135", diastolic="80", spo2="97")
    _give(qtbot, bedside, team, "midazolam", "1")
    done_before = bedside.view.injected_count
    bedside.window.close()
    db.close()

    # The app's process dies while the operator records (SIGKILL, no goodbye).
    confirmed = _kill_while_recording(db_path, procedure_id, team)

    # Restart on the same file: nothing confirmed is lost; resume where the record stands.
    again = open_database(db_path)
    try:
        team.db, team.uow = again, again.uow
        bedside = make_window(team)
        home = bedside.window.home
        qtbot.waitUntil(home.resume_button.isVisible)
        qtbot.mouseClick(home.resume_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bedside.window.workspace.isVisible())
        view = bedside.view
        assert view.injected_count >= done_before + KILL_AFTER
        for number in confirmed:
            assert view.site(number).state is SiteState.DONE, number
        assert bedside.panel.selected == view.next_site_no
        _shot(bedside.window, "03_resumed_after_the_crash")

        # The rest of the sites; the nurse charts once more on the way, and the recovery score.
        _as(qtbot, bedside, team.operator)
        _inject(qtbot, bedside, team, (30 - bedside.view.injected_count) // 2)
        _as(qtbot, bedside, team.nurse)
        _chart_vitals(qtbot, bedside, team, 4, hr="70", systolic="130", diastolic="78", spo2="97")
        _as(qtbot, bedside, team.operator)
        _inject(qtbot, bedside, team, 30 - bedside.view.injected_count)
        assert bedside.view.next_site_no is None
        _as(qtbot, bedside, team.nurse)
        nurse = _nurse_tab(qtbot, bedside)
        nurse.tabs.setCurrentWidget(nurse.medication)  # off oxygen before SpO2 on room air
        with qtbot.waitSignal(bedside.context.changes.changed):
            qtbot.mouseClick(nurse.medication.o2.stop, Qt.MouseButton.LeftButton)
        nurse.tabs.setCurrentWidget(nurse.recovery)
        for combo in nurse.recovery.items.values():
            combo.setCurrentIndex(combo.findData(2))
        team.clock.advance(minutes=5)
        with qtbot.waitSignal(bedside.context.changes.changed):
            qtbot.mouseClick(nurse.recovery.save, Qt.MouseButton.LeftButton)
        _shot(bedside.window, "04_all_sites_and_the_nurses_record")
        _as(qtbot, bedside, team.operator)
        qtbot.keyClick(bedside.window, Qt.Key.Key_1, CTRL)
        _complete(qtbot, bedside, team)

        # Both sign; version 1's PDF holds what the database holds.
        activate(qtbot, bedside.window)
        bedside.panel.syringe.setFocus()
        dialog = open_sign_dialog(qtbot, bedside)
        _shot(dialog, "06_review_before_signing")
        team.clock.advance(minutes=2)
        sign_by_keys(qtbot, dialog, "operator")
        sign_by_keys(qtbot, dialog, "nurse")
        assert dialog.review is not None
        assert dialog.review.status is ProcedureStatus.SIGNED
        _shot(dialog, "07_review_after_signing")
        report = _report(qtbot, dialog)
        assert report.issued.version == 1
        text = pdf_text(report.issued.pdf)
        (SHOTS / "journey_version_1.pdf").write_bytes(report.issued.pdf)
        _facts_in_pdf(team, procedure_id, text)
        report.close()

        # The amendment: Alt+O, why, the operator's own password; correct the first site.
        activate(qtbot, dialog)
        team.clock.advance(minutes=3)
        alt(qtbot, Qt.Key.Key_O)
        qtbot.waitUntil(lambda: dialog.amendment_dialog is not None)
        amendment = dialog.amendment_dialog
        activate(qtbot, amendment)
        type_text(qtbot, "Depth at the first site transcribed wrongly")
        key(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, PASSWORD)
        with qtbot.waitSignal(dialog.amendment_opened, timeout=10_000):
            key(qtbot, Qt.Key.Key_Return)
        activate(qtbot, dialog)
        key(qtbot, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: bedside.view.status is ProcedureStatus.AMENDED)
        first = bedside.view.sites[0].number
        activate(qtbot, bedside.window)
        panel = bedside.panel
        panel.syringe.setFocus()
        key(qtbot, Qt.Key.Key_G, CTRL)
        type_text(qtbot, str(first))
        key(qtbot, Qt.Key.Key_Return)
        key(qtbot, Qt.Key.Key_E, CTRL)
        correction = panel.active_dialog
        activate(qtbot, correction)
        key(qtbot, Qt.Key.Key_A, CTRL)
        type_text(qtbot, "14.0")
        alt(qtbot, Qt.Key.Key_R)
        type_text(qtbot, "Needle marks read 14 mm")
        team.clock.advance(minutes=1)
        key(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: live_entry(bedside.view, first).depth.mm == 14)

        # Signed again by both: version 2, printed with the amendment.
        activate(qtbot, bedside.window)
        panel.syringe.setFocus()
        dialog = open_sign_dialog(qtbot, bedside)
        assert [c.what for c in dialog.changes.model.rows] == [f"Site {first}"]
        team.clock.advance(minutes=1)
        sign_by_keys(qtbot, dialog, "operator")
        sign_by_keys(qtbot, dialog, "nurse")
        assert dialog.review.version == 2
        report = _report(qtbot, dialog)
        assert report.issued.version == 2
        text = pdf_text(report.issued.pdf)
        (SHOTS / "journey_version_2.pdf").write_bytes(report.issued.pdf)
        flat = " ".join(text.split())
        assert "Amendment 1 — Depth at the first site transcribed wrongly" in flat
        assert "12.5 mm → 14.0 mm" in flat
        _facts_in_pdf(team, procedure_id, text)
        report.close()
        dialog.close()
        assert verify_database(uow=team.uow).intact
    finally:
        again.close()

    # `slidesk verify`, as IT would run it on the file.
    checked = subprocess.run(
        [sys.executable, "-m", "slidesk", "--db", str(db_path), "verify"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "INTACT" in checked.stdout
