"""Fixtures of the screen tests: one app context, and windows that die with their test.

`make_window` builds the app's main window (like napari's `make_napari_viewer`): shown at
1366×768 with the operator and the nurse signed in, held by the fixture until the test ends,
then closed and deleted before the database closes.

Imports Qt and the screens; the core only through the `team` fixture (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication

from slidesk.domain.users import Actor
from tests.conftest import Team
from tests.ui.bedside import Bedside
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.session import BedsideSession
from ui.workspace.entry_panel import EntryPanel


@pytest.fixture(autouse=True)
def ui_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """QSettings go to the test's temporary folder; no second-press guard (tests type fast)."""
    folder = tmp_path / "settings"
    folder.mkdir()
    QCoreApplication.setOrganizationName("SLIDeskTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setattr(EntryPanel, "repeat_guard_s", 0.0)
    return folder


@pytest.fixture
def context(team: Team) -> AppContext:
    return AppContext(uow=team.uow, clock=team.clock, database_location=team.db.location)


def delete_pending_windows() -> None:
    """Run the deletions that closed windows asked for (`deleteLater`), now.

    Outside an event loop they wait; QApplication.processEvents() does not run them either.
    """
    app = QApplication.instance()
    if app is not None:
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _windows_die_with_their_test() -> Iterator[None]:
    """Delete the test's windows now, at its teardown.

    pytest-qt closes them and calls deleteLater() before this runs, but outside an event loop
    the deletion waits: a window then lives on into a later test with its timers firing, until
    a garbage collection deletes it in the middle of such a timer's slot ("Internal C++ object
    already deleted", seen in CI from the home list's resume timer).
    """
    yield
    delete_pending_windows()


class WindowFactory:
    """Builds the app's main windows for one test; `close_all` closes and deletes them."""

    def __init__(self, qtbot: Any, request: pytest.FixtureRequest) -> None:
        self._qtbot = qtbot
        self._request = request
        self._windows: list[MainWindow] = []

    def __call__(
        self,
        team: Team | None = None,
        *,
        users: tuple[Actor, ...] | None = None,
        typist: Actor | None = None,
        like: Bedside | None = None,
        size: tuple[int, int] = (1366, 768),
    ) -> Bedside:
        """A shown main window on `team`'s database (the test's `team` unless given).

        Signed in: `users` (the last one typing), by default the nurse and the operator;
        `typist` then switches who types. `like` opens another window on that one's
        context and session (the app opened again in the same sitting).
        """
        if like is not None:
            context, session = like.context, like.session
        else:
            team = team if team is not None else self._request.getfixturevalue("team")
            context = AppContext(uow=team.uow, clock=team.clock, database_location=team.db.location)
            session = BedsideSession(context)
            for actor in users if users is not None else (team.nurse, team.operator):
                session.add(actor)
            if typist is not None:
                session.switch_to(typist.user_id)
        window = MainWindow(context, session)
        self._windows.append(window)
        window.resize(*size)
        window.show()
        self._qtbot.waitExposed(window)
        window.activateWindow()
        QApplication.processEvents()
        return Bedside(window, session, context)

    def close_all(self) -> None:
        for window in self._windows:
            if shiboken6.isValid(window):
                window.close()
                window.deleteLater()
        delete_pending_windows()
        self._windows.clear()


@pytest.fixture
def make_window(
    qtbot: Any, request: pytest.FixtureRequest, make_db: object
) -> Iterator[Callable[..., Bedside]]:
    """Factory: `make_window(team=None, *, users=, typist=, like=)` → a shown `Bedside`.

    Every window it made is closed and deleted when the test ends, before its database closes
    (`make_db`, which closes the test's databases, is torn down after this fixture).
    """
    factory = WindowFactory(qtbot, request)
    yield factory
    factory.close_all()
