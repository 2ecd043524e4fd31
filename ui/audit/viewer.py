"""The audit-trail viewer (AUD-06): filter, read page by page, verify the chain, export CSV.

For monitors and administrators (READ_AUDIT). Open it on the whole trail, on one procedure,
or on one record ("history of this site": entity="site_entries", entity_id=…). The integrity
check (`slidesk verify`) and the export run in the background; the table reads one page at a
time as it scrolls, so it opens at once on 100,000 entries.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.clock import local
from slidesk.domain.errors import DomainError
from slidesk.domain.users import Permission
from slidesk.services.accounts import service as accounts
from slidesk.services.audit import trail as audit_trail
from slidesk.services.audit.trail import AuditExport, AuditFilter
from slidesk.services.audit.verify import VerifyReport
from ui.audit.filter_bar import AuditFilterBar
from ui.audit.model import AuditTrailModel, Column
from ui.audit.workers import ExportJob, VerifyJob, start
from ui.auth.common import MessageStrip
from ui.common.keys import press_with
from ui.context import AppContext
from ui.door import operations
from ui.session import BedsideSession

log = logging.getLogger(__name__)

_VERIFY_DELAY_MS = 150
_WIDTHS = {
    Column.WHEN: 196,
    Column.WHO: 230,
    Column.KIND: 130,
    Column.SUBJECT: 95,
    Column.WHAT: 290,
    Column.OLD: 120,
    Column.NEW: 150,
}


class AuditViewer(QDialog):
    """A non-modal window over the audit trail for the person typing (who must hold READ_AUDIT)."""

    def __init__(
        self,
        context: AppContext,
        session: BedsideSession,
        parent: QWidget | None = None,
        *,
        procedure_id: int | None = None,
        entity: str | None = None,
        entity_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        actor = session.active
        if actor is None:
            raise DomainError("Sign in to read the audit trail.")
        actor.require(Permission.READ_AUDIT)
        self._context = context
        self._actor = actor
        self._entity = entity
        self._entity_id = entity_id
        self._verify_job: VerifyJob | None = None
        self._export_job: ExportJob | None = None
        self.current_filter = AuditFilter()
        self.setWindowTitle(self.tr("Audit trail — SLI Desk"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1280, 720)

        self.verify_banner = MessageStrip()
        self.filters = AuditFilterBar(
            local(context.clock.now(), context.clock).date(), context.clock.zone
        )
        self.record_chip = QLabel()
        self.record_chip.setStyleSheet(
            "background:#DCEBF7; border:1px solid #7FB2DA; border-radius:10px; padding:3px 10px;"
        )
        self.record_clear = QToolButton()
        self.record_clear.setText(self.tr("Show all records"))
        self.model = AuditTrailModel(parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Tab goes on to the next control; Qt's tables would walk the cells and never let go.
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        for column, width in _WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.REASON, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        self.cancel_export_button = QPushButton(self.tr("Stop export"))
        self.cancel_export_button.hide()
        self.export_button = QPushButton(self.tr("&Export CSV…"))
        press_with(self.export_button, "Ctrl+E")
        self.export_button.setToolTip(self.tr("Write the rows shown by these filters (Ctrl+E)"))
        self.export_button.setEnabled(actor.can(Permission.EXPORT))
        self.close_button = QPushButton(self.tr("Close"))
        self.message = MessageStrip()
        self._layout_widgets()
        self._connect_signals()

        if procedure_id is not None:
            self.filters.procedure.setText(str(procedure_id))
        if entity is not None:
            self.filters.oldest_first.blockSignals(True)
            self.filters.oldest_first.setChecked(True)  # a record's history reads top-down
            self.filters.oldest_first.blockSignals(False)
        self._update_record_chip()
        self.apply_filters()
        self._load_choices()  # after the rows: a list that cannot be read stays said
        # The check starts once the first rows are on screen.
        QTimer.singleShot(_VERIFY_DELAY_MS, self, self.start_verify)

    def _layout_widgets(self) -> None:
        chip_row = QHBoxLayout()
        chip_row.addWidget(self.record_chip)
        chip_row.addWidget(self.record_clear)
        chip_row.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.cancel_export_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verify_banner)
        layout.addWidget(self.filters)
        layout.addLayout(chip_row)
        # What the record's history adds above its entries (a site's sedation and findings).
        self.record_facts = QVBoxLayout()
        layout.addLayout(self.record_facts)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self.filters.applied.connect(self.apply_filters)
        self.record_clear.clicked.connect(self._on_record_clear_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.cancel_export_button.clicked.connect(self._on_cancel_export_button_clicked)
        self.close_button.clicked.connect(self.close)
        self.model.rowsInserted.connect(self._update_status)
        self.model.modelReset.connect(self._update_status)
        # Enter anywhere applies the filters (Apply is the default button); no other button
        # may react to Enter, least of all the export.
        for button in (self.export_button, self.close_button, self.cancel_export_button):
            button.setAutoDefault(False)
        self.filters.apply_button.setDefault(True)

    # --- filters and rows -------------------------------------------------------------------

    def _load_choices(self) -> None:
        kinds = self._read(audit_trail.event_types, self.tr("The list of kinds of entry"))
        if kinds is not None:
            self.filters.set_kinds(kinds)
        users = self._read(accounts.list_users, self.tr("The list of users"))
        if users is not None:
            self.filters.set_users([u.username for u in users])

    def _read(self, service: Any, what: str, **values: Any) -> Any:
        return operations.read(
            self._context,
            service,
            actor=self._actor,
            show_error=self.message.show_message,
            what=what,
            **values,
        )

    def apply_filters(self) -> None:
        """Read the first page with the filters as typed; later pages come as the view scrolls."""
        self.message.clear_message()
        self.current_filter = self.filters.build(entity=self._entity, entity_id=self._entity_id)
        chosen = self.current_filter
        self._total = self._count(chosen)

        def loader(cursor: int | None) -> audit_trail.AuditPage | None:
            page: audit_trail.AuditPage | None = self._read(
                audit_trail.read_page,
                self.tr("The audit trail"),
                audit_filter=chosen,
                cursor=cursor,
            )
            return page

        self.model.set_loader(loader)
        if self.model.notice:
            self.message.show_message(self.model.notice, "info")
        self.table.scrollToTop()
        self._update_record_chip()

    def _count(self, chosen: AuditFilter) -> int | None:
        """How many entries the filter matches (None: not known; the rows still show)."""
        count: int | None = self._read(
            audit_trail.count_entries, self.tr("The number of entries"), audit_filter=chosen
        )
        return count

    def _update_status(self, *_args: object) -> None:
        loaded = self.model.loaded_entries
        total = self._total if self._total is not None else loaded
        order = (
            self.tr("oldest first")
            if not self.current_filter.newest_first
            else self.tr("newest first")
        )
        more = self.tr(" — scroll for more") if self.model.canFetchMore() else ""
        self.status.setText(
            self.tr("Showing %s of %s entries, %s%s") % (f"{loaded:,}", f"{total:,}", order, more)
        )

    def _update_record_chip(self) -> None:
        shown = self._entity is not None
        self.record_chip.setVisible(shown)
        self.record_clear.setVisible(shown)
        if not shown:
            self.setWindowTitle(self.tr("Audit trail — SLI Desk"))
            return
        label = _record_label(self._entity or "", self._entity_id or "", self.model)
        self.record_chip.setText(self.tr("History of %s") % label)
        self.setWindowTitle(self.tr("History of %s — Audit trail — SLI Desk") % label)

    def add_record_facts(self, widget: QWidget) -> None:
        """Show `widget` (the record's facts as recorded now) above the record's entries."""
        self.record_facts.addWidget(widget)

    def _on_record_clear_clicked(self) -> None:
        self._entity = self._entity_id = None
        for i in range(self.record_facts.count()):  # the facts were of that one record
            item = self.record_facts.itemAt(i)
            facts = item.widget() if item is not None else None
            if facts is not None:
                facts.hide()
        self.apply_filters()

    def done(self, result: int) -> None:
        """Closing: stop a running export (no file is left), stop listening to jobs, and
        break the model's loader cycle."""
        if self._export_job is not None and self._export_job.finished_at is None:
            self._export_job.cancel()
        for job in (self._verify_job, self._export_job):
            if job is not None:
                with contextlib.suppress(RuntimeError, TypeError):
                    job.signals.disconnect(self)
        self._verify_job = self._export_job = None
        self.model.release()
        super().done(result)

    # --- verify --------------------------------------------------------------------------------

    def start_verify(self) -> None:
        if not self.isVisible():
            return  # closed before the check began
        self.verify_banner.show_message(
            self.tr("Checking the audit trail's integrity (slidesk verify)…"), "info"
        )
        job = VerifyJob(self._context)
        job.signals.succeeded.connect(self._on_verify_succeeded)
        job.signals.failed.connect(self._on_verify_failed)
        self._verify_job = job
        start(job)

    def _on_verify_succeeded(self, report: VerifyReport) -> None:
        if report.intact:
            self.verify_banner.show_message(
                self.tr(
                    "✔ Intact: %s audit entries form an unbroken chain; %s records match "
                    "their audit history."
                )
                % (f"{report.entries:,}", f"{report.records:,}"),
                "success",
            )
        else:
            self.verify_banner.show_message(
                self.tr("✖ The audit trail is NOT intact. Tell the data manager.\n%s")
                % report.summary(),
                "error",
            )

    def _on_verify_failed(self, text: str) -> None:
        self.verify_banner.show_message(text, "warning")

    # --- export ---------------------------------------------------------------------------------

    def _on_export_button_clicked(self) -> None:
        suggested = Path.home() / _export_name(self.current_filter, self._context)
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export audit trail"), str(suggested), self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> ExportJob:
        """Export the current filter to `path` in the background; returns the running job."""
        job = ExportJob(self._context, self._actor, self.current_filter, path)
        job.signals.progressed.connect(self._on_export_progressed)
        job.signals.succeeded.connect(self._on_export_succeeded)
        job.signals.failed.connect(self._on_export_failed)
        self._export_job = job
        self.export_button.setEnabled(False)
        self.progress.show()
        self.cancel_export_button.show()
        self.message.show_message(self.tr("Exporting to %s…") % path.name, "info")
        start(job)
        return job

    def _on_export_progressed(self, rows: int) -> None:
        self.progress.setFormat(self.tr("%s rows") % f"{rows:,}")

    def _on_export_succeeded(self, written: AuditExport) -> None:
        self._export_done()
        self.message.show_message(
            self.tr(
                "Exported the %s entries these filters show (%s lines in the file: one per "
                "changed field) to %s (SHA-256 %s…). The export is recorded in the trail."
            )
            % (f"{written.entries:,}", f"{written.rows:,}", written.path, written.sha256[:12]),
            "success",
        )

    def _on_export_failed(self, text: str) -> None:
        self._export_done()
        self.message.show_message(text, "warning")

    def _on_cancel_export_button_clicked(self) -> None:
        if self._export_job is not None:
            self._export_job.cancel()

    def _export_done(self) -> None:
        self.progress.hide()
        self.cancel_export_button.hide()
        self.export_button.setEnabled(self._actor.can(Permission.EXPORT))


def _record_label(entity: str, entity_id: str, model: AuditTrailModel) -> str:
    """'site entry 17 (site 12)' — the site number read from the record's first entry."""
    names = {"site_entries": "site entry", "procedures": "procedure", "subjects": "subject"}
    label = f"{names.get(entity, entity.replace('_', ' '))} {entity_id}"
    for row in range(min(model.rowCount(), 60)):
        change = model.line(row).change
        if change is not None and change.field == "site_no" and change.new:
            return f"{label} (site {change.new})"
    return label


def _export_name(chosen: AuditFilter, context: AppContext) -> str:
    stamp = local(context.clock.now(), context.clock).strftime("%Y%m%d-%H%M")
    scope = "-".join(v for v in chosen.describe().values() if "T" not in v)[:60]
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in scope)
    return f"audit-trail-{safe + '-' if safe else ''}{stamp}.csv"
