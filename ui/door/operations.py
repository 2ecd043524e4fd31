"""The one door from a screen to the core: run a service, show its outcome, announce the change.

Every screen calls the services through `write`, `read` or `attempt` (Anki's
`qt/aqt/operations`): the service gets the unit of work, the clock and the actor; a refusal
(`DomainError`) is shown where the person is looking (the `show_error` the screen passes); any
other exception is logged with its traceback to the rotating log file and shown as a message
that says what was NOT saved — never a silent no-op, never a traceback on screen. After a
successful write, one notification (`context.changes.changed`, a `Changed`) tells every view
what changed, so each refreshes itself instead of being wired to the screen that wrote.

Long work (verify, export, report) goes to `in_background` (`ui.door.jobs`): a worker thread, with
Python's automatic garbage collection paused while it runs, the outcome delivered on the GUI
thread. Failure messages and the log file are `ui.door.failures`.

A write that must not freeze the window while another program holds the database's write
lock (the bedside Confirm) passes `later` and `owner`: its first try waits only a moment for
the lock; if the lock is still held, the screen says "Waiting for the database (held by
another program)…" at once, keeps what was typed, and a timer (a child of `owner`, so it
dies with the screen) tries again in short tries on the GUI thread until the lock is free —
then the write's outcome goes to `later` — or until the whole lock wait (`SLIDESK_LOCK_WAIT`,
15 s) has passed, when the screen says that nothing was recorded. No thread, so no garbage
collection on a worker. A new write from the same `owner` (Confirm pressed again) replaces
a waiting one; only one of them can commit.

Every write a person makes from a screen passes `later` and `owner` (the nurse's entries,
undo and corrections, time-out ticks, completion, the adverse-event form and the follow-up
visit; a dialog stays open with the message and its fields until `later` closes it). A write
that must not be retried blindly — a signature, which checks the password again — passes
`short_lock` instead: its one try waits only a moment, and a lock still held is said at once
("held by another program … NOT recorded … try again"), nothing done.

A database fault (read-only file, full disk, damaged file) is named in one sentence with the
file and what to do (`ui.door.failures.fault_text`).

No screen catches `DomainError` itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from slidesk.domain.errors import DomainError, RightsEnded
from slidesk.domain.users import Actor
from ui.door.failures import _tr, failure_text, fault_of, install_log_file, log_file
from ui.door.jobs import Job, JobSignals, gc_gate, in_background, start, weakly
from ui.door.lock_wait import FIRST_TRY_S, LockWait, is_waiting, stop_waiting, try_with_lock_wait

__all__ = [
    "ChangeNotifier",
    "Changed",
    "Job",
    "JobSignals",
    "Topic",
    "attempt",
    "check",
    "failure_text",
    "gc_gate",
    "in_background",
    "install_log_file",
    "is_waiting",
    "log_file",
    "message_box",
    "performed",
    "read",
    "start",
    "weakly",
    "write",
]

log = logging.getLogger(__name__)

T = TypeVar("T")
ShowError = Callable[[str], None]
"""Where a screen shows a message: its message line, its panel, its status strip."""
Refused = Callable[[DomainError], None]
"""For a screen that must tell refusals apart (a wrong password counts towards a lockout):
it gets the refusal itself instead of its message. It still never catches one."""


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

    rights_ended = Signal(int, str)
    """A service refused someone whose account was deactivated or lost a role since they
    signed in (`RightsEnded`): their user id and the message. The bedside session signs them
    out (`ui.session`)."""


class _Context(Protocol):
    """What the door needs from `ui.context.AppContext` (named here to avoid an import cycle)."""

    @property
    def uow(self) -> Any: ...

    @property
    def clock(self) -> Any: ...

    @property
    def changes(self) -> ChangeNotifier: ...

    @property
    def database_location(self) -> str: ...


def attempt(
    context: _Context,
    call: Callable[[], T],
    *,
    show_error: ShowError,
    what: str,
    changes: Iterable[Topic] = (),
    procedure_id: int | None = None,
    reading: bool = False,
    refused: Refused | None = None,
    later: Callable[[T], None] | None = None,
    owner: QObject | None = None,
    short_lock: bool = False,
) -> T | None:
    """Run `call` (one service call); None, with the message shown, when it did not succeed.

    `what` names the thing for the person ("The dose", "The signature"); `changes` are the
    topics a success changed (none for a read; `reading` words a failure as "could not be
    read"). `refused`, when given, receives a refusal instead of `show_error`.

    With `later` and `owner` (the screen), a lock held by another program is waited for
    without freezing: None is returned at once with "Waiting for the database…" shown, and
    `later` gets the result once the write went through (see the module's docstring).
    `short_lock`: wait only a moment for the lock and, if it is still held, say so at once
    (for a write that must not be retried without the person: a signature).
    """
    topics = frozenset(changes)
    if owner is not None:
        stop_waiting(owner)
    short = later is not None or short_lock
    try:
        result = try_with_lock_wait(call, FIRST_TRY_S if short else None)
    except DomainError as exc:
        _refusal(context, exc, show_error, refused)
        return None
    except Exception as exc:
        if later is not None and owner is not None and fault_of(exc) == "locked":
            _wait_for_lock(
                context,
                call,
                owner=owner,
                later=later,
                show_error=show_error,
                what=what,
                topics=topics,
                procedure_id=procedure_id,
                refused=refused,
            )
            return None
        log.exception("%s failed", what)
        show_error(
            failure_text(
                what,
                saving=bool(topics),
                reading=reading,
                cause=exc,
                database=_where(context),
            )
        )
        return None
    _announce(context, topics, procedure_id, result)
    return result


def _wait_for_lock(
    context: _Context,
    call: Callable[[], T],
    *,
    owner: QObject,
    later: Callable[[T], None],
    show_error: ShowError,
    what: str,
    topics: frozenset[Topic],
    procedure_id: int | None,
    refused: Refused | None,
) -> None:
    """Try `call` again in short tries while another program holds the lock (`LockWait`)."""
    show = weakly(show_error)
    refuse = weakly(refused) if refused is not None else None
    then = weakly(later)

    def done(result: T) -> None:
        _announce(context, topics, procedure_id, result)
        then(result)

    def refusal(exc: DomainError) -> None:
        _refusal(context, exc, show, refuse)

    waiting = LockWait(
        owner,
        call,
        what=what,
        database=_where(context),
        show_error=show,
        on_refused=refusal,
        on_done=done,
    )
    if isinstance(owner, QDialog):  # Cancel (or Esc) while it waits: nothing is recorded
        owner.rejected.connect(waiting.stop)
    waiting.begin()


def _refusal(
    context: _Context, exc: DomainError, show_error: ShowError, refused: Refused | None
) -> None:
    if refused is not None:
        refused(exc)
    else:
        show_error(exc.message)
    if isinstance(exc, RightsEnded):
        context.changes.rights_ended.emit(exc.user_id, exc.message)


def _announce(
    context: _Context, topics: frozenset[Topic], procedure_id: int | None, result: object
) -> None:
    if topics:
        about = procedure_id if procedure_id is not None else procedure_of(result)
        context.changes.changed.emit(Changed(topics, about, result))


def _where(context: _Context) -> str | None:
    return getattr(context, "database_location", None)


def procedure_of(result: object) -> int | None:
    """The procedure a service's result belongs to, when the call named only an entry (a dose
    corrected by its id): its `procedure_id`, or a procedure view's own id. A change
    announced without its procedure passed by the views of that procedure ("Last saved")."""
    from slidesk.services.dto import ProcedureView

    if isinstance(result, ProcedureView):
        return result.id
    found = getattr(result, "procedure_id", None)
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def write(
    context: _Context,
    service: Callable[..., T],
    *,
    actor: Actor | None,
    show_error: ShowError,
    what: str,
    changes: Iterable[Topic],
    about: int | None = None,
    refused: Refused | None = None,
    later: Callable[[T], None] | None = None,
    owner: QObject | None = None,
    short_lock: bool = False,
    **values: Any,
) -> T | None:
    """Run a recording service as `actor` (with the unit of work and the clock).

    The change is announced for the service's `procedure_id`, or for `about` (a procedure
    id) when the service is given another record's id (an entry, a disposition). `later`
    and `owner`: wait for another program's lock without freezing; `short_lock`: say at
    once that it is held (see `attempt`).
    """
    if actor is None:
        show_error(
            _tr("Nobody is signed in: sign in first. {what} is NOT recorded.").format(what=what)
        )
        return None
    return attempt(
        context,
        lambda: service(uow=context.uow, clock=context.clock, actor=actor, **values),
        show_error=show_error,
        what=what,
        changes=changes,
        procedure_id=about if about is not None else values.get("procedure_id"),
        refused=refused,
        later=later,
        owner=owner,
        short_lock=short_lock,
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
    """Run a reading service as `actor` (with the unit of work; pass `clock=` if it takes one)."""
    if actor is None:
        show_error(_tr("Nobody is signed in: sign in first."))
        return None
    return attempt(
        context,
        lambda: service(uow=context.uow, actor=actor, **values),
        show_error=show_error,
        what=what,
        reading=True,
    )


def performed(call: Callable[[], None]) -> Callable[[], bool]:
    """For a service that returns nothing (an audit entry): True once it has run, so that
    the door's None still means "it did not succeed"."""

    def run() -> bool:
        call()
        return True

    return run


def message_box(parent: QWidget, title: str) -> ShowError:
    """A `show_error` for a screen without a message line of its own: a warning box over
    `parent` that does not block (the caller goes on; the box stays until dismissed)."""

    def show(text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    return show


def check(parse: Callable[[], T], *, show_error: ShowError) -> T | None:
    """Take what the person typed (a depth, a syringe label): the value, or None with the
    refusal shown. Pure parsing, no database; an unexpected failure is a bug and raises."""
    try:
        return parse()
    except DomainError as exc:
        show_error(exc.message)
        return None
