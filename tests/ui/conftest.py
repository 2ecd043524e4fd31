"""Fixtures of the screen tests: one app context, and windows that die with their test.

`make_window` builds the app's main window (like napari's `make_napari_viewer`): shown at
1366×768 with the operator and the nurse signed in, held by the fixture until the test ends,
then closed and deleted before the database closes.

Widgets given to `qtbot.addWidget` are held until teardown too: pytest-qt keeps only a weak
reference, so a window whose Python object sits in a reference cycle (most of ours) could be
collected while its test still used it (a fixture that kept only a child), or just after the
test function returned, while pytest-qt still processed events and the window's timers fired.
The collection ran in the middle of a slot and deleted the window under it: "Internal C++
object (MessageLine) already deleted" with a 5-second signal time-out in the vitals tests,
"(QPushButton) already deleted" from the home list's resume timer.

Every test here is checked for leaked windows. At teardown, once the factory's windows and
qtbot's widgets are closed and deleted, a top-level widget that was not there before the test
and is still alive fails the test (and is deleted, so that the next test starts clean): it
would keep its timers running into later tests until a collection deletes it at a random
moment. One only garbage holds is collected there and then, and is not a failure.

Imports Qt and the screens; the core only through the `team` fixture (tests/conftest.py).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from slidesk.domain.users import Actor
from slidesk.services.workstation.database import OpenedDatabase
from tests.conftest import Team
from tests.fakes import FakeClock
from tests.ui.bedside import Bedside
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.session import BedsideSession
from ui.workspace.entry.panel import EntryPanel

# Qt's own short-lived windows, deleted by Qt itself when they have been hidden a moment.
_QT_TRANSIENT = frozenset({"QTipLabel"})


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
def nurse_panel(team: Team, context: AppContext, qtbot: Any) -> Any:
    """The nurse's panel on a started procedure, the nurse typing and the operator signed in."""
    from ui.nurse.panel import NursePanel

    session = BedsideSession(context)
    session.add(team.operator, make_active=False)
    session.add(team.nurse)
    view = team.started_procedure()
    widget = NursePanel(context, session)
    qtbot.addWidget(widget)
    widget.resize(480, 720)
    widget.set_procedure(view.id)
    widget.show()
    widget.session = session  # a name on the session for the panel's lifetime
    return widget


@pytest.fixture
def context(team: Team) -> AppContext:
    """The app's context on the team's database: the one every screen test builds on."""
    return AppContext(uow=team.uow, clock=team.clock, database_location=team.db.location)


@pytest.fixture
def empty_context(db: OpenedDatabase, clock: FakeClock) -> AppContext:
    """The app's context on the test's database before it has an account (the first run)."""
    return AppContext(uow=db.uow, clock=clock, database_location=db.location)


def delete_pending_windows() -> None:
    """Run the deletions that closed windows asked for (`deleteLater`), now.

    Outside an event loop they wait; QApplication.processEvents() does not run them either.
    """
    app = QApplication.instance()
    if app is not None:
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _key(widget: QWidget) -> int:
    return int(shiboken6.getCppPointer(widget)[0])


def live_windows() -> dict[int, QWidget]:
    """Every top-level widget whose C++ object is alive, by its address."""
    return {
        _key(w): w
        for w in QApplication.topLevelWidgets()
        if shiboken6.isValid(w) and type(w).__name__ not in _QT_TRANSIENT
    }


def describe(widget: QWidget) -> str:
    title = widget.windowTitle() or widget.objectName()
    shown = "shown" if widget.isVisible() else "hidden"
    return f"{type(widget).__name__}" + (f" '{title}'" if title else "") + f" ({shown})"


class LeakedWindows(AssertionError):
    """A test left windows alive after its teardown."""


def new_windows(before: set[int]) -> list[QWidget]:
    return [w for key, w in live_windows().items() if key not in before]


def check_no_new_windows(before: set[int]) -> None:
    """Fail (`LeakedWindows`) when top-level widgets not in `before` are alive; delete them.

    A widget that only garbage holds (its Python object in a reference cycle) is not a leak,
    but it would live on until a collection at a moment nobody chose: collect it now, on this
    thread, between tests (only when there is such a suspect: a collection costs ≈ 0.2 s).
    """
    delete_pending_windows()
    if not new_windows(before):
        return
    gc.collect()
    delete_pending_windows()
    leaked = new_windows(before)
    if not leaked:
        return
    names = ", ".join(describe(w) for w in leaked)
    for widget in leaked:
        widget.close()
        widget.deleteLater()
    delete_pending_windows()
    raise LeakedWindows(
        f"{len(leaked)} window(s) outlived the test: {names}. Build windows with `make_window`, "
        "or give other top-level widgets to `qtbot.addWidget` (or a parent)."
    )


@pytest.fixture(autouse=True)
def _no_window_outlives_its_test(qtbot: Any) -> Iterator[None]:
    """Hold what the test gives `qtbot.addWidget`; fail the test if a window outlives it."""
    before = set(live_windows())
    held: list[QWidget] = []
    add_widget = qtbot.addWidget

    def add_and_hold(widget: QWidget, *, before_close_func: Any = None) -> None:
        held.append(widget)
        add_widget(widget, before_close_func=before_close_func)

    qtbot.addWidget = add_and_hold
    yield
    # pytest-qt has closed the widgets given to it and asked for their deletion by now.
    delete_pending_windows()
    held.clear()
    leak: str | None = None
    try:
        check_no_new_windows(before)
    except LeakedWindows as exc:
        leak = str(exc)
    if leak is not None:
        pytest.fail(leak, pytrace=False)


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
