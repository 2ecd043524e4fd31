"""The one `QApplication` of the process: created once, with the names QSettings files use.

Needed both by the composition root (`ui.app`) and by the start-up questions asked before any
database is open (`ui.startup`); it imports neither of them.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


def create_application(argv: list[str] | None = None) -> QApplication:
    """The running application, created (and named) on first call."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("SLI Desk")
    app.setOrganizationName("SLIDesk")
    return app
