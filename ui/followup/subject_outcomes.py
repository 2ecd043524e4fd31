"""One subject's outcomes: the visit timeline, trend plots and the therapy-success verdict.

It follows the one notification: a visit saved, signed or amended anywhere (its own form
included) reads the subject again, keeping the selected time point. The plots' points come
from `trends`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from slidesk.clock import local
from slidesk.domain.followup.model import BASELINE_MONTH, VisitStatus
from slidesk.domain.users import Permission
from slidesk.services.followup import service as followup
from slidesk.services.followup.dto import SubjectOutcomes, TimePointView
from ui.common.follow import Follower
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.followup.common import MessageLine, ReasonDialog, SignDialog, day_text, shortcut_text
from ui.followup.plots import TrendPlot
from ui.followup.procedure_date_dialog import ProcedureDateDialog
from ui.followup.timeline_model import Column, TimelineModel
from ui.followup.trends import trend_series
from ui.followup.verdict_panel import VerdictPanel
from ui.session import BedsideSession

_D = Decimal


class SubjectOutcomesWindow(QMainWindow):
    def __init__(
        self,
        context: AppContext,
        session: BedsideSession,
        parent: QWidget | None,
        subject_id: int,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._session = session
        self.subject_id = subject_id
        self.outcomes: SubjectOutcomes | None = None
        self.setWindowTitle(self.tr("Outcomes"))
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.message = MessageLine()
        self.model = TimelineModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Tab goes on to the next control; Qt's tables would walk the cells and never let go.
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName(self.tr("Outcome timeline, one row per time point"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(7 * 30 + 4)
        self.vas_plot = TrendPlot(
            self.tr("Pain (VAS, mm)"),
            _D(0),
            _D(100),
            (_D(0), _D(50), _D(100)),
            hint=self.tr("lower is better"),
        )
        self.rutherford_plot = TrendPlot(
            self.tr("Rutherford category"),
            _D(0),
            _D(6),
            (_D(0), _D(2), _D(4), _D(6)),
            hint=self.tr("lower is better"),
        )
        self.abi_plot = TrendPlot(
            self.tr("ABI (index limb)"),
            _D(0),
            _D("1.4"),
            (_D(0), _D("0.5"), _D("0.9"), _D("1.3")),
        )
        self.verdict = VerdictPanel(context.clock.zone)
        self.verdict.setMinimumWidth(420)
        self._build_actions()
        plots = QWidget()
        plots_layout = QHBoxLayout(plots)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        for plot in (self.vas_plot, self.rutherford_plot, self.abi_plot):
            plots_layout.addWidget(plot)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(plots)
        bottom.addWidget(self.verdict)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.header)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self.setCentralWidget(body)
        self.resize(1320, 720)
        self._connect_signals()
        self.follower = Follower(self, context.changes, (Topic.FOLLOW_UP,), self.reload)
        self.reload()

    def _build_actions(self) -> None:
        bar = QToolBar(self.tr("Visit actions"))
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)

        def action(text: str, key: str) -> QAction:
            act = QAction(f"{text}  ({shortcut_text(key)})", self)
            act.setShortcut(QKeySequence(key))
            bar.addAction(act)
            return act

        self.enter_action = action(self.tr("&Enter / open visit…"), "Ctrl+E")
        self.sign_action = action(self.tr("&Sign visit…"), "Ctrl+Shift+S")
        self.amend_action = action(self.tr("&Amend signed visit…"), "Ctrl+Shift+A")
        bar.addSeparator()
        self.date_action = action(self.tr("Procedure &date…"), "Ctrl+Shift+D")
        self.refresh_action = action(self.tr("Refresh"), "F5")
        self.close_action = QAction(self.tr("Close"), self)
        self.close_action.setShortcut(QKeySequence("Esc"))
        self.addAction(self.close_action)

    def _connect_signals(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._on_table_currentRowChanged)
        self.table.activated.connect(self._on_table_activated)
        self.enter_action.triggered.connect(self._on_enter_action_triggered)
        self.sign_action.triggered.connect(self._on_sign_action_triggered)
        self.amend_action.triggered.connect(self._on_amend_action_triggered)
        self.date_action.triggered.connect(self._on_date_action_triggered)
        self.refresh_action.triggered.connect(self._on_refresh_action_triggered)
        self.close_action.triggered.connect(self.close)

    # --- data ----------------------------------------------------------------------------------

    def _on_refresh_action_triggered(self) -> None:
        # triggered(bool) would arrive as `select_month`.
        self.reload()

    def reload(self, select_month: int | None = None) -> None:
        actor = self._session.active
        if actor is None:
            self.message.error(self.tr("Nobody is signed in."))
            return
        keep = select_month if select_month is not None else self._selected_month()
        self.follower.stale = False
        outcomes = operations.read(
            self._context,
            followup.get_subject_outcomes,
            actor=actor,
            show_error=self.message.error,
            what=self.tr("The subject's outcomes"),
            clock=self._context.clock,
            subject_id=self.subject_id,
        )
        if outcomes is None:
            return
        self.outcomes = data = outcomes
        self.setWindowTitle(self.tr("Outcomes — {sid}").format(sid=data.subject.study_id))
        died = (
            f" &nbsp;<span style='color:#9b1c1c'><b>Died {day_text(data.deceased_on)}</b></span>"
            if data.deceased_on
            else ""
        )
        self.header.setText(
            f"<span style='font-size:16px'><b>{data.subject.study_id}</b></span> &nbsp;"
            f"{data.subject.index_limb.label} leg (index limb) · {data.subject.centre}{died}<br>"
            f"<span style='color:#4b5563'>Procedure {day_text(data.procedure_date)} "
            f"({data.procedure_date_note}) · primary endpoint at month {data.primary_month} · "
            f"today {day_text(data.today)}</span>"
        )
        self.model.set_rows(data.time_points)
        self._update_plots(data)
        row = self.model.row_of(keep) if keep is not None else -1
        self.table.selectRow(row if row >= 0 else self._default_row(data))
        self._update_actions()

    def _default_row(self, data: SubjectOutcomes) -> int:
        with_verdict = [i for i, t in enumerate(data.time_points) if t.visit and t.visit.verdict]
        primary = self.model.row_of(data.primary_month)
        if primary >= 0 and data.time_points[primary].visit is not None:
            return primary
        return with_verdict[-1] if with_verdict else 0

    def _update_plots(self, data: SubjectOutcomes) -> None:
        series = trend_series(data)
        for plot, points in (
            (self.vas_plot, series.vas),
            (self.rutherford_plot, series.rutherford),
            (self.abi_plot, series.abi),
        ):
            plot.set_points(points, data.procedure_date, series.span)

    def _selected_point(self) -> TimePointView | None:
        index = self.table.currentIndex()
        return self.model.row(index)

    def _selected_month(self) -> int | None:
        point = self._selected_point()
        return point.month if point else None

    def _update_actions(self) -> None:
        point = self._selected_point()
        visit = point.visit if point else None
        actor = self._session.active
        can_write = actor is not None and actor.can(Permission.RECORD_FOLLOW_UP)
        self.enter_action.setEnabled(point is not None)
        self.sign_action.setEnabled(
            can_write and visit is not None and visit.status is not VisitStatus.SIGNED
        )
        self.amend_action.setEnabled(
            can_write and visit is not None and visit.status is VisitStatus.SIGNED
        )
        self.date_action.setEnabled(can_write)
        if point is None:
            self.verdict.set_verdict(None, None, self.tr("Select a time point."))
        elif point.month == BASELINE_MONTH:
            self.verdict.set_verdict(
                None, None, self.tr("The baseline is what each follow-up visit is compared with.")
            )
        elif visit is None:
            self.verdict.set_verdict(None, point.month, self.tr("No visit entered yet."))
        else:
            self.verdict.set_verdict(visit.verdict, point.month)

    # --- slots ---------------------------------------------------------------------------------

    def _on_table_currentRowChanged(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self._on_enter_action_triggered()

    def _on_enter_action_triggered(self) -> None:
        point = self._selected_point()
        if point is None or self.outcomes is None:
            return
        self.open_form(point)

    def open_form(self, point: TimePointView) -> QDialog:
        from ui.followup.visit_form import VisitFormDialog

        assert self.outcomes is not None
        form = VisitFormDialog(self._context, self._session, self, self.outcomes, point.month)
        form.open()
        return form

    def _write(
        self,
        service: Any,
        what: str,
        *,
        later: Callable[[Any], None] | None = None,
        short_lock: bool = False,
        **values: Any,
    ) -> Any:
        """Run a follow-up service as the person typing; this window reads again on success
        (the notification), keeping the selected time point. `later`: another program's
        lock is waited for without freezing; `short_lock`: said at once (a signature)."""
        return operations.write(
            self._context,
            service,
            actor=self._session.active,
            show_error=self.message.error,
            what=what,
            changes=(Topic.FOLLOW_UP,),
            later=later,
            owner=self if later is not None else None,
            short_lock=short_lock,
            **values,
        )

    def _on_sign_action_triggered(self) -> None:
        point = self._selected_point()
        actor = self._session.active
        if point is None or point.visit is None or actor is None:
            return
        dialog = SignDialog(
            actor.full_name,
            self.tr("{tp} visit of {sid}").format(
                tp=point.label, sid=self.outcomes.subject.study_id if self.outcomes else ""
            ),
            followup.SIGNATURE_MEANING,
            self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        signed = self._write(
            followup.sign_visit,
            self.tr("The signature of the {tp} visit").format(tp=point.label),
            short_lock=True,  # it checks the password again: said at once, not retried
            visit_id=point.visit.id,
            password=dialog.secret(),
        )
        if signed is None:
            return
        self.message.success(self.tr("{tp} visit signed and locked.").format(tp=point.label))

    def _on_amend_action_triggered(self) -> None:
        point = self._selected_point()
        actor = self._session.active
        if point is None or point.visit is None or actor is None:
            return
        dialog = ReasonDialog(
            self.tr("Amend a signed visit"),
            self.tr(
                "Why must the signed {tp} visit change? The reason goes to the audit trail."
            ).format(tp=point.label.lower()),
            self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        opened = self._write(
            followup.open_amendment,
            self.tr("The amendment of the {tp} visit").format(tp=point.label),
            visit_id=point.visit.id,
            reason=dialog.reason(),
            later=self._amendment_opened,
        )
        if opened is not None:
            self._amendment_opened(opened)

    def _amendment_opened(self, _opened: object) -> None:
        """The amendment is open (at once, or once another program let go): its form."""
        self.message.clear_message()
        refreshed = self._selected_point()
        if refreshed is not None:
            self.open_form(refreshed)

    def _on_date_action_triggered(self) -> None:
        actor = self._session.active
        if actor is None or self.outcomes is None:
            return
        clock = self._context.clock
        dialog = ProcedureDateDialog(
            self.outcomes.procedure_date,
            self.outcomes.procedure_date_note,
            local(clock.now(), clock).date(),
            self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        done = self._write(
            followup.set_procedure_date,
            self.tr("The procedure date"),
            subject_id=self.subject_id,
            procedure_date=dialog.value(),
            reason=dialog.reason.text(),
            later=self._date_set,
        )
        if done is not None:
            self._date_set(done)

    def _date_set(self, _done: object) -> None:
        """The date went through (at once, or once another program let go)."""
        self.message.clear_message()


__all__ = ["Column", "SubjectOutcomesWindow"]
