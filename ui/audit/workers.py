"""Background jobs of the audit viewer: `slidesk verify` and the CSV export (AUD-06).

Both read the whole trail, which takes seconds on a long one; they run on the global thread
pool and report through Qt signals (queued to the GUI thread), so the window stays usable.
The services open their own short transactions, so they are safe off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from slidesk.domain.errors import DomainError
from slidesk.domain.users import Actor
from slidesk.services import audit_trail
from slidesk.services.audit_trail import AuditFilter
from slidesk.services.verify import verify_database
from ui.context import AppContext

log = logging.getLogger(__name__)


class JobSignals(QObject):
    progressed = Signal(int)
    """Rows written so far (export only)."""

    succeeded = Signal(object)
    """The job's result: a `VerifyReport` or a `CsvWritten`."""

    failed = Signal(str)
    """The job stopped; the text says why, in words for the person waiting."""


class VerifyJob(QRunnable):
    """Checks the hash chain and every record against its history (read-only)."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the viewer holds the job; Python frees it
        self.signals = JobSignals()
        self._context = context

    def run(self) -> None:
        try:
            report = verify_database(uow=self._context.uow)
        except Exception as exc:  # any failure must reach the banner, not a dead thread
            log.exception("verify failed")
            self.signals.failed.emit(f"The check could not run: {exc}")
            return
        self.signals.succeeded.emit(report)


class ExportJob(QRunnable):
    """Writes the filtered trail to CSV; `cancel()` stops it and leaves no file."""

    def __init__(
        self, context: AppContext, actor: Actor, audit_filter: AuditFilter, path: Path
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = JobSignals()
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

    def run(self) -> None:
        try:
            written = audit_trail.export_csv(
                uow=self._context.uow,
                clock=self._context.clock,
                actor=self._actor,
                audit_filter=self._filter,
                path=self._path,
                progress=self._progress,
            )
        except DomainError as exc:
            self.signals.failed.emit(exc.message)
            return
        except OSError as exc:
            self.signals.failed.emit(f"The file could not be written: {exc.strerror or exc}")
            return
        except Exception as exc:
            log.exception("export failed")
            self.signals.failed.emit(f"The export failed: {exc}")
            return
        self.signals.succeeded.emit(written)


def start(job: QRunnable, pool: QThreadPool | None = None) -> None:
    (pool or QThreadPool.globalInstance()).start(job)
