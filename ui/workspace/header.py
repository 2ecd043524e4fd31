"""The workspace header: who and what, progress, elapsed time, product use-by, last saved.

"Last saved" follows the one notification (`ui.door.operations.Changed`): any entry saved for the
shown procedure, on any screen (the nurse's dose, a finding, a signature), moves it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from slidesk.clock import Clock
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.values import Limb
from slidesk.protocol.model import Protocol
from slidesk.services.dto import ProcedureView
from ui.common.timefmt import duration, local_hm, local_hms, minutes_text, utc_offset
from ui.door.operations import Changed, ChangeNotifier


class WorkspaceHeader(QFrame):
    """Refreshes itself every second (elapsed time and product window move on their own)."""

    def __init__(
        self, clock: Clock, changes: ChangeNotifier, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("WorkspaceHeader")
        self.setStyleSheet(
            "QFrame#WorkspaceHeader { background:#FFFFFF; border-bottom:1px solid #D0D5DA; }"
        )
        self._clock = clock
        self._view: ProcedureView | None = None
        self._last_saved: datetime | None = None
        self._protocol: Protocol | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.setSpacing(12)
        who = QVBoxLayout()
        self.subject = QLabel()
        self.subject.setStyleSheet("font-size:15pt; font-weight:700;")
        self.team = QLabel()
        self.team.setStyleSheet("color:#4D4D4D;")
        # Long names, a long location: a second line rather than a name cut off at 1366×768.
        self.team.setWordWrap(True)
        who.addWidget(self.subject)
        who.addWidget(self.team)
        layout.addLayout(who, 4)
        progress = QVBoxLayout()
        self.progress_text = QLabel()
        self.progress_text.setStyleSheet("font-size:13pt; font-weight:600;")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        self.progress.setStyleSheet(
            "QProgressBar { border:1px solid #B0B7BF; border-radius:5px; background:#EEF1F4; }"
            "QProgressBar::chunk { background:#009E73; border-radius:4px; }"
        )
        progress.addWidget(self.progress_text)
        progress.addWidget(self.progress)
        layout.addLayout(progress, 2)
        times = QVBoxLayout()
        self.elapsed = QLabel()
        self.elapsed.setStyleSheet("font-size:13pt; font-weight:600;")
        self.product = QLabel()
        self.product.setTextFormat(Qt.TextFormat.RichText)
        self.product.setWordWrap(True)  # "… completed 3 h 49 min before the use-by time"
        times.addWidget(self.elapsed)
        times.addWidget(self.product)
        layout.addLayout(times, 4)
        right = QVBoxLayout()
        self.status = QLabel()
        self.status.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.saved = QLabel()
        self.saved.setObjectName("LastSaved")
        self.saved.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.saved.setStyleSheet("color:#006B4F; font-weight:600;")
        right.addWidget(self.status, 0, Qt.AlignmentFlag.AlignRight)
        right.addWidget(self.saved)
        layout.addLayout(right, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_timer_timeout)
        changes.changed.connect(self._on_changed)

    def set_procedure(self, view: ProcedureView, protocol: Protocol) -> None:
        if self._view is None or self._view.id != view.id:
            self._last_saved = None
        self._view = view
        self._protocol = protocol
        limb = self.tr("LEFT leg") if view.subject.index_limb is Limb.LEFT else self.tr("RIGHT leg")
        self.subject.setText(f"{view.subject.study_id} · {limb}")
        self.team.setText(
            self.tr("Kit %1 · %2 · operator %3 · nurse %4")
            .replace("%1", view.kit_number)
            .replace("%2", view.location)
            .replace("%3", view.operator.full_name)
            .replace("%4", view.nurse.full_name)
        )
        self.progress.setRange(0, view.total_sites)
        self.progress.setValue(view.finished_count)
        self.progress_text.setText(
            self.tr("%1 / %2 injected")
            .replace("%1", str(view.injected_count))
            .replace("%2", str(view.total_sites))
            + (
                self.tr(" · %1 skipped").replace("%1", str(view.skipped_count))
                if view.skipped_count
                else ""
            )
        )
        status_style = {
            ProcedureStatus.IN_PROGRESS: "background:#E69F00; color:#1A1A1A;",
            ProcedureStatus.COMPLETED: "background:#009E73; color:white;",
            ProcedureStatus.SIGNED: "background:#0072B2; color:white;",
        }.get(view.status, "background:#D9D9D9; color:#1A1A1A;")
        style = status_style + " border-radius:4px; padding:3px 8px;"
        if self.status.styleSheet() != style:  # re-styling is costly; the status rarely changes
            self.status.setStyleSheet(style)
        self.status.setText(view.status.label)
        self._note_saved(view.last_saved_at)
        self._on_timer_timeout()
        if view.status is ProcedureStatus.IN_PROGRESS:
            self._timer.start()
        else:
            self._timer.stop()

    def _note_saved(self, at: datetime | None) -> None:
        if at is None or (self._last_saved is not None and at <= self._last_saved):
            return
        self._last_saved = at
        self.saved.setText(self.tr("Last saved %1").replace("%1", local_hms(at, self._clock.zone)))

    def _on_changed(self, changed: Changed) -> None:
        """Something was saved; "Last saved" moves when it belongs to the shown procedure."""
        if self._view is None or changed.procedure_id != self._view.id:
            return
        result = changed.result
        at = result.last_saved_at if isinstance(result, ProcedureView) else None
        self._note_saved(at or self._clock.now())

    def _on_timer_timeout(self) -> None:
        view = self._view
        if view is None or self._protocol is None:
            return
        now = self._clock.now()
        if view.started_at is None:
            self.elapsed.setText(self.tr("Not started"))
        else:
            end = view.completed_at or now
            # A duration has no zone: the clock times on this screen carry it (the status).
            self.elapsed.setText(
                self.tr("Elapsed %1").replace("%1", duration(end - view.started_at))
            )
            self.elapsed.setToolTip(
                self.tr("Times on this screen are the site's, %1").replace(
                    "%1", utc_offset(now, self._clock.zone)
                )
            )
        self.product.setText(self._product_text(view, now))

    def _product_text(self, view: ProcedureView, now: object) -> str:
        assert self._protocol is not None
        release = view.product_release_at
        if release is None:
            return self.tr("Product release time not recorded")
        product = self._protocol.product
        use_by = release + timedelta(minutes=product.use_by_minutes)
        end = view.completed_at or now
        left = int((use_by - end).total_seconds() // 60)  # type: ignore[operator]
        base = (
            self.tr("Product released %1 · use by %2")
            .replace("%1", local_hm(release, self._clock.zone))
            .replace("%2", local_hm(use_by, self._clock.zone))
        )
        if view.completed_at is not None:  # the clock stopped at completion: say so
            if left < 0:
                return (
                    "<span style='background:#D55E00; color:white; font-weight:700; "
                    "padding:2px;'>"
                    + self.tr("completed %1 after the use-by time").replace(
                        "%1", minutes_text(left)
                    )
                    + f"</span> {base}"
                )
            return (
                base
                + " · "
                + self.tr("completed %1 before the use-by time").replace("%1", minutes_text(left))
            )
        if left < 0:
            return (
                "<span style='background:#D55E00; color:white; font-weight:700; padding:2px;'>"
                + self.tr("USE-BY PASSED %1 ago").replace("%1", minutes_text(left))
                + f"</span> {base}"
            )
        if left <= product.use_by_warning_minutes:
            return (
                "<span style='background:#F0E442; color:#1A1A1A; font-weight:700; padding:2px;'>"
                + self.tr("%1 left").replace("%1", minutes_text(left))
                + f"</span> {base}"
            )
        return base + " · " + self.tr("%1 left").replace("%1", minutes_text(left))
