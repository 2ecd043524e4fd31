"""Background jobs of the audit viewer: `slidesk verify` and the CSV export (AUD-06).

Both read the whole trail, which takes seconds on a long one; they run on a worker thread
through `ui.door.operations.start` (garbage collection paused meanwhile) and report through Qt
signals queued to the GUI thread, so the window stays usable.
The services open their own short transactions, so they are safe off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from slidesk.domain.users import Actor
from slidesk.services.audit import trail as audit_trail
from slidesk.services.audit.trail import AuditFilter
from slidesk.services.audit.verify import verify_database
from ui.context import AppContext
from ui.door.operations import Job, JobSignals, start

__all__ = ["ExportJob", "JobSignals", "VerifyJob", "start"]

log = logging.getLogger(__name__)


class VerifyJob(Job):
    """Checks the hash chain and every record against its history (read-only)."""

    what = "The check of the audit trail"

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context

    def work(self) -> None:
        self.signals.succeeded.emit(verify_database(uow=self._context.uow))


class ExportJob(Job):
    """Writes the filtered trail to CSV; `cancel()` stops it and leaves no file."""

    what = "The export of the audit trail"

    def __init__(
        self, context: AppContext, actor: Actor, audit_filter: AuditFilter, path: Path
    ) -> None:
        super().__init__()
        self._context = context
        self._actor = actor
        self._filter = audit_filter
        self._path = path
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    def _progress(self, rows: int) -> bool:
        self.signals.progressed.emit(rows)
        return not self._cancelled.is_set()

    def work(self) -> None:
        # Refusals and unexpected failures are reported by Job.run; a file that cannot be
        # written is said in words here (a full disk, a folder without permission).
        try:
            written = audit_trail.export_csv(
                uow=self._context.uow,
                clock=self._context.clock,
                actor=self._actor,
                audit_filter=self._filter,
                path=self._path,
                progress=self._progress,
            )
        except OSError as exc:
            log.warning("audit export to %s failed: %s", self._path, exc)
            self.signals.failed.emit(f"The file could not be written: {exc.strerror or exc}")
            return
        self.signals.succeeded.emit(written)
