"""The time-out before the first needle: every protocol checklist item confirmed by a named,
signed-in person (time-stamped, audited), then the procedure starts.

A tick shows only after the service saved it. Unticking asks for a reason.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.errors import DomainError
from slidesk.domain.users import Actor, Permission
from slidesk.domain.values import Limb
from slidesk.services import checklist, procedures
from slidesk.services.dto import ProcedureView
from slidesk.services.dto_workspace import ChecklistView
from ui.context import AppContext
from ui.session import BedsideSession
from ui.timefmt import local_hm
from ui.workspace.banner import Banner
from ui.workspace.dialogs import ReasonDialog

# The focused item must be plain to see for someone working by keyboard only; the border is
# always there (transparent) so that focus does not shift the text, and takes its 2 px from the
# padding so that the ten items still fit without scrolling.
_ITEM_STYLE = (
    "QCheckBox { font-size:11pt; padding:4px; border:2px solid transparent; border-radius:4px; }"
    " QCheckBox:focus { border-color:#0072B2; background:#DCEBF7; }"
    " QCheckBox::indicator { width:22px; height:22px; }"
)


class ChecklistBox(QCheckBox):
    """A checklist item that says when it takes focus, so that its scroll area can show it."""

    focused = Signal()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit()


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
        self.boxes: dict[str, ChecklistBox] = {}
        self.notes: dict[str, QLabel] = {}
        self.reason_dialog: ReasonDialog | None = None
        self.setWindowTitle(self.tr("Time-out — %1").replace("%1", view.subject.study_id))
        self.setMinimumSize(920, 600)
        self._build()
        self._connect_signals()
        self._load()
        self._focus_first_open()

    def _build(self) -> None:
        view = self.view
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Time-out before the first injection"))
        title.setStyleSheet("font-size:16pt; font-weight:700;")
        layout.addWidget(title)
        limb = self.tr("LEFT") if view.subject.index_limb is Limb.LEFT else self.tr("RIGHT")
        facts = QLabel(
            self.tr(
                "<b>%1</b> · index limb <span style='font-size:15pt; font-weight:700; "
                "background:#0072B2; color:white; padding:2px 6px;'>&nbsp;%2 leg&nbsp;</span> · "
                "kit <b>%3</b> · operator %4 · nurse %5"
            )
            .replace("%1", view.subject.study_id)
            .replace("%2", limb)
            .replace("%3", view.kit_number)
            .replace("%4", view.operator.full_name)
            .replace("%5", view.nurse.full_name)
        )
        facts.setWordWrap(True)
        layout.addWidget(facts)
        who = QHBoxLayout()
        self.who = QComboBox()
        who_label = QLabel(self.tr("Confirmed &by:"))
        who_label.setBuddy(self.who)
        who.addWidget(who_label)
        who.addWidget(self.who, 1)
        self.progress = QLabel()
        self.progress.setStyleSheet("font-weight:600;")
        who.addWidget(self.progress)
        layout.addLayout(who)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        box = QWidget()
        grid = QGridLayout(box)
        grid.setColumnStretch(0, 1)
        protocol = self.context.uow.protocols.get(view.protocol_key, view.protocol_version)
        for row, item in enumerate(protocol.checklist):
            check = ChecklistBox(f"{row + 1}.  {item.text}")
            check.setStyleSheet(_ITEM_STYLE)
            check.setProperty("key", item.key)
            note = QLabel()
            note.setStyleSheet("color:#006B4F;")
            note.setMinimumWidth(200)
            grid.addWidget(check, row, 0)
            grid.addWidget(note, row, 1)
            self.boxes[item.key] = check
            self.notes[item.key] = note
        self.scroll = QScrollArea()
        # Only the items take Tab: a focused scroll area is an invisible stop.
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(box)
        layout.addWidget(self.scroll, 1)
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

    def _connect_signals(self) -> None:
        for check in self.boxes.values():
            check.clicked.connect(self._on_check_clicked)
            check.focused.connect(self._on_check_focused)
        self.close_button.clicked.connect(self.reject)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.session.people_changed.connect(self._fill_people)

    def _fill_people(self) -> None:
        current = self.who.currentData()
        self.who.clear()
        for person in self.session.people:
            if person.can(Permission.PLAN_PROCEDURE):
                self.who.addItem(person.full_name, person.user_id)
        active = self.session.active
        wanted = current if current is not None else (active.user_id if active else None)
        index = self.who.findData(wanted)
        if index >= 0:
            self.who.setCurrentIndex(index)

    def _confirmer(self) -> Actor | None:
        user_id = self.who.currentData()
        return next((p for p in self.session.people if p.user_id == user_id), None)

    def _load(self) -> None:
        self._fill_people()
        actor = self.session.active or self._confirmer()
        if actor is None:
            self.banner.show_message(self.tr("Nobody is signed in."), "error")
            return
        try:
            state = checklist.get_checklist(
                uow=self.context.uow, actor=actor, procedure_id=self.view.id
            )
        except DomainError as exc:
            self.banner.show_message(exc.message, "error")
            return
        self._render(state)

    def _render(self, state: ChecklistView) -> None:
        self.state = state
        for item in state.items:
            check = self.boxes[item.key]
            check.blockSignals(True)
            check.setChecked(item.done)
            check.blockSignals(False)
            check.setEnabled(state.editable)
            tick = item.tick
            when = local_hm(tick.ticked_at, self.context.clock.zone) if tick else ""
            self.notes[item.key].setText(f"✓ {when} · {tick.ticked_by.full_name}" if tick else "")
        self.progress.setText(
            self.tr("%1 of %2 confirmed")
            .replace("%1", str(state.done_count))
            .replace("%2", str(len(state.items)))
        )
        operator = self.view.operator.full_name
        self.start_button.setEnabled(state.complete and state.editable)
        self.start_button.setText(
            self.tr("Start procedure (operator %1)").replace("%1", operator)
            if state.complete
            else self.tr("Start procedure — %n item(s) open", "", len(state.open_items))
        )

    def _focus_first_open(self) -> None:
        """Focus where the time-out goes on: the first open item, else Start, else Close."""
        state = self.state
        if state is not None and state.editable:
            for item in state.items:
                if not item.done:
                    self.boxes[item.key].setFocus(Qt.FocusReason.OtherFocusReason)
                    return
        if self.start_button.isEnabled():
            self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_check_focused(self) -> None:
        check = self.sender()
        assert isinstance(check, QCheckBox)
        self.scroll.ensureWidgetVisible(check)

    def _on_check_clicked(self, checked: bool) -> None:
        check = self.sender()
        assert isinstance(check, QCheckBox)
        key = str(check.property("key"))
        check.blockSignals(True)
        check.setChecked(not checked)  # the box changes only when the service has saved it
        check.blockSignals(False)
        actor = self._confirmer()
        if actor is None:
            self.banner.show_message(self.tr("Choose who confirms this item."), "error")
            return
        if checked:
            self._save(
                lambda: checklist.tick_item(
                    uow=self.context.uow,
                    clock=self.context.clock,
                    actor=actor,
                    procedure_id=self.view.id,
                    item_key=key,
                )
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
                    lambda: checklist.untick_item(
                        uow=self.context.uow,
                        clock=self.context.clock,
                        actor=actor,
                        procedure_id=self.view.id,
                        item_key=key,
                        reason=dialog.reason(),
                    )
                )
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _save(self, call: object) -> None:
        try:
            state = call()  # type: ignore[operator]
        except DomainError as exc:
            self.banner.show_message(exc.message, "error")
            return
        self.banner.clear_message()
        self._render(state)
        if state.complete and self.start_button.isEnabled():
            self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_start_button_clicked(self) -> None:
        actor = self._starter()
        if actor is None:
            return
        try:
            view = procedures.start_procedure(
                uow=self.context.uow,
                clock=self.context.clock,
                actor=actor,
                procedure_id=self.view.id,
            )
        except DomainError as exc:
            self.banner.show_message(exc.message, "error")
            return
        self.started.emit(view)
        self.accept()

    def _starter(self) -> Actor | None:
        """The operator starts; if they are signed in but not typing, they become the typist."""
        active = self.session.active
        if active is not None and active.can(Permission.RECORD_INJECTION):
            return active
        operator_id = self.view.operator.id
        if self.session.is_signed_in(operator_id):
            self.session.switch_to(operator_id)
            return self.session.active
        self.banner.show_message(
            self.tr("The operator %1 must be signed in to start the procedure.").replace(
                "%1", self.view.operator.full_name
            ),
            "error",
        )
        return None

    def key_boxes(self) -> dict[str, QCheckBox]:
        return dict(self.boxes)

    def keyPressEvent(self, event: object) -> None:  # Enter must not close the time-out
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]
