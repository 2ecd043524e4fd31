"""Open a database for checking only: the checked file is evidence and is never written.

`slidesk verify` and `verify-pdf` read through an engine made here. For SQLite:

- no `-wal` beside the file: it is read as an unchanging file (`mode=ro&immutable=1`), which
  takes no lock and creates no `-wal`/`-shm`. That is only correct while nobody writes; the file's
  size and time are compared after the check (`changed()`), and a change is reported.
- a `-wal` beside it (the app is running, or stopped without closing): read with `mode=ro`, which
  reads the log's committed content and writes neither the file nor its log. Where that cannot be
  done (a read-only medium: the `-shm` index cannot be made), the file and its log are copied to a
  temporary folder and the copy is read (`immutable=1` would silently ignore the log).
- an older schema: the app's migrations would change the file, so a copy is made with SQLite's
  online backup API into a temporary folder, migrated, and checked there; the copy is deleted.

A PostgreSQL database is read in read-only transactions; an older schema there is refused (no
copy can be made). Must not import Qt; SQLAlchemy and sqlite3 only.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from slidesk.i18n import _
from slidesk.persistence.db import lock_wait_seconds, make_engine
from slidesk.persistence.migrate import (
    SCHEMA_HEADS,
    SchemaTooNew,
    current_revisions,
    upgrade,
)
from slidesk.persistence.probe import database_url, sqlite_file


class OlderSchemaOnServer(RuntimeError):
    """A server database with an older schema: verify cannot migrate a copy of it."""


@dataclass(slots=True)
class ReadOnlyView:
    engine: Engine
    notes: list[str] = field(default_factory=list)
    """One line each on how the file was read, for the person (a copy was checked, …)."""
    _stat: tuple[int, int] | None = None
    _path: Path | None = None

    def changed(self) -> bool:
        """Whether the checked SQLite file was written while it was read without locks."""
        if self._path is None or self._stat is None:
            return False
        return _stat(self._path) != self._stat or _wal(self._path).exists()


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _uri(path: Path, *, immutable: bool) -> str:
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def _connect(uri: str) -> sqlite3.Connection:
    return sqlite3.connect(uri, uri=True, timeout=lock_wait_seconds(), check_same_thread=False)


def _readable(uri: str) -> bool:
    try:
        with closing(_connect(uri)) as db:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.OperationalError as exc:
        if "unable to open" in str(exc) or "readonly" in str(exc):
            return False
        raise


def _sqlite_engine(url_path: Path, uri: str) -> Engine:
    """An engine that names `url_path` (witness files are found beside it) and reads `uri`."""
    engine = create_engine(
        make_url(database_url(url_path)), creator=lambda: _connect(uri), poolclass=NullPool
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA query_only=ON")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.connection.driver_connection.execute("BEGIN")

    return engine


@contextmanager
def read_only(target: str | Path) -> Iterator[ReadOnlyView]:
    """An engine on `target` that cannot write, at the app's schema (see the module text)."""
    path = sqlite_file(target)
    if path is None:
        engine = create_engine(
            database_url(target),
            pool_pre_ping=True,
            connect_args={"connect_timeout": 10, "options": "-c default_transaction_read_only=on"},
        )
        try:
            _refuse_other_schema(engine)
            yield ReadOnlyView(engine)
        finally:
            engine.dispose()
        return
    cleanup: list[Callable[[], None]] = []
    try:
        yield _sqlite_view(path, cleanup)
    finally:
        for step in reversed(cleanup):
            step()


def _sqlite_view(path: Path, cleanup: list[Callable[[], None]]) -> ReadOnlyView:
    notes: list[str] = []
    stat: tuple[int, int] | None = None
    if not _wal(path).exists():
        uri = _uri(path, immutable=True)
        stat = _stat(path)
    else:
        uri = _uri(path, immutable=False)
        if not _readable(uri):
            folder = _temp_folder(cleanup)
            copy = folder / path.name
            shutil.copyfile(path, copy)
            shutil.copyfile(_wal(path), _wal(copy))
            uri = _uri(copy, immutable=False)
            stat = None
            notes.append(
                _(
                    "{path} has a write-ahead log (-wal) beside it and cannot be read in place; "
                    "a copy of both was checked, the files were not changed."
                ).format(path=path)
            )
    before = _revisions(uri)
    if before != SCHEMA_HEADS:
        _refuse_newer(before)
        folder = _temp_folder(cleanup)
        copy = folder / "migrated.sqlite3"
        with closing(_connect(uri)) as src, closing(sqlite3.connect(copy)) as dst:
            src.backup(dst)
        writer = make_engine(copy)
        try:
            upgrade(writer, backup_dir=folder)
        finally:
            writer.dispose()
        uri = _uri(copy, immutable=False)
        notes.append(
            _(
                "schema {schema} is older than this app's; a migrated copy was checked, "
                "the file was not changed."
            ).format(schema=", ".join(sorted(before)) or "?")
        )
    engine = _sqlite_engine(path, uri)
    cleanup.append(engine.dispose)
    return ReadOnlyView(engine, notes, stat, path if stat is not None else None)


def _revisions(uri: str) -> frozenset[str]:
    with closing(_connect(uri)) as db:
        known = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if known is None:
            return frozenset()
        return frozenset(r[0] for r in db.execute("SELECT version_num FROM alembic_version"))


def _refuse_newer(before: frozenset[str]) -> None:
    from slidesk.persistence.migrate import _all_revisions

    unknown = before - _all_revisions()
    if unknown:
        raise SchemaTooNew(
            f"The database has schema {sorted(unknown)}, made by a newer SLI Desk. "
            "Install that version; this one will not touch the record."
        )


def _refuse_other_schema(engine: Engine) -> None:
    before = current_revisions(engine)
    if before == SCHEMA_HEADS:
        return
    _refuse_newer(before)
    raise OlderSchemaOnServer(
        _(
            "schema {schema} is older than this app's; a server database is not migrated to be "
            "checked. Check it with the version that wrote it, or upgrade it by starting the app."
        ).format(schema=", ".join(sorted(before)) or "?")
    )


def _temp_folder(cleanup: list[Callable[[], None]]) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="slidesk-verify-"))
    os.chmod(folder, 0o700)
    cleanup.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    return folder
