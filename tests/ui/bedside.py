"""Helpers for the main-window tests: the window a `make_window` fixture built
(tests/ui/conftest.py), opening a procedure, clicking a site, pressing keys."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from slidesk.services.dto import ProcedureView
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.session import BedsideSession
from ui.workspace.entry.panel import EntryPanel


@dataclass
class Bedside:
    window: MainWindow
    session: BedsideSession
    context: AppContext

    @property
    def page(self):  # type: ignore[no-untyped-def]
        return self.window.workspace

    @property
    def panel(self) -> EntryPanel:
        return self.window.workspace.panel

    @property
    def view(self) -> ProcedureView:
        return self.window.workspace.view


def open_procedure(qtbot, bedside: Bedside, procedure_id: int) -> None:  # type: ignore[no-untyped-def]
    bedside.window.open_procedure(procedure_id)
    qtbot.waitUntil(lambda: bedside.window.workspace.isVisible())
    bedside.window.workspace.diagram.fit()
    QApplication.processEvents()


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, key, modifier)


def click_site(qtbot, bedside: Bedside, number: int) -> None:  # type: ignore[no-untyped-def]
    """Click the marker of a site where it is drawn (scene → viewport coordinates)."""
    diagram = bedside.page.diagram
    point = diagram.map_site_to_viewport(number).toPoint()
    qtbot.mouseClick(diagram.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point))


def live_entry(view: ProcedureView, site_no: int):  # type: ignore[no-untyped-def]
    return next((e for e in view.entries if e.site_no == site_no and not e.voided), None)


def activate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Make a freshly opened dialog the active window (a window manager would)."""
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
