"""What the person reads when something fails unexpectedly, and the log file that keeps the rest.

Shared by the one door (`ui.operations`) and the worker threads (`ui.jobs`): the message says
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


def failure_text(
    what: str, *, saving: bool, reading: bool = False, cause: BaseException | None = None
) -> str:
    """The message for an unexpected failure: what was not done, what to do, where details are.

    A file that could not be written or read says why in the system's words ("Permission
    denied"): that the person can act on."""
    where = log_file()
    details = (
        _tr("The details are in the log file {path}.").format(path=where)
        if where is not None
        else _tr("The details are in the application log.")
    )
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
