"""The keyboard-shortcut overview (Help ▸ Keyboard shortcuts, F1), built from the live actions."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

_CELL = "<td style='padding:2px 14px 2px 0;'><b>{keys}</b></td><td>{name}</td>"
_EXTRA = (
    ("Space", "Confirm the site (in the entry fields)"),
    ("Scan", "A syringe label scanned in the workspace fills the syringe and confirms"),
)


def shortcut_table(actions: Iterable[QAction], columns: int = 2) -> str:
    """The shortcuts as a table read down then across, so a long list fits a 768 px screen."""
    seen: set[str] = set()
    rows: list[tuple[str, str]] = []
    for action in actions:
        name, _, hint = action.text().partition("\t")
        keys = action.shortcut().toString() or hint
        if not keys or keys in seen:
            continue
        seen.add(keys)
        rows.append((keys, _without_mnemonic(name)))
    rows.extend(_EXTRA)
    per_column = -(-len(rows) // columns)
    cells = []
    for i in range(per_column):
        line = []
        for c in range(columns):
            k = c * per_column + i
            if k < len(rows):
                keys, name = rows[k]
                line.append(_CELL.format(keys=escape(keys), name=escape(name)))
            else:
                line.append("<td></td><td></td>")
        cells.append("<tr>" + "<td style='width:18px;'></td>".join(line) + "</tr>")
    return "<table>" + "".join(cells) + "</table>"


def _without_mnemonic(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard shortcuts: the table at its natural width (a message box would wrap it)."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table = QLabel(shortcut_table(actions))
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.table.text()
