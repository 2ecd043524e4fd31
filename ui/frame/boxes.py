"""The main window's own words: its title, "Quit SLI Desk?" and "About SLI Desk".

Each is built from plain values and returned (or shown) for the window; imports no window and
no feature.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.values import Limb
from slidesk.protocol.model import Protocol
from slidesk.services.dto import ProcedureView


def procedure_title(window: QWidget, view: ProcedureView) -> str:
    """The window's title while `view` is open: its study id and leg."""
    left = view.subject.index_limb is Limb.LEFT
    limb = window.tr("LEFT leg") if left else window.tr("RIGHT leg")
    return window.tr("SLI Desk — %1 (%2)").replace("%1", view.subject.study_id).replace("%2", limb)


def quit_question(window: QWidget, people: int, view: ProcedureView | None) -> QMessageBox:
    """Ask before signing `people` out; `view`: the procedure open in the workspace, if any.

    Closes `window` when Quit is chosen; the box deletes itself once answered.
    """
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(window.tr("Quit SLI Desk"))
    box.setText(window.tr("Quit SLI Desk?"))
    detail = window.tr("Everything recorded is saved. %n person(s) will be signed out.", "", people)
    if view is not None and view.status is ProcedureStatus.IN_PROGRESS:
        detail += " " + window.tr(
            "Procedure %1 stays in progress; resume it from the list."
        ).replace("%1", view.subject.study_id)
    box.setInformativeText(detail)
    box.setStandardButtons(QMessageBox.StandardButton.Cancel)
    quit_button = box.addButton(window.tr("&Quit"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.finished.connect(
        lambda _code: window.close() if box.clickedButton() is quit_button else None
    )
    box.finished.connect(box.deleteLater)
    return box


def show_about(window: QWidget, protocol: Protocol) -> None:
    QMessageBox.about(
        window,
        window.tr("About SLI Desk"),
        window.tr("SLI Desk — bedside record of the %1 trial (protocol %2).")
        .replace("%1", protocol.key)
        .replace("%2", protocol.version),
    )
