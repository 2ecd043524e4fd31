"""Every command says a database fault in one line and exits non-zero: never a traceback;
a path that holds no SLI Desk database is refused and nothing is created there.

Faults: another program holds the lock, the file is on a read-only file system (root ignores
file modes, so a read-only bind mount in a private mount namespace), the file is damaged, or
there is no file at all.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from slidesk.cli.main import main
from slidesk.clock import SystemClock
from slidesk.demo.build import build_demo

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = {
    "verify": ["verify"],
    "report": ["report", "1", "-o", "{out}/p1.pdf", "--username", "admin"],
    "users list": ["users", "list"],
    "verify-pdf": ["verify-pdf", "{out}/missing.pdf"],
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    build_demo(str(path), clock=SystemClock())
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def slidesk(
    db: Path, command: str, out: Path, *, read_only: Path | None = None
) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "slidesk", "--db", str(db)]
    argv += [a.format(out=out) for a in COMMANDS[command]]
    if read_only is not None:
        mount = f"mount --bind -o ro {read_only} {read_only}"
        argv = ["unshare", "--mount", "sh", "-c", f'{mount} && exec "$@"', "sh", *argv]
    env = {**os.environ, "SLIDESK_PASSWORD": "demo-password-1", "SLIDESK_LOCK_WAIT": "0.5"}
    return subprocess.run(
        argv,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env=env,
        check=False,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def held(demo: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the demo database whose lock another program holds, readers shut out too."""
    path = tmp_path / "held.sqlite3"
    shutil.copy(demo, path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("CREATE TABLE holding (x)")
    yield path
    conn.execute("ROLLBACK")
    conn.close()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_locked_database_is_one_line(held: Path, tmp_path: Path, command: str) -> None:
    assert_one_line(slidesk(held, command, tmp_path), str(held), "locked")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_missing_database_is_one_line(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nothing-here.sqlite3"
    assert_one_line(slidesk(missing, command, tmp_path), str(missing))
    assert not missing.exists()


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"verify"}))
def test_a_damaged_database_is_one_line(demo: Path, tmp_path: Path, command: str) -> None:
    path = tmp_path / "damaged.sqlite3"
    shutil.copy(demo, path)
    with path.open("r+b") as handle:  # the first page after the file header: the schema itself
        handle.seek(100)
        data = handle.read(200)
        handle.seek(100)
        handle.write(bytes(b ^ 0xFF for b in data))
    assert_one_line(slidesk(path, command, tmp_path), str(path), "CORRUPT")


@pytest.fixture
def read_only_folder(demo: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(demo, folder / "study.sqlite3")
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", f"mount --bind -o ro {folder} {folder}"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip("no private read-only mount here: " + probe.stderr.decode().strip())
    return folder


@pytest.mark.parametrize("command", ["report", "users list"])
def test_a_read_only_database_is_one_line(
    read_only_folder: Path, tmp_path: Path, command: str
) -> None:
    db = read_only_folder / "study.sqlite3"
    result = slidesk(db, command, tmp_path, read_only=read_only_folder)
    assert_one_line(result, str(db), "cannot be written")


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("kind", ["missing", "empty", "folder", "text", "foreign sqlite"])
@pytest.mark.parametrize("command", [["verify"], ["report", "1", "-o", "out.pdf"]])
def test_a_path_that_is_no_sli_desk_database_is_refused_and_nothing_is_created(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    target = tmp_path / "study.sqlite3"
    if kind == "empty":
        target.touch()
    elif kind == "folder":
        target.mkdir()
    elif kind == "text":
        target.write_text("name,depth\n1,2\n")
    elif kind == "foreign sqlite":
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE notes (x)")
        sqlite3.connect(target).close()
    before = listing(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "slidesk", "--db", str(target), *command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert str(target) in result.stderr
    assert "INTACT" not in result.stdout
    assert listing(tmp_path) == before


def test_the_app_asks_before_creating_a_database_at_a_mistyped_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []

    def gui(target: str) -> int:
        started.append(target)
        return 0

    mistyped = tmp_path / "stduy.sqlite3"
    # No terminal to ask on: refused, nothing created.
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert main(["--db", str(mistyped)], gui=gui) == 2
    assert started == []
    assert not mistyped.exists()
    # Asked on the terminal, and the answer is no.
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _question: "n")
    assert main(["--db", str(mistyped)], gui=gui) == 2
    assert started == []
    assert not mistyped.exists()
    # Yes, or --new, starts the app on a new database there.
    monkeypatch.setattr("builtins.input", lambda _question: "y")
    assert main(["--db", str(mistyped)], gui=gui) == 0
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert main(["--db", str(mistyped), "--new"], gui=gui) == 0
    assert started == [str(mistyped), str(mistyped)]


def test_an_empty_file_is_not_opened_by_the_app(tmp_path: Path) -> None:
    empty = tmp_path / "study.sqlite3"
    empty.touch()
    assert main(["--db", str(empty), "--new"], gui=lambda _t: 0) == 2
    assert empty.stat().st_size == 0
