"""The status bar says when a checkpoint of the audit trail could not be written or witnessed.

The core says it, in a sentence for a person, on the `STATUS_LOGGER` logger — from whichever
thread wrote the checkpoint (after an audit export, the export's worker thread). A logging
handler hands the sentence to a relay living on the GUI thread through a queued signal, and
the relay shows it in its window's status bar. A witness that cannot be written never blocks
an entry: this is a warning only.

Witness files are written on threads of their own (`slidesk.integrity.witness_writer`), so a
share that
hangs never holds a Confirm; `install_collector_guard` keeps Python's cyclic garbage
collection paused while one runs, as the app's other workers do (the GC trap), and resumes it
from the GUI thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMainWindow

from slidesk.domain.checkpoints import STATUS_LOGGER
from slidesk.services.audit.checkpoints import set_thread_guard
from ui.door.operations import gc_gate

SHOWN_MS = 30_000


class CheckpointStatus(QObject):
    """A child of the window; shows each checkpoint warning in the window's status bar."""

    warned = Signal(str)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.warned.connect(self.show)
        self._handler = _Handler(self)
        logger = logging.getLogger(STATUS_LOGGER)
        logger.addHandler(self._handler)
        handler = self._handler
        # The handler must not outlive the window: it is taken off when the relay dies.
        self.destroyed.connect(lambda: logger.removeHandler(handler))
        install_collector_guard()

    @Slot(str)
    def show(self, text: str) -> None:
        window = self.parent()
        if isinstance(window, QMainWindow):
            bar = window.statusBar()
            bar.showMessage("⚠ " + text, SHOWN_MS)
            bar.setToolTip(text)  # the whole sentence, when a long folder name cuts it off


class _Handler(logging.Handler):
    def __init__(self, relay: CheckpointStatus) -> None:
        super().__init__(logging.WARNING)
        self._relay = relay

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._relay.warned.emit(record.getMessage())
        except RuntimeError:  # the window was deleted before its handler was taken off
            logging.getLogger(STATUS_LOGGER).removeHandler(self)


class _CollectorGuard(QObject):
    """Lives on the GUI thread for the whole process; the gate is only touched there."""

    paused = Signal()
    resumed = Signal()

    def __init__(self) -> None:
        super().__init__()
        gate = gc_gate()
        self.paused.connect(gate.pause, Qt.ConnectionType.QueuedConnection)
        self.resumed.connect(gate.resume, Qt.ConnectionType.QueuedConnection)

    def pause(self) -> None:
        """Before a witness thread starts (on the thread that wrote the checkpoint)."""
        if QThread.currentThread() is self.thread():
            gc_gate().pause()
        else:
            # A worker's own pause lasts until its end reaches the GUI thread: this comes first.
            self.paused.emit()

    def resume(self) -> None:
        """After the witness thread's job ended (on that thread): handed to the GUI thread."""
        self.resumed.emit()


_GUARD: list[_CollectorGuard] = []


def install_collector_guard() -> None:
    """Once per process, on the GUI thread."""
    if not _GUARD:
        _GUARD.append(_CollectorGuard())
        set_thread_guard(_GUARD[0].pause, _GUARD[0].resume)
