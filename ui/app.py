"""The composition root: open the database, wire services to the window, run the event loop.

The only `ui` module that touches `slidesk.persistence` (through `open_database`). Start-up
itself (first screen before the database, see `ui.startup`) imports no ORM before it paints.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from slidesk.clock import SystemClock
from ui.application import create_application
from ui.context import AppContext

if TYPE_CHECKING:
    from slidesk.services.workstation.database import OpenedDatabase

log = logging.getLogger(__name__)


def open_context(target: str) -> tuple[AppContext, OpenedDatabase]:
    """Open the database on this thread (scripts and benchmarks; the app uses `ui.startup`)."""
    from slidesk.services.settings import site_zone
    from slidesk.services.workstation.database import open_database

    opened = open_database(target)
    clock = SystemClock(site_zone(uow=opened.uow))
    return AppContext(uow=opened.uow, clock=clock, database_location=opened.location), opened


def run(target: str) -> int:
    """Start the GUI on the database at `target` (SQLite path or URL)."""
    from slidesk.paths import user_data_dir
    from slidesk.services.workstation.startup import probe_database
    from ui.door.operations import install_log_file
    from ui.startup import Startup, StartupError

    app = create_application()
    # Failures are written here with their traceback; the screen names the file.
    install_log_file(user_data_dir() / "logs")
    probe = probe_database(target)
    print(f"SLI Desk: database {probe.location}")  # noqa: T201 - the README promises this line
    # No users: create the first administrator; then sign in (a due new password included).
    try:
        started = Startup(target, probe).run()
    except StartupError as exc:  # the person must see why the app cannot start, not a traceback
        QMessageBox.critical(None, "SLI Desk", str(exc))
        return 1
    if started is None:
        return 0
    from ui.auth.start import guard_window
    from ui.main_window import MainWindow

    window = MainWindow(started.context, started.session)
    window.show()
    # Idle lock, Ctrl+L, alerts.
    _guard = guard_window(window, started.context, started.session, started.signed_in)
    try:
        return app.exec()
    finally:
        started.database.close()
