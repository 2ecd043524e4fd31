"""'Who is typing': one button per signed-in person, for the main window's toolbar.

At the bedside the operator and the sedation nurse share one laptop. Each signs in once; a
click (or Ctrl+Shift+T) makes the other the typist without a restart, and every entry is
recorded in the typist's name (ACC-06). A second person joins through the sign-in dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QWidget,
)

from slidesk.domain.users import Actor
from ui.auth.sign_in import SignInDialog, show_alerts
from ui.context import AppContext
from ui.door import operations
from ui.session import BedsideSession

_ACTIVE = (
    "QToolButton { background:#0072B2; color:white; font-weight:600; border-radius:4px;"
    " padding:4px 10px; border:1px solid #005A8C; }"
)
_WAITING = (
    "QToolButton { background:transparent; color:#1A1A1A; border-radius:4px;"
    " padding:4px 10px; border:1px solid #B0B7BF; }"
    " QToolButton:hover { background:#E8EEF3; }"
)


def _role_text(actor: Actor) -> str:
    return ", ".join(sorted(r.value for r in actor.roles))


class TypistSwitcher(QWidget):
    """Shows who is signed in and who is typing; switches, adds and signs people out."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._session = session
        self._buttons: dict[int, QToolButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 0, 4, 0)
        self._layout.setSpacing(6)
        self._label = QLabel(self.tr("Typing:"))
        self._layout.addWidget(self._label)
        self._people_box = QHBoxLayout()
        self._people_box.setSpacing(4)
        self._layout.addLayout(self._people_box)

        self.switch_action = QAction(self.tr("Switch typist"), self)
        self.switch_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.switch_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.add_person_action = QAction(self.tr("Add a person…"), self)
        self.add_person_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.add_person_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addActions([self.switch_action, self.add_person_action])

        self.add_button = QToolButton()
        self.add_button.setDefaultAction(self.add_person_action)
        self.add_button.setText(self.tr("+ Person"))
        self.add_button.setToolTip(self.tr("Sign in another person at the bedside (Ctrl+Shift+N)"))
        self.add_button.setStyleSheet(_WAITING)
        self._layout.addWidget(self.add_button)
        self._rebuild()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._session.people_changed.connect(self._on_session_people_changed)
        self._session.active_changed.connect(self._on_session_active_changed)
        self._group.idClicked.connect(self._on_group_id_clicked)
        self.switch_action.triggered.connect(self._on_switch_action_triggered)
        self.add_person_action.triggered.connect(self._on_add_person_action_triggered)

    # --- building ---------------------------------------------------------------------------

    def person_button(self, user_id: int) -> QToolButton:
        return self._buttons[user_id]

    def _rebuild(self) -> None:
        for button in self._buttons.values():
            self._group.removeButton(button)
            button.deleteLater()
        self._buttons.clear()
        for actor in self._session.people:
            button = QToolButton()
            button.setCheckable(True)
            button.setText(actor.full_name)
            button.setAccessibleName(self.tr("Typist %s") % actor.full_name)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
            menu = QMenu(button)
            sign_out = menu.addAction(self.tr("Sign out %s") % actor.full_name)
            sign_out.triggered.connect(
                lambda _checked=False, uid=actor.user_id: self._sign_out(uid)
            )
            button.setMenu(menu)
            self._group.addButton(button, actor.user_id)
            self._people_box.addWidget(button)
            self._buttons[actor.user_id] = button
        self._refresh_active()
        self.switch_action.setEnabled(len(self._buttons) > 1)

    def _refresh_active(self) -> None:
        active = self._session.active
        people = {a.user_id: a for a in self._session.people}
        for user_id, button in self._buttons.items():
            actor = people.get(user_id)
            if actor is None:
                continue  # signed out; the rebuild that follows removes the button
            is_active = active is not None and active.user_id == user_id
            button.setChecked(is_active)
            button.setStyleSheet(_ACTIVE if is_active else _WAITING)
            state = self.tr("typing now") if is_active else self.tr("click to type as")
            button.setToolTip(
                f"{actor.full_name} ({actor.username}, {_role_text(actor)}) — {state}"
                + ("" if is_active else self.tr(" (Ctrl+Shift+T)"))
            )

    # --- slots --------------------------------------------------------------------------------

    def _on_session_people_changed(self) -> None:
        self._rebuild()

    def _on_session_active_changed(self, _actor: object) -> None:
        self._refresh_active()

    def _on_group_id_clicked(self, user_id: int) -> None:
        self._switch(user_id)

    def _on_switch_action_triggered(self) -> None:
        people = self._session.people
        if len(people) < 2:
            return
        active = self._session.active
        ids = [a.user_id for a in people]
        current = ids.index(active.user_id) if active is not None else -1
        self._switch(ids[(current + 1) % len(ids)])

    def _on_add_person_action_triggered(self) -> None:
        dialog = SignInDialog(self._context, self._session, self.window(), adding=True)
        dialog.finished.connect(lambda _code: show_alerts(self.window(), dialog.result_info))
        dialog.open()

    def _switch(self, user_id: int) -> None:
        self._session.switch_to(
            user_id, show_error=operations.message_box(self.window(), self.tr("Switch typist"))
        )
        self._refresh_active()

    def _sign_out(self, user_id: int) -> None:
        self._session.sign_out(
            user_id, show_error=operations.message_box(self.window(), self.tr("Sign out"))
        )
