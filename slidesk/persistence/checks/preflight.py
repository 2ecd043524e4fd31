"""Look at a SQLite file before anything opens it for real: is it there, is it ours, is it whole?

Opening a path with SQLite creates a database there when there is none, and turns a 0-byte file
into one. A command that should only read (verify, report, users list) must not do that, and the
app must not start a new record on a mistyped `--db`. Everything here uses the standard library
and read-only connections (`mode=ro`), so it never creates or changes a file. No SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from slidesk.i18n import _

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables every SLI Desk database has since its first migration.
_OUR_TABLES = frozenset({"alembic_version", "audit_log"})


class FileState(Enum):
    OURS = "ours"
    MISSING = "missing"
    FOLDER = "folder"
    EMPTY = "empty"
    NOT_SQLITE = "not SQLite"
    NOT_OURS = "not SLI Desk"
    UNREADABLE = "unreadable"
    CORRUPT = "corrupt"


@dataclass(frozen=True, slots=True)
class FileCheck:
    path: Path
    state: FileState
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state is FileState.OURS

    def message(self) -> str:
        """One line for a person: what the file is and that nothing was done to it."""
        where = str(self.path)
        texts = {
            FileState.OURS: _("{path} is an SLI Desk database."),
            FileState.MISSING: _("There is no database at {path}; nothing was created."),
            FileState.FOLDER: _("{path} is a folder, not an SLI Desk database."),
            FileState.EMPTY: _(
                "{path} is an empty file (0 bytes), not an SLI Desk database; it was left as it is."
            ),
            FileState.NOT_SQLITE: _(
                "{path} is not a database file (not SQLite); it was left as it is."
            ),
            FileState.NOT_OURS: _(
                "{path} is a SQLite database but not an SLI Desk database; it was left as it is."
            ),
            FileState.UNREADABLE: _("{path} cannot be read: {detail}."),
            FileState.CORRUPT: _("CORRUPT: {path}: {detail}."),
        }
        return texts[self.state].format(path=where, detail=self.detail)


def check_file(path: Path) -> FileCheck:
    """What is at `path`, without creating or changing anything."""
    if path.is_dir():
        return FileCheck(path, FileState.FOLDER)
    if not path.exists():
        return FileCheck(path, FileState.MISSING)
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        return FileCheck(path, FileState.UNREADABLE, exc.strerror or str(exc))
    if not header:
        return FileCheck(path, FileState.EMPTY)
    if header != SQLITE_HEADER:
        return FileCheck(path, FileState.NOT_SQLITE)
    # Without a -wal beside it, the file is whole: read it as unchanging, which creates no
    # -wal/-shm beside it (a plain read-only open of a WAL database would).
    has_wal = path.with_name(path.name + "-wal").exists()
    try:
        names = _table_names(path, immutable=not has_wal)
    except sqlite3.OperationalError as exc:
        if "unable to open" not in str(exc):
            return _database_error(path, exc)
        # A WAL database on a read-only medium: SQLite cannot make its -shm file beside it.
        # Read it as an unchanging file to tell what it is; opening it for real will say why
        # it cannot be used there.
        try:
            names = _table_names(path, immutable=True)
        except sqlite3.DatabaseError as again:
            return _database_error(path, again)
    except sqlite3.DatabaseError as exc:
        return _database_error(path, exc)
    if not names >= _OUR_TABLES:
        return FileCheck(path, FileState.NOT_OURS)
    return FileCheck(path, FileState.OURS)


def _table_names(path: Path, *, immutable: bool) -> set[str]:
    query = "?mode=ro&immutable=1" if immutable else "?mode=ro"
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}{query}", uri=True, timeout=5)) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _database_error(path: Path, exc: sqlite3.DatabaseError) -> FileCheck:
    text = str(exc)
    if "malformed" in text or "not a database" in text:
        return FileCheck(path, FileState.CORRUPT, text)
    return FileCheck(path, FileState.UNREADABLE, text)
