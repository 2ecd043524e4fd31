"""The keyboard-shortcut overview (Help ▸ Keyboard shortcuts, F1), built from the live actions."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtGui import QAction


def shortcut_table(actions: Iterable[QAction]) -> str:
    rows = []
    for action in actions:
        text = action.text()
        name, _, hint = text.partition("\t")
        keys = action.shortcut().toString() or hint
        if not keys:
            continue
        rows.append(
            f"<tr><td style='padding:2px 16px 2px 0;'><b>{escape(keys)}</b></td>"
            f"<td>{escape(name.replace('&', ''))}</td></tr>"
        )
    extra = (
        "<tr><td style='padding:2px 16px 2px 0;'><b>Space</b></td>"
        "<td>Confirm the site (in the entry fields)</td></tr>"
        "<tr><td style='padding:2px 16px 2px 0;'><b>Scan</b></td>"
        "<td>A syringe label scanned anywhere in the workspace fills the syringe and confirms"
        "</td></tr>"
    )
    return "<table>" + "".join(rows) + extra + "</table>"
