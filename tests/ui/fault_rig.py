"""The fault-injection rig: break one service, do what a person does, look at the screen.

Each case (tests/ui/test_faults_*.py) builds a screen on a real database and names the
person's action that calls one service. `drive` breaks that service — first with an
unexpected error, then (for a service that writes) with a locked database — does the action
through the real widgets, and asserts what the issue asks: a message is visible on screen
(saying what was NOT recorded), the log file got the traceback, no table of the database
changed, and once the service is mended the same action works. `CASES` is compared with the
services tests/one_door_scan.py finds in ui/: a service no case breaks fails the coverage
test.

Not a test module itself (no test_ prefix); imported by the fault tests.
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QWidget
from sqlalchemy.exc import OperationalError

from slidesk.domain.users import Actor
from tests.conftest import Team
from tests.integration.test_security import table_counts
from tests.one_door_scan import is_service
from tests.ui.bedside import Bedside, open_procedure
from ui.door import jobs, operations

_WAIT_MS = 20_000  # a sealed report is made on a worker thread


@dataclass
class Scene:
    """A screen ready for the person's action that calls the broken service."""

    act: Callable[[], None]
    """The action, through the widgets (a click, a key); it may be repeated."""

    worked: Callable[[], bool]
    """After the service is mended and the action repeated: it took effect."""

    says: str = "NOT recorded"
    """What the message must say (besides the log file): what was not done."""

    keep: list[Any] = field(default_factory=list)
    """Windows the scene opened: held until the case is over."""

    slow: bool = False
    """The mended action runs in the background (a report, an export): wait longer."""

    counted: Any = None
    """The database whose tables must not change (default: the team's); has `.uow`."""


@dataclass(frozen=True)
class Case:
    service: str
    writes: bool
    build: Callable[[Rig], Scene]


CASES: dict[str, Case] = {}


def case(service: str, *, writes: bool) -> Callable[[Callable[[Rig], Scene]], Case]:
    """Register the case that breaks `service` (its name as tests/one_door_scan names it)."""

    def register(build: Callable[[Rig], Scene]) -> Case:
        assert service not in CASES, f"two cases for {service}"
        found = CASES[service] = Case(service, writes, build)
        return found

    return register


class Rig:
    """A database with the team, a log file, and the app's windows as a test opens them."""

    def __init__(
        self, qtbot: Any, team: Team, tmp_path: Path, monkeypatch: Any, make_window: Any
    ) -> None:
        self.qtbot = qtbot
        self.make_window = make_window
        self.team = team
        self.tmp_path = tmp_path
        self.monkeypatch = monkeypatch
        # A write that waits for another program's lock (the bedside Confirm) gives up after
        # one second here, not fifteen: the injected lock never goes away.
        monkeypatch.setenv("SLIDESK_LOCK_WAIT", "1")
        self.log = operations.install_log_file(tmp_path / "logs")
        self.bedside: Bedside | None = None
        self.cleanups: list[Callable[[], object]] = []

    def close(self) -> None:
        # Background work (a report, the audit check) ends before the database closes.
        self.qtbot.waitUntil(
            lambda: all(job.finished_at is not None for job in list(jobs._RUNNING)),
            timeout=_WAIT_MS,
        )
        for cleanup in self.cleanups:
            cleanup()
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", None) == str(self.log):
                root.removeHandler(handler)
                handler.close()

    # --- windows ------------------------------------------------------------------------------

    def window(self, typist: Actor | None = None) -> Bedside:
        """The main window (1366×768), the operator and the nurse signed in."""
        if self.bedside is None:
            self.bedside = self.make_window(self.team, typist=typist)
        return self.bedside

    def workspace(self, procedure_id: int, typist: Actor | None = None) -> Bedside:
        bedside = self.window(typist)
        open_procedure(self.qtbot, bedside, procedure_id)
        return bedside

    def activate(self, window: QWidget) -> None:
        """Make a window the active one again (a closed dialog leaves none active here)."""
        window.activateWindow()
        self.qtbot.waitUntil(window.isActiveWindow)

    def key(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """A key pressed wherever the keyboard is (as a person presses a shortcut)."""
        target = QApplication.focusWidget() or (self.bedside.window if self.bedside else None)
        assert target is not None
        self.qtbot.keyClick(target, key, modifier)

    def click(self, widget: QWidget) -> None:
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def shown(self, dialog: QWidget) -> QWidget:
        """A dialog that was just opened, active and on screen."""
        self.qtbot.waitExposed(dialog)
        dialog.activateWindow()
        return dialog

    def log_text(self) -> str:
        for handler in logging.getLogger().handlers:
            handler.flush()
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""


# --- what the person sees -------------------------------------------------------------------


def visible_texts() -> list[str]:
    """The text of every label on screen (message lines, strips, boxes), top windows first."""
    texts: list[str] = []
    for window in QApplication.topLevelWidgets():
        if not window.isVisible():
            continue
        for label in [window, *window.findChildren(QLabel)]:
            if isinstance(label, QLabel) and label.isVisible() and label.text():
                texts.append(label.text())
        if isinstance(window, QMessageBox):
            texts.append(window.text())
    return texts


def _forget_messages(marker: str) -> None:
    """Take failure messages off the screen, so that the next one is seen to be new."""
    for window in QApplication.topLevelWidgets():
        if isinstance(window, QMessageBox) and window.isVisible():
            window.done(0)
            continue
        for label in window.findChildren(QLabel):
            if marker in label.text():
                label.setText("")


# --- breaking a service ---------------------------------------------------------------------


def _service(name: str) -> Callable[..., Any]:
    module_name, _, attribute = name.rpartition(".")
    found = getattr(importlib.import_module(module_name), attribute)
    assert is_service(found), name
    return found  # type: ignore[no-any-return]


@contextmanager
def broken(name: str, fault: BaseException) -> Iterator[None]:
    """`name` raises `fault` wherever the screens or the services look it up."""
    original = _service(name)

    def fail(*_args: object, **_kwargs: object) -> object:
        raise fault

    with pytest.MonkeyPatch.context() as patch:
        for module_name, module in list(sys.modules.items()):
            if not module_name.startswith(("slidesk.services", "ui.")) or module is None:
                continue
            for attribute, value in list(vars(module).items()):
                if value is original:
                    patch.setattr(module, attribute, fail)
        yield


def faults(service: str, writes: bool) -> list[tuple[str, BaseException]]:
    """An unexpected error; for a service that writes, also a database that is locked."""
    tag = f"injected into {service}"
    found: list[tuple[str, BaseException]] = [(f"{tag} #1", RuntimeError(f"{tag} #1"))]
    if writes:
        locked = sqlite3.OperationalError("database is locked")
        found.append((f"{tag} #2", OperationalError(f"{tag} #2", {}, locked)))
    return found


def drive(rig: Rig, found: Case) -> None:
    """Break the case's service, act, and check the screen, the log and the database."""
    scene = found.build(rig)
    marker = f"The details are in the log file {rig.log}"
    counted = scene.counted or rig.team
    before = table_counts(counted)
    for tag, fault in faults(found.service, found.writes):
        _forget_messages(marker)
        with broken(found.service, fault):
            scene.act()
            rig.qtbot.waitUntil(
                lambda: any(marker in t and scene.says in t for t in visible_texts()),
                timeout=_WAIT_MS,
            )
        log = rig.log_text()
        assert tag in log, f"{found.service}: the failure is not in the log"
        assert "Traceback" in log, f"{found.service}: no traceback in the log"
        assert table_counts(counted) == before, f"{found.service}: the database changed"
    _forget_messages(marker)
    scene.act()
    rig.qtbot.waitUntil(scene.worked, timeout=_WAIT_MS if scene.slow else 5_000)
    assert not any(marker in t for t in visible_texts())


def accept_when_shown(
    rig: Rig, get: Callable[[], QDialog | None], fill: Callable[[Any], None]
) -> None:
    """Fill and accept the dialog an action opened (with `open()`, it does not block)."""
    dialog = get()
    assert dialog is not None, "the action opened no dialog"
    rig.shown(dialog)
    fill(dialog)
