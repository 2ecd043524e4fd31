"""The sign-off dialog and the report dialog, driven as a user would."""

from __future__ import annotations

import io
import os
import sqlite3
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from slidesk.domain.procedure.model import ProcedureStatus
from tests.conftest import PASSWORD
from tests.signing_helpers import completed_procedure, signed_procedure
from tests.ui.bedside import activate
from tests.ui.keyboard import sign_by_keys
from ui.signing.models import FindingsModel, SignaturesModel
from ui.signing.report_dialog import ReportDialog
from ui.signing.sign_dialog import SignDialog

SHOTS = Path(os.environ.get("SLIDESK_SHOTS", "/tmp/signing_shots"))


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def _sign(qtbot, dialog: SignDialog, meaning: str, username: str, password: str = PASSWORD):
    dialog.meaning.setCurrentIndex(dialog.meaning.findData(meaning))
    dialog.username.setText(username)
    dialog.password.setText(password)
    with qtbot.waitSignal(dialog.signed, timeout=5000) as blocker:
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_the_signing_models_pass_the_model_tester(qtmodeltester, team) -> None:
    from slidesk.services.signing import service as signing

    view = completed_procedure(team)
    review = signing.review_for_signing(uow=team.uow, actor=team.operator, procedure_id=view.id)
    findings = FindingsModel()
    findings.set_rows(review.findings)
    qtmodeltester.check(findings)
    signatures = SignaturesModel(team.clock)
    signatures.set_rows(review.meanings)
    qtmodeltester.check(signatures)


def test_signing_needs_acknowledged_warnings_and_each_signers_own_password(
    qtbot, team, context
) -> None:
    view = completed_procedure(team)
    dialog = SignDialog(context, team.operator, view.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.sign_button.isEnabled()  # warnings not yet acknowledged
    _shot(dialog, "ui_sign_review")
    qtbot.mouseClick(dialog.acknowledge_all, Qt.MouseButton.LeftButton)
    assert dialog.sign_button.isEnabled()
    first = _sign(qtbot, dialog, "operator", "operator")
    assert not first.version_completed
    assert dialog.password.text() == ""
    assert dialog.meaning.findData("operator") == -1  # signed meanings leave the list
    dialog.findings.acknowledge_all()
    result = _sign(qtbot, dialog, "nurse", "nurse")
    assert result.status is ProcedureStatus.SIGNED
    assert dialog.amend_button.isVisible()
    assert "locked" in dialog.message.text()
    _shot(dialog, "ui_sign_done")


def test_the_second_signer_starts_with_no_warning_ticked_and_must_tick_them_by_keyboard(
    qtbot, team, context
) -> None:
    view = completed_procedure(team)
    dialog = SignDialog(context, team.operator, view.id)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    sign_by_keys(qtbot, dialog, "operator")  # Alt+A: the operator's ticks

    # The nurse signs next at the same dialog: the operator's "Seen" is not the nurse's.
    warnings = [
        dialog.findings.index(row, 0)
        for row, f in enumerate(dialog.findings.rows)
        if f.severity.name == "WARNING"
    ]
    assert warnings, "the completed record must carry warnings for this test to mean anything"
    for index in warnings:
        state = dialog.findings.data(index, Qt.ItemDataRole.CheckStateRole)
        assert state == Qt.CheckState.Unchecked
    assert not dialog.sign_button.isEnabled()
    assert "Tick each warning" in dialog.statement.text()

    sign_by_keys(qtbot, dialog, "nurse")  # Alt+A: the nurse's own ticks
    assert dialog.review is not None
    assert dialog.review.status is ProcedureStatus.SIGNED


def test_a_wrong_password_is_shown_and_nothing_is_signed(qtbot, team, context) -> None:
    view = completed_procedure(team)
    dialog = SignDialog(context, team.nurse, view.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.findings.acknowledge_all()
    dialog.meaning.setCurrentIndex(dialog.meaning.findData("operator"))
    dialog.username.setText("operator")
    dialog.password.setText("not-the-password")
    with qtbot.assertNotEmitted(dialog.signed):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter signs (default button)
    assert dialog.message.kind == "error"
    assert "not correct" in dialog.message.text()
    assert dialog.password.text() == ""
    _shot(dialog, "ui_sign_refused")
    with sqlite3.connect(team.db.location) as conn:
        assert conn.execute("SELECT count(*) FROM signatures").fetchone()[0] == 0


def test_the_report_dialog_previews_prints_and_saves_and_each_is_audited(
    qtbot, team, context, tmp_path
) -> None:
    view = signed_procedure(team)
    dialog = ReportDialog(context, team.monitor, view.id, key_folder=tmp_path / "keys")
    qtbot.addWidget(dialog)
    dialog.resize(900, 700)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.issued is not None, timeout=30_000)  # made in the background
    assert dialog.issued.digitally_signed
    assert dialog.page_count >= 3
    _shot(dialog, "ui_report_preview")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.report_issued):
        pages = dialog.print_to(printer)
    assert pages == dialog.page_count
    # The paper has the report's pages, each with the report's own words on it.
    printed = PdfReader(str(tmp_path / "printed.pdf"))
    assert len(printed.pages) == len(PdfReader(io.BytesIO(dialog.issued.pdf)).pages) == pages
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000 * pages
    dialog.save_to(tmp_path / "saved.pdf")
    assert (tmp_path / "saved.pdf").read_bytes() == dialog.issued.pdf
    with sqlite3.connect(team.db.location) as conn:
        events = [
            r[0]
            for r in conn.execute(
                "SELECT event_type FROM audit_log WHERE event_type LIKE 'report.%' ORDER BY seq"
            )
        ]
    assert events == ["report.archived", "report.print", "report.export"]


def test_the_dialog_fits_a_small_laptop_screen(qtbot, team, context) -> None:
    view = completed_procedure(team)
    dialog = SignDialog(context, team.operator, view.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.minimumSizeHint().height() <= 740
    assert dialog.minimumSizeHint().width() <= 1340


def test_opening_a_signed_record_changed_by_raw_sql_shows_the_signature_is_invalid(
    qtbot, team, context
) -> None:
    from slidesk.services.signing.dto import RECORD_CHANGED

    view = signed_procedure(team)
    with sqlite3.connect(team.db.location) as conn:
        conn.execute("UPDATE site_entries SET depth_um = 15000 WHERE site_no = 4")
    dialog = SignDialog(context, team.monitor, view.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message.kind == "error"
    assert RECORD_CHANGED in dialog.message.text()
    assert not dialog.sign_box.isEnabled()
    _shot(dialog, "ui_sign_record_changed")


def test_opening_and_closing_the_dialogs_writes_nothing_and_signing_still_works(
    qtbot, team, context, tmp_path
) -> None:
    """LCK-05: looking at a record creates no 'started' state that could block signing."""
    view = completed_procedure(team)
    with sqlite3.connect(team.db.location) as conn:
        before = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    dialog = SignDialog(context, team.operator, view.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()
    with sqlite3.connect(team.db.location) as conn:
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    again = SignDialog(context, team.operator, view.id)
    qtbot.addWidget(again)
    again.show()
    again.findings.acknowledge_all()
    assert _sign(qtbot, again, "operator", "operator").signature.meaning_role == "operator"


def test_the_review_lists_deviations_skips_and_gaps_before_and_after_signing(
    qtbot, team, context
) -> None:
    """A record with a deviation, a skipped site and no baseline vitals is never "nothing
    missing or unusual": the list stays after the signatures are complete."""
    view = completed_procedure(team)
    dialog = SignDialog(context, team.operator, view.id)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    wanted = ("Site 18 (SO2) was skipped", "Site 23 (TA3)", "No baseline vital signs")

    def listed() -> str:
        return " ".join(f.message for f in dialog.findings.rows)

    assert all(w in listed() for w in wanted)
    _shot(dialog, "ui_review_before_signing")
    dialog.findings.acknowledge_all()
    _sign(qtbot, dialog, "operator", "operator")
    dialog.findings.acknowledge_all()
    _sign(qtbot, dialog, "nurse", "nurse")
    assert dialog.review is not None
    assert dialog.review.status is ProcedureStatus.SIGNED
    assert dialog.findings_view.isVisible()
    assert not dialog._nothing.isVisible()
    assert all(w in listed() for w in wanted)
    _shot(dialog, "ui_review_after_signing")


def _report_events(team) -> list[str]:
    with sqlite3.connect(team.db.location) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT event_type FROM audit_log WHERE event_type LIKE 'report.%' ORDER BY seq"
            )
        ]


def _report_dialog(qtbot, team, context, tmp_path) -> ReportDialog:
    view = signed_procedure(team)
    dialog = ReportDialog(context, team.monitor, view.id, key_folder=tmp_path / "keys")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.issued is not None, timeout=30_000)
    return dialog


def test_a_print_that_draws_no_page_says_so_and_is_not_audited_as_printed(
    qtbot, team, context, tmp_path, monkeypatch
) -> None:
    dialog = _report_dialog(qtbot, team, context, tmp_path)
    monkeypatch.setattr("ui.signing.report_pages.render_pages", lambda data, scale: None)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.assertNotEmitted(dialog.report_issued):
        assert dialog.print_to(printer) == 0
    assert dialog.message.kind == "error"
    assert "Nothing was printed" in dialog.message.text()
    assert "report.print" not in _report_events(team)


def test_a_printer_that_does_not_start_is_said_and_not_audited(
    qtbot, team, context, tmp_path
) -> None:
    dialog = _report_dialog(qtbot, team, context, tmp_path)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "no-such-folder" / "printed.pdf"))
    with qtbot.assertNotEmitted(dialog.report_issued):
        assert dialog.print_to(printer) == 0
    assert "printer could not be started" in dialog.message.text()
    assert "report.print" not in _report_events(team)


def test_no_pdf_viewer_means_not_opened_not_audited_and_no_copy_left(
    qtbot, team, context, tmp_path, monkeypatch
) -> None:
    dialog = _report_dialog(qtbot, team, context, tmp_path)
    opened: list[str] = []

    def no_viewer(url) -> bool:  # type: ignore[no-untyped-def]
        opened.append(url.toLocalFile())
        return False

    monkeypatch.setattr("ui.signing.report_dialog.QDesktopServices.openUrl", no_viewer)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened
    assert not Path(opened[0]).exists()
    assert not Path(opened[0]).parent.exists()
    assert "was not opened" in dialog.message.text()
    assert "report.open" not in _report_events(team)
