"""Plan a procedure: subject (existing or new), kit, product release, operator and nurse.

Both the operator and the sedation nurse must be signed in before the procedure is planned;
the time-out checklist follows.
"""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.users import Role
from slidesk.domain.values import Limb
from slidesk.services.dto import ProcedureView, SubjectView
from slidesk.services.procedure import planning, subjects
from ui.common.fields import OneStopDateTimeEdit
from ui.common.text_warning import IdentifyingTextWarning
from ui.common.timefmt import from_site_wall_clock, site_wall_clock
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import ShowError, Topic
from ui.procedure.person_picker import PersonPicker
from ui.session import BedsideSession
from ui.workspace.banner import Banner
from ui.workspace.ui_state import LAST_LOCATION, UiState

_NEW = -1


class NewProcedureDialog(QDialog):
    planned = Signal(object)
    """A procedure was planned (its `ProcedureView`); the time-out comes next."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.session = session
        self.protocol = context.uow.protocols.default
        self.result_view: ProcedureView | None = None
        self._pending_limb = Limb.LEFT  # of a subject registered while the database was held
        self.ui_state = UiState()
        self.setWindowTitle(self.tr("New procedure — %1").replace("%1", self.protocol.key))
        self.setMinimumWidth(620)
        self._build()
        self._connect_signals()
        self._update()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Plan a procedure"))
        title.setStyleSheet("font-size:16pt; font-weight:700;")
        layout.addWidget(title)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        subject_box = QGroupBox(self.tr("Subject"))
        form = QFormLayout(subject_box)
        self.subject = QComboBox()
        self.subject.addItem(self.tr("New subject — register below"), _NEW)
        known = operations.read(
            self.context,
            subjects.list_subjects,
            actor=self.session.active,
            show_error=self._show_error,
            what=self.tr("The list of subjects"),
        )
        for s in known or ():
            self.subject.addItem(f"{s.study_id}  ({s.index_limb.label} leg)", s.id)
        form.addRow(self.tr("&Subject:"), self.subject)
        self.study_id = QLineEdit()
        # "required" sits in the empty field itself and goes away once something is typed.
        self.study_id.setPlaceholderText(
            self.tr("required, e.g. %1").replace("%1", self.protocol.subject_id_example)
        )
        self.study_id.setMaxLength(40)
        form.addRow(self.tr("Study &ID:"), self.study_id)
        limb_row = QHBoxLayout()
        self.limb_group = QButtonGroup(self)
        self.left = QRadioButton(self.tr("&Left"))
        self.right = QRadioButton(self.tr("&Right"))
        for i, button in enumerate((self.left, self.right)):
            self.limb_group.addButton(button, i)
            limb_row.addWidget(button)
        limb_row.addStretch(1)
        self.limb_label = QLabel(self.tr("Index limb:"))
        form.addRow(self.limb_label, limb_row)
        self.centre = QLineEdit("UMC Utrecht")
        form.addRow(self.tr("&Centre:"), self.centre)
        self.centre_warning = IdentifyingTextWarning(self.centre, self.tr("Centre"))
        form.addRow("", self.centre_warning)
        self.privacy = QLabel(
            self.tr("Pseudonymised study ID only: never a name, BSN or hospital number.")
        )
        self.privacy.setStyleSheet("color:#4D4D4D;")
        form.addRow("", self.privacy)
        layout.addWidget(subject_box)
        product_box = QGroupBox(self.tr("Investigational product"))
        form = QFormLayout(product_box)
        self.kit = QLineEdit()
        self.kit.setPlaceholderText(
            self.tr("required: scan or type, e.g. %1").replace(
                "%1", self.protocol.product.kit_example
            )
        )
        self.kit.setMaxLength(60)
        form.addRow(self.tr("&Kit number:"), self.kit)
        self.kit_warning = IdentifyingTextWarning(self.kit, self.tr("Kit number"))
        form.addRow("", self.kit_warning)
        release_row = QHBoxLayout()
        self.release_known = QCheckBox(self.tr("released at"))
        self.release_known.setChecked(True)
        clock = self.context.clock
        self.release = OneStopDateTimeEdit(site_wall_clock(clock.now(), clock.zone))
        self.release.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.release.setCalendarPopup(True)
        release_row.addWidget(self.release_known)
        release_row.addWidget(self.release, 1)
        # Alt+R is the Right index limb, Alt+L the Left one: no label may share their letters.
        release_label = QLabel(self.tr("&Product release:"))
        release_label.setBuddy(self.release)
        form.addRow(release_label, release_row)
        layout.addWidget(product_box)
        team_box = QGroupBox(self.tr("Team (both must be signed in)"))
        form = QFormLayout(team_box)
        self.operator = PersonPicker(self.context, self.session, Role.OPERATOR, self)
        self.nurse = PersonPicker(self.context, self.session, Role.NURSE, self)
        form.addRow(self.tr("&Operator:"), self.operator)
        form.addRow(self.tr("Sedation &nurse:"), self.nurse)
        self.location = QLineEdit(str(self.ui_state.get(LAST_LOCATION)) or "")
        self.location.setPlaceholderText(self.tr("required, e.g. Angio suite 2"))
        self.location.setMaxLength(100)
        form.addRow(self.tr("Loca&tion:"), self.location)
        self.location_warning = IdentifyingTextWarning(self.location, self.tr("Location"))
        form.addRow("", self.location_warning)
        layout.addWidget(team_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Plan and go to the time-out"))
        # Why the button is greyed out, in words, where the eye goes when it will not press.
        self.still_needed = QLabel()
        self.still_needed.setWordWrap(True)
        self.still_needed.setTextFormat(Qt.TextFormat.PlainText)
        self.still_needed.setStyleSheet("color:#4D4D4D;")
        # Room for two lines, so the dialog does not jump while the list shortens.
        self.still_needed.setMinimumHeight(2 * self.still_needed.fontMetrics().lineSpacing())
        bottom = QHBoxLayout()
        bottom.addWidget(self.still_needed, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.study_id.setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.subject.currentIndexChanged.connect(self._on_any_changed)
        self.study_id.textChanged.connect(self._on_any_changed)
        self.kit.textChanged.connect(self._on_kit_text_changed)
        self.limb_group.idClicked.connect(self._on_any_changed)
        self.location.textChanged.connect(self._on_any_changed)
        self.release_known.toggled.connect(self.release.setEnabled)
        self.operator.changed.connect(self._update)
        self.nurse.changed.connect(self._update)

    def _is_new_subject(self) -> bool:
        return bool(self.subject.currentData() == _NEW)

    def _on_any_changed(self, *_args: object) -> None:
        self._update()

    def _on_kit_text_changed(self, text: str) -> None:
        upper = text.upper()
        if upper != text:
            self.kit.setText(upper)
            return
        self._update()

    def missing(self) -> list[str]:
        """What still stops planning, in words."""
        gaps = []
        if self._is_new_subject():
            if not self.study_id.text().strip():
                gaps.append(self.tr("study ID"))
            if self.limb_group.checkedId() < 0:
                gaps.append(self.tr("index limb"))
        kit = self.kit.text().strip()
        if not kit:
            gaps.append(self.tr("kit number"))
        elif re.fullmatch(self.protocol.product.kit_pattern, kit) is None:
            gaps.append(
                self.tr("kit number like %1").replace("%1", self.protocol.product.kit_example)
            )
        if not self.operator.is_ready():
            gaps.append(self.tr("operator signed in"))
        if not self.nurse.is_ready():
            gaps.append(self.tr("nurse signed in"))
        if not self.location.text().strip():
            gaps.append(self.tr("location"))
        return gaps

    def _update(self) -> None:
        new = self._is_new_subject()
        for widget in (self.study_id, self.left, self.right, self.centre):
            widget.setEnabled(new)
        gaps = self.missing()
        self.ok.setEnabled(not gaps)
        needed = self.tr("Still needed: %1").replace("%1", ", ".join(gaps)) if gaps else ""
        self.ok.setToolTip(needed)
        self.ok.setAccessibleDescription(needed)
        self.still_needed.setText(needed or self.tr("Ready to plan."))

    def _show_error(self, text: str) -> None:
        self.banner.show_message(text, "error")

    def _refused_at(self, field: QWidget) -> ShowError:
        """A `show_error` for planning: the keyboard goes to the field the refusal is about,
        and "Ready to plan." (which contradicted it) gives way until the next edit."""

        def show(text: str) -> None:
            self._show_error(text)
            self.still_needed.setText(self.tr("Not planned: see the message above."))
            field.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(field, QLineEdit):
                field.selectAll()

        return show

    def _plan_refused(self, text: str) -> None:
        """A refused plan: most refusals are about the kit (in use, its form); a release time
        in the future is about that field."""
        release = "release time" in text.lower() and self.release.isEnabled()
        self._refused_at(self.release if release else self.kit)(text)

    def release_time(self) -> datetime | None:
        if not self.release_known.isChecked():
            return None
        return from_site_wall_clock(self.release.dateTime(), self.context.clock.zone)

    def _on_buttons_accepted(self) -> None:
        actor = self.session.active
        if actor is None or self.missing():
            return
        if self._is_new_subject():
            self._pending_limb = Limb.LEFT if self.limb_group.checkedId() == 0 else Limb.RIGHT
            subject = operations.write(
                self.context,
                subjects.register_subject,
                actor=actor,
                show_error=self._refused_at(self.study_id),
                what=self.tr("The new subject"),
                changes=(Topic.SUBJECTS,),
                later=self._registered,
                owner=self,
                study_id=self.study_id.text(),
                index_limb=self._pending_limb,
                centre=self.centre.text(),
            )
            if subject is not None:
                self._registered(subject)
            return
        self._plan()

    def _registered(self, subject: SubjectView) -> None:
        """The subject is registered (at once, or once another program let go): plan."""
        # Registered now: a plan refused below is planned again for this subject.
        self.subject.addItem(f"{subject.study_id}  ({self._pending_limb.label} leg)", subject.id)
        self.subject.setCurrentIndex(self.subject.count() - 1)
        self._plan()

    def _plan(self) -> None:
        actor = self.session.active
        operator, nurse = self.operator.user_id(), self.nurse.user_id()
        if actor is None or operator is None or nurse is None:
            return
        view = operations.write(
            self.context,
            planning.plan_procedure,
            actor=actor,
            show_error=self._plan_refused,
            what=self.tr("The planned procedure"),
            changes=(Topic.PROCEDURE,),
            subject_id=int(self.subject.currentData()),
            kit_number=self.kit.text(),
            operator_id=operator,
            nurse_id=nurse,
            location=self.location.text(),
            product_release_at=self.release_time(),
            later=self._planned,
            owner=self,
        )
        if view is not None:
            self._planned(view)

    def _planned(self, view: ProcedureView) -> None:
        """The procedure is planned (at once, or once another program let go)."""
        self.ui_state.set(LAST_LOCATION, self.location.text().strip())
        self.result_view = view
        self.planned.emit(view)
        self.accept()
