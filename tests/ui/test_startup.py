"""Start-up: the first screen is up and taking keys before the database has opened."""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from slidesk.persistence.migrate import SCHEMA_HEADS
from slidesk.services.workstation import startup as startup_service
from slidesk.services.workstation.startup import Probe, probe_database
from tests.conftest import PASSWORD
from ui import startup as startup_module
from ui.auth.first_run import FirstRunDialog
from ui.auth.sign_in import SignInDialog
from ui.startup import Startup, StartupError

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "blue-river-stone-4"


class Gate:
    """Holds the worker's database open until the test lets it go."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._open = threading.Event()
        self.working = threading.Event()
        real = startup_service.open_for_sign_in

        def held(target: str) -> startup_service.Opened:
            self.working.set()
            self._open.wait(20)
            return real(target)

        monkeypatch.setattr(startup_module, "open_for_sign_in", held)

    def release(self) -> None:
        self._open.set()


def when_shown(kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
    """Run `act` on the modal dialog of `kind` once it is on screen (the app is in exec())."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            act(widget)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def test_sign_in_asked_for_while_the_database_opens_goes_ahead_once_it_is_open(
    qtbot, team, monkeypatch
) -> None:
    gate = Gate(monkeypatch)
    location = team.db.location
    seen: dict[str, object] = {}

    def type_and_sign_in(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        qtbot.waitUntil(gate.working.is_set)  # the worker starts once the screen has painted
        qtbot.keyClicks(dialog.username, "admin")
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        seen["waiting"] = dialog.waiting_for_database
        seen["message"] = dialog.strip.text()
        seen["button"] = dialog.ok_button.isEnabled()
        seen["gc while opening"] = gc.isenabled()
        gate.release()

    when_shown(SignInDialog, type_and_sign_in)
    started = Startup(
        location, probe_database(location), hasher=team.hasher, clock=team.clock
    ).run()

    assert seen["waiting"] is True
    assert seen["message"] == (
        "Opening the database… you will be signed in as soon as it is ready."
    )
    assert seen["button"] is False
    assert seen["gc while opening"] is False
    # On again once the GUI thread hears the last worker ended (the sign-in's entry may have
    # written a checkpoint, its witness on a thread of its own).
    qtbot.waitUntil(gc.isenabled)
    assert started is not None
    assert started.session.active is not None
    assert started.session.active.username == "admin"
    assert started.context.database_location == location
    started.database.close()


def test_a_new_database_asks_for_the_first_administrator_then_signs_them_in(
    qtbot, tmp_path, monkeypatch
) -> None:
    from tests.fakes import cheap_hasher

    gate = Gate(monkeypatch)
    target = str(tmp_path / "new.sqlite3")
    probe = probe_database(target)
    assert probe.has_users is False

    def create(dialog: QWidget) -> None:
        assert isinstance(dialog, FirstRunDialog)
        qtbot.keyClicks(dialog.username, "dm.jansen")
        qtbot.keyClicks(dialog.full_name, "Dana Jansen")
        qtbot.keyClicks(dialog.password, NEW_PASSWORD)
        qtbot.keyClicks(dialog.repeat, NEW_PASSWORD)
        qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
        assert dialog.waiting_for_database
        gate.release()
        when_shown(SignInDialog, sign_in)

    def sign_in(dialog: QWidget) -> None:
        assert isinstance(dialog, SignInDialog)
        assert dialog.username.text() == "dm.jansen"
        qtbot.keyClicks(dialog.password, NEW_PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    when_shown(FirstRunDialog, create)
    started = Startup(target, probe, hasher=cheap_hasher()).run()

    assert started is not None
    assert started.session.active is not None
    assert started.session.active.full_name == "Dana Jansen"
    started.database.close()


def test_quitting_while_the_database_opens_lets_the_schema_upgrade_finish(
    qtbot, tmp_path, monkeypatch
) -> None:
    gate = Gate(monkeypatch)
    target = tmp_path / "quit.sqlite3"

    def quit_now(dialog: QWidget) -> None:
        # Still opening when the person quits; the app waits for it with no event loop running.
        threading.Timer(0.2, gate.release).start()
        dialog.reject()

    when_shown(FirstRunDialog, quit_now)
    assert Startup(str(target), probe_database(target)).run() is None

    with sqlite3.connect(target) as con:
        heads = {row[0] for row in con.execute("SELECT version_num FROM alembic_version")}
    assert heads == set(SCHEMA_HEADS)
    assert gc.isenabled()


def test_quitting_does_not_hang_on_a_database_that_never_answers(
    qtbot, tmp_path, monkeypatch
) -> None:
    gate = Gate(monkeypatch)  # stands for a server that does not answer
    monkeypatch.setattr(startup_module, "_QUIT_WAIT_S", 0.3)
    target = tmp_path / "slow.sqlite3"
    when_shown(FirstRunDialog, lambda dialog: dialog.reject())

    began = time.monotonic()
    assert Startup(str(target), probe_database(target)).run() is None
    assert time.monotonic() - began < 5
    # The app ends here; the test lets the worker finish and resumes collection itself.
    assert not gc.isenabled()
    gate.release()
    worker = next(t for t in threading.enumerate() if t.name == "open-database")
    worker.join(20)
    gc.enable()


def test_a_database_that_cannot_be_opened_closes_the_first_screen_and_says_why(
    qtbot, tmp_path
) -> None:
    target = tmp_path / "not-a-database.sqlite3"
    target.write_bytes(b"this is a letter, not a database " * 200)
    probe = probe_database(target)
    assert probe.has_users is None  # the quick look can't tell: sign-in, then the real open

    with pytest.raises(StartupError) as refused:
        Startup(str(target), probe).run()

    assert str(target) in str(refused.value)
    assert "file is not a database" in str(refused.value)
    assert QApplication.activeModalWidget() is None
    assert gc.isenabled()


def test_sign_in_turns_into_first_run_when_the_open_database_has_no_accounts(qtbot, db) -> None:
    # A server database can't be probed cheaply: sign-in comes first, until it is open.
    unknown = Probe(db.location, None)
    shown: list[str] = []

    def remember_and_wait(dialog: QWidget) -> None:
        shown.append(type(dialog).__name__)
        when_shown(FirstRunDialog, quit_first_run)

    def quit_first_run(dialog: QWidget) -> None:
        shown.append(type(dialog).__name__)
        dialog.reject()

    when_shown(SignInDialog, remember_and_wait)
    assert Startup(db.location, unknown).run() is None
    assert shown == ["SignInDialog", "FirstRunDialog"]


@pytest.mark.parametrize(
    ("accounts", "first_screen"), [(True, "SignInDialog"), (False, "FirstRunDialog")]
)
def test_the_real_command_paints_its_first_screen_before_it_imports_the_orm(
    tmp_path, make_db, clock, accounts, first_screen
) -> None:
    target = tmp_path / "app.sqlite3"
    if accounts:
        from tests.conftest import Team

        Team(make_db("app.sqlite3"), clock)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SLIDESK_STARTUP_TRACE="quit")
    done = subprocess.run(
        # --new: without accounts the file does not exist yet, and a new one is wanted there.
        [sys.executable, str(ROOT / "main.py"), "--db", str(target), "--new"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )

    trace = [line for line in done.stderr.splitlines() if line.startswith("slidesk-startup")]
    assert done.returncode == 0, done.stderr
    assert trace == [
        f"slidesk-startup first-screen {first_screen} heavy=-",
        "slidesk-startup database-open heavy=sqlalchemy" + ("" if accounts else ",alembic"),
    ]
    assert f"SLI Desk: database {target}" in done.stdout
