"""The status bar says when a checkpoint of the audit trail could not be written or witnessed.

The core says it, in a sentence for a person, on the `STATUS_LOGGER` logger — from whichever
thread wrote the checkpoint (after an audit export, the export's worker thread). A logging
handler hands the sentence to a relay living on the GUI thread through a queued signal, and
the relay shows it in its window's status bar. A witness that cannot be written never blocks
an entry: this is a warning only. Nothing here calls a service.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QMainWindow

from slidesk.domain.checkpoints import STATUS_LOGGER

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
