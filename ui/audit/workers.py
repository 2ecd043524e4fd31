"""Background jobs of the audit viewer: `slidesk verify` and the CSV export (AUD-06).

Both read the whole trail, which takes seconds on a long one; they run on the global thread
pool and report through Qt signals (queued to the GUI thread), so the window stays usable.
The services open their own short transactions, so they are safe off the GUI thread.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

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

    ended = Signal()
    """The job's thread is done with it (after `succeeded` or `failed`)."""


class _Job(QRunnable):
    """A job that `start()` keeps alive until well after it has finished.

    Python owns the runnable (autoDelete off); were the viewer closed and collected while
    the job still runs, the job and its signal object would be freed under the worker
    thread. The module keeps a reference and lets go a while after `run()` returned.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = JobSignals()
        self.finished_at: float | None = None

    def run(self) -> None:
        # Collection was paused by start() before this thread began; the GUI thread resumes
        # it when `ended` arrives there (resuming here could collect on this thread).
        try:
            self.work()
        finally:
            self.finished_at = time.monotonic()
            self.signals.ended.emit()

    def work(self) -> None:
        raise NotImplementedError


class VerifyJob(_Job):
    """Checks the hash chain and every record against its history (read-only)."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context

    def work(self) -> None:
        try:
            report = verify_database(uow=self._context.uow)
        except Exception as exc:  # any failure must reach the banner, not a dead thread
            log.exception("verify failed")
            self.signals.failed.emit(f"The check could not run: {exc}")
            return
        self.signals.succeeded.emit(report)


class ExportJob(_Job):
    """Writes the filtered trail to CSV; `cancel()` stops it and leaves no file."""

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


class _GcGate(QObject):
    """Keeps cyclic garbage collection off worker threads while jobs run.

    The collector runs in whichever thread happens to allocate; if a worker thread collects
    a dead Qt widget, Qt destroys it off the GUI thread and the app crashes. From just before
    a job starts until the GUI thread hears that it ended, automatic collection is off
    (reference counting still frees almost everything meanwhile). Lives on the GUI thread.
    """

    def __init__(self) -> None:
        super().__init__()
        self._jobs = 0
        self._disabled_by_us = False

    def pause(self) -> None:
        if self._jobs == 0 and gc.isenabled():
            gc.disable()
            self._disabled_by_us = True
        self._jobs += 1

    def resume(self) -> None:
        self._jobs = max(0, self._jobs - 1)
        if self._jobs == 0 and self._disabled_by_us:
            self._disabled_by_us = False
            gc.enable()


_GATE: list[_GcGate] = []


def _gate() -> _GcGate:
    if not _GATE:
        _GATE.append(_GcGate())  # created by start(), i.e. on the GUI thread
    return _GATE[0]


_RUNNING: set[_Job] = set()
_GRACE_SECONDS = 5.0


def start(job: _Job, pool: QThreadPool | None = None) -> None:
    """Run `job` on the pool, holding it until some seconds after it finished."""
    now = time.monotonic()
    for old in list(_RUNNING):
        if old.finished_at is not None and now - old.finished_at > _GRACE_SECONDS:
            _RUNNING.discard(old)
    _RUNNING.add(job)
    gate = _gate()
    # Collect now, on the GUI thread: a dead widget still waiting in a reference cycle must
    # not be collected later in the middle of delivering this job's results to it.
    gc.collect()
    gate.pause()  # before the thread starts; resumed on this (GUI) thread when it ends
    job.signals.ended.connect(gate.resume, Qt.ConnectionType.QueuedConnection)
    try:
        (pool or QThreadPool.globalInstance()).start(job)
    except BaseException:
        gate.resume()
        raise
