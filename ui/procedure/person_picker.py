"""Choose the operator or the sedation nurse of a procedure, and make sure they are signed in.

Both must be present at the bedside: a person counts as present once they signed in to this
session (with their own password, through the sign-in dialog).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from slidesk.domain.users import Role
from slidesk.services.accounts import service as accounts
from slidesk.services.dto import UserView
from ui.context import AppContext
from ui.door import operations
from ui.session import BedsideSession


class PersonPicker(QWidget):
    changed = Signal()
    """The chosen person or their signed-in state changed."""

    def __init__(
        self,
        context: AppContext,
        session: BedsideSession,
        role: Role,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.session = session
        self.role = role
        self.dialog: QWidget | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.problem = ""  # why the people could not be listed, if they could not
        self.users: tuple[UserView, ...] = (
            operations.attempt(
                context,
                lambda: accounts.active_users_with_role(uow=context.uow, role=role),
                show_error=self._show_problem,
                what=self.tr("The list of people with the %1 role").replace("%1", role.value),
                reading=True,
            )
            or ()
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setMinimumWidth(220)
        for user in self.users:
            self.combo.addItem(user.full_name, user.id)
        self.sign_in_button = QPushButton(self.tr("Sign in…"))
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.sign_in_button)
        self._connect_signals()
        self.prefer_signed_in()
        self._update()

    def _connect_signals(self) -> None:
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self.sign_in_button.clicked.connect(self._on_sign_in_button_clicked)
        self.session.people_changed.connect(self._on_session_people_changed)

    def prefer_signed_in(self) -> None:
        """Pre-select someone with this role who is already signed in (the typist first)."""
        active = self.session.active
        ids = [active.user_id] if active else []
        ids += [p.user_id for p in self.session.people]
        for user_id in ids:
            index = self.combo.findData(user_id)
            if index >= 0:
                self.combo.setCurrentIndex(index)
                return

    def user_id(self) -> int | None:
        data = self.combo.currentData()
        return int(data) if data is not None else None

    def user(self) -> UserView | None:
        found = self.user_id()
        return next((u for u in self.users if u.id == found), None)

    def is_ready(self) -> bool:
        found = self.user_id()
        return found is not None and self.session.is_signed_in(found)

    def _show_problem(self, text: str) -> None:
        self.problem = text

    def _update(self) -> None:
        if self.problem:
            self.status.setText("<span style='color:#D55E00;'>" + escape(self.problem) + "</span>")
            self.sign_in_button.setEnabled(False)
        elif self.user_id() is None:
            self.status.setText(
                "<span style='color:#D55E00;'>"
                + self.tr("No active user holds the %1 role.").replace("%1", self.role.value)
                + "</span>"
            )
            self.sign_in_button.setEnabled(False)
        elif self.is_ready():
            self.status.setText(
                "<span style='color:#006B4F;'>✓ " + self.tr("signed in") + "</span>"
            )
            self.sign_in_button.setEnabled(False)
        else:
            self.status.setText(
                "<span style='color:#D55E00;'>" + self.tr("not signed in") + "</span>"
            )
            self.sign_in_button.setEnabled(True)
        self.changed.emit()

    def _show_switch_problem(self, text: str) -> None:
        self.status.setText("<span style='color:#D55E00;'>" + escape(text) + "</span>")

    def _on_combo_changed(self, _index: int) -> None:
        self._update()

    def _on_session_people_changed(self) -> None:
        self._update()

    def _on_sign_in_button_clicked(self) -> None:
        user = self.user()
        if user is None:
            return
        from ui.auth.sign_in import SignInDialog

        typist = self.session.active
        dialog = SignInDialog(self.context, self.session, self, adding=True, username=user.username)

        def signed_in(_actor: object) -> None:
            # Joining the bedside must not silently change who is typing.
            if typist is not None and self.session.is_signed_in(typist.user_id):
                self.session.switch_to(typist.user_id, show_error=self._show_switch_problem)

        dialog.signed_in.connect(signed_in)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
