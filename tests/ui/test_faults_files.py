"""Real file faults on screen: a full disk, a read-only database file, a damaged file.

No fault is injected into a service here: the database sits on a small tmpfs that is then
filled, behind a read-only bind mount, or has a page of its file overwritten. The bedside
Confirm (and, on a read-only file, the sign-in) must say in one sentence which file is at
fault and what to do, record nothing, and keep what was typed on screen to try again.
Mounting needs root (CI runs as root); where it is not allowed, the test says so and skips.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt

from slidesk.services.workstation.database import OpenedDatabase, open_database
from tests.conftest import PASSWORD, Team
from tests.ui.bedside import open_procedure
from ui.auth.sign_in import SignInDialog
from ui.context import AppContext
from ui.session import BedsideSession


@pytest.fixture
def mounts() -> Iterator[Callable[[str, Path], None]]:
    """`mount(command, target)`: run a mount command (skip if not allowed); undone at the end."""
    done: list[Path] = []

    def mount(command: str, target: Path) -> None:
        run = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=False)
        if run.returncode != 0:
            pytest.skip(f"mounting is not allowed here ({run.stderr.strip()})")
        done.append(target)

    yield mount
    for target in reversed(done):
        subprocess.run(["umount", "-l", str(target)], check=False)


@pytest.fixture
def opened(request: pytest.FixtureRequest) -> Iterator[Callable[[Path], OpenedDatabase]]:
    """Open databases that are closed when the test ends (before their mounts are undone)."""
    found: list[OpenedDatabase] = []
    request.getfixturevalue("mounts")  # closed before the mounts are undone

    def open_(path: Path) -> OpenedDatabase:
        db = open_database(path)
        found.append(db)
        return db

    yield open_
    for db in found:
        db.close()


def _on(db: OpenedDatabase, team: Team) -> Any:
    """The team's people, working on another opening of a database."""
    return SimpleNamespace(
        uow=db.uow, clock=team.clock, db=db, nurse=team.nurse, operator=team.operator
    )


def _injections(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (count,) = con.execute(
            "SELECT count(*) FROM site_entries WHERE kind = 'injected' AND voided = 0"
        ).fetchone()
    finally:
        con.close()
    return int(count)


def _banner(bedside: Any) -> str:
    banner = bedside.panel.banner
    return str(banner.text()) if banner.isVisible() else ""


def _fill(filler: Path) -> None:
    """Write `filler` until its disk is full."""

    def write_until_full() -> None:
        with filler.open("wb") as out:
            while True:
                out.write(b"\0" * 65536)
                out.flush()

    with pytest.raises(OSError, match="No space left"):
        write_until_full()


def _typed(bedside: Any) -> tuple[str, str, str]:
    panel = bedside.panel
    return panel.depth.text(), panel.volume.text(), panel.syringe.text()


def test_a_full_disk_is_named_and_confirm_again_saves_once_space_is_freed(
    qtbot: Any, make_window: Any, clock: Any, tmp_path: Path, mounts: Any, opened: Any
) -> None:
    disk = tmp_path / "small-disk"
    disk.mkdir()
    mounts(f"mount -t tmpfs -o size=2m tmpfs {disk}", disk)
    db = opened(disk / "slidesk.sqlite3")
    team = Team(db, clock)
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    typed = _typed(bedside)
    filler = disk / "filler"
    _fill(filler)

    qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "NOT recorded" in _banner(bedside), timeout=5000)
    said = _banner(bedside)
    assert f"The disk holding the database {db.location} is full" in said
    assert "Free some space" in said
    assert _typed(bedside) == typed
    assert _injections(disk / "slidesk.sqlite3") == 0
    bedside.window.grab().save(str(tmp_path / "disk-full.png"))

    filler.unlink()
    qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bedside.view.injected_count == 1, timeout=5000)
    assert _injections(disk / "slidesk.sqlite3") == 1


def _read_only(team: Team, mounts: Any, opened: Any) -> OpenedDatabase:
    """The team's database file behind a read-only bind mount, opened again through it."""
    path = Path(team.db.location)
    team.db.close()  # its connections were opened writable, before the mount
    mounts(f"mount --bind {path} {path} && mount -o remount,ro,bind {path}", path)
    return opened(path)  # type: ignore[no-any-return]


def test_a_read_only_database_file_is_named_at_confirm(
    qtbot: Any, make_window: Any, team: Team, tmp_path: Path, mounts: Any, opened: Any
) -> None:
    started = team.started_procedure()
    db = _read_only(team, mounts, opened)
    bedside = make_window(_on(db, team))
    open_procedure(qtbot, bedside, started.id)
    typed = _typed(bedside)

    qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "NOT recorded" in _banner(bedside), timeout=5000)
    said = _banner(bedside)
    assert f"The database {db.location} is read-only" in said
    assert "Ask IT to make the file and its folder writable, then try again" in said
    assert _typed(bedside) == typed
    assert _injections(Path(db.location)) == 0
    bedside.window.grab().save(str(tmp_path / "read-only.png"))


def test_sign_in_on_a_read_only_database_file_says_why(
    qtbot: Any, team: Team, tmp_path: Path, mounts: Any, opened: Any
) -> None:
    db = _read_only(team, mounts, opened)
    context = AppContext(uow=db.uow, clock=team.clock, database_location=db.location)
    session = BedsideSession(context)
    dialog = SignInDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.resize(560, 420)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.username, "nurse")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.strip.isVisible() and "read-only" in dialog.strip.text())
    said = dialog.strip.text()
    assert f"The database {db.location} is read-only" in said
    assert "sign-in" in said.lower()
    assert dialog.isVisible()
    assert dialog.username.text() == "nurse"
    dialog.grab().save(str(tmp_path / "sign-in-read-only.png"))


def test_a_damaged_database_file_is_named_at_confirm(
    qtbot: Any, make_window: Any, team: Team, tmp_path: Path, mounts: Any, opened: Any
) -> None:
    started = team.started_procedure()
    path = Path(team.db.location)
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    typed = _typed(bedside)
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = con.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'site_entries'"
    ).fetchone()
    (page_size,) = con.execute("PRAGMA page_size").fetchone()
    con.close()
    with path.open("r+b") as raw:  # the table's first page: its header overwritten
        raw.seek((root - 1) * page_size)
        raw.write(b"\xa5" * 64)
    team.uow.dispose()  # no page of the sound file stays in a connection's cache

    qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "NOT recorded" in _banner(bedside), timeout=5000)
    said = _banner(bedside)
    assert f"The database {team.db.location} is damaged" in said
    assert "restore it from a backup" in said
    assert _typed(bedside) == typed
    bedside.window.grab().save(str(tmp_path / "damaged.png"))


def test_a_read_only_database_folder_at_start_up_is_named(
    qtbot: Any, tmp_path: Path, clock: Any, mounts: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from slidesk.services.workstation.startup import probe_database
    from ui.startup import Startup, StartupError

    writable, read_only = tmp_path / "writable", tmp_path / "read-only"
    writable.mkdir()
    read_only.mkdir()
    db = open_database(writable / "slidesk.sqlite3")
    Team(db, clock)
    db.close()
    mounts(
        f"mount --bind {writable} {read_only} && mount -o remount,ro,bind {read_only}",
        read_only,
    )
    target = read_only / "slidesk.sqlite3"

    with pytest.raises(StartupError) as refused:
        Startup(str(target), probe_database(target)).run()

    said = str(refused.value)
    assert f"The database {target} is read-only. SLI Desk cannot start on it." in said
    assert "Ask IT to make the file and its folder writable" in said
    box = QMessageBox(QMessageBox.Icon.Critical, "SLI Desk", said)  # as ui.app shows it
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    box.grab().save(str(tmp_path / "start-up-read-only.png"))
