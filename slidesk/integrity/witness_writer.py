"""Append to witnesses off the caller's thread, so a witness that hangs never holds an entry.

Each witness file gets one daemon thread, made the first time it is written. A request hands
it a job (read what the file lacks, append it); the caller may wait a while (`settle`) and
then asks for the outcome: a job done by then gives it to the caller; one still running
reports its outcome itself when it ends, on the `STATUS_LOGGER` logger. A request for a
witness whose previous job is still running (a network share that stopped answering) does not
queue another: it is noted, and the running job runs once more when it ends — each job reads
what the witness lacks at that moment, so one run brings it up to date with every checkpoint
written meanwhile.

A collection of Python's cyclic garbage on such a thread could destroy a dead Qt object off
the GUI thread; a program with a GUI installs `set_thread_guard` (pause collection before a
job starts, resume it from the GUI thread after it ended). No Qt, no SQLAlchemy here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from slidesk.domain.checkpoints import STATUS_LOGGER

log = logging.getLogger(__name__)
_status = logging.getLogger(STATUS_LOGGER)

# A job appends what one witness lacks: (written, a sentence to show or None).
Job = Callable[[], tuple[bool, str | None]]


@dataclass(frozen=True, slots=True)
class Outcome:
    done: bool  # False: still running when the caller stopped waiting
    written: bool = False
    warning: str | None = None
    # The witness's previous job was still running (a share that stopped answering?).
    stuck: bool = False


class _Guard:
    pause: Callable[[], None] | None = None
    resume: Callable[[], None] | None = None


_GUARD = _Guard()


def set_thread_guard(pause: Callable[[], None] | None, resume: Callable[[], None] | None) -> None:
    """`pause()` is called on the requesting thread before a job starts, `resume()` on the
    job's thread after it ended (it must hand over to the GUI thread itself)."""
    _GUARD.pause, _GUARD.resume = pause, resume


class _Witness:
    def __init__(self, target: Path) -> None:
        self.target = target
        self.lock = threading.Lock()
        self.wanted = threading.Event()
        self.finished = threading.Event()
        self.busy = False
        self.again = False
        self.late = False  # nobody waits for the running job: it reports its own outcome
        self.job: Job | None = None
        self.outcome: tuple[bool, str | None] = (False, None)
        name = f"witness {target.name}"
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            while True:
                job = self.job
                outcome = _safely(job, self.target) if job is not None else (False, None)
                with self.lock:
                    self.outcome = outcome
                    if self.again:
                        self.again = False
                        continue
                    late, self.late, self.busy = self.late, False, False
                    self.finished.set()
                    break
            if late and outcome[1] is not None:
                _status.warning(outcome[1])
            resume = _GUARD.resume
            if resume is not None:
                resume()


def _safely(job: Job, target: Path) -> tuple[bool, str | None]:
    try:
        return job()
    except Exception as exc:  # a witness never stops the app: said, logged, retried next time
        log.warning("witness %s not written", target, exc_info=True)
        return False, str(exc)


class WitnessWriter:
    """The process's witness threads, one per file."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._witnesses: dict[Path, _Witness] = {}

    def write(self, target: Path, job: Job) -> Outcome:
        """Start `job` for `target` on its thread; ask `outcome(target)` how it went.

        A witness whose previous job still runs gets no second thread: that job runs once
        more when it ends (`Outcome.stuck`)."""
        with self._lock:
            witness = self._witnesses.get(target)
            if witness is None:
                witness = self._witnesses[target] = _Witness(target)
        with witness.lock:
            witness.job = job
            if witness.busy:
                witness.again = True  # the running job runs once more, with what is new then
                witness.late = True
                return Outcome(done=False, stuck=True)
            witness.busy = True
            witness.late = False
            witness.finished.clear()
        pause = _GUARD.pause
        if pause is not None:
            pause()
        witness.wanted.set()
        return Outcome(done=False)

    def settle(self, timeout: float, targets: Iterable[Path] | None = None) -> bool:
        """Wait until no job runs for `targets` (default: any witness); False if one still does."""
        deadline = time.monotonic() + timeout
        with self._lock:
            chosen = set(targets) if targets is not None else set(self._witnesses)
            witnesses = [w for t, w in self._witnesses.items() if t in chosen]
        for witness in witnesses:
            if witness.busy and not witness.finished.wait(max(0.0, deadline - time.monotonic())):
                return False
        return True

    def outcome(self, target: Path) -> Outcome:
        """How the newest job for `target` went, or that it still runs (then it says so itself)."""
        with self._lock:
            witness = self._witnesses.get(target)
        if witness is None:
            return Outcome(done=False)
        with witness.lock:
            if witness.busy:
                witness.late = True
                return Outcome(done=False)
            witness.late = False
            written, warning = witness.outcome
        return Outcome(done=True, written=written, warning=warning)


WRITER = WitnessWriter()
