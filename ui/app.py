"""The composition root: open the database, wire services to the window, run the event loop.

The only `ui` module that touches `slidesk.persistence` (through `open_database`).
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from slidesk.clock import SystemClock
from slidesk.services.database import OpenedDatabase, open_database
from ui.context import AppContext

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("SLI Desk")
    app.setOrganizationName("SLIDesk")
    return app


def open_context(target: str) -> tuple[AppContext, OpenedDatabase]:
    opened = open_database(target)
    return AppContext(
        uow=opened.uow, clock=SystemClock(), database_location=opened.location
    ), opened


def run(target: str) -> int:
    """Start the GUI on the database at `target` (SQLite path or URL)."""
    app = create_application()
    try:
        context, opened = open_context(target)
    except Exception as exc:  # the user must see why the app cannot start, not a traceback
        log.exception("cannot open %s", target)
        QMessageBox.critical(None, "SLI Desk", f"The database {target} cannot be opened:\n\n{exc}")
        return 1
    print(f"SLI Desk: database {opened.location}")  # noqa: T201 - the README promises this line
    from ui.auth.start import guard_window, start_session
    from ui.main_window import MainWindow

    # No users: create the first administrator; then sign in (a due new password included).
    started = start_session(context)
    if started is None:
        opened.close()
        return 0
    session, signed_in = started
    window = MainWindow(context, session)
    window.show()
    _guard = guard_window(window, context, session, signed_in)  # idle lock, Ctrl+L, alerts
    try:
        return app.exec()
    finally:
        opened.close()
