"""`slidesk verify`, `verify --witness` and `verify-pdf` never change the database they check.

The file is evidence: an auditor may check a copy on read-only media. After each command the
file's bytes and modification time are the same, no `-wal`/`-shm` appeared beside a closed file,
and a live `-wal` (a program still has the database open) is unchanged. An older schema is
checked on a migrated temporary copy and that is said in one line.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from slidesk.clock import SystemClock
from slidesk.demo.build import build_demo

ROOT = Path(__file__).resolve().parents[2]
SCHEMA1 = ROOT / "tests" / "fixtures" / "schema1" / "schema1.sqlite3"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xdg")


def run(
    db: Path, *args: str, data: Path, read_only: Path | None = None
) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "slidesk", "--db", str(db), *args]
    if read_only is not None:
        mount = f"mount --bind -o ro {read_only} {read_only}"
        argv = ["unshare", "--mount", "sh", "-c", f'{mount} && exec "$@"', "sh", *argv]
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(data),
        "SLIDESK_PASSWORD": "demo-password-1",
        "SLIDESK_LOCK_WAIT": "2",
    }
    return subprocess.run(
        argv,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
        env=env,
        check=False,
    )


@pytest.fixture(scope="module")
def witnessed(tmp_path_factory: pytest.TempPathFactory, data: Path) -> tuple[Path, Path, Path]:
    """(closed demo database with a checkpoint, its witness file, a report PDF of procedure 1)."""
    root = tmp_path_factory.mktemp("demo")
    path = root / "demo.sqlite3"
    build_demo(str(path), clock=SystemClock())
    witness, pdf = root / "usb" / "demo.checkpoints", root / "p1.pdf"
    done = run(path, "checkpoint", "--witness", str(witness), data=data)
    assert done.returncode == 0, done.stderr
    done = run(path, "report", "1", "-o", str(pdf), "--username", "admin", data=data)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert not Path(f"{path}-wal").exists()
    return path, witness, pdf


def state(path: Path) -> dict[str, tuple[str, int] | None]:
    """The bytes and modification time of the file and of its -wal and -shm (None: absent)."""
    seen: dict[str, tuple[str, int] | None] = {}
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        seen[suffix] = (
            (hashlib.sha256(part.read_bytes()).hexdigest(), part.stat().st_mtime_ns)
            if part.exists()
            else None
        )
    return seen


@pytest.fixture
def current(witnessed: tuple[Path, Path, Path], tmp_path: Path) -> Path:
    path = tmp_path / "current.sqlite3"
    shutil.copy2(witnessed[0], path)
    return path


@pytest.fixture
def old(tmp_path: Path) -> Path:
    path = tmp_path / "old.sqlite3"
    shutil.copy2(SCHEMA1, path)
    return path


def test_verify_of_a_current_database_changes_nothing(current: Path, data: Path) -> None:
    before = state(current)
    result = run(current, "verify", data=data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INTACT" in result.stdout
    assert "copy" not in result.stdout
    assert state(current) == before


def test_verify_with_a_witness_and_verify_pdf_change_nothing(
    witnessed: tuple[Path, Path, Path], current: Path, data: Path
) -> None:
    _, witness, pdf = witnessed
    before, witness_before = state(current), state(witness)
    result = run(current, "verify", "--witness", str(witness), data=data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "matching the chain" in result.stdout
    result = run(current, "verify-pdf", str(pdf), data=data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "MATCHES" in result.stdout
    assert state(current) == before
    assert state(witness) == witness_before


def test_an_older_schema_is_checked_on_a_migrated_copy(old: Path, data: Path) -> None:
    before = state(old)
    result = run(old, "verify", data=data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is older than this app's; a migrated copy was checked, the file was not changed." in (
        result.stdout
    )
    assert "INTACT" in result.stdout
    assert state(old) == before
    assert sorted(p.name for p in old.parent.iterdir()) == ["old.sqlite3"]  # no backup beside it


@pytest.fixture
def live(current: Path) -> Iterator[Path]:
    """The database held open by another program, with a committed change still in its -wal."""
    conn = sqlite3.connect(current, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("PRAGMA user_version=7")  # a harmless committed write, held in the -wal
    assert Path(f"{current}-wal").stat().st_size > 0
    yield current
    conn.close()


def test_verify_of_a_database_in_use_reads_its_log_and_changes_neither(
    live: Path, data: Path
) -> None:
    before = state(live)
    result = run(live, "verify", data=data)
    assert result.returncode == 0, result.stdout + result.stderr
    after = state(live)
    assert after[""] == before[""]
    assert after["-wal"] == before["-wal"]  # the -shm is SQLite's shared index, not the record


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ro"
    folder.mkdir()
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", f"mount --bind -o ro {folder} {folder}"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip("no private read-only mount here: " + probe.stderr.decode().strip())
    return folder


@pytest.mark.parametrize("source", ["current", "old"])
def test_verify_on_a_read_only_mount_is_intact(
    read_only_folder: Path, request: pytest.FixtureRequest, source: str, data: Path
) -> None:
    db = read_only_folder / "study.sqlite3"
    shutil.copy2(request.getfixturevalue(source), db)
    before = state(db)
    result = run(db, "verify", data=data, read_only=read_only_folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INTACT" in result.stdout
    assert state(db) == before


def test_a_database_with_a_log_on_a_read_only_mount_is_checked_on_a_copy(
    read_only_folder: Path, live: Path, data: Path
) -> None:
    """A -wal holds committed entries: reading the file as unchanging would ignore them."""
    db = read_only_folder / "study.sqlite3"
    shutil.copy2(live, db)
    shutil.copy2(f"{live}-wal", f"{db}-wal")
    before = state(db)
    result = run(db, "verify", data=data, read_only=read_only_folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "a copy of both was checked, the files were not changed." in result.stdout
    assert state(db) == before


def test_the_checking_connection_refuses_a_write(current: Path) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from slidesk.services.workstation.database import open_for_checking

    before = state(current)
    with (
        open_for_checking(current) as checked,
        checked.uow.engine.connect() as conn,
        pytest.raises(OperationalError, match=r"readonly|read-only|query_only"),
    ):
        conn.execute(text("DELETE FROM audit_log"))
    assert state(current) == before
