"""Emptying a layout whose widgets are rebuilt (quick-dose buttons, totals, report pages).

Qt only; no core imports.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLayout


def clear_layout(layout: QLayout) -> None:
    """Take every item out of `layout`; the widgets among them are deleted once control
    returns to the event loop (stretches and spacers simply go)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
