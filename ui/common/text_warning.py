"""A warning under a free-text field that should not identify the patient (issue 12, part 7).

Location, kit number, centre and reasons must hold no date of birth and no name. While the
person types, `IdentifyingTextWarning` asks `services.text_checks.free_text_warnings` and shows
what it says in amber under the field; it never blocks (a BSN is refused by the service that
saves the field, with its own message). Talks to `slidesk.services` only; no persistence.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from slidesk.services import text_checks
from ui.door import operations

_STYLE = (
    "QLabel#identifyingWarning { color:#7A4A00; background:#FFF4D6;"
    " border:1px solid #E0B040; border-radius:3px; padding:2px 6px; }"
)


class IdentifyingTextWarning(QLabel):
    """Shown under `field` while its text looks like a date of birth or a name; else hidden."""

    def __init__(
        self, field: QLineEdit | QPlainTextEdit, what: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("identifyingWarning")
        self.setWordWrap(True)
        self.setStyleSheet(_STYLE)
        self._field = field
        self._what = what
        self.setAccessibleName(self.tr("Warning about %s") % what)
        field.textChanged.connect(self._on_field_text_changed)
        self._on_field_text_changed()

    def warnings(self) -> tuple[str, ...]:
        """What the field's text is warned about now (empty when nothing)."""
        found = operations.check(
            lambda: text_checks.free_text_warnings(text=self._text(), what=self._what),
            show_error=lambda _text: None,
        )
        return found or ()

    def _text(self) -> str:
        field = self._field
        return field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()

    def _on_field_text_changed(self, *_text: str) -> None:
        found = self.warnings()
        self.setText("\n".join(f"⚠ {w}" for w in found))
        self.setVisible(bool(found))
        self._grow_window()

    def _grow_window(self) -> None:
        """Let the dialog grow (never shrink) so that a wrapped warning is read whole."""
        window = self.window()
        layout = window.layout() if window is not self else None
        if layout is None or not window.isVisible():
            return
        layout.activate()
        width = window.width()
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > window.height():
            window.resize(width, needed)
