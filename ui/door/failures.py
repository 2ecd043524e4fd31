"""What the person reads when something fails unexpectedly, and the log file that keeps the rest.

Shared by the one door (`ui.door.operations`) and the worker threads (`ui.door.jobs`): the
message says
what was NOT saved or done, what to do, and where the traceback is.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("operations", text)


def log_file() -> Path | None:
    """The rotating log file the app writes to, if one is installed (see `install_log_file`)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return Path(handler.baseFilename)
    return None


def install_log_file(folder: Path) -> Path:
    """Log warnings and failures (with tracebacks) to `folder/slidesk.log`, rotated at 1 MB."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "slidesk.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path


def details_text() -> str:
    """Where the traceback is: the log file, named."""
    where = log_file()
    return (
        _tr("The details are in the log file {path}.").format(path=where)
        if where is not None
        else _tr("The details are in the application log.")
    )


def fault_of(cause: BaseException | None) -> str | None:
    """The kind of database fault behind `cause` ("locked", "read-only", "disk full",
    "corrupt", "unreachable"), or None; an `OSError` (an export's file) is no database fault
    here. The services are imported here, not at start-up."""
    if cause is None or isinstance(cause, OSError):
        return None  # a file of the person's (an export) says why in the system's words
    from slidesk.services.workstation.db_faults import fault_kind

    return fault_kind(cause)


def fault_text(
    kind: str,
    what: str,
    *,
    database: str | None,
    saving: bool,
    reading: bool = False,
    outcome: str | None = None,
) -> str:
    """One sentence naming the database file, what was not done and what to do, for a fault
    of `kind` (see `fault_of`); then where the details are. `outcome`, when given, says
    what the fault means instead of "{what} is NOT recorded (…)"."""
    file = _tr("The database {path}").format(path=database) if database else _tr("The database")
    if saving:
        lost = _tr("{what} is NOT recorded").format(what=what)
        kept = _tr("what you typed is still on screen")
    elif reading:
        lost = _tr("{what} could not be read").format(what=what)
        kept = _tr("what is on screen may NOT be up to date")
    else:
        lost = _tr("{what} could not be done").format(what=what)
        kept = _tr("nothing was changed")
    texts = {
        "locked": _tr(
            "{file} is held by another program. {lost}. Close the other program or "
            "wait a moment, then try again."
        ),
        "read-only": _tr(
            "{file} is read-only. {lost}. Ask IT to make the file and its folder "
            "writable, then try again."
        ),
        "disk full": _tr(
            "The disk holding {file_lower} is full. {lost}. Free some space on it "
            "(or ask IT), then try again."
        ),
        "corrupt": _tr(
            "{file} is damaged. {lost}. Note the entries on paper and call support "
            "to restore it from a backup."
        ),
        "unreachable": _tr(
            "{file} cannot be reached. {lost}. Check the network (or ask IT), then try again."
        ),
    }
    said = outcome if outcome is not None else f"{lost} ({kept})"
    text = texts.get(kind, texts["unreachable"]).format(
        file=file, file_lower=file[:1].lower() + file[1:], lost=said
    )
    return f"{text} {details_text()}"


def failure_text(
    what: str,
    *,
    saving: bool,
    reading: bool = False,
    cause: BaseException | None = None,
    database: str | None = None,
) -> str:
    """The message for an unexpected failure: what was not done, what to do, where details are.

    A database fault (a lock, a read-only file, a full disk, a damaged file) is named in one
    sentence with the file (`database`) and what to do. A file that could not be written or
    read says why in the system's words ("Permission denied"): that the person can act on."""
    kind = fault_of(cause)
    if kind is not None:
        return fault_text(kind, what, database=database, saving=saving, reading=reading)
    details = details_text()
    if saving:
        head = _tr("{what} could not be saved: it is NOT recorded.").format(what=what)
        advice = _tr("Try again; if it fails again, note it on paper and call support.")
    elif reading:
        head = _tr("{what} could not be read: what is on screen may NOT be up to date.").format(
            what=what
        )
        advice = _tr("Try again; if it fails again, call support.")
    else:
        head = _tr("{what} could not be done.").format(what=what)
        advice = _tr("Try again; if it fails again, call support.")
    if isinstance(cause, OSError) and cause.strerror:
        head = f"{head} ({cause.strerror})"
    return f"{head} {advice} {details}"
