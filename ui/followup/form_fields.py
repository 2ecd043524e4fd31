"""Small input widgets of the visit form: blank-able numbers and choices, the missing-code picker.

A blank is a real state here (nothing typed yet), distinct from zero; a missing code says why
a value will not come. Choosing a code clears and disables the value's inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QSpinBox, QWidget

from slidesk.domain.errors import DomainError
from slidesk.domain.followup.model import MissingReason


class OptionalSpin(QSpinBox):
    """A whole number or blank ('—', one below the minimum)."""

    def __init__(
        self, low: int, high: int, suffix: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setRange(low - 1, high)
        self.setSpecialValueText("—")
        self.setSuffix(suffix)
        self.setValue(low - 1)
        self.setMinimumWidth(90)

    def number(self) -> int | None:
        return None if self.value() == self.minimum() else self.value()

    def set_number(self, value: int | None) -> None:
        self.setValue(self.minimum() if value is None else value)


class ChoiceBox(QComboBox):
    """A choice among (label, value) pairs with a blank '—' first.

    Values are kept in Python (Qt would turn a StrEnum member into a plain str).
    """

    def __init__(self, options: Iterable[tuple[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[Any] = [None]
        self.addItem("—")
        for label, value in options:
            self.addItem(label)
            self._values.append(value)

    def choice(self) -> Any:
        index = self.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def set_choice(self, value: Any) -> None:
        index = next((i for i, v in enumerate(self._values) if v is not None and v == value), 0)
        self.setCurrentIndex(index if value is not None else 0)


class MissingPicker(ChoiceBox):
    """Why an item has no value: not done, unknown, lost to follow-up, patient refused."""

    code_changed = Signal(object)
    """The missing code changed (a `MissingReason`, or None when a value is expected)."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(((reason.label, reason) for reason in MissingReason), parent)
        self.setItemText(0, self.tr("Missing? —"))
        self.setToolTip(self.tr("If there is no value, choose why it is missing"))
        self.setAccessibleName(self.tr("{what}: reason it is missing").format(what=what))
        self.setMinimumWidth(150)
        self.currentIndexChanged.connect(self._on_self_currentIndexChanged)

    def _on_self_currentIndexChanged(self, _index: int) -> None:
        self.code_changed.emit(self.code())
        self.setStyleSheet("QComboBox { color: #7a4b00; }" if self.code() else "")

    def code(self) -> MissingReason | None:
        value = self.choice()
        return value if isinstance(value, MissingReason) else None

    def set_code(self, code: MissingReason | None) -> None:
        self.set_choice(code)


class ItemRow(QWidget):
    """The inputs of one item side by side, then its missing-code picker at the right."""

    changed = Signal()
    """Something in this row was typed or chosen."""

    def __init__(self, what: str, inputs: Sequence[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs = list(inputs)
        self.picker = MissingPicker(what)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in self.inputs:
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.picker)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.picker.code_changed.connect(self._on_picker_code_changed)
        for widget in self.inputs:
            watch(widget, self.changed.emit)

    def _on_picker_code_changed(self, code: object) -> None:
        coded = code is not None
        for widget in self.inputs:
            if coded:
                clear(widget)
            widget.setEnabled(not coded)
        self.changed.emit()

    def code(self) -> MissingReason | None:
        return self.picker.code()


def watch(widget: QWidget, slot: Any) -> None:
    """Call `slot()` (no arguments) whenever the widget's value changes."""

    def call(*_args: object) -> None:
        slot()

    if isinstance(widget, QSpinBox):
        widget.valueChanged.connect(call)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(call)
    elif isinstance(widget, QDateEdit):
        widget.dateChanged.connect(call)
    elif hasattr(widget, "textChanged"):
        widget.textChanged.connect(call)


def clear(widget: QWidget) -> None:
    if isinstance(widget, OptionalSpin):
        widget.set_number(None)
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(0)
    elif hasattr(widget, "clear") and not isinstance(widget, QDateEdit):
        widget.clear()


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    if value is not None:
        set_day(edit, value)
    return edit


def set_day(edit: QDateEdit, value: date) -> None:
    edit.setDate(QDate(value.year, value.month, value.day))


def day_of(edit: QDateEdit) -> date:
    q = edit.date()
    return date(q.year(), q.month(), q.day())


class FormError(DomainError):
    """The form cannot build an entry yet; the message says which input to fix (a refusal,
    shown like the rules' own)."""
