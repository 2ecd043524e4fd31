"""A write waiting for another program's lock: short tries on a timer, the window alive.

The door (`ui.door.operations`) gives a write that can wait (the bedside Confirm) a first try that
waits only `FIRST_TRY_S` for the database's write lock. When another program still holds it,
a `LockWait` — a child of the screen that wrote, so it dies with it — says "Waiting for the
database (held by another program)…" at once and tries again every `RETRY_EVERY_MS`, each try
waiting at most `RETRY_TRY_S` on the GUI thread (no worker thread: nothing for a garbage
collection on another thread to destroy). It ends when a try went through (`on_done`), was
refused (`on_refused`), failed otherwise, or the whole lock wait (`SLIDESK_LOCK_WAIT`, 15 s)
has passed — then the screen says that nothing was recorded and what was typed is still
there. A new write from the same screen replaces a waiting one (`stop_waiting`): each try is
one transaction, so only one of them can commit.

Imports Qt and the services' `db_faults` (not at start-up); never a screen.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer

from slidesk.domain.errors import DomainError
from ui.door.failures import _tr, details_text, failure_text, fault_of

log = logging.getLogger(__name__)

T = TypeVar("T")

FIRST_TRY_S = 0.25
"""How long a write that can wait first waits for another program's lock."""
RETRY_EVERY_MS = 200
"""Between two short tries while the lock is held: the window runs in between."""
RETRY_TRY_S = 0.05
"""How long each later try waits for the lock (the GUI thread is busy that long at most)."""


def try_with_lock_wait(call: Callable[[], T], lock_wait_s: float | None) -> T:
    """Run `call`; with `lock_wait_s`, waiting at most that long for another program's lock."""
    if lock_wait_s is None:
        return call()
    from slidesk.services.workstation.db_faults import short_lock_wait

    with short_lock_wait(lock_wait_s):
        return call()


def _waits(owner: QObject) -> list[LockWait]:
    return owner.findChildren(LockWait, options=Qt.FindChildOption.FindDirectChildrenOnly)


def stop_waiting(owner: QObject) -> None:
    """A new write from `owner` replaces the one waiting for the lock (if any)."""
    for waiting in _waits(owner):
        waiting.stop()


def is_waiting(owner: QObject) -> bool:
    """Whether a write from `owner` is waiting for another program's lock."""
    return any(w.active for w in _waits(owner))


class LockWait(QObject):
    """One write waiting for the lock. Give it callbacks that hold the screen weakly."""

    def __init__(
        self,
        owner: QObject,
        call: Callable[[], Any],
        *,
        what: str,
        database: str | None,
        show_error: Callable[[str], None],
        on_refused: Callable[[DomainError], None],
        on_done: Callable[[Any], None],
    ) -> None:
        super().__init__(owner)
        from slidesk.services.workstation.db_faults import lock_wait_seconds

        self.active = False
        self._call = call
        self._what = what
        self._database = database
        self._show_error = show_error
        self._on_refused = on_refused
        self._on_done = on_done
        self._wait_s = lock_wait_seconds()
        self._deadline = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(RETRY_EVERY_MS)
        self._timer.timeout.connect(self._try_again)

    def begin(self) -> None:
        """Say that the write waits, and start trying again."""
        self.active = True
        self._deadline = time.monotonic() + max(0.0, self._wait_s - FIRST_TRY_S)
        self._show_error(
            _tr(
                "Waiting for the database (held by another program)… {what} is not recorded "
                "yet; what you typed stays on screen."
            ).format(what=self._what)
        )
        self._timer.start()

    def stop(self) -> None:
        """Stop trying (the write went through, failed, or was replaced)."""
        self.active = False
        self._timer.stop()
        self.setParent(None)
        self.deleteLater()

    def _try_again(self) -> None:
        if not self.active:
            return
        last = time.monotonic() >= self._deadline
        try:
            result = try_with_lock_wait(self._call, RETRY_TRY_S)
        except DomainError as exc:
            self.stop()
            self._on_refused(exc)
            return
        except Exception as exc:  # the door's: every failure reaches the screen
            locked = fault_of(exc) == "locked"
            if locked and not last:
                return
            self.stop()
            log.exception("%s failed", self._what)
            self._show_error(self._gave_up() if locked else self._failed(exc))
            return
        self.stop()
        self._on_done(result)

    def _gave_up(self) -> str:
        text = _tr(
            "The database {path} stayed held by another program for {seconds} s. {what} is "
            "NOT recorded. What you typed is still on screen: try again once the other "
            "program is done."
        ).format(path=self._database or "", seconds=f"{self._wait_s:g}", what=self._what)
        return f"{text} {details_text()}"

    def _failed(self, exc: Exception) -> str:
        return failure_text(self._what, saving=True, cause=exc, database=self._database)
