"""The procedure timeline: everything that happened, in order, filterable by kind (both roles)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from slidesk.services.audit.timeline import Timeline, TimelineItem, TimelineKind, get_timeline
from ui.common.follow import Follower
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.nurse.common import (
    ALARM_BG,
    ALARM_FG,
    HIGHLIGHT_BG,
    MessageLine,
    RowsModel,
    compact_table,
)
from ui.session import BedsideSession

# Filter groups as a person thinks of them.
GROUPS: tuple[tuple[str, frozenset[TimelineKind]], ...] = (
    ("Procedure", frozenset({TimelineKind.STATUS, TimelineKind.CHECKLIST})),
    (
        "Injections",
        frozenset({TimelineKind.INJECTION, TimelineKind.SKIP, TimelineKind.CORRECTION}),
    ),
    ("Medication", frozenset({TimelineKind.DOSE, TimelineKind.OXYGEN})),
    ("Vital signs", frozenset({TimelineKind.VITALS, TimelineKind.RECOVERY})),
    (
        "Events and AEs",
        frozenset({TimelineKind.EVENT, TimelineKind.ADVERSE_EVENT, TimelineKind.FLAG}),
    ),
)


class TimelineModel(RowsModel[TimelineItem]):
    class Column(IntEnum):
        TIME = 0
        KIND = 1
        WHAT = 2
        DETAIL = 3
        WHO = 4

    HEADERS = (
        "Time",
        "Kind",
        "What",
        "Details",
        "By",
    )

    def display(self, item: TimelineItem, column: IntEnum) -> str:
        c = self.Column
        if column == c.TIME:
            return self.hm(item.at) + (" (late)" if item.late else "")
        if column == c.KIND:
            return item.kind.label
        if column == c.WHAT:
            return ("⚠ " if item.alarm else "") + item.title
        if column == c.DETAIL:
            return item.detail
        return item.who

    def tone(self, item: TimelineItem, column: IntEnum):  # type: ignore[no-untyped-def]
        if item.alarm:
            return ALARM_FG, ALARM_BG
        if item.highlight:
            return None, HIGHLIGHT_BG
        return None

    def tooltip(self, item: TimelineItem, column: IntEnum) -> str | None:
        return f"{item.title}\n{item.detail}\nEntered {self.hm(item.recorded_at)}"


class TimelineView(QWidget):
    """Both roles read it; `set_procedure()` then `refresh()` after any change."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._session = session
        self._procedure_id: int | None = None
        self.timeline: Timeline | None = None
        self.filters: dict[str, QCheckBox] = {}
        row = QHBoxLayout()
        for name, _kinds in GROUPS:
            box = QCheckBox(self.tr(name))
            box.setChecked(True)
            self.filters[name] = box
            row.addWidget(box)
        row.addStretch(1)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        row.addWidget(self.refresh_button)
        self.model = TimelineModel(context.clock.zone, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        compact_table(self.table)
        # Tab goes on to the next control; Qt's tables would walk the cells and never let go.
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TimelineModel.Column.DETAIL, QHeaderView.ResizeMode.Stretch)
        self.message = MessageLine()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self._connect_signals()
        # Everything recorded for the procedure is on the timeline.
        self.follower = Follower(
            self,
            context.changes,
            (Topic.PROCEDURE, Topic.SEDATION, Topic.ADVERSE_EVENTS, Topic.SIGNATURES),
            self.refresh,
            procedure_id=self.shown_procedure,
        )

    def _connect_signals(self) -> None:
        for box in self.filters.values():
            box.toggled.connect(self._on_filter_toggled)
        self.refresh_button.clicked.connect(self.refresh)

    def shown_procedure(self) -> int | None:
        """The procedure whose record this shows (None: none)."""
        return self._procedure_id

    def set_procedure(self, procedure_id: int | None) -> None:
        self._procedure_id = procedure_id
        self.refresh()

    def kinds(self) -> frozenset[TimelineKind]:
        chosen: set[TimelineKind] = set()
        for name, kinds in GROUPS:
            if self.filters[name].isChecked():
                chosen |= kinds
        return frozenset(chosen)

    def refresh(self) -> None:
        actor = self._session.active
        if self._procedure_id is None or actor is None:
            self.timeline = None
            self.model.set_rows(())
            return
        self.follower.stale = False
        timeline = operations.read(
            self._context,
            get_timeline,
            actor=actor,
            show_error=self.message.error,
            what=self.tr("The timeline"),
            clock=self._context.clock,
            procedure_id=self._procedure_id,
        )
        if timeline is None:
            return
        self.timeline = timeline
        self.message.clear_message()
        self._apply_filter()

    def _apply_filter(self) -> None:
        if self.timeline is None:
            return
        self.model.set_rows(self.timeline.of(self.kinds()))

    def _on_filter_toggled(self, _checked: bool) -> None:
        self._apply_filter()
