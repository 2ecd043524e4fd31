"""Small parts of the sign-off dialog: its tables, labels with buddies, and free text made
into a sentence. Qt only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QWidget


def as_sentence(text: str) -> str:
    """Free text as a sentence of its own: one full stop at the end, never two, and none
    after a '?' or '!' ("… (syringe check)" → "… (syringe check).")."""
    body = text.strip()
    return body if body.endswith((".", "?", "!", "…")) else f"{body}."


def table_view(model: object) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    # Tab goes on to the next control; Qt's tables would walk the cells and never let go.
    view.setTabKeyNavigation(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(False)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    return view


def buddy(text: str, field: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(field)
    return label


def fit_rows(view: QTableView) -> None:
    """Make a short table exactly as tall as its header and rows (no empty band, no scroll)."""
    view.resizeRowsToContents()
    rows = sum(view.rowHeight(r) for r in range(view.model().rowCount()))
    frame = 2 * view.frameWidth()
    view.setFixedHeight(view.horizontalHeader().sizeHint().height() + rows + frame)
