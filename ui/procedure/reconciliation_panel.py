"""Syringe reconciliation in the review: issued = injected + partial + returned + wasted.

Syringes not yet accounted for are listed and can be marked returned (unused) or wasted (with how);
a disposition given by mistake is withdrawn with a reason. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.kits import syringe_list
from slidesk.domain.procedure.syringe import SyringeDisposition
from slidesk.services.procedure.dto_workspace import ReconciliationView
from ui.workspace.banner import Banner
from ui.workspace.dialogs import ReasonDialog


def compact_numbers(labels: Sequence[str]) -> str:
    """'01–05, 07, 09' from full labels (the kit is shown once elsewhere)."""
    numbers = sorted(int(label.rsplit("-", 1)[-1]) for label in labels if label[-1:].isdigit())
    if not numbers:
        return "—"
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start:02d}" if start == prev else f"{start:02d}–{prev:02d}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


class SyringeList(QListWidget):
    """A list to pick several syringes from, by mouse or by keyboard.

    Extended selection as usual (click, Shift/Ctrl+click, Shift+arrows), except that plain
    Space toggles the current syringe: Qt's Space only ever selects, so a syringe picked by
    mistake could be dropped only with Ctrl+Space, which nobody guesses.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def selectionCommand(
        self, index: QModelIndex | QPersistentModelIndex, event: QEvent | None = None
    ) -> QItemSelectionModel.SelectionFlag:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Space
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            return QItemSelectionModel.SelectionFlag.Toggle
        return super().selectionCommand(index, event)


class ReconciliationPanel(QGroupBox):
    disposition_requested = Signal(object, object, str)
    """Mark syringes: (labels, `SyringeDisposition`, note)."""

    withdrawal_requested = Signal(int, str)
    """Withdraw a recorded disposition: (its id, reason)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Syringe reconciliation"))
        self.state: ReconciliationView | None = None
        self.dialog: ReasonDialog | None = None
        self._not_allowed: str | None = None
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)
        # Says why a button did nothing (no syringe selected) and how to select by keyboard.
        self.hint = Banner(self)
        layout.addWidget(self.hint)
        row = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Not yet accounted for — select, then mark:")))
        self.unaccounted = SyringeList()
        self.unaccounted.setMaximumHeight(76)
        left.addWidget(self.unaccounted)
        buttons = QHBoxLayout()
        self.returned_button = QPushButton(self.tr("Mark &returned unused"))
        self.wasted_button = QPushButton(self.tr("Mark &wasted…"))
        buttons.addWidget(self.returned_button)
        buttons.addWidget(self.wasted_button)
        left.addLayout(buttons)
        row.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Recorded returns and waste:")))
        self.recorded = QListWidget()
        self.recorded.setMaximumHeight(76)
        right.addWidget(self.recorded)
        self.withdraw_button = QPushButton(self.tr("Wit&hdraw selected…"))
        right.addWidget(self.withdraw_button)
        row.addLayout(right, 1)
        layout.addLayout(row)
        self.returned_button.clicked.connect(self._on_returned_button_clicked)
        self.wasted_button.clicked.connect(self._on_wasted_button_clicked)
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)
        self.unaccounted.itemSelectionChanged.connect(self._on_selection_changed)
        self.recorded.itemSelectionChanged.connect(self._on_selection_changed)

    def set_state(self, state: ReconciliationView) -> None:
        self.state = state
        self.hint.clear_message()
        counted = len(state.injected) + len(state.partial) + len(state.returned) + len(state.wasted)
        missing = len(state.unaccounted)
        balance = (
            "<span style='color:#006B4F; font-weight:700;'>✓ " + self.tr("balanced") + "</span>"
            if state.balanced
            else "<span style='color:#D55E00; font-weight:700;'>"
            + escape(
                self.tr("%1 not yet accounted for: %2")
                .replace("%1", str(missing))
                .replace("%2", syringe_list(state.unaccounted))
            )
            + "</span>"
        )
        partial = ", ".join(
            self.tr("syringe %1 (%2 at site %3)")
            .replace("%1", p.syringe_label.rsplit("-", 1)[-1])
            .replace("%2", str(p.volume))
            .replace("%3", str(p.site_no))
            for p in state.partial
        )
        # The sum adds up: every issued syringe is in exactly one of the terms.
        not_yet = f" + {self.tr('not yet accounted for')} <b>{missing}</b>" if missing else ""
        self.summary.setText(
            f"<b>{self.tr('Kit')} {escape(state.kit_number)}</b>: "
            f"{self.tr('issued')} <b>{len(state.issued)}</b> = "
            f"{self.tr('injected')} <b>{len(state.injected)}</b> + "
            f"{self.tr('partial')} <b>{len(state.partial)}</b> + "
            f"{self.tr('returned')} <b>{len(state.returned)}</b> + "
            f"{self.tr('wasted')} <b>{len(state.wasted)}</b>{not_yet} "
            f"({counted}/{len(state.issued)}) — {balance}"
            f"<br>{self.tr('Injected')}: {self.syringes(state.injected)}"
            f"<br>{self.tr('Partial')}: {partial or '—'}"
            f"<br>{self.tr('Returned')}: {self.syringes(state.returned)}"
            f" · {self.tr('Wasted')}: {self.syringes(state.wasted)}"
            f" · {self.tr('Not yet accounted for')}: {self.syringes(state.unaccounted)}"
        )
        self.unaccounted.clear()
        for label in state.unaccounted:
            self.unaccounted.addItem(label)
        self.recorded.clear()
        for d in state.dispositions:
            item = QListWidgetItem(
                f"{d.syringe_label} — {d.disposition.label}"
                + (f": {d.note}" if d.note else "")
                + f" ({d.recorder.full_name})"
            )
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            self.recorded.addItem(item)
        self._enable_buttons()

    def set_may_reconcile(self, reason: str | None) -> None:
        """Who is typing may not mark syringes: `reason` says why (None: they may)."""
        self._not_allowed = reason
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        """A button that can do nothing now is disabled, its tooltip saying why."""
        state = self.state
        if state is None:
            return
        closed = None if state.editable else self.tr("The record is signed: it is read-only.")
        why = closed or self._not_allowed
        mark = why or (None if state.unaccounted else self.tr("Every syringe is accounted for."))
        withdraw = why or (
            None if state.dispositions else self.tr("No return or waste is recorded.")
        )
        for button, reason, usual in (
            (self.returned_button, mark, self.tr("Mark the selected syringes returned unused")),
            (self.wasted_button, mark, self.tr("Mark the selected syringes wasted (asks how)")),
            (self.withdraw_button, withdraw, self.tr("Withdraw the selected return or waste")),
        ):
            button.setEnabled(reason is None)
            button.setToolTip(reason or usual)

    def syringes(self, labels: Sequence[str]) -> str:
        """'syringe 30', 'syringes 01–29': numbers that read as syringe numbers, not counts."""
        if not labels:
            return "—"
        numbers = compact_numbers(labels)
        if len(labels) == 1:
            return self.tr("syringe %1").replace("%1", numbers)
        return self.tr("syringes %1").replace("%1", numbers)

    def selected_unaccounted(self) -> list[str]:
        return [item.text() for item in self.unaccounted.selectedItems()]

    def _on_selection_changed(self) -> None:
        if self.unaccounted.selectedItems() or self.recorded.selectedItems():
            self.hint.clear_message()

    def _nothing_selected(self, view: QListWidget, empty: str) -> None:
        """Say why nothing happened, and leave the keyboard in the list to select from."""
        if view.count() == 0:
            self.hint.show_message(empty, "info")
            return
        self.hint.show_message(
            self.tr("Select the syringes first (click, or Space/Shift+arrows in the list).")
            if view is self.unaccounted
            else self.tr(
                "Select the recorded return or waste first (click, or arrows in the list)."
            ),
            "warning",
        )
        # Current but not selected: Space then selects it, arrows move on.
        if not view.currentIndex().isValid():
            view.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _selected_or_say_so(self) -> list[str]:
        labels = self.selected_unaccounted()
        if not labels:
            self._nothing_selected(self.unaccounted, self.tr("No syringe is unaccounted."))
        return labels

    def _on_returned_button_clicked(self) -> None:
        labels = self._selected_or_say_so()
        if labels:
            self.disposition_requested.emit(labels, SyringeDisposition.RETURNED, "")

    def _on_wasted_button_clicked(self) -> None:
        labels = self._selected_or_say_so()
        if not labels:
            return
        self._ask(
            self.tr("Wasted syringes"),
            self.tr("How were %1 wasted?").replace("%1", ", ".join(labels)),
            (self.tr("Dropped"), self.tr("Seal broken"), self.tr("Drawn up, not injected")),
            lambda note: self.disposition_requested.emit(labels, SyringeDisposition.WASTED, note),
        )

    def _on_withdraw_button_clicked(self) -> None:
        selected = self.recorded.selectedItems()
        if not selected:
            self._nothing_selected(self.recorded, self.tr("No return or waste is recorded."))
            return
        item = selected[0]
        disposition_id = int(item.data(Qt.ItemDataRole.UserRole))
        self._ask(
            self.tr("Withdraw"),
            self.tr("Why is '%1' withdrawn?").replace("%1", item.text()),
            (self.tr("Marked by mistake"),),
            lambda reason: self.withdrawal_requested.emit(disposition_id, reason),
        )

    def _ask(self, title: str, text: str, presets: tuple[str, ...], done: object) -> None:
        dialog = ReasonDialog(title, text, presets, parent=self)
        self.dialog = dialog

        def finished(result: int) -> None:
            self.dialog = None
            if result == int(QDialog.DialogCode.Accepted):
                done(dialog.reason())  # type: ignore[operator]
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
