"""The one door from a screen to the core: run a service, show its outcome, announce the change.

Every screen calls the services through `write`, `read` or `attempt` (Anki's
`qt/aqt/operations`): the service gets the unit of work, the clock and the actor; a refusal
(`DomainError`) is shown where the person is looking (the `show_error` the screen passes); any
other exception is logged with its traceback to the rotating log file and shown as a message
that says what was NOT saved — never a silent no-op, never a traceback on screen. After a
successful write, one notification (`context.changes.changed`, a `Changed`) tells every view
what changed, so each refreshes itself instead of being wired to the screen that wrote.

Long work (verify, export, report) goes to `in_background`: a worker thread, with Python's
automatic garbage collection paused while it runs (a collection on a worker thread could
destroy dead Qt widgets there), the outcome delivered on the GUI thread.

No screen catches `DomainError` itself.
"""

from __future__ import annotations

import gc
import logging
import logging.handlers
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal

from slidesk.domain.errors import DomainError
from slidesk.domain.users import Actor

log = logging.getLogger(__name__)

T = TypeVar("T")
ShowError = Callable[[str], None]
"""Where a screen shows a message: its message line, its panel, its status strip."""


class Topic(StrEnum):
    """What a write changed; a view refreshes when a topic it shows is among them."""

    PROCEDURE = "procedure"  # plan, status, site entries, flags, dispositions, checklist
    SEDATION = "sedation"  # doses, oxygen, vitals, events, recovery
    ADVERSE_EVENTS = "adverse_events"
    SIGNATURES = "signatures"  # signatures, versions, amendments
    SUBJECTS = "subjects"
    FOLLOW_UP = "follow_up"
    ACCOUNTS = "accounts"
    SETTINGS = "settings"
    REPORTS = "reports"


@dataclass(frozen=True, slots=True)
class Changed:
    """One write's announcement: its topics and, where there is one, the procedure."""

    topics: frozenset[Topic]
    procedure_id: int | None = None
    result: object = None  # the service's return value (a fresh DTO), for views that want it

    def touches(self, *topics: Topic, procedure_id: int | None = None) -> bool:
        """Whether this change concerns a view showing `topics` (of `procedure_id`)."""
        if not self.topics.intersection(topics):
            return False
        return procedure_id is None or self.procedure_id in (None, procedure_id)


class ChangeNotifier(QObject):
    """Carries the one notification of the app; lives on the `AppContext`."""

    changed = Signal(object)
    """A write succeeded; carries a `Changed`."""


class _Context(Protocol):
    """What the door needs from `ui.context.AppContext` (named here to avoid an import cycle)."""

    @property
    def uow(self) -> Any: ...

    @property
    def clock(self) -> Any: ...

    @property
    def changes(self) -> ChangeNotifier: ...


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


def failure_text(what: str, *, saving: bool) -> str:
    """The message for an unexpected failure: what was not done, what to do, where details are."""
    where = log_file()
    details = (
        _tr("The details are in the log file {path}.").format(path=where)
        if where is not None
        else _tr("The details are in the application log.")
    )
    if saving:
        head = _tr("{what} could not be saved: it is NOT recorded.").format(what=what)
        advice = _tr("Try again; if it fails again, note it on paper and call support.")
    else:
        head = _tr("{what} could not be done.").format(what=what)
        advice = _tr("Try again; if it fails again, call support.")
    return f"{head} {advice} {details}"


def attempt(
    context: _Context,
    call: Callable[[], T],
    *,
    show_error: ShowError,
    what: str,
    changes: Iterable[Topic] = (),
    procedure_id: int | None = None,
) -> T | None:
    """Run `call` (one service call); None, with the message shown, when it did not succeed.

    `what` names the thing for the person ("The dose", "The signature"); `changes` are the
    topics a success changed (none for a read).
    """
    topics = frozenset(changes)
    try:
        result = call()
    except DomainError as exc:
        show_error(exc.message)
        return None
    except Exception:
        log.exception("%s failed", what)
        show_error(failure_text(what, saving=bool(topics)))
        return None
    if topics:
        context.changes.changed.emit(Changed(topics, procedure_id, result))
    return result


def write(
    context: _Context,
    service: Callable[..., T],
    *,
    actor: Actor | None,
    show_error: ShowError,
    what: str,
    changes: Iterable[Topic],
    **values: Any,
) -> T | None:
    """Run a recording service as `actor` (with the unit of work and the clock)."""
    if actor is None:
        show_error(_tr("Nobody is signed in: sign in first. {what} is NOT recorded.").format(
            what=what
        ))
        return None
    return attempt(
        context,
        lambda: service(uow=context.uow, clock=context.clock, actor=actor, **values),
        show_error=show_error,
        what=what,
        changes=changes,
        procedure_id=values.get("procedure_id"),
    )


def read(
    context: _Context,
    service: Callable[..., T],
    *,
    actor: Actor | None,
    show_error: ShowError,
    what: str,
    **values: Any,
) -> T | None:
    """Run a reading service as `actor` (with the unit of work only)."""
    if actor is None:
        show_error(_tr("Nobody is signed in: sign in first."))
        return None
    return attempt(
        context,
        lambda: service(uow=context.uow, actor=actor, **values),
        show_error=show_error,
        what=what,
    )


# --- long work on a worker thread ---------------------------------------------------------------


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


class _Relay(QObject):
    """Delivers a job's outcome to callbacks while the waiting widget lives (its child)."""

    def __init__(
        self,
        receiver: QObject,
        on_done: Callable[[Any], None],
        show_error: ShowError,
        on_progress: Callable[[int], None] | None,
    ) -> None:
        super().__init__(receiver)
        self._on_done = on_done
        self._show_error = show_error
        self._on_progress = on_progress

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
