"""Preview, print, save and open a procedure report (each export or print is audited).

The preview shows the PDF's pages as `report_pages` draws them; without pypdfium2 the dialog
offers the default PDF viewer instead. Printing paints the same rendered pages on the printer,
so paper shows exactly what was previewed and archived.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.users import Actor
from slidesk.services.reporting.service import (
    IssuedReport,
    ReportPurpose,
    issue_report,
    record_report_event,
    write_pdf,
)
from slidesk.services.signing import service as signing
from ui.auth.common import MessageStrip
from ui.common.layouts import clear_layout
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.signing import report_pages


class ReportDialog(QDialog):
    """The report of one procedure: the current record or any signed version."""

    report_issued = Signal(object)
    """A report was exported, printed or opened (an `IssuedReport`)."""

    loaded = Signal()
    """The report asked for is shown, or the message says why it is not (it is made in the
    background: a sealed PDF takes a moment)."""

    def __init__(
        self,
        context: AppContext,
        actor: Actor,
        procedure_id: int,
        parent: QWidget | None = None,
        *,
        key_folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._actor = actor
        self._procedure_id = procedure_id
        self._key_folder = key_folder
        self.issued: IssuedReport | None = None
        self._asked = 0  # the report last asked for; an older one arriving late is dropped
        self.setWindowTitle(self.tr("Procedure report — SLI Desk"))
        self.resize(900, 700)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        version_label = QLabel(self.tr("&Version:"))
        top.addWidget(version_label)
        self.version = QComboBox()
        version_label.setBuddy(self.version)
        top.addWidget(self.version, 1)
        self.info = QLabel()
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.info, 2)
        layout.addLayout(top)
        self.message = MessageStrip()
        layout.addWidget(self.message)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area.setWidget(self.pages)
        self.scroll_area.setStyleSheet("QScrollArea { background: #5f6b76; }")
        layout.addWidget(self.scroll_area, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("&Print… (Ctrl+P)"))
        self.save_button = QPushButton(self.tr("&Save as… (Ctrl+S)"))
        self.open_button = QPushButton(self.tr("&Open in PDF viewer (Ctrl+O)"))
        self.close_button = QPushButton(self.tr("&Close"))
        for button in (self.print_button, self.save_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._shortcuts = {
            "print": QShortcut(QKeySequence.StandardKey.Print, self),
            "save": QShortcut(QKeySequence.StandardKey.Save, self),
            "open": QShortcut(QKeySequence("Ctrl+O"), self),
        }
        self._fill_versions()
        self._connect_signals()
        self._load()

    def _connect_signals(self) -> None:
        self.version.currentIndexChanged.connect(self._on_version_current_index_changed)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self._shortcuts["print"].activated.connect(self._on_print_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self._shortcuts["save"].activated.connect(self._on_save_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self._shortcuts["open"].activated.connect(self._on_open_button_clicked)
        self.close_button.clicked.connect(self.accept)

    def _fill_versions(self) -> None:
        context, actor, procedure_id = self._context, self._actor, self._procedure_id
        found = operations.attempt(
            context,
            lambda: (
                signing.list_versions(uow=context.uow, actor=actor, procedure_id=procedure_id),
                signing.review_for_signing(uow=context.uow, actor=actor, procedure_id=procedure_id),
            ),
            show_error=self._show_error,
            what=self.tr("The list of signed versions"),
            reading=True,
        )
        if found is None:
            return
        versions, review = found
        if not versions or review.status.value != "signed":
            self.version.addItem(self.tr("Current record (not signed)"), None)
        for v in reversed(versions):
            label = self.tr("Version %d — signed") % v.version
            if v.superseded_by:
                label += self.tr(" (superseded by version %d)") % v.superseded_by
            self.version.addItem(label, v.version)

    # --- loading -----------------------------------------------------------------------------

    def _show_error(self, text: str) -> None:
        self.message.show_message(text, "error")

    def _load(self) -> None:
        """Make the report on a worker thread; its pages appear when it is ready."""
        self.issued = None
        self._asked += 1
        asked = self._asked
        clear_layout(self.pages_layout)
        if self.version.count() == 0:  # the versions could not be read (said above)
            self.loaded.emit()
            return
        self.info.setText(self.tr("Making the report…"))
        # The worker holds no Qt object: the unit of work and the clock, not the context.
        uow, clock, actor = self._context.uow, self._context.clock, self._actor
        procedure_id, version, key_folder = (
            self._procedure_id,
            self.version.currentData(),
            self._key_folder,
        )
        operations.in_background(
            lambda _progress: (
                asked,
                issue_report(
                    uow=uow,
                    clock=clock,
                    actor=actor,
                    procedure_id=procedure_id,
                    purpose=ReportPurpose.PREVIEW,
                    version=version,
                    key_folder=key_folder,
                ),
            ),
            what=self.tr("The report"),
            receiver=self,
            on_done=self._on_report_made,
            show_error=self._on_report_failed,
        )

    def _on_report_made(self, made: tuple[int, IssuedReport]) -> None:
        asked, issued = made
        if asked == self._asked:  # not an older report arriving late
            self._show_issued(issued)

    def _on_report_failed(self, text: str) -> None:
        self.info.setText("")
        self._show_error(self.tr("The report cannot be made: %s") % text)
        self.loaded.emit()

    def _show_issued(self, issued: IssuedReport) -> None:
        self.issued = issued
        seal = self.tr("digitally sealed") if issued.digitally_signed else self.tr("not sealed")
        self.info.setText(f"{issued.document_id} · {seal}")
        if issued.seal_problem:
            self.message.show_message(issued.seal_problem, "warning")
        else:
            self.message.clear_message()
        images = report_pages.render_pages(issued.pdf, scale=1.25)
        if images is None:
            self.pages_layout.addWidget(
                QLabel(self.tr("No preview here: use “Open in PDF viewer”."))
            )
        else:
            for image in images:
                label = QLabel()
                label.setPixmap(QPixmap.fromImage(image))
                label.setStyleSheet("border: 1px solid #2b3440; background: white;")
                self.pages_layout.addWidget(label)
        self.loaded.emit()

    @property
    def page_count(self) -> int:
        return self.pages_layout.count()

    # --- actions -----------------------------------------------------------------------------

    def print_to(self, printer: QPrinter) -> int:
        """Paint every page on `printer` at its resolution; returns the number of pages.

        Only pages that were drawn are audited as printed: when no page could be drawn, or the
        printer would not start, the dialog says so and the trail gets no "report.print".
        """
        issued = self.issued
        if issued is None:
            return 0
        dpi = max(150, min(printer.resolution(), 300))
        images = operations.attempt(
            self._context,
            lambda: report_pages.render_pages(issued.pdf, scale=dpi / 72) or [],
            show_error=self._show_error,
            what=self.tr("Drawing the report's pages for the printer"),
        )
        if images is None:  # the failure is said
            return 0
        if not images:
            self._show_error(
                self.tr(
                    "Nothing was printed: this installation cannot draw the report's pages. "
                    "Save a copy (Ctrl+S) and print it from a PDF viewer."
                )
            )
            return 0
        if not report_pages.paint_pages(printer, images):
            self._show_error(
                self.tr("Nothing was printed: the printer could not be started (%s).")
                % (printer.printerName() or printer.outputFileName() or self.tr("no printer"))
            )
            return 0
        if not self._audit(ReportPurpose.PRINT):
            return 0
        return len(images)

    def save_to(self, path: Path) -> bool:
        """Write the PDF to `path` and audit the export; False (said) when it is not written."""
        issued = self.issued
        if issued is None:
            return False
        written = operations.attempt(
            self._context,
            operations.performed(lambda: write_pdf(path, issued.pdf)),
            show_error=self._show_error,
            what=self.tr("The PDF file %s") % path,
        )
        if written is None:
            return False
        return self._audit(ReportPurpose.EXPORT)

    def _audit(self, purpose: ReportPurpose) -> bool:
        """Record the export, print or open in the audit trail; False (said) if it is not."""
        issued = self.issued
        if issued is None:
            return False
        context, actor = self._context, self._actor
        recorded = operations.attempt(
            context,
            operations.performed(
                lambda: record_report_event(
                    uow=context.uow,
                    clock=context.clock,
                    actor=actor,
                    issued=issued,
                    purpose=purpose,
                )
            ),
            show_error=self._show_error,
            what=self._audit_what(purpose),
            changes=(Topic.REPORTS,),
            procedure_id=self._procedure_id,
        )
        if recorded is None:
            return False
        self.report_issued.emit(issued)
        return True

    def _audit_what(self, purpose: ReportPurpose) -> str:
        return {
            ReportPurpose.EXPORT: self.tr("The audit entry of the saved copy"),
            ReportPurpose.PRINT: self.tr("The audit entry of the printout"),
            ReportPurpose.OPEN: self.tr("The audit entry of the copy opened in the viewer"),
        }.get(purpose, self.tr("The audit entry of the report"))

    def _on_version_current_index_changed(self, _index: int) -> None:
        self._load()

    def _on_print_button_clicked(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            pages = self.print_to(printer)
            if pages:
                self.message.show_message(
                    self.tr("%d page(s) sent to the printer.") % pages, "success"
                )

    def _on_save_button_clicked(self) -> None:
        if self.issued is None:
            return
        name = f"{self.issued.document_id}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the report"), str(Path.home() / name), self.tr("PDF (*.pdf)")
        )
        if not path:
            return
        if self.save_to(Path(path)):
            self.message.show_message(self.tr("Saved to %s.") % path, "success")

    def _on_open_button_clicked(self) -> None:
        issued = self.issued
        if issued is None:
            return
        path = operations.attempt(
            self._context,
            lambda: report_pages.temporary_copy(issued),
            show_error=self._show_error,
            what=self.tr("The copy for the PDF viewer"),
        )
        if path is None:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            # Not opened, so not audited as opened; and no unaudited copy is left behind.
            shutil.rmtree(path.parent, ignore_errors=True)
            self._show_error(
                self.tr(
                    "No PDF viewer could be started, so the report was not opened. "
                    "Save a copy (Ctrl+S) or print it (Ctrl+P)."
                )
            )
            return
        self._audit(ReportPurpose.OPEN)
