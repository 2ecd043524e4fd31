"""Child process of the journey test: the real main window, recording sites until it is killed.

    python -m tests.ui.journey_worker DB_PATH PROCEDURE_ID START_UTC_ISO

Signs in the operator and the nurse, opens the procedure in the real `MainWindow` (offscreen)
and presses Return in the syringe field — the operator's confirm key — site after site. After
each press it prints `CONFIRMED <site> <syringe>` only once the window shows the site done,
i.e. after the durable commit; the test kills the process with SIGKILL at a moment of its
choosing and checks that every confirmed site is in the database.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from slidesk.services.accounts import service as accounts
from slidesk.services.workstation.database import open_database
from tests.conftest import PASSWORD
from tests.fakes import FakeClock, cheap_hasher
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.session import BedsideSession
from ui.workspace.entry.panel import EntryPanel


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> None:
    db_path, procedure_id, start = argv[0], int(argv[1]), datetime.fromisoformat(argv[2])
    app = QApplication.instance() or QApplication(sys.argv[:1])
    EntryPanel.repeat_guard_s = 0.0  # keys come faster than hands
    opened = open_database(db_path)
    clock = FakeClock(start)
    context = AppContext(uow=opened.uow, clock=clock, database_location=db_path)
    session = BedsideSession(context)
    for username in ("nurse", "operator"):
        actor = accounts.authenticate(
            uow=opened.uow,
            clock=clock,
            username=username,
            password=PASSWORD,
            hasher=cheap_hasher(),
        )
        session.add(actor, make_active=username == "operator")
    window = MainWindow(context, session)
    window.resize(1366, 768)
    window.show()
    window.open_procedure(procedure_id)
    app.processEvents()
    page = window.workspace
    _say("READY")
    while page.view is not None and page.view.next_site_no is not None:
        before = page.view.injected_count
        site = page.panel.selected
        syringe = page.panel.syringe.text()
        clock.advance(seconds=40)
        QTest.keyClick(page.panel.syringe, Qt.Key.Key_Return)
        app.processEvents()
        if page.view.injected_count != before + 1:
            _say(f"REFUSED {site} {page.panel.banner.text()}")
            break
        _say(f"CONFIRMED {site} {syringe}")
    _say("ALL DONE")


if __name__ == "__main__":
    main(sys.argv[1:])
