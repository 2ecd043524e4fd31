"""The home page: every procedure (newest first), search, status filter; open, resume, new."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.users import Actor, Permission
from slidesk.services.dto import ProcedurePage
from slidesk.services.procedure import service as procedures
from ui.common.follow import Follower
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.home.procedure_model import Column, ProcedureIdRole, ProcedureTableModel
from ui.session import BedsideSession
from ui.workspace.banner import Banner

_FILTERS: tuple[tuple[str, tuple[ProcedureStatus, ...]], ...] = (
    ("All procedures", ()),
    ("Open (planned or in progress)", (ProcedureStatus.PLANNED, ProcedureStatus.IN_PROGRESS)),
    ("In progress", (ProcedureStatus.IN_PROGRESS,)),
    ("Planned", (ProcedureStatus.PLANNED,)),
    ("Completed", (ProcedureStatus.COMPLETED,)),
    ("Signed", (ProcedureStatus.SIGNED,)),
    ("Amendment open", (ProcedureStatus.AMENDED,)),
)


class HomePage(QWidget):
    open_requested = Signal(int)
    """The user chose a procedure to open (its id)."""

    new_requested = Signal()
    """The user wants to plan a new procedure."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.session = session
        self.model = ProcedureTableModel(context.clock.zone, parent=self)
        self._resume_id: int | None = None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        # The resume button a moment after the list (its query must not delay the list); a
        # child timer, so a page deleted meanwhile takes it along.
        self._resume_timer = QTimer(self)
        self._resume_timer.setSingleShot(True)
        self._resume_timer.setInterval(250)
        self._resume_timer.timeout.connect(self._update_resume)
        self.search_action = QAction(self.tr("&Find procedure"), self)
        self.search_action.setShortcut(QKeySequence("Ctrl+F"))
        self.addAction(self.search_action)
        self._build()
        self._connect_signals()
        # Planned, started, completed, signed anywhere in the app: the list reads again (when
        # it is next shown, if it is hidden behind the workspace).
        self.follower = Follower(
            self,
            context.changes,
            (Topic.PROCEDURE, Topic.SIGNATURES, Topic.SUBJECTS),
            self.refresh,
        )

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        title = QLabel(self.tr("Procedures"))
        title.setStyleSheet("font-size:18pt; font-weight:700;")
        top.addWidget(title)
        top.addStretch(1)
        self.resume_button = QPushButton()
        self.resume_button.setMinimumHeight(40)
        self.resume_button.setStyleSheet(
            "QPushButton { background:#E69F00; color:#1A1A1A; font-weight:700;"
            " border-radius:6px; padding:0 14px; }"
        )
        self.resume_button.hide()
        top.addWidget(self.resume_button)
        self.new_button = QPushButton(self.tr("New procedure  (Ctrl+N)"))
        self.new_button.setMinimumHeight(40)
        self.new_button.setStyleSheet(
            "QPushButton { background:#0072B2; color:white; font-weight:700;"
            " border-radius:6px; padding:0 14px; }"
            "QPushButton:disabled { background:#BFBFBF; color:#4D4D4D; }"
        )
        top.addWidget(self.new_button)
        layout.addLayout(top)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search subject ID or kit number  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(34)
        self.search.setAccessibleName(self.tr("Search procedures"))
        self.status_filter = QComboBox()
        for text, _statuses in _FILTERS:
            self.status_filter.addItem(self.tr(text))
        self.status_filter.setMinimumHeight(34)
        self.status_filter.setAccessibleName(self.tr("Status filter"))
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status_filter, 1)
        layout.addLayout(bar)
        self.problem = Banner(self)  # why the list could not be read, if it could not
        layout.addWidget(self.problem)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab moves on to the buttons
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(32)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(self.tr("Procedures"))
        # The list and its buttons share a vertical splitter with sections added below
        # (`add_section`: the follow-up visits).
        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.count = QLabel()
        self.count.setStyleSheet("color:#4D4D4D;")
        self.open_button = QPushButton(self.tr("Open  (Enter)"))
        self.open_button.setMinimumHeight(36)
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(self.open_button)
        list_layout.addLayout(bottom)
        self._bottom = bottom
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(list_box)
        layout.addWidget(self.split, 1)
        # Right-click on a row: the same actions as the buttons (`add_list_action`).
        self.open_list_action = QAction(self.tr("&Open") + "\t" + self.tr("Enter"), self)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addAction(self.open_list_action)
        self.setTabOrder(self.search, self.status_filter)
        self.setTabOrder(self.status_filter, self.table)
        self.setTabOrder(self.table, self.open_button)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_search_text_changed)
        self._search_timer.timeout.connect(self.refresh)
        self.status_filter.currentIndexChanged.connect(self._on_status_filter_changed)
        self.table.activated.connect(self._on_table_activated)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.open_list_action.triggered.connect(self._on_open_button_clicked)
        self.new_button.clicked.connect(self.new_requested)
        self.resume_button.clicked.connect(self._on_resume_button_clicked)
        self.search_action.triggered.connect(self._on_search_action_triggered)
        self.session.active_changed.connect(self._on_session_active_changed)

    # --- data ----------------------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        """Read the list again; keep the row the person was on, or select procedure `select`."""
        actor = self.session.active
        if actor is None:
            self.model.set_fetcher(None)
            self.count.setText(self.tr("Sign in to see the procedures."))
            self.resume_button.hide()
            return
        search = self.search.text().strip()
        statuses = _FILTERS[max(0, self.status_filter.currentIndex())][1]
        self.follower.stale = False
        keep = select if select is not None else self.selected_procedure_id()
        self.problem.clear_message()

        def fetch(offset: int, limit: int) -> ProcedurePage | None:
            page: ProcedurePage | None = operations.read(
                self.context,
                procedures.list_procedures,
                actor=actor,
                show_error=self._show_problem,
                what=self.tr("The list of procedures"),
                search=search,
                statuses=statuses,
                offset=offset,
                limit=limit,
            )
            return page

        self.model.set_fetcher(fetch)
        if self.problem.kind == "error":
            self.count.setText("")
            return
        self.count.setText(self.tr("%n procedure(s)", "", self.model.total))
        if self.model.total == 0 and not search and not statuses:
            self.count.setText(self._first_steps(actor))
        row = self.model.row_of(keep) if keep is not None else -1
        if row >= 0:
            self.table.selectRow(row)  # the list keeps the row the person was on
        elif self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._resume_timer.start()

    def _show_problem(self, text: str) -> None:
        self.problem.show_message(text, "error")

    def _first_steps(self, actor: Actor) -> str:
        """On an empty database: what this person does first, in one line."""
        if actor.can(Permission.PLAN_PROCEDURE):
            return self.tr("No procedures yet: plan the first with New procedure (Ctrl+N).")
        if actor.can(Permission.MANAGE_USERS):
            return self.tr(
                "No procedures yet: operators and nurses plan them (accounts: Ctrl+Shift+U)."
            )
        return self.tr("No procedures yet.")

    def _update_resume(self) -> None:
        actor = self.session.active
        if actor is None:
            return
        if not (actor.can(Permission.RECORD_INJECTION) or actor.can(Permission.RECORD_SEDATION)):
            # 'Resume' is for who records at the bedside; others open a row from the list.
            self._resume_id = None
            self.resume_button.hide()
            return
        resume = operations.read(
            self.context,
            procedures.list_procedures,
            actor=actor,
            show_error=self._show_problem,
            what=self.tr("The procedure in progress"),
            statuses=(ProcedureStatus.IN_PROGRESS,),
            limit=1,
        )
        if resume is None:
            self.resume_button.hide()
            return
        if resume.rows:
            latest = resume.rows[0]
            self._resume_id = latest.id
            self.resume_button.setText(
                self.tr("Resume %1 (%2/%3)")
                .replace("%1", latest.study_id)
                .replace("%2", str(latest.injected_count))
                .replace("%3", str(latest.total_sites))
            )
            self.resume_button.show()
        else:
            self._resume_id = None
            self.resume_button.hide()

    def focus_list(self) -> None:
        """Give the list the keyboard with a current row, so Enter opens it."""
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_section(self, widget: QWidget, height: int) -> None:
        """Add a section below the list (its splitter share starts at `height` pixels)."""
        self.split.addWidget(widget)
        sizes = self.split.sizes()
        total = max(sum(sizes), height * 3)
        self.split.setSizes([total - sum(sizes[1:-1]) - height, *sizes[1:-1], height])
        self.split.setStretchFactor(0, 1)

    def add_list_action(self, action: QAction, button_text: str) -> QPushButton:
        """A button next to Open and an entry of the row's context menu, both for `action`."""
        button = QPushButton(button_text)
        button.setMinimumHeight(36)
        self._bottom.insertWidget(self._bottom.indexOf(self.open_button), button)
        button.clicked.connect(action.trigger)
        action.changed.connect(lambda: _mirror(action, button))
        _mirror(action, button)
        self.table.addAction(action)
        return button

    def add_list_shortcuts(self, actions: list[QAction]) -> None:
        """Actions whose shortcuts work while the list has the keyboard."""
        self.table.addActions(actions)

    def selected_procedure_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = self.model.index(index.row(), Column.STUDY_ID).data(ProcedureIdRole)
        return int(value) if value is not None else None

    # --- slots ---------------------------------------------------------------------------------

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_status_filter_changed(self, _index: int) -> None:
        self.refresh()

    def _on_table_activated(self, index: QModelIndex) -> None:
        value = self.model.index(index.row(), Column.STUDY_ID).data(ProcedureIdRole)
        if value is not None:
            self.open_requested.emit(int(value))

    def _on_open_button_clicked(self) -> None:
        found = self.selected_procedure_id()
        if found is not None:
            self.open_requested.emit(found)

    def _on_resume_button_clicked(self) -> None:
        if self._resume_id is not None:
            self.open_requested.emit(self._resume_id)

    def _on_search_action_triggered(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_session_active_changed(self, _actor: object) -> None:
        self.refresh()


def _mirror(action: QAction, button: QPushButton) -> None:
    """A list button follows its action: enabled, shown (hidden when the role may not)."""
    button.setEnabled(action.isEnabled())
    button.setHidden(not action.isVisible())
