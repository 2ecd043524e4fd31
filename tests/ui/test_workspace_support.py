"""Helpers for the workspace and home tests: a bedside window on a real database file.

(Named test_* so that it lives with the tests it serves; it holds no tests itself.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication

from slidesk.services.dto import ProcedureView
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.session import BedsideSession
from ui.workspace.entry_panel import EntryPanel


@pytest.fixture
def ui_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """QSettings go to a temporary folder; no second-press guard (tests type fast)."""
    folder = tmp_path / "settings"
    folder.mkdir()
    QCoreApplication.setOrganizationName("SLIDeskTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setattr(EntryPanel, "repeat_guard_s", 0.0)
    return folder


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


def open_window(qtbot, team, *, typist=None) -> Bedside:  # type: ignore[no-untyped-def]
    """A shown 1366×768 main window with the operator and the nurse signed in."""
    context = AppContext(uow=team.uow, clock=team.clock, database_location="test")
    session = BedsideSession(context)
    session.add(team.nurse, make_active=False)
    session.add(team.operator, make_active=True)
    if typist is not None:
        session.switch_to(typist.user_id)
    window = MainWindow(context, session)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    QApplication.processEvents()
    return Bedside(window, session, context)


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
