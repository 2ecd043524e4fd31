"""The engine factory: the one place that knows SQLite pragmas and PostgreSQL specifics.

SQLite runs in WAL mode with synchronous=FULL (a committed entry survives a power cut) and
foreign keys on. Write transactions start with BEGIN IMMEDIATE so that reading the audit chain's
head and appending to it cannot interleave with another writer.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from slidesk.persistence.probe import database_url

log = logging.getLogger(__name__)

WRITE_OPTION = "slidesk_write"


def make_engine(target: str | Path, *, echo: bool = False) -> Engine:
    url = make_url(database_url(target))
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise ValueError("an in-memory database would lose the record; give a file path")
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"timeout": lock_wait_seconds()})
        _configure_sqlite(engine)
    else:
        # A server that does not answer is reported after seconds, not after TCP's minutes.
        timeout = {"connect_timeout": 10} if url.get_backend_name() == "postgresql" else {}
        engine = create_engine(url, echo=echo, pool_pre_ping=True, connect_args=timeout)
    return engine


# Statements compiled for one copy serve the next: a backup's copy is verified with an engine
# of its own, which would otherwise compile `verify`'s statements again for every backup
# (median 224 → 188 ms for a backup of the demo database; benchmarks/bench_backup.py).
_COPIES_CACHE: dict[Any, Any] = {}


def copy_engine(path: Path) -> Engine:
    """An engine on a copy of a database (a backup being verified) sharing compiled SQL."""
    if len(_COPIES_CACHE) > 2000:
        _COPIES_CACHE.clear()
    return make_engine(path).execution_options(compiled_cache=_COPIES_CACHE)


def lock_wait_seconds() -> float:
    """How long a statement waits for another program's lock before it is refused.

    15 s by default; `SLIDESK_LOCK_WAIT` (seconds) shortens it for scripts that would rather
    be told at once (and for the tests of that message).
    """
    try:
        return max(0.0, float(os.environ.get("SLIDESK_LOCK_WAIT", "15")))
    except ValueError:
        return 15.0


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN is ours (see the begin hook).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        # Straight to the driver: SQLAlchemy's execution path would cost more than the BEGIN.
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
