"""Small forms of the user administration: new account, roles, reason, one-time password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.users import Role
from slidesk.services.accounts.password_policy import generate_one_time_password
from ui.auth.common import MessageStrip, header, hint, text_field

ROLE_LABELS = {
    Role.OPERATOR: "Operator (injects, records sites)",
    Role.NURSE: "Sedation nurse (sedation, vital signs)",
    Role.MONITOR: "Monitor (reads records and audit trail; no edits)",
    Role.ADMIN: "Administrator (accounts; no clinical data)",
}
ROLE_SHORT = {
    Role.OPERATOR: "Operator",
    Role.NURSE: "Sedation nurse",
    Role.MONITOR: "Monitor",
    Role.ADMIN: "Administrator",
}


def roles_text(roles: frozenset[Role]) -> str:
    order = [Role.OPERATOR, Role.NURSE, Role.MONITOR, Role.ADMIN]
    return ", ".join(ROLE_SHORT[r] for r in order if r in roles)


class RolesChooser(QWidget):
    """One check box per role; the service says which combinations are refused and why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[Role, QCheckBox] = {}
        for role, label in ROLE_LABELS.items():
            box = QCheckBox(self.tr(label))
            self.boxes[role] = box
            layout.addWidget(box)

    def roles(self) -> frozenset[Role]:
        return frozenset(r for r, box in self.boxes.items() if box.isChecked())

    def set_roles(self, roles: frozenset[Role]) -> None:
        for role, box in self.boxes.items():
            box.setChecked(role in roles)


class _FormDialog(QDialog):
    """A titled form with a message strip and OK/Cancel; Enter presses OK."""

    def __init__(self, title: str, subtitle: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title} — SLI Desk")
        self.form = QFormLayout()
        self.strip = MessageStrip()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(header(title, subtitle))
        layout.addLayout(self.form)
        layout.addWidget(self.strip)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.buttons.rejected.connect(self.reject)


class AddUserForm(_FormDialog):
    """Username, full name, roles and a generated one-time password to hand over."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("New account"),
            self.tr("One account per person; usernames are never reused or shared."),
            self.tr("Create account"),
            parent,
        )
        self.username = text_field(self.tr("e.g. jdevries"))
        self.full_name = text_field(self.tr("As it should appear on records"))
        self.roles = RolesChooser()
        self.password = QLineEdit(generate_one_time_password())
        self.password.setReadOnly(True)
        self.password.setFont(QFont("DejaVu Sans Mono"))
        self.new_password = QPushButton(self.tr("New"))
        self.new_password.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.new_password)
        self.form.addRow(self.tr("&Username:"), self.username)
        self.form.addRow(self.tr("&Full name:"), self.full_name)
        self.form.addRow(self.tr("Roles:"), self.roles)
        self.form.addRow(self.tr("One-time password:"), row)
        self.form.addRow(
            "",
            hint(
                self.tr("Give it to the person in person. They choose their own at first sign-in.")
            ),
        )
        self.new_password.clicked.connect(self._on_new_password_clicked)
        self.username.setFocus()

    def _on_new_password_clicked(self) -> None:
        self.password.setText(generate_one_time_password(self.username.text().strip()))


class ReasonForm(_FormDialog):
    """Asks why (required); optionally with role check boxes above the reason."""

    def __init__(
        self,
        title: str,
        subtitle: str,
        ok_text: str,
        parent: QWidget | None = None,
        *,
        with_roles: frozenset[Role] | None = None,
    ) -> None:
        super().__init__(title, subtitle, ok_text, parent)
        self.roles: RolesChooser | None = None
        if with_roles is not None:
            self.roles = RolesChooser()
            self.roles.set_roles(with_roles)
            self.form.addRow(self.tr("Roles:"), self.roles)
        self.reason = text_field(self.tr("Required: why, and on whose request"))
        self.reason.setMaxLength(500)
        self.form.addRow(self.tr("&Reason:"), self.reason)
        self.reason.setFocus()


class OneTimePasswordDialog(QDialog):
    """Shows a one-time password once, large and unambiguous, with a copy button."""

    def __init__(self, full_name: str, password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("One-time password — SLI Desk"))
        self.password = QLabel(password)
        font = QFont("DejaVu Sans Mono")
        font.setPointSizeF(font.pointSizeF() * 1.8)
        self.password.setFont(font)
        self.password.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password.setStyleSheet(
            "background:#FFFFFF; border:1px solid #B0B7BF; border-radius:6px; padding:12px;"
        )
        copy = QPushButton(self.tr("&Copy"))
        copy.setAutoDefault(False)
        done = QPushButton(self.tr("Done"))
        done.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(copy)
        buttons.addStretch(1)
        buttons.addWidget(done)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(
            header(
                self.tr("One-time password for %s") % full_name,
                self.tr(
                    "Give it to them in person or by phone after checking who they are. It is "
                    "shown only now; they must choose their own password when they sign in."
                ),
            )
        )
        layout.addWidget(self.password)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(password))
        done.clicked.connect(self.accept)
