"""Name a database fault in one sentence: locked, read-only, full, corrupt, unreachable.

The CLI (and any caller that must not show a traceback) asks `describe_fault(exc, where)`; it
looks through SQLAlchemy's wrapper to the driver's error and says what happened to which file
and what to do. None means the exception is not a known database fault. No Qt.
"""

from __future__ import annotations

import errno
import sqlite3
from enum import Enum

from slidesk.i18n import _


class Fault(Enum):
    LOCKED = "locked"
    READ_ONLY = "read-only"
    DISK_FULL = "disk full"
    CORRUPT = "corrupt"
    UNREACHABLE = "unreachable"


def classify(exc: BaseException) -> Fault | None:
    """The kind of database fault behind `exc` (following causes and `.orig`), or None."""
    for error in _chain(exc):
        text = str(error).lower()
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            return Fault.DISK_FULL
        if isinstance(error, OSError) and error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return Fault.READ_ONLY
        if not isinstance(error, sqlite3.Error) and not _is_driver_error(error):
            continue
        if "locked" in text or "busy" in text:
            return Fault.LOCKED
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return Fault.READ_ONLY
        if "disk is full" in text or "no space" in text:
            return Fault.DISK_FULL
        if "malformed" in text or "not a database" in text or "disk i/o error" in text:
            return Fault.CORRUPT
        if "connection" in text or "could not connect" in text or "timeout" in text:
            return Fault.UNREACHABLE
    return None


def describe_fault(exc: BaseException, where: str) -> str | None:
    """One sentence naming the database and what to do; None if `exc` is no database fault."""
    fault = classify(exc)
    if fault is None:
        return None
    texts = {
        Fault.LOCKED: _(
            "The database {where} is locked by another program; nothing was changed. "
            "Close the other program (or wait for it) and try again."
        ),
        Fault.READ_ONLY: _(
            "The database {where} cannot be written (a read-only file or folder); nothing was "
            "changed. Ask for write access to the file and its folder, then try again."
        ),
        Fault.DISK_FULL: _(
            "The disk holding {where} is full; nothing was changed. Free some space and try again."
        ),
        Fault.CORRUPT: _(
            "CORRUPT: the database {where} is damaged; nothing was changed. "
            "Restore it from a backup (`slidesk verify` tells what is wrong)."
        ),
        Fault.UNREACHABLE: _(
            "The database {where} cannot be reached; nothing was changed. "
            "Check the network and the server, then try again."
        ),
    }
    return texts[fault].format(where=where)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        error = todo.pop()
        if error is None or any(error is s for s in seen):
            continue
        seen.append(error)
        todo.extend([getattr(error, "orig", None), error.__cause__, error.__context__])
    return seen


def _is_driver_error(error: BaseException) -> bool:
    """A DB-API error of another driver (psycopg). SQLAlchemy's wrapper is skipped: its text
    quotes the statement (a column named `locked_until` is no lock); its `.orig` is read."""
    return type(error).__module__.startswith("psycopg")
