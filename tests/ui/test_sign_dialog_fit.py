"""The sign dialog: during an amendment it fits a 1366×768 screen (its lists show their rows),
and its keys mean what they mean elsewhere in the app.

Built on a real amended record (every kind of entry, signed, amended, a site depth and a dose
corrected), as the signer meets it.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from slidesk.services.procedure import corrections
from slidesk.services.procedure import service as procedures
from slidesk.services.sedation import service as sedation
from tests.record_helpers import CORRECTED_SITE, every_kind_procedure
from tests.signing_helpers import amend, completed_procedure, sign
from tests.ui.bedside import activate
from tests.ui.keyboard import key
from ui.signing.report_dialog import ReportDialog
from ui.signing.sign_dialog import SignDialog

SHOTS = Path(os.environ.get("SLIDESK_SHOTS", "/tmp/signing_shots"))
REASON = "Site 11 depth was 14.0 mm per the operator's notes; fentanyl was 25 ug (syringe check)."


def _amended(team) -> int:
    pid = every_kind_procedure(team).procedure_id
    sign(team, pid, "operator", "operator")
    sign(team, pid, "nurse", "nurse")
    amend(team, pid, REASON)
    entry = next(
        e
        for e in procedures.get_procedure(
            uow=team.uow, actor=team.operator, procedure_id=pid
        ).entries
        if e.site_no == CORRECTED_SITE and not e.voided
    )
    team.clock.advance(minutes=1)
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=entry.id,
        depth_mm="14",
        reason="Transcription error; 14.0 mm per operator notes",
    )
    record = sedation.get_sedation(
        uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=pid
    )
    fentanyl = next(d for d in record.live_doses if d.text == "25 µg")
    team.clock.advance(minutes=1)
    sedation.correct_dose(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        dose_id=fentanyl.id,
        amount="20",
        reason="Syringe check: 20 ug given, 25 ug charted in error",
    )
    return pid


def _visible_rows(view: QTableView) -> int:
    """Rows wholly inside the view's viewport."""
    height = view.viewport().height()
    rows = 0
    for row in range(view.model().rowCount()):
        top = view.rowViewportPosition(row)
        if top >= 0 and top + view.rowHeight(row) <= height:
            rows += 1
    return rows


def test_the_amendment_sign_dialog_at_1366x768_shows_its_warnings_and_every_change(
    qtbot, team, context
) -> None:
    pid = _amended(team)
    dialog = SignDialog(context, team.operator, pid)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    warnings = dialog.findings_view
    changes = dialog.changes.table
    # Every change since version 1 is on screen without scrolling: two changes, two rows
    # (once the layout has settled).
    assert changes.model().rowCount() == 2
    qtbot.waitUntil(lambda: _visible_rows(changes) == 2)
    # The box of changes is no taller than its rows: no empty band under them.
    qtbot.waitUntil(lambda: dialog.changes.height() <= dialog.changes.sizeHint().height())
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "sign_amended_1366.png"))
    assert dialog.height() <= 768
    # The reason ends with its own full stop: said once, not "(syringe check).):".
    banner = dialog.message.text()
    assert "(syringe check). Correct the record" in banner
    assert ".)" not in banner
    assert ".." not in banner
    # The warnings list shows several rows at once (it scrolls for the rest).
    row_height = warnings.rowHeight(0)
    assert warnings.viewport().height() >= 6 * row_height
    assert _visible_rows(warnings) >= 6
    # "Acknowledge all" sits below the list, not over its scroll bar.
    button = dialog.acknowledge_all.geometry()
    bar = warnings.verticalScrollBar()
    bar_rect = bar.geometry().translated(
        warnings.mapTo(dialog.acknowledge_all.parentWidget(), bar.pos()) - bar.pos()
    )
    assert not button.intersects(bar_rect)
    assert dialog.acknowledge_all.mapTo(dialog, dialog.acknowledge_all.rect().topLeft()).y() >= (
        warnings.mapTo(dialog, warnings.rect().bottomLeft()).y()
    )


def test_ctrl_p_opens_the_report_from_the_sign_dialog_and_ctrl_r_does_not(
    qtbot, team, context
) -> None:
    """One key, one meaning: Ctrl+P is "Report / print" in the Procedure menu, Ctrl+R is
    "Relocate site" in the workspace; the sign dialog follows them."""
    view = completed_procedure(team)
    dialog = SignDialog(context, team.operator, view.id)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    assert "(Ctrl+P)" in dialog.report_button.text()
    key(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert not [w for w in dialog.findChildren(ReportDialog) if w.isVisible()]
    key(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    report = next(w for w in dialog.findChildren(ReportDialog) if w.isVisible())
    qtbot.waitUntil(lambda: report.issued is not None, timeout=30_000)  # let its job finish
    report.close()
