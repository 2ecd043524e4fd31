"""Automatic backups run on a worker thread, so a completion or signature returns at once.

The core's `AutomaticBackups` (services.backup_auto) makes a verified backup after a
completion or signature: ≈0.3 s for the demo database, seconds for a large one. Here its
`runner` is set to hand that work to the GUI thread through a queued signal (the milestone may
come from a worker thread: an export), which starts it with the door's `jobs.in_background`
(garbage collection paused, as the Qt trap needs). The backup never raises; what went wrong is
said on the status bar by `CheckpointStatus`. Nothing here calls a service.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from slidesk.services.workstation.backup_auto import AutomaticBackups
from ui.door import jobs
from ui.frame.host import FeatureHost


class BackupRunner(QObject):
    """A child of the window; runs each automatic backup it is handed in the background."""

    wanted = Signal(object)

    def __init__(self, host: FeatureHost) -> None:
        super().__init__(host.frame())
        self._host = host
        self.running = 0
        self.wanted.connect(self._start, Qt.ConnectionType.QueuedConnection)
        hook = host.context.uow.after_milestone.get("backup")
        if isinstance(hook, AutomaticBackups):
            hook.runner = self.wanted.emit
            # Without a window there is no thread door: the backups run inline again.
            self.destroyed.connect(lambda: _detach(hook))

    @Slot(object)
    def _start(self, work: Callable[[], None]) -> None:
        self.running += 1

        def call(_progress: Callable[[int], None]) -> None:
            work()

        jobs.in_background(
            call,
            what=self.tr("The automatic backup"),
            receiver=self,
            on_done=self._ended,
            show_error=self._failed,
        )

    def _ended(self, _result: object) -> None:
        self.running -= 1

    def _failed(self, text: str) -> None:
        self.running -= 1
        self._host.say("⚠ " + text, 30_000)


def _detach(hook: AutomaticBackups) -> None:
    hook.runner = None
