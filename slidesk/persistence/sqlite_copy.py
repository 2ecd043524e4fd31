"""Copy a SQLite database that may be in use, with SQLite's online backup API. No Qt, no ORM.

A copy of the `.sqlite3` file alone is not the database: in WAL mode, confirmed entries live in
the `-wal` file until a checkpoint moves them into the main file. `online_copy` reads through
SQLite (main file and WAL as one consistent snapshot), a few pages at a time so that a writer in
another process or thread waits at most one step; it writes to a temporary file beside the
target, makes it a self-contained file (journal mode DELETE: no `-wal` beside it), checks it
with `PRAGMA integrity_check`, and only then puts it at the target's name — never over an
existing file (a hard link fails when the name is taken).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

PAGES_PER_STEP = 512  # 2 MiB at 4 KiB pages: one step holds the source's lock for ~ms


class TargetExists(FileExistsError):
    """The target name is taken: a backup never overwrites a file."""


@dataclass(frozen=True, slots=True)
class CopyResult:
    path: Path
    size: int
    pages: int
    steps: int
    integrity: str  # "ok", or the first problem PRAGMA integrity_check named


def online_copy(source: Path, target: Path, *, pages_per_step: int = PAGES_PER_STEP) -> CopyResult:
    """Copy the database at `source` to the new file `target` while others may write to it."""
    if target.exists() or target.is_symlink():
        raise TargetExists(str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    steps = 0
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            steps = _backup(src, dst, pages_per_step)
            dst.execute("PRAGMA journal_mode=DELETE")
            integrity = str(dst.execute("PRAGMA integrity_check").fetchone()[0])
            pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
            dst.commit()
        finally:
            dst.close()
        _fsync(partial)
        _publish(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    _fsync_folder(target.parent)
    return CopyResult(target, target.stat().st_size, pages, steps, integrity)


class _Restarted(Exception):
    pass


def _backup(src: sqlite3.Connection, dst: sqlite3.Connection, pages: int) -> int:
    """Copy in steps of `pages`; the number of steps taken.

    A write by another connection between two steps makes SQLite start the copy again. Under a
    stream of writes that could go on for ever, so after two restarts the rest is copied in
    one step: one read transaction, which in WAL mode does not block a writer either (it only
    keeps the WAL from being reset until it ends).
    """
    steps = 0
    last_remaining: int | None = None
    restarts = 0

    def progress(_status: int, remaining: int, _total: int) -> None:
        nonlocal steps, last_remaining, restarts
        steps += 1
        if last_remaining is not None and remaining > last_remaining:
            restarts += 1
            if restarts > 2:
                raise _Restarted
        last_remaining = remaining

    try:
        src.backup(dst, pages=pages, progress=progress)
    except _Restarted:
        src.backup(dst, pages=-1)
        steps += 1
    return steps


def settle(path: Path) -> None:
    """Make a copy one self-contained file again (journal mode DELETE) after it was opened by
    the app, which puts every database in WAL mode. A copy still open elsewhere stays as it is."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=1)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError:
        pass
    finally:
        con.close()


def integrity(path: Path) -> str:
    """`PRAGMA integrity_check` of a file, read only ("ok" when sound)."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def _publish(partial: Path, target: Path) -> None:
    try:
        os.link(partial, target)  # fails if the name was taken meanwhile: no overwrite
    except FileExistsError:
        raise TargetExists(str(target)) from None
    except OSError:  # a file system without hard links: check, then rename
        if target.exists():
            raise TargetExists(str(target)) from None
        os.replace(partial, target)
        return
    partial.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not possible on every system (Windows)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
