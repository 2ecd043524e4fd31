"""The time-out before the first needle: every protocol checklist item confirmed by the roles
the protocol names for it, each by a named, signed-in person (time-stamped, audited); then the
procedure starts.

Each item shows a box per role that confirms it ("Operator", "Nurse") and who has confirmed
it. The person chosen under "Confirmed by" ticks the boxes of their role; an item of two roles
needs a second person, who signs in here if they are not yet. A tick shows only after the
service saved it; a refused tick says why (and who must confirm instead). Unticking asks for
a reason. The boxes are drawn by `timeout_items`, the texts worded by `timeout_texts`, and the
question before closing a begun time-out asked by `timeout_close`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.users import Actor, Permission, Role
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import checklist, planning
from slidesk.services.procedure.dto_workspace import ChecklistView
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.procedure import timeout_texts
from ui.procedure.timeout_close import begun_unfinished, close_question
from ui.procedure.timeout_items import ROLES, ChecklistBox, ChecklistGrid
from ui.session import BedsideSession
from ui.workspace.banner import Banner
from ui.workspace.dialogs import ReasonDialog


class TimeOutDialog(QDialog):
    started = Signal(object)
    """The procedure was started after a complete time-out (its `ProcedureView`)."""

    def __init__(
        self,
        context: AppContext,
        session: BedsideSession,
        view: ProcedureView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.session = session
        self.view = view
        self.state: ChecklistView | None = None
        self.boxes: dict[tuple[str, Role], ChecklistBox] = {}
        self.notes: dict[str, QLabel] = {}
        self.reason_dialog: ReasonDialog | None = None
        self.sign_in_dialog: QDialog | None = None
        self.close_question: QMessageBox | None = None
        self._after_tick = False  # the tick waiting for another program's lock was a tick
        self.setWindowTitle(self.tr("Time-out — %1").replace("%1", view.subject.study_id))
        self.setMinimumSize(920, 600)
        self._build()
        self._connect_signals()
        self._load()
        self._focus_first_open()

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        view = self.view
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Time-out before the first injection"))
        title.setStyleSheet("font-size:16pt; font-weight:700;")
        layout.addWidget(title)
        facts = QLabel(timeout_texts.facts(view))
        facts.setWordWrap(True)
        layout.addWidget(facts)
        who = QHBoxLayout()
        self.who = QComboBox()
        who_label = QLabel(self.tr("Confirmed &by:"))
        who_label.setBuddy(self.who)
        self.sign_in_button = QPushButton(self.tr("Si&gn in another person…"))
        self.sign_in_button.setAutoDefault(False)
        who.addWidget(who_label)
        who.addWidget(self.who, 1)
        who.addWidget(self.sign_in_button)
        self.progress = QLabel()
        self.progress.setStyleSheet("font-weight:600; padding-left:12px;")
        who.addWidget(self.progress)
        layout.addLayout(who)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        protocol = self.context.uow.protocols.get(view.protocol_key, view.protocol_version)
        self.items = ChecklistGrid(protocol, self.context.clock.zone)
        self.boxes = self.items.boxes
        self.notes = self.items.notes
        layout.addWidget(self.items, 1)
        buttons = QHBoxLayout()
        self.close_button = QPushButton(self.tr("Close (stays planned)"))
        # Not a default button: its frame looked like the focus. (Enter is ignored here; Space
        # on the focused button or Esc closes.)
        self.close_button.setAutoDefault(False)
        self.start_button = QPushButton()
        self.start_button.setMinimumHeight(44)
        self.start_button.setStyleSheet(
            "QPushButton { background:#009E73; color:white; font-weight:700; border-radius:6px;"
            " padding:0 16px; border:3px solid transparent; }"
            " QPushButton:focus { border-color:#0072B2; }"
            " QPushButton:disabled { background:#BFBFBF; color:#4D4D4D; }"
        )
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        layout.addLayout(buttons)
        # Tab: who → the boxes → Close → Start → sign in → who.
        self.setTabOrder(self.sign_in_button, self.who)

    def _connect_signals(self) -> None:
        for check in self.boxes.values():
            check.clicked.connect(self._on_check_clicked)
        self.who.currentIndexChanged.connect(self._on_who_current_index_changed)
        self.sign_in_button.clicked.connect(self._on_sign_in_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.session.people_changed.connect(self._fill_people)

    # --- who confirms --------------------------------------------------------------------

    def _fill_people(self) -> None:
        current = self.who.currentData()
        self.who.blockSignals(True)
        self.who.clear()
        for person in self.session.people:
            if person.can(Permission.PLAN_PROCEDURE):
                roles = ", ".join(self.items.role_word(r.value) for r in ROLES if r in person.roles)
                self.who.addItem(f"{person.full_name} ({roles})", person.user_id)
        active = self.session.active
        wanted = current if current is not None else (active.user_id if active else None)
        self.who.setCurrentIndex(max(self.who.findData(wanted), 0))
        self.who.blockSignals(False)
        if self.state is not None:
            self._render(self.state)

    def _confirmer(self) -> Actor | None:
        user_id = self.who.currentData()
        return next((p for p in self.session.people if p.user_id == user_id), None)

    def _on_who_current_index_changed(self, _index: int) -> None:
        self.banner.clear_message()
        if self.state is not None:
            self._render(self.state)

    def _on_sign_in_button_clicked(self) -> None:
        from ui.auth.sign_in import SignInDialog

        typist = self.session.active
        dialog = SignInDialog(self.context, self.session, self, adding=True)

        def signed_in(actor: object) -> None:
            # Joining the bedside must not silently change who is typing; the new person is
            # here to confirm, so they are chosen under "Confirmed by".
            if typist is not None and self.session.is_signed_in(typist.user_id):
                self.session.switch_to(typist.user_id, show_error=self._show_error)
            if isinstance(actor, Actor):
                self.who.setCurrentIndex(max(self.who.findData(actor.user_id), 0))

        dialog.signed_in.connect(signed_in)
        dialog.finished.connect(dialog.deleteLater)
        self.sign_in_dialog = dialog
        dialog.open()

    # --- showing the checklist -----------------------------------------------------------

    def _load(self) -> None:
        self._fill_people()
        actor = self.session.active or self._confirmer()
        if actor is None:
            self.banner.show_message(self.tr("Nobody is signed in."), "error")
            return
        state = operations.read(
            self.context,
            checklist.get_checklist,
            actor=actor,
            show_error=self._show_error,
            what=self.tr("The checklist"),
            procedure_id=self.view.id,
        )
        if state is not None:
            self._render(state)

    def _render(self, state: ChecklistView) -> None:
        self.state = state
        self.items.show_state(state, self._confirmer())
        self.progress.setText(timeout_texts.progress(state))
        self.start_button.setEnabled(state.complete and state.editable)
        self.start_button.setText(timeout_texts.start_button(state, self.view.operator.full_name))

    def _focus_first_open(self) -> None:
        """Focus where the time-out goes on: the chosen person's first open box, else Start,
        else "Confirmed by" (someone else must confirm), else Close."""
        open_boxes = self.items.open_boxes_of(self._confirmer(), self.state)
        if open_boxes:
            open_boxes[0].setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.start_button.isEnabled():
            self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.state is not None and self.state.editable and self.state.open_items:
            self.who.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- ticking -------------------------------------------------------------------------

    def _on_check_clicked(self, checked: bool) -> None:
        check = self.sender()
        assert isinstance(check, ChecklistBox)
        key, role = check.key, check.role
        check.blockSignals(True)
        check.setChecked(not checked)  # the box changes only when the service has saved it
        check.blockSignals(False)
        actor = self._confirmer()
        if actor is None:
            self.banner.show_message(self.tr("Choose who confirms this item."), "error")
            return
        if checked:
            self._save(
                checklist.tick_item,
                actor,
                self.tr("The tick"),
                after_tick=True,
                item_key=key,
                role=role,
            )
            return
        dialog = ReasonDialog(
            self.tr("Withdraw a confirmation"),
            self.tr("Why is this item no longer confirmed?"),
            (self.tr("Ticked by mistake"), self.tr("Checked again: not in order")),
            parent=self,
        )
        self.reason_dialog = dialog

        def finished(result: int) -> None:
            self.reason_dialog = None
            if result == int(QDialog.DialogCode.Accepted):
                self._save(
                    checklist.untick_item,
                    actor,
                    self.tr("The withdrawal"),
                    item_key=key,
                    reason=dialog.reason(),
                    role=role,
                )
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _show_error(self, text: str) -> None:
        self.banner.show_message(text, "error")

    def _save(
        self,
        service: Callable[..., ChecklistView],
        actor: Actor,
        what: str,
        *,
        after_tick: bool = False,
        **values: Any,
    ) -> None:
        self._after_tick = after_tick
        state = operations.write(
            self.context,
            service,
            actor=actor,
            show_error=self._show_error,
            what=what,
            changes=(Topic.PROCEDURE,),
            procedure_id=self.view.id,
            later=self._saved,
            owner=self,
            **values,
        )
        if state is not None:
            self._saved(state)

    def _saved(self, state: ChecklistView) -> None:
        """A tick went through (at once, or once another program let go of the database)."""
        after_tick, self._after_tick = self._after_tick, False
        self.banner.clear_message()
        self._render(state)
        if not after_tick:
            return
        person = self._confirmer()
        if state.complete and self.start_button.isEnabled():
            self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif state.open_items and person and not self.items.open_boxes_of(person, state):
            roles = [r for r in ROLES if any(r in item.missing for item in state.open_items)]
            self.banner.show_message(
                timeout_texts.others_to_confirm(
                    person.full_name, len(state.open_items), self.items.roles_words(roles)
                ),
                "info",
            )
            self.who.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- starting ------------------------------------------------------------------------

    def _on_start_button_clicked(self) -> None:
        actor = self._starter()
        if actor is None:
            return
        view = operations.write(
            self.context,
            planning.start_procedure,
            actor=actor,
            show_error=self._show_error,
            what=self.tr("The start of the procedure"),
            changes=(Topic.PROCEDURE,),
            procedure_id=self.view.id,
            later=self._started,
            owner=self,
        )
        if view is not None:
            self._started(view)

    def _started(self, view: ProcedureView) -> None:
        """The procedure started (at once, or once another program let go of the database)."""
        self.started.emit(view)
        self.accept()

    def _starter(self) -> Actor | None:
        """The operator starts; if they are signed in but not typing, they become the typist."""
        active = self.session.active
        if active is not None and active.can(Permission.RECORD_INJECTION):
            return active
        operator_id = self.view.operator.id
        if self.session.is_signed_in(operator_id):
            if not self.session.switch_to(operator_id, show_error=self._show_error):
                return None
            return self.session.active
        self.banner.show_message(
            self.tr("The operator %1 must be signed in to start the procedure.").replace(
                "%1", self.view.operator.full_name
            ),
            "error",
        )
        return None

    def reject(self) -> None:
        """Close (the button or Esc); a time-out begun but not finished asks first, so that a
        stray Space or Esc after the last box does not leave it half done unnoticed."""
        state = self.state
        if state is None or not begun_unfinished(state):
            super().reject()
            return
        if self.close_question is not None:
            return
        question, go_on = close_question(state, self)
        self.close_question = question

        def answered(_result: int) -> None:
            self.close_question = None
            closing = question.clickedButton() is not go_on
            question.deleteLater()
            if closing:
                super(TimeOutDialog, self).reject()
            else:
                self._focus_first_open()

        question.finished.connect(answered)
        question.open()

    def key_boxes(self) -> dict[tuple[str, Role], ChecklistBox]:
        return dict(self.boxes)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Enter must not close the time-out
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)
