"""Start-up: the first screen accepts typing before the database is open.

What a person waits for at start is the sign-in screen (or, on a new database, "create the
first administrator") taking their typing. Importing the ORM and opening — perhaps upgrading —
the database costs more than Qt itself, so that screen is built from a standard-library probe
of the database (`slidesk.services.workstation.startup`) and shown first; the database opens on a
worker
thread while the person types. "Sign in" pressed before it is open waits for it with a note;
a database that cannot be opened closes the screen and says why; quitting meanwhile lets a
schema upgrade finish (for up to 15 s) before the app ends.

`slidesk --db PATH` with no database at PATH and no terminal to ask on (a double-click) asks
here, in a window, whether to create one (`ask_to_create`); Cancel creates nothing.

SLIDESK_STARTUP_TRACE=1 prints the moments on stderr (benchmarks/bench_ui.py reads them);
SLIDESK_STARTUP_TRACE=quit also quits once the database is open.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from slidesk.clock import Clock, SystemClock
from slidesk.services.workstation.startup import Opened, Probe, open_for_sign_in
from ui import settings
from ui.application import create_application
from ui.auth.first_run import FirstRunDialog
from ui.auth.sign_in import SignInDialog
from ui.context import AppContext

if TYPE_CHECKING:
    from slidesk.services.accounts.dto import SignInResult
    from slidesk.services.accounts.service import PasswordHasher
    from slidesk.services.workstation.database import OpenedDatabase
    from ui.session import BedsideSession

log = logging.getLogger(__name__)

TRACE_VARIABLE = "SLIDESK_STARTUP_TRACE"
_HEAVY = ("sqlalchemy", "alembic", "reportlab", "pyhanko")
# Result codes of the first screen besides accepted/rejected.
_SWITCH = 2  # the open database says the other first screen is the right one
_FAILED = 3  # the database cannot be opened
# The worker starts when the first screen has painted; this is the latest it waits for that.
_START_AT_THE_LATEST_MS = 300
_POLL_MS = 10
_QUIT_WAIT_S = 15.0


class StartupError(Exception):
    """The database cannot be opened; the text says why, for the person starting the app."""


@dataclass(slots=True)
class _Result:
    opened: Opened | None = None
    error: BaseException | None = None


def _open_on_worker(target: str, into: _Result) -> None:
    # Holds no Qt object: the thread may outlive the screens (quit while a server is silent),
    # and a Qt wrapper whose last reference went with this thread would be freed on it.
    try:
        into.opened = open_for_sign_in(target)
    except BaseException as exc:  # reported on the GUI thread, never lost with the thread
        into.error = exc


class DatabaseOpener(QObject):
    """Opens the database on a worker thread and reports on the GUI thread (`finished`)."""

    finished = Signal()

    def __init__(self, target: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._thread: threading.Thread | None = None
        self._gc_was_enabled = False
        self._result = _Result()
        self.done = False
        self._poll = QTimer(self)
        self._poll.setInterval(_POLL_MS)
        self._poll.timeout.connect(self._check)

    @property
    def outcome(self) -> Opened | None:
        return self._result.opened

    @property
    def error(self) -> BaseException | None:
        return self._result.error

    def start(self) -> None:
        if self._thread is not None:
            return
        # A collection run on the worker thread could free GUI-thread Qt objects there, which
        # crashes; collection pauses until the worker is done and resumes on this thread.
        self._gc_was_enabled = gc.isenabled()
        gc.disable()
        # A daemon: an unreachable server must not keep a quitting app alive.
        self._thread = threading.Thread(
            target=_open_on_worker,
            args=(self._target, self._result),
            name="open-database",
            daemon=True,
        )
        self._thread.start()
        self._poll.start()

    def _check(self) -> None:
        if self.done or self._thread is None or self._thread.is_alive():
            return
        self._poll.stop()
        if self._gc_was_enabled:
            gc.enable()
        self.done = True
        self.finished.emit()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the database is open or refused (starting the worker if needed);
        False when `timeout` seconds passed first (collection then stays paused: the
        worker may still run)."""
        self.start()
        assert self._thread is not None
        self._thread.join(timeout)
        self._check()
        return self.done


@dataclass(frozen=True, slots=True)
class Started:
    context: AppContext
    database: OpenedDatabase
    session: BedsideSession
    signed_in: SignInResult | None


class Startup(QObject):
    """First administrator or sign-in, while the database opens; then the signed-in session."""

    def __init__(
        self,
        target: str,
        probe: Probe,
        *,
        hasher: PasswordHasher | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self._probe = probe
        self._hasher = hasher
        self._clock = clock or SystemClock()
        self._trace = os.environ.get(TRACE_VARIABLE, "")
        self._opener = DatabaseOpener(target, self)
        self._opener.finished.connect(self._on_opened)
        self._dialog: QDialog | None = None
        self._context: AppContext | None = None
        self._session: BedsideSession | None = None
        self._first_paint: _FirstPaint | None = None

    def run(self) -> Started | None:
        """Run the first screens; None when the person quits. Raises `StartupError`."""
        username = ""
        dialog = self._first_dialog()
        while True:
            self._dialog = dialog
            code = dialog.exec()
            self._dialog = None
            if code == _FAILED:
                raise StartupError(self._failure_text())
            if code == _SWITCH:
                dialog = self._real_dialog(first_run=not isinstance(dialog, FirstRunDialog))
                continue
            if code != QDialog.DialogCode.Accepted:
                self._close_after_quit()
                return None
            if isinstance(dialog, FirstRunDialog):
                username = dialog.created.username if dialog.created else ""
                dialog = self._real_dialog(first_run=False, username=username)
                continue
            assert isinstance(dialog, SignInDialog)
            return self._started(dialog.result_info)

    def _first_dialog(self) -> QDialog:
        location = self._probe.location
        dialog: QDialog
        if self._probe.has_users is False:
            dialog = FirstRunDialog(None, hasher=self._hasher, database_location=location)
        else:
            dialog = SignInDialog(None, None, database_location=location)
        self._first_paint = _FirstPaint(dialog, self._on_first_paint)
        QTimer.singleShot(_START_AT_THE_LATEST_MS, self._opener, self._opener.start)
        return dialog

    def _real_dialog(self, *, first_run: bool, username: str = "") -> QDialog:
        assert self._context is not None
        assert self._session is not None
        if first_run:
            return FirstRunDialog(self._context, hasher=self._hasher)
        return SignInDialog(self._context, self._session, username=username)

    def _on_first_paint(self, dialog: QWidget) -> None:
        self._first_paint = None
        self._emit_trace(f"first-screen {type(dialog).__name__}")
        self._opener.start()

    def _on_opened(self) -> None:
        self._emit_trace("database-open" if self._opener.error is None else "database-failed")
        dialog = self._dialog
        if self._opener.error is not None:
            if dialog is not None:
                dialog.done(_FAILED)
            return
        outcome = self._opener.outcome
        assert outcome is not None
        self._bind(outcome)
        if self._trace == "quit" and dialog is not None:
            dialog.reject()
            return
        if isinstance(dialog, FirstRunDialog):
            if outcome.has_users:
                dialog.done(_SWITCH)
            else:
                dialog.attach(self._context_or_fail())
        elif isinstance(dialog, SignInDialog):
            if not outcome.has_users:
                dialog.done(_SWITCH)
            else:
                assert self._session is not None
                dialog.attach(self._context_or_fail(), self._session)

    def _bind(self, outcome: Opened) -> None:
        from ui.session import BedsideSession

        database = outcome.database
        self._clock.set_zone(outcome.zone)
        self._context = AppContext(
            uow=database.uow, clock=self._clock, database_location=database.location
        )
        self._session = BedsideSession(
            self._context,
            hasher=self._hasher,
            idle_minutes=settings.read(settings.IDLE_LOCK_MINUTES),
        )

    def _context_or_fail(self) -> AppContext:
        assert self._context is not None
        return self._context

    def _started(self, result: SignInResult | None) -> Started:
        outcome = self._opener.outcome
        assert outcome is not None
        assert self._session is not None
        return Started(self._context_or_fail(), outcome.database, self._session, result)

    def _failure_text(self) -> str:
        from ui.door.failures import fault_of, fault_text

        error = self._opener.error
        log.error("cannot open %s", self._probe.location, exc_info=error)
        kind = fault_of(error)
        if kind is None:
            return self.tr("The database %s cannot be opened:\n\n%s") % (
                self._probe.location,
                error,
            )
        # A read-only folder, a full disk, a damaged file: named, with what to do; the
        # driver's own words after it.
        said = fault_text(
            kind,
            "",
            database=self._probe.location,
            saving=False,
            outcome=self.tr("SLI Desk cannot start on it"),
        )
        words = getattr(error, "orig", None) or error
        return f"{said}\n\n({words})"

    def _close_after_quit(self) -> None:
        # A schema upgrade in progress is let finish rather than cut off (it runs in one
        # transaction, so even a cut-off one leaves the old schema); a server that does not
        # answer is not waited for.
        if not self._opener.wait(_QUIT_WAIT_S):
            log.warning("quitting while the database at %s is still opening", self._probe.location)
            return
        if self._opener.outcome is not None:
            self._opener.outcome.database.close()

    def _emit_trace(self, what: str) -> None:
        if not self._trace:
            return
        loaded = [name for name in _HEAVY if name in sys.modules]
        line = f"slidesk-startup {what} heavy={','.join(loaded) or '-'}"
        print(line, file=sys.stderr, flush=True)  # noqa: T201 - asked for by the variable


class _FirstPaint(QObject):
    """Calls back once, when the watched window has painted (it is on screen, taking input)."""

    def __init__(self, widget: QWidget, callback: Callable[[QWidget], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            watched.removeEventFilter(self)
            callback = self._callback
            # After this paint event is through, not inside it.
            QTimer.singleShot(0, self, lambda: callback(watched))
        return False


class CreateQuestion(QMessageBox):
    """ "No SLI Desk database at PATH. Create a new one?" — [Create] [Cancel], Cancel first."""

    def __init__(self, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = QCoreApplication.translate
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle("SLI Desk")
        self.setText(
            tr("startup", "No SLI Desk database at {path}. Create a new one?").format(path=path)
        )
        self.setInformativeText(
            tr(
                "startup",
                "A new database starts empty, with no accounts. If the path is mistyped, "
                "press Cancel and start SLI Desk with the right one.",
            )
        )
        self.create_button = self.addButton(
            tr("startup", "&Create"), QMessageBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.addButton(
            tr("startup", "Cancel"), QMessageBox.ButtonRole.RejectRole
        )
        self.setDefaultButton(self.cancel_button)
        self.setEscapeButton(self.cancel_button)

    @property
    def create_chosen(self) -> bool:
        return self.clickedButton() is self.create_button


def ask_to_create(path: str) -> bool:
    """Ask in a window whether to create a new database at `path` (True: create)."""
    create_application()
    question = CreateQuestion(path)
    try:
        question.exec()
        return question.create_chosen
    finally:
        question.deleteLater()
