"""The time-out's items: one row per protocol checklist item, with a box per role that
confirms it ("Operator", "Nurse") and a note of who has confirmed it and who must still.

Qt only; shows a `ChecklistView` for the person chosen to confirm (their boxes are the ones
that take clicks and Tab). The dialog (`timeout_dialog`) calls the services.
"""

from __future__ import annotations

from datetime import tzinfo
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QScrollArea, QWidget

from slidesk.domain.users import Actor, Role
from slidesk.protocol.model import Protocol
from slidesk.services.procedure.dto_workspace import ChecklistItemView, ChecklistView
from ui.common.timefmt import local_hm

# The focused box must be plain to see for someone working by keyboard only; the border is
# always there (transparent) so that focus does not shift the text.
_BOX_STYLE = (
    "QCheckBox { font-size:11pt; padding:3px 6px; border:2px solid transparent;"
    " border-radius:4px; }"
    " QCheckBox:focus { border-color:#0072B2; background:#DCEBF7; }"
    " QCheckBox::indicator { width:22px; height:22px; }"
    " QCheckBox:disabled { color:#6B6B6B; }"
)
ROLES = (Role.OPERATOR, Role.NURSE)
"""The roles that confirm time-out items: the box columns, in this order."""


class ChecklistBox(QCheckBox):
    """One role's confirmation of one item; says when it takes focus, so that its scroll area
    can show it."""

    focused = Signal()

    def __init__(self, text: str, key: str, role: Role) -> None:
        super().__init__(text)
        self.key = key
        self.role = role

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit()


class ChecklistGrid(QScrollArea):
    """The items of one protocol's checklist, scrolled when the screen is short."""

    def __init__(self, protocol: Protocol, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = zone  # tick times on the site's wall clock
        self.boxes: dict[tuple[str, Role], ChecklistBox] = {}
        self.notes: dict[str, QLabel] = {}
        box = QWidget()
        grid = QGridLayout(box)
        grid.setColumnStretch(0, 1)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        for row, item in enumerate(protocol.checklist):
            text = QLabel(f"{row + 1}.  {item.text}")
            text.setWordWrap(True)
            text.setStyleSheet("font-size:11pt;")
            grid.addWidget(text, row, 0)
            for column, role in enumerate(ROLES, start=1):
                if role in item.confirm_by:
                    check = ChecklistBox(self.role_word(role.value).capitalize(), item.key, role)
                    check.setStyleSheet(_BOX_STYLE)
                    check.setAccessibleName(f"{item.text} — {check.text()}")
                    check.focused.connect(self._on_check_focused)
                    grid.addWidget(check, row, column)
                    self.boxes[(item.key, role)] = check
            note = QLabel()
            note.setMinimumWidth(230)
            note.setWordWrap(True)
            grid.addWidget(note, row, len(ROLES) + 1)
            self.notes[item.key] = note
        # Only the boxes take Tab: a focused scroll area is an invisible stop.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(box)

    def role_word(self, role: str | None) -> str:
        """'operator', 'nurse' as words in a sentence."""
        if role == Role.OPERATOR.value:
            return self.tr("operator")
        if role == Role.NURSE.value:
            return self.tr("nurse")
        return role or "?"

    def roles_words(self, roles: tuple[Role, ...] | list[Role]) -> str:
        return self.tr(" and ").join(self.role_word(r.value) for r in roles)

    def show_state(self, state: ChecklistView, person: Actor | None) -> None:
        """Show the ticks; only `person`'s roles take clicks (none once it is not editable)."""
        for item in state.items:
            for role in item.confirm_by:
                check = self.boxes[(item.key, role)]
                tick = item.tick_for(role)
                check.blockSignals(True)
                check.setChecked(tick is not None)
                check.blockSignals(False)
                mine = person is not None and role in person.roles
                check.setEnabled(state.editable and mine)
                check.setToolTip(self._box_tip(role, tick is not None, person))
            self.notes[item.key].setText(self._note(item))

    def open_boxes_of(
        self, person: Actor | None, state: ChecklistView | None
    ) -> list[ChecklistBox]:
        """The boxes this person can still tick, in the order they are shown."""
        if person is None or state is None or not state.editable:
            return []
        return [b for b in self.boxes.values() if b.role in person.roles and not b.isChecked()]

    def _note(self, item: ChecklistItemView) -> str:
        """Who confirmed the item and as what; who must still confirm it."""
        parts = [
            "<span style='color:#006B4F;'>✓ %1 %2 (%3)</span>".replace(
                "%1", local_hm(t.ticked_at, self._zone)
            )
            .replace("%2", escape(t.ticked_by.full_name))
            .replace("%3", self.role_word(t.role))
            for t in item.ticks
        ]
        if item.missing:
            parts.append(
                "<span style='color:#8A4B00;'>"
                + self.tr("waiting for the %1").replace("%1", self.roles_words(item.missing))
                + "</span>"
            )
        return "<br>".join(parts)

    def _box_tip(self, role: Role, ticked: bool, person: Actor | None) -> str:
        if person is None:
            return self.tr("Choose who confirms under “Confirmed by”.")
        word = self.role_word(role.value)
        if role not in person.roles:
            return self.tr(
                "Confirmed by someone with the %1 role: choose them under “Confirmed by”."
            ).replace("%1", word)
        if ticked:
            return self.tr("Withdraw this confirmation (asks why)")
        return self.tr("Confirm as %1: %2").replace("%1", word).replace("%2", person.full_name)

    def _on_check_focused(self) -> None:
        check = self.sender()
        assert isinstance(check, QCheckBox)
        self.ensureWidgetVisible(check)
