"""Who is signed in at the bedside, and who is typing now.

Two people usually share one laptop: the operator and the sedation nurse both sign in to a
procedure; `active` is the person whose hands are on the keyboard (the recorder of the next
entry). Services check permissions; this object only tracks identities.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from slidesk.domain.users import Actor
from slidesk.services import accounts
from ui.context import AppContext


class BedsideSession(QObject):
    active_changed = Signal(object)
    """The person typing changed (an `Actor`, or None when nobody is signed in)."""

    people_changed = Signal()
    """Someone signed in or out."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._people: dict[int, Actor] = {}
        self._active: Actor | None = None

    @property
    def active(self) -> Actor | None:
        return self._active

    @property
    def people(self) -> tuple[Actor, ...]:
        return tuple(self._people.values())

    def sign_in(self, username: str, password: str, *, make_active: bool = True) -> Actor:
        """Check the password (raises `AuthenticationFailed`) and add the person."""
        actor = accounts.authenticate(
            uow=self._context.uow, clock=self._context.clock, username=username, password=password
        )
        self.add(actor, make_active=make_active)
        return actor

    def add(self, actor: Actor, *, make_active: bool = True) -> None:
        self._people[actor.user_id] = actor
        self.people_changed.emit()
        if make_active:
            self.switch_to(actor.user_id)

    def switch_to(self, user_id: int) -> None:
        actor = self._people[user_id]
        if actor != self._active:
            self._active = actor
            self.active_changed.emit(actor)

    def is_signed_in(self, user_id: int) -> bool:
        return user_id in self._people

    def sign_out(self, user_id: int) -> None:
        self._people.pop(user_id, None)
        if self._active is not None and self._active.user_id == user_id:
            self._active = next(iter(self._people.values()), None)
            self.active_changed.emit(self._active)
        self.people_changed.emit()
