"""Views follow the one notification: a view refreshes when a write touched what it shows.

Every successful write is announced once on `context.changes` (`ui.door.operations.Changed`). A
view that shows some topics keeps a `Follower`: when a change touches one of them (for the
procedure the view shows, if it shows one), the view refreshes at once if it is on screen,
or when it is next shown if it is hidden — a hidden tab does not pay for a query on every
injection. No screen is wired to another screen to make it refresh.

A view that can use the write's fresh result (`Changed.result`) instead of asking again
passes `take`. The follower holds its view's methods weakly: it adds no reference cycle that
would leave the view's fate to the garbage collector. Qt only; imports nothing from `slidesk`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import TypeVar
from weakref import WeakMethod

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from ui.door.operations import Changed, ChangeNotifier, Topic

R = TypeVar("R")


def _everything() -> int | None:
    return None


def _weak(method: Callable[..., R]) -> Callable[[], Callable[..., R] | None]:
    """A bound method held weakly (a plain function is held as it is)."""
    if inspect.ismethod(method):
        return WeakMethod(method)
    return lambda: method


class Follower(QObject):
    """Refreshes `view` after changes to `topics`; a child of the view, so it dies with it."""

    def __init__(
        self,
        view: QWidget,
        changes: ChangeNotifier,
        topics: Iterable[Topic],
        refresh: Callable[[], None],
        *,
        procedure_id: Callable[[], int | None] = _everything,
        take: Callable[[Changed], bool] | None = None,
    ) -> None:
        super().__init__(view)  # the view is found as the parent: no reference to it here
        self._topics = tuple(topics)
        self._refresh = _weak(refresh)
        self._procedure_id = _weak(procedure_id)
        self._take = _weak(take) if take is not None else None
        self.stale = False
        self.paused = False
        view.installEventFilter(self)
        changes.changed.connect(self._on_changed)

    def _on_changed(self, changed: Changed) -> None:
        view, procedure_id, refresh = self.parent(), self._procedure_id(), self._refresh()
        if self.paused or not isinstance(view, QWidget) or procedure_id is None or refresh is None:
            return
        if not changed.touches(*self._topics, procedure_id=procedure_id()):
            return
        take = self._take() if self._take is not None else None
        if take is not None and take(changed):
            return
        if view.isVisible():
            self.stale = False
            refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.stale and watched is self.parent():
            refresh = self._refresh()
            if refresh is not None:
                self.stale = False
                refresh()
        return False
