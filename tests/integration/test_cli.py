"""The command line: version, help, demo + verify, and verify finding a raw-SQL edit."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from slidesk import __version__
from slidesk.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "slidesk", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version_and_help_say_what_the_program_is(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert f"SLI Desk {__version__}" in capsys.readouterr().out
    result = run("--help")
    assert result.returncode == 0
    for word in ("demo", "verify", "users", "--db"):
        assert word in result.stdout


def test_the_demo_database_verifies_intact_and_a_raw_edit_is_reported(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    made = run("--db", str(db), "demo", "--no-gui")
    assert made.returncode == 0, made.stderr
    assert str(db) in made.stdout
    ok = run("--db", str(db), "verify")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "INTACT" in ok.stdout
    conn = sqlite3.connect(db)
    conn.execute("UPDATE site_entries SET depth_um = 20000 WHERE id = 3")
    conn.commit()
    conn.close()
    broken = run("--db", str(db), "verify")
    assert broken.returncode == 1
    assert "MISMATCH: site_entries 3 field depth_um" in broken.stdout
