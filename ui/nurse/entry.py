"""What every tab of the nurse's panel shares: its record, the service call, the strike-out.

Qt only; talks to the sedation services and their DTOs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QTableView, QWidget

from slidesk.domain.users import Actor
from slidesk.services.sedation import service as sedation
from slidesk.services.sedation.dto import SedationEntryType, SedationRecord
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.nurse.common import MessageLine, RowsModel, ask_reason, compact_table
from ui.session import BedsideSession


class _Entry(Protocol):
    @property
    def id(self) -> int: ...


_Row = TypeVar("_Row", bound=_Entry)


class RecordEntry(QWidget):
    """A tab that shows one `SedationRecord` and records on it as the person typing.

    Subclasses build their form, call `self.message.follow(self)` and implement
    `show_record`; `_record_entry` runs a recording service on this procedure,
    `_strike_selected` strikes out the selected row with a reason, and `_publish` shows the
    fresh record here. The panel and every other view hear of the
    change from the one notification (`context.changes`), with the record in it.
    """

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._session = session
        self._record: SedationRecord | None = None
        self.message = MessageLine()
        # Replaceable in tests: the dialog that blocks.
        self.ask_reason: Callable[[QWidget, str, str], str | None] = ask_reason

    def set_record(self, record: SedationRecord | None) -> None:
        """Show `record`. A message belongs to the procedure it was said about: showing
        another procedure (or none) clears it; what the person changes in the form clears
        it too (`MessageLine.follow`, set up by each tab once its form is built)."""
        before = self._record.procedure_id if self._record is not None else None
        if record is None or record.procedure_id != before:
            self.message.clear_message()
        self.show_record(record)

    def show_record(self, record: SedationRecord | None) -> None:
        """Fill the tab from `record` (None: no procedure)."""
        raise NotImplementedError

    def what(self) -> str:
        """What this tab records, for the message when it could not be saved ("The dose")."""
        return self.tr("The entry")

    def _record_entry(
        self,
        service: Callable[..., SedationRecord],
        *,
        what: str = "",
        show_error: Callable[[str], None] | None = None,
        later: Callable[[SedationRecord], None] | None = None,
        **values: Any,
    ) -> SedationRecord | None:
        """Run `service` on this procedure as the person typing.

        The fresh record; None when no record is shown, or when it was not saved (refused,
        nobody at the keyboard, a failure: the message line then says why). With `later`
        (a method of the tab), another program's lock is waited for without freezing: the
        message line says so, what was typed stays, and `later` gets the record once saved.
        """
        if self._record is None:
            return None
        return self._call(
            service,
            self._session.active,
            what=what,
            show_error=show_error,
            later=later,
            procedure_id=self._record.procedure_id,
            **values,
        )

    def _call(
        self,
        service: Callable[..., SedationRecord],
        actor: Actor | None,
        *,
        what: str = "",
        show_error: Callable[[str], None] | None = None,
        later: Callable[[SedationRecord], None] | None = None,
        **values: Any,
    ) -> SedationRecord | None:
        """`what` names the entry in a message (default: what this tab records);
        `show_error` says a refusal (default: the tab's message line); `later`: see
        `_record_entry`."""
        return operations.write(
            self._context,
            service,
            actor=actor,
            show_error=show_error or self.message.error,
            what=what or self.what(),
            changes=(Topic.SEDATION,),
            later=later,
            owner=self if later is not None else None,
            **values,
        )

    def _strike_selected(
        self,
        table: QTableView,
        model: RowsModel[_Row],
        entry_type: SedationEntryType,
        *,
        select_first: str,
        title: str,
        question: Callable[[_Row], str],
    ) -> None:
        """Strike out the selected row after asking why; the row stays in the record, void."""
        actor = self._session.active
        position = chosen_row(table)
        if actor is None or position is None:
            self.message.warn(select_first)
            return
        entry = model.row_at(position)
        reason = self.ask_reason(self, title, question(entry))
        if reason is None:
            return  # cancelled
        if not reason:
            self.message.error(
                self.tr("Give the reason for striking it out. Nothing is struck out.")
            )
            return
        record = self._call(
            sedation.void_entry,
            actor,
            what=self.tr("The strike-out"),
            entry_type=entry_type,
            entry_id=entry.id,
            reason=reason,
            later=self._struck,
        )
        if record is not None:
            self._struck(record)

    def _struck(self, record: SedationRecord) -> None:
        """The strike-out went through (at once, or once another program let go)."""
        self.message.clear_message()
        self._publish(record)

    def _publish(self, record: SedationRecord) -> None:
        if record is not self._record:  # the panel may have shown it here already
            self.set_record(record)


def chosen_row(table: QTableView) -> int | None:
    """The row the person means: the selected one, else the one with the keyboard's focus
    frame (a table entered by Tab has a current row that arrows need not select)."""
    rows = table.selectionModel().selectedRows()
    if rows:
        return rows[0].row()
    current = table.currentIndex()
    return current.row() if current.isValid() else None


def entry_table(
    model: RowsModel[Any], *, fill: bool, select_rows: bool = True, single: bool = False
) -> QTableView:
    """A compact table of the tab's entries: columns share the width (`fill`) or fit their
    contents with the last one stretched; whole rows are selected, one at a time if `single`."""
    table = QTableView()
    table.setTabKeyNavigation(False)  # Tab moves on to the form; arrows move in the table
    table.setModel(model)
    compact_table(table)
    if select_rows:
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    if fill:
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    else:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
    return table


def right_aligned(*widgets: QWidget) -> QHBoxLayout:
    """A row of buttons at the right edge (as under each table and form)."""
    row = QHBoxLayout()
    row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    return row
