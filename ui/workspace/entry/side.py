"""The entry panel's secondary actions: skip, relocate, undo, correct, go to, flags.

A mixin of `EntryPanel` (it uses the panel's widgets, state and signals); each action opens
a non-blocking dialog where a reason is needed and emits the panel's request signal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from slidesk.domain.procedure.injection import range_problems
from slidesk.domain.procedure.model import EntryKind, ProcedureStatus, SkipReason
from slidesk.domain.values import Depth, Volume
from ui.common.timefmt import local_hm
from ui.workspace.dialogs import (
    CorrectionDialog,
    ReasonDialog,
    SkipCorrectionDialog,
    SkipDialog,
)

if TYPE_CHECKING:
    from ui.workspace.entry.panel import EntryPanel

    _Base = EntryPanel
else:
    _Base = object

DEVIATION_PRESETS = (
    "Thin muscle layer at this site",
    "Skin lesion or ulcer close to the planned site",
    "Patient movement during injection",
    "Leakage at the injection site",
)
UNDO_PRESETS = (
    "Entered for the wrong site",
    "Wrong syringe number entered",
    "Entered twice by mistake",
)


@dataclass(frozen=True, slots=True)
class InjectionRequest:
    site_no: int
    depth_mm: Decimal
    volume_ml: Decimal
    syringe: str
    deviation_reason: str | None = None
    actual_position: tuple[Decimal, Decimal] | None = None


class EntrySideActions(_Base):
    """Skip, relocation, undo, correction, go-to-site and quick flags of the entry panel."""

    def _ask_reason(
        self,
        title: str,
        message: str,
        presets: tuple[str, ...],
        done: object,
        ok_text: str = "",
    ) -> ReasonDialog:
        dialog = ReasonDialog(title, message, presets, ok_text=ok_text, parent=self)
        self._open_dialog(dialog, lambda: done(dialog.reason()))  # type: ignore[operator]
        return dialog

    def _open_dialog(self, dialog: QDialog, on_accept: object) -> None:
        self.active_dialog = dialog

        def finished(result: int) -> None:
            self.active_dialog = None
            dialog.deleteLater()
            if result == int(dialog.DialogCode.Accepted):
                on_accept()  # type: ignore[operator]
            self.syringe.setFocus(Qt.FocusReason.OtherFocusReason)

        dialog.finished.connect(finished)
        dialog.open()

    def _on_skip_triggered(self) -> None:
        site = self._site()
        if site is None or not self._recording_open() or site.entry is not None:
            return
        dialog = SkipDialog(site, parent=self)

        def accepted() -> None:
            reason = dialog.reason() or SkipReason.OTHER
            self.skip_requested.emit(site.number, reason, dialog.detail_text())

        self._open_dialog(dialog, accepted)

    def _on_relocate_triggered(self) -> None:
        if not self._recording_open():
            return
        request = self._build_request()
        if request is None:
            return
        self._pending_relocation = request
        self.relocation_started.emit(request.site_no)
        self.show_info(
            self.tr(
                "Tap the actual position of site %1 on the diagram "
                "(or use the arrow keys and Enter). Esc cancels."
            ).replace("%1", str(request.site_no)),
            "warning",
        )

    def relocation_picked(self, view_name: str, x: Decimal, y: Decimal) -> None:
        """The diagram gave the actual position of the site being relocated."""
        request = self._pending_relocation
        site = self._site()
        if request is None or site is None:
            return
        if view_name != site.view:
            self._pending_relocation = None
            self.relocation_cancelled.emit()
            self.show_error(
                self.tr("Site %1 is on the %2 view: relocate it there (Ctrl+R again).")
                .replace("%1", str(site.number))
                .replace("%2", site.view)
            )
            return
        self._pending_relocation = None
        self.banner.clear_message()
        assert self.protocol is not None
        problems = range_problems(
            self.protocol, Depth.from_mm(request.depth_mm), Volume.from_ml(request.volume_ml)
        )
        extra = (" " + "; ".join(problems) + ".") if problems else ""
        self._ask_reason(
            self.tr("Site %1 relocated").replace("%1", str(site.number)),
            self.tr("Why was site %1 injected at another position?%2")
            .replace("%1", str(site.number))
            .replace("%2", extra),
            DEVIATION_PRESETS,
            lambda reason: self._emit_injection(request, reason, (x, y)),
            self.tr("Confirm site %1 here").replace("%1", str(site.number)),
        )

    def cancel_relocation(self) -> None:
        if self._pending_relocation is not None:
            self._pending_relocation = None
            self.banner.clear_message()
            self.relocation_cancelled.emit()

    def _on_undo_triggered(self) -> None:
        if not self._recording_open() or self.view is None:
            return
        live = [e for e in self.view.entries if not e.voided]
        if not live:
            self.show_error(self.tr("There is nothing to undo."))
            return
        last = live[-1]
        what = (
            self.tr("injection at site %1 with %2")
            .replace("%1", str(last.site_no))
            .replace("%2", last.syringe_label or "")
            if last.kind is EntryKind.INJECTED
            else self.tr("skip of site %1").replace("%1", str(last.site_no))
        )
        self._ask_reason(
            self.tr("Undo last entry"),
            self.tr("Undo the %1 (%2)? It stays in the audit trail as undone, with your reason.")
            .replace("%1", what)
            .replace("%2", local_hm(last.performed_at, self.clock.zone)),
            UNDO_PRESETS,
            self.undo_requested.emit,
        )

    def _on_correct_triggered(self) -> None:
        site = self._site()
        if site is None or site.entry is None or self.view is None:
            self.show_error(self.tr("Choose a recorded site to correct it."))
            return
        entry = site.entry
        if entry.kind is EntryKind.SKIPPED:
            skip = SkipCorrectionDialog(site, entry, self.clock.zone, parent=self)

            def skip_accepted() -> None:
                changes = skip.changes()
                if not changes:
                    self.show_error(self.tr("Nothing was changed."))
                    return
                reason = skip.change_reason.text().strip()
                self.skip_correction_requested.emit(entry.id, changes, reason)

            self._open_dialog(skip, skip_accepted)
            return
        # Findings are withdrawn while the record is open for them (in progress, amended).
        findings = (
            tuple(f for f in self.flags if f.site_no == site.number)
            if self.view.status in (ProcedureStatus.IN_PROGRESS, ProcedureStatus.AMENDED)
            else ()
        )
        dialog = CorrectionDialog(site, entry, self.clock.zone, parent=self, findings=findings)

        def accepted() -> None:
            changes, withdrawn = dialog.changes(), dialog.withdrawn()
            reason = dialog.reason.text().strip()
            if not changes and not withdrawn:
                self.show_error(self.tr("Nothing was changed."))
                return
            if changes:
                self.correction_requested.emit(entry.id, changes, reason)
            if withdrawn:
                self.findings_withdrawal_requested.emit(withdrawn, reason)

        self._open_dialog(dialog, accepted)

    def _on_goto_action_triggered(self) -> None:
        self.goto.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.goto.selectAll()

    def _on_goto_return_pressed(self) -> None:
        text = self.goto.text().strip()
        self.goto.clear()
        if not text.isdigit():
            self.show_error(self.tr("Type a site number, for example 12."))
            return
        self.select_site(int(text))

    def _on_back_to_next_triggered(self) -> None:
        self.cancel_relocation()
        if self.view is not None and self.view.next_site_no is not None:
            self.select_site(self.view.next_site_no)

    def flag_target(self) -> int | None:
        """The site a quick flag applies to: the shown site if injected, else (while the next
        site is shown) the last one injected. A skipped site takes no findings."""
        site = self._site()
        if site is not None and site.entry is not None:
            return site.number if site.entry.kind is EntryKind.INJECTED else None
        if self.view is None:
            return None
        injected = [e for e in self.view.entries if not e.voided and e.kind is EntryKind.INJECTED]
        return injected[-1].site_no if injected else None

    def _on_flag_triggered(self, flag: str) -> None:
        target = self.flag_target()
        if target is not None and self.amending():
            self._ask_late_finding(target, flag)
            return
        if target is None or not self._recording_open():
            self.show_error(self.tr("Record a site first; a flag belongs to a site."))
            return
        if flag == "other":
            self._ask_reason(
                self.tr("Flag site %1").replace("%1", str(target)),
                self.tr("Describe the finding at site %1.").replace("%1", str(target)),
                (),
                lambda note: self.flag_requested.emit(target, flag, note),
            )
            return
        self.flag_requested.emit(target, flag, "")

    def amending(self) -> bool:
        """An amendment is open: findings may be added late, with the time they were seen."""
        return self.view is not None and self.view.status is ProcedureStatus.AMENDED

    def _ask_late_finding(self, site_no: int, flag: str) -> None:
        from ui.workspace.entry.late_finding import LateFindingDialog

        assert self.view is not None
        entry = next(
            e
            for e in self.view.entries
            if e.site_no == site_no and not e.voided and e.kind is EntryKind.INJECTED
        )
        dialog = LateFindingDialog(entry, flag, self.clock.zone, parent=self)

        def accepted() -> None:
            self.late_flag_requested.emit(site_no, flag, dialog.note(), dialog.observed_at())

        self._open_dialog(dialog, accepted)

    def _on_adverse_event_triggered(self) -> None:
        target = self.flag_target()
        if target is not None:
            self.adverse_event_requested.emit(target)
