"""Who is signed in at the bedside, who is typing now, and whether the screen is locked.

Two people usually share one laptop: the operator and the sedation nurse both sign in to a
procedure; `active` is the person whose hands are on the keyboard (the recorder of the next
entry). Services check permissions; this object only tracks identities.

Its audited steps go through the one door (`ui.door.operations`); a step that cannot be recorded
is said where the caller shows messages, else through `problem` (the main window shows it).
Locking and signing out happen even then (a screen left open is the greater harm); a change
of typist does not (every entry must stay attributable to the person the trail names).

After `idle_minutes` without keyboard, mouse or touch input the session locks (ACC-05): the
window keeps every bit of its state, and a signed-in person's password unlocks it. Lock,
unlock, change of typist and sign-out are audited through `slidesk.services.accounts.sessions`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from slidesk.domain.users import Actor
from slidesk.services.accounts import sessions
from slidesk.services.accounts.service import PasswordHasher
from slidesk.services.accounts.sessions import SessionEvent
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Refused, ShowError, Topic
from ui.settings import IDLE_LOCK_MINUTES

log = logging.getLogger(__name__)

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class BedsideSession(QObject):
    active_changed = Signal(object)
    """The person typing changed (an `Actor`, or None when nobody is signed in)."""

    people_changed = Signal()
    """Someone signed in or out."""

    locked_changed = Signal(bool)
    """The screen was locked (True) or unlocked (False)."""

    problem = Signal(str)
    """A step (lock, sign-out, change of typist) could not be recorded; the text says so.
    Emitted when the caller gave no place of its own for the message."""

    def __init__(
        self,
        context: AppContext,
        parent: QObject | None = None,
        *,
        hasher: PasswordHasher | None = None,
        idle_minutes: int = IDLE_LOCK_MINUTES.default,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.hasher = hasher
        self._people: dict[int, Actor] = {}
        self._active: Actor | None = None
        self._locked = False
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self.set_idle_minutes(idle_minutes)
        self._activity_filter: _ActivityFilter | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._idle_timer.timeout.connect(self._on_idle_timer_timeout)
        self._context.changes.rights_ended.connect(self._on_rights_ended)

    # --- who is here ---------------------------------------------------------------------

    @property
    def context(self) -> AppContext:
        return self._context

    @property
    def active(self) -> Actor | None:
        return self._active

    @property
    def people(self) -> tuple[Actor, ...]:
        return tuple(self._people.values())

    def add(self, actor: Actor, *, make_active: bool = True) -> None:
        """Add an authenticated person (the sign-in itself is already audited)."""
        self._people[actor.user_id] = actor
        self.people_changed.emit()
        if make_active or self._active is None:
            self._set_active(actor)
        self._idle_timer.start()

    def switch_to(self, user_id: int, *, show_error: ShowError | None = None) -> bool:
        """Make a signed-in person the typist; audited so every entry stays attributable.

        False (with the message shown) when the change could not be recorded: the typist
        stays who it was."""
        actor = self._people[user_id]
        if actor == self._active:
            return True
        previous = self._active
        if not self._record(
            SessionEvent.TYPIST_CHANGED,
            actor,
            self.tr("The change of typist to %s") % actor.full_name,
            show_error,
            {"from_user_id": previous.user_id if previous else 0},
        ):
            return False
        self._set_active(actor)
        return True

    def is_signed_in(self, user_id: int) -> bool:
        return user_id in self._people

    def sign_out(
        self, user_id: int, *, show_error: ShowError | None = None, cause: str = "manual"
    ) -> None:
        """Sign one person out (audited); when nobody is left the screen locks."""
        actor = self._people.pop(user_id, None)
        if actor is None:
            return
        self._record(
            SessionEvent.SIGNED_OUT,
            actor,
            self.tr("The audit entry of the sign-out of %s") % actor.full_name,
            show_error,
            {"cause": cause} if cause != "manual" else None,
        )
        self.people_changed.emit()
        if self._active is not None and self._active.user_id == user_id:
            self._set_active(next(iter(self._people.values()), None))
        if not self._people:
            self._idle_timer.stop()
            self._set_locked(True)

    def _on_rights_ended(self, user_id: int, message: str) -> None:
        """A service refused this person because their account was deactivated or lost a role:
        their session ends now (signed out; the screen locks when nobody is left), and the
        reason is said (`problem`) wherever the refusal itself was shown."""
        actor = self._people.get(user_id)
        if actor is None:
            return
        self.sign_out(user_id, show_error=lambda _text: None, cause="rights ended")
        self.problem.emit(
            self.tr("%1\n\n%2 has been signed out.")
            .replace("%1", message)
            .replace("%2", actor.full_name)
        )

    def _record(
        self,
        event: SessionEvent,
        actor: Actor,
        what: str,
        show_error: ShowError | None,
        details: Mapping[str, str | int | bool] | None = None,
    ) -> bool:
        recorded = operations.attempt(
            self._context,
            operations.performed(
                lambda: sessions.record_session_event(
                    uow=self._context.uow,
                    clock=self._context.clock,
                    actor=actor,
                    event=event,
                    details=details,
                )
            ),
            show_error=show_error or self.problem.emit,
            what=what,
            changes=(Topic.ACCOUNTS,),
        )
        return recorded is not None

    def _set_active(self, actor: Actor | None) -> None:
        if actor != self._active:
            self._active = actor
            self.active_changed.emit(actor)

    # --- locking ---------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self._locked

    @property
    def idle_minutes(self) -> int:
        return self._idle_timer.interval() // 60_000

    def set_idle_minutes(self, minutes: int) -> None:
        self._idle_timer.setInterval(IDLE_LOCK_MINUTES.clamp(minutes) * 60_000)

    def set_idle_interval_ms(self, milliseconds: int) -> None:
        """For tests and demonstrations: an idle time below one minute."""
        self._idle_timer.setInterval(max(1, milliseconds))

    def watch_activity(self, app: QApplication) -> None:
        """Count keyboard, mouse and touch input anywhere in the app as activity."""
        if self._activity_filter is None:
            self._activity_filter = _ActivityFilter(self)
            app.installEventFilter(self._activity_filter)

    def note_activity(self) -> None:
        if not self._locked and self._people:
            self._idle_timer.start()

    def lock(self, cause: str = "manual", *, show_error: ShowError | None = None) -> None:
        """Cover the screen; the state of every window is kept. Audited for the typist."""
        if self._locked:
            return
        if self._active is not None:
            self._record(
                SessionEvent.LOCKED,
                self._active,
                self.tr("The audit entry of the lock"),
                show_error,
                {"cause": cause, "idle_minutes": self.idle_minutes},
            )
        self._idle_timer.stop()
        self._set_locked(True)

    def unlock(
        self, user_id: int, password: str, *, show_error: ShowError, refused: Refused
    ) -> Actor | None:
        """Unlock with a signed-in person's password; they become the typist.

        None when it did not unlock: a wrong password (`AuthenticationFailed`, generic; it
        counts towards the lockout) goes to `refused`, a failure to `show_error`.
        """
        candidate = self._people[user_id]
        actor = operations.attempt(
            self._context,
            lambda: sessions.unlock_session(
                uow=self._context.uow,
                clock=self._context.clock,
                username=candidate.username,
                password=password,
                hasher=self.hasher,
            ),
            show_error=show_error,
            refused=refused,
            what=self.tr("The unlock"),
        )
        if actor is None:
            return None
        self._people[actor.user_id] = actor
        self._set_active(actor)
        self._set_locked(False)
        self._idle_timer.start()
        return actor

    def unlock_after_sign_in(self, actor: Actor) -> None:
        """Someone signed in fully on the lock screen (and was added): the screen unlocks."""
        if actor.user_id not in self._people:
            raise KeyError(actor.user_id)
        self._set_active(self._people[actor.user_id])
        self._set_locked(False)
        self._idle_timer.start()

    def _set_locked(self, locked: bool) -> None:
        if locked != self._locked:
            self._locked = locked
            self.locked_changed.emit(locked)

    def _on_idle_timer_timeout(self) -> None:
        if self._people and not self._locked:
            log.info("locking after %s idle minute(s)", self.idle_minutes)
            self.lock(cause="idle")


class _ActivityFilter(QObject):
    """Restarts the idle timer on user input; never consumes an event."""

    def __init__(self, session: BedsideSession) -> None:
        super().__init__(session)
        self._session = session

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._session.note_activity()
        return False
