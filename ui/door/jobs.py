"""Long work on a worker thread: verify, exports, the report — the door's `in_background`.

A job runs on the thread pool with Python's automatic garbage collection paused (a collection
on a worker thread could destroy dead Qt widgets there and crash the app); its outcome is
delivered on the GUI thread to a relay that is a child of the waiting widget, so it dies with
it. A job holds no widget; it opens its own transactions. Failures are worded by
`ui.door.failures` like the door's.
"""

from __future__ import annotations

import gc
import inspect
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakMethod

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from slidesk.domain.errors import DomainError
from ui.door.failures import failure_text

log = logging.getLogger(__name__)

T = TypeVar("T")
ShowError = Callable[[str], None]


class JobSignals(QObject):
    progressed = Signal(int)
    """Work done so far (rows, pages …), as the job counts it."""

    succeeded = Signal(object)
    """The job's result."""

    failed = Signal(str)
    """The job stopped; the text says why, in words for the person waiting."""

    ended = Signal()
    """The job's thread is done with it (after `succeeded` or `failed`)."""


class Job(QRunnable):
    """Long work for `in_background`; `start()` keeps it alive until well after it finished.

    Python owns the runnable (autoDelete off); were the window closed and collected while the
    job still runs, the job and its signal object would be freed under the worker thread.
    Subclasses implement `work()` and report through `self.signals`; `run_job` does both for a
    plain function. A job holds no widget.
    """

    what = "The job"

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
        except DomainError as exc:
            self.signals.failed.emit(exc.message)
        except Exception:  # any failure must reach the screen, not die with the thread
            log.exception("%s failed", self.what)
            self.signals.failed.emit(failure_text(self.what, saving=False))
        finally:
            self.finished_at = time.monotonic()
            self.signals.ended.emit()

    def work(self) -> None:
        raise NotImplementedError


class _FunctionJob(Job):
    def __init__(self, what: str, call: Callable[[Callable[[int], None]], object]) -> None:
        super().__init__()
        self.what = what
        self._call = call

    def work(self) -> None:
        self.signals.succeeded.emit(self._call(self.signals.progressed.emit))


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
_RUNNING: set[Job] = set()
_GRACE_SECONDS = 5.0


def gc_gate() -> _GcGate:
    """The one gate of the process (created on the GUI thread by the first caller)."""
    if not _GATE:
        _GATE.append(_GcGate())
    return _GATE[0]


def start(job: Job, pool: QThreadPool | None = None) -> Job:
    """Run `job` on the pool, holding it until some seconds after it finished."""
    now = time.monotonic()
    for old in list(_RUNNING):
        if old.finished_at is not None and now - old.finished_at > _GRACE_SECONDS:
            _RUNNING.discard(old)
    _RUNNING.add(job)
    gate = gc_gate()
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
    return job


def weakly(callback: Callable[..., object]) -> Callable[..., None]:
    """`callback` held weakly if it is a bound method (a call after its object died does
    nothing): a child that held its parent's method strongly would make a reference cycle,
    leaving the parent's end to the garbage collector at a random moment."""
    if not inspect.ismethod(callback):  # a function, a closure, a builtin's method
        return callback  # type: ignore[return-value]
    method = WeakMethod(callback)

    def call(*args: object) -> None:
        target = method()
        if target is not None:
            target(*args)

    return call


class _Relay(QObject):
    """Delivers a job's outcome to callbacks while the waiting widget lives (its child).

    Give it the widget's methods, not closures over the widget: methods are held weakly."""

    def __init__(
        self,
        receiver: QObject,
        on_done: Callable[[Any], None],
        show_error: ShowError,
        on_progress: Callable[[int], None] | None,
    ) -> None:
        super().__init__(receiver)
        self._on_done = weakly(on_done)
        self._show_error = weakly(show_error)
        self._on_progress = weakly(on_progress) if on_progress is not None else None

    def done(self, result: object) -> None:
        self._on_done(result)

    def failed(self, text: str) -> None:
        self._show_error(text)

    def progressed(self, count: int) -> None:
        if self._on_progress is not None:
            self._on_progress(count)

    def ended(self) -> None:
        self.deleteLater()


def in_background(
    call: Callable[[Callable[[int], None]], T],
    *,
    what: str,
    receiver: QObject,
    on_done: Callable[[T], None],
    show_error: ShowError,
    on_progress: Callable[[int], None] | None = None,
) -> Job:
    """Run `call(progress)` on a worker thread; its outcome arrives on the GUI thread.

    `receiver` is the widget that waits: the outcome is delivered only while it lives (a
    relay that is its child receives it, and dies with it). `call` must hold no Qt object
    and open its own transactions.
    """
    job = _FunctionJob(what, call)
    relay = _Relay(receiver, on_done, show_error, on_progress)
    queued = Qt.ConnectionType.QueuedConnection
    job.signals.succeeded.connect(relay.done, queued)
    job.signals.failed.connect(relay.failed, queued)
    job.signals.progressed.connect(relay.progressed, queued)
    job.signals.ended.connect(relay.ended, queued)
    return start(job)
