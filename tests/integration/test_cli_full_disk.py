"""A command on a database whose disk is full says so in one line and exits 3.

The demo database is copied onto a small tmpfs that is then filled (mounting needs root, as
CI runs; skipped with the reason where it is not allowed). `report` (which audits the
issue) and `checkpoint` (which writes one) must each print one line naming the database and
the full disk — never a traceback — and change nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_cli_faults import COMMANDS, assert_one_line, demo, slidesk

__all__ = ["demo"]


@pytest.fixture
def full_disk(tmp_path: Path, demo: Path) -> Iterator[Path]:
    """A copy of the demo database on a tmpfs with no space left."""
    disk = tmp_path / "small-disk"
    disk.mkdir()
    size = demo.stat().st_size + 512 * 1024
    run = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not allowed here ({run.stderr.strip()})")
    try:
        copy = disk / "demo.sqlite3"
        shutil.copyfile(demo, copy)
        with pytest.raises(OSError, match="No space left"):
            _fill(disk / "filler")
        yield copy
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(filler: Path) -> None:
    with filler.open("wb") as out:
        while True:
            out.write(b"\0" * 65536)
            out.flush()


@pytest.mark.parametrize("command", ["report", "checkpoint"])
def test_a_full_disk_is_one_line_and_exit_3(
    full_disk: Path, tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # The witness file goes beside the output, on a disk with room.
    monkeypatch.setitem(COMMANDS, "checkpoint", ["checkpoint", "--witness", "{out}/witness.txt"])
    before = full_disk.read_bytes()
    result = slidesk(full_disk, command, out)
    assert_one_line(result, str(full_disk), "full")
    assert result.returncode == 3, result.stderr
    assert full_disk.read_bytes() == before
