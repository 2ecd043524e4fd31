"""The engine factory: the one place that knows SQLite pragmas and PostgreSQL specifics.

SQLite runs in WAL mode with synchronous=FULL (a committed entry survives a power cut) and
foreign keys on. Write transactions start with BEGIN IMMEDIATE so that reading the audit chain's
head and appending to it cannot interleave with another writer.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from slidesk.persistence.probe import database_url

log = logging.getLogger(__name__)

WRITE_OPTION = "slidesk_write"

_LOCK_WAIT: ContextVar[float | None] = ContextVar("slidesk_lock_wait", default=None)
_BUSY_MS = "slidesk_busy_ms"
_DEFAULT_MS = "slidesk_default_busy_ms"


def make_engine(target: str | Path, *, echo: bool = False) -> Engine:
    url = make_url(database_url(target))
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise ValueError("an in-memory database would lose the record; give a file path")
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        wait = lock_wait_seconds()
        engine = create_engine(url, echo=echo, connect_args={"timeout": wait})
        _configure_sqlite(engine, round(wait * 1000))
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


@contextmanager
def lock_wait(seconds: float) -> Iterator[None]:
    """Transactions begun inside wait at most `seconds` for another program's lock (SQLite).

    For a screen that would rather be told at once and try again a moment later (driven by
    a timer) than freeze for the whole wait. Outside, the engine's wait applies again.
    """
    token = _LOCK_WAIT.set(max(0.0, seconds))
    try:
        yield
    finally:
        _LOCK_WAIT.reset(token)


def begin_immediate(raw: Any) -> None:
    """BEGIN IMMEDIATE on a pooled raw SQLite connection (the unit of work's lite path),
    with `lock_wait` in force. If the lock is not had, the connection goes back to the pool
    (else each refused try would keep one, and the pool would run dry)."""
    try:
        _apply_lock_wait(raw)
        raw.driver_connection.execute("BEGIN IMMEDIATE")
    except BaseException:
        raw.close()
        raise


def _apply_lock_wait(fairy: Any) -> None:
    """Set the connection's busy timeout to the `lock_wait` in force (or back to its default);
    a PRAGMA only when it changes."""
    info = fairy.info
    default = info.get(_DEFAULT_MS)
    if default is None:
        return
    wait = _LOCK_WAIT.get()
    busy_ms = default if wait is None else round(wait * 1000)
    if info.get(_BUSY_MS) != busy_ms:
        fairy.driver_connection.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        info[_BUSY_MS] = busy_ms


def _configure_sqlite(engine: Engine, default_busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN is ours (see the begin hook).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        _record.info[_DEFAULT_MS] = _record.info[_BUSY_MS] = default_busy_ms

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        _apply_lock_wait(conn.connection)
        # Straight to the driver: SQLAlchemy's execution path would cost more than the BEGIN.
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
