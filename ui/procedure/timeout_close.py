"""The question before a time-out that has begun is closed unfinished: what is still open,
and whether to close anyway (the procedure stays planned, the ticks are kept).

Qt only; builds the box from a `ChecklistView`. The dialog (`timeout_dialog`) opens it and
acts on the answer.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from slidesk.services.procedure.dto_workspace import ChecklistView


def _tr(text: str) -> str:
    return QCoreApplication.translate("TimeOutDialog", text)


def begun_unfinished(state: ChecklistView | None) -> bool:
    """Confirmations given, items still open, and the time-out still open for ticks."""
    if state is None or not state.editable or state.complete:
        return False
    return any(item.ticks for item in state.items)


def close_question(state: ChecklistView, parent: QWidget) -> tuple[QMessageBox, QAbstractButton]:
    """The box and its "go on" button (the default, and what Esc means)."""
    still_open = "\n".join(
        f"• {state.items.index(item) + 1}. {item.text}" for item in state.open_items
    )
    question = QMessageBox(
        QMessageBox.Icon.Question,
        _tr("Close the time-out?"),
        _tr(
            "%1 of %2 items are confirmed; still open:\n%3\n\nClose now? The procedure "
            "stays planned and the confirmations are kept."
        )
        .replace("%1", str(state.done_count))
        .replace("%2", str(len(state.items)))
        .replace("%3", still_open),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    go_on = question.addButton(_tr("&Go on with the time-out"), QMessageBox.ButtonRole.RejectRole)
    question.addButton(_tr("&Close, stays planned"), QMessageBox.ButtonRole.AcceptRole)
    question.setDefaultButton(go_on)
    question.setEscapeButton(go_on)
    return question, go_on
