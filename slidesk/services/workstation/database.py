"""Open a database for the app, the CLI or a test: engine, migrations, protocols, unit of work."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from slidesk.integrity.witness_writer import WRITER
from slidesk.persistence.checks.readonly import read_only
from slidesk.persistence.db import make_engine
from slidesk.persistence.migrate import MigrationResult, upgrade
from slidesk.persistence.uow import UnitOfWork
from slidesk.protocol.catalog import ProtocolCatalog

log = logging.getLogger(__name__)
# How long closing waits for witness files still being written: their threads are daemons and
# die with the process, so a CLI command that exits at once would leave its checkpoint
# unwitnessed. A share that hangs longer is named by the next checkpoint (it is in the database).
CLOSE_WAIT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class OpenedDatabase:
    uow: UnitOfWork
    location: str
    migration: MigrationResult

    def close(self) -> None:
        if not WRITER.settle(CLOSE_WAIT_SECONDS):
            log.warning("a witness was still being written when the database was closed")
        self.uow.dispose()


def open_database(
    target: str | Path,
    *,
    protocols: ProtocolCatalog | None = None,
    host: str | None = None,
) -> OpenedDatabase:
    """Open (creating or upgrading) the database at a SQLite path or SQLAlchemy URL."""
    engine = make_engine(target)
    try:
        result = upgrade(engine)
    except Exception:
        engine.dispose()
        raise
    catalog = protocols or ProtocolCatalog.from_dir()
    location = engine.url.render_as_string(hide_password=True)
    if engine.url.get_backend_name() == "sqlite":
        location = str(engine.url.database)
    return OpenedDatabase(UnitOfWork(engine, catalog, host), location, result)


@dataclass(frozen=True, slots=True)
class CheckedDatabase:
    """A database opened for checking only (verify, verify-pdf): nothing can be written."""

    uow: UnitOfWork
    location: str
    notes: tuple[str, ...]
    """How it was read, one line each (a migrated copy was checked, …)."""
    changed: Callable[[], bool]
    """Whether the file was written by another program while it was read."""


@contextmanager
def open_for_checking(
    target: str | Path, *, protocols: ProtocolCatalog | None = None
) -> Iterator[CheckedDatabase]:
    """Open the database at `target` without changing it (see persistence.readonly)."""
    with read_only(target) as view:
        engine = view.engine
        location = engine.url.render_as_string(hide_password=True)
        if engine.url.get_backend_name() == "sqlite":
            location = str(engine.url.database)
        uow = UnitOfWork(engine, protocols or ProtocolCatalog.from_dir())
        yield CheckedDatabase(uow, location, tuple(view.notes), view.changed)
