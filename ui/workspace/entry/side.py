"""The entry panel's secondary actions: skip, relocate, undo, correct, go to, quick flags.

`EntrySideFlows` is a part of the panel: each flow opens a non-blocking dialog where a reason
is needed and emits one of its request signals (the panel passes them on). What it needs of
the panel is the `EntryPort` protocol below; it never imports the panel.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from slidesk.clock import Clock
from slidesk.domain.procedure.injection import range_problems
from slidesk.domain.procedure.model import EntryKind, SkipReason
from slidesk.domain.values import Depth, Volume
from ui.common.timefmt import local_hm
from ui.workspace.banner import Banner
from ui.workspace.dialogs import (
    CorrectionDialog,
    ReasonDialog,
    SkipCorrectionDialog,
    SkipDialog,
)
from ui.workspace.entry.late_finding import LateFindingDialog
from ui.workspace.entry.presenter import EntrySelection
from ui.workspace.entry.request import DEVIATION_PRESETS, UNDO_PRESETS, InjectionRequest


class EntryPort(Protocol):
    """What the side flows use of the entry panel."""

    clock: Clock
    active_dialog: QDialog | None  # the reason dialog open (the panel ignores Confirm meanwhile)
    banner: Banner
    syringe: QLineEdit
    goto: QLineEdit

    def selection(self) -> EntrySelection: ...

    def build_request(self) -> InjectionRequest | None: ...

    def emit_injection(
        self,
        request: InjectionRequest,
        reason: str | None,
        position: tuple[Decimal, Decimal] | None,
    ) -> None: ...

    def select_site(self, number: int) -> None: ...

    def show_error(self, text: str, *, focus_syringe: bool = False) -> None: ...

    def show_info(self, text: str, kind: str = "info") -> None: ...


class EntrySideFlows(QObject):
    """Skip, relocation, undo, correction, go-to-site and quick flags of the entry panel."""

    skip_requested = Signal(int, object, str)
    """A site is to be skipped: site number, `SkipReason`, detail text."""

    relocation_started = Signal(int)
    """The user wants to record the actual position of this site (start picking)."""

    relocation_cancelled = Signal()
    """Picking a position was abandoned."""

    undo_requested = Signal(str)
    """Undo the last entry, with this reason."""

    correction_requested = Signal(int, object, str)
    """Correct a saved injection: entry id, {field: value}, reason."""

    skip_correction_requested = Signal(int, object, str)
    """Correct a saved skip: entry id, {field: value} (reason, explanation, time), reason."""

    findings_withdrawal_requested = Signal(object, str)
    """Withdraw findings recorded by mistake: their ids (a tuple), reason."""

    flag_requested = Signal(int, str, str)
    """A quick flag was tapped: site number, flag, note."""

    late_flag_requested = Signal(int, str, str, object)
    """During an amendment, a finding added late: site number, flag, note, when it was seen."""

    adverse_event_requested = Signal(int)
    """Open an adverse event for this site (the form lives elsewhere)."""

    def __init__(self, widget: QWidget, port: EntryPort) -> None:
        """`widget`: the panel as the dialogs' parent; `port`: the panel as the flows use it."""
        super().__init__(widget)
        self._widget = widget
        self._port = port
        self.pending_relocation: InjectionRequest | None = None

    def ask_reason(
        self,
        title: str,
        message: str,
        presets: tuple[str, ...],
        done: Callable[[str], None],
        ok_text: str = "",
    ) -> ReasonDialog:
        dialog = ReasonDialog(title, message, presets, ok_text=ok_text, parent=self._widget)
        self._open_dialog(dialog, lambda: done(dialog.reason()))
        return dialog

    def _open_dialog(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        port = self._port
        port.active_dialog = dialog

        def finished(result: int) -> None:
            port.active_dialog = None
            dialog.deleteLater()
            if result == int(dialog.DialogCode.Accepted):
                on_accept()
            port.syringe.setFocus(Qt.FocusReason.OtherFocusReason)

        dialog.finished.connect(finished)
        dialog.open()

    def skip(self) -> None:
        chosen = self._port.selection()
        site = chosen.site()
        if site is None or not chosen.recording_open() or site.entry is not None:
            return
        dialog = SkipDialog(site, parent=self._widget)

        def accepted() -> None:
            reason = dialog.reason() or SkipReason.OTHER
            self.skip_requested.emit(site.number, reason, dialog.detail_text())

        self._open_dialog(dialog, accepted)

    def relocate(self) -> None:
        if not self._port.selection().recording_open():
            return
        request = self._port.build_request()
        if request is None:
            return
        self.pending_relocation = request
        self.relocation_started.emit(request.site_no)
        self._port.show_info(
            self.tr(
                "Tap the actual position of site %1 on the diagram "
                "(or use the arrow keys and Enter). Esc cancels."
            ).replace("%1", str(request.site_no)),
            "warning",
        )

    def relocation_picked(self, view_name: str, x: Decimal, y: Decimal) -> None:
        """The diagram gave the actual position of the site being relocated."""
        request = self.pending_relocation
        chosen = self._port.selection()
        site = chosen.site()
        if request is None or site is None:
            return
        if view_name != site.view:
            self.pending_relocation = None
            self.relocation_cancelled.emit()
            self._port.show_error(
                self.tr("Site %1 is on the %2 view: relocate it there (Ctrl+R again).")
                .replace("%1", str(site.number))
                .replace("%2", site.view)
            )
            return
        self.pending_relocation = None
        self._port.banner.clear_message()
        assert chosen.protocol is not None
        problems = range_problems(
            chosen.protocol, Depth.from_mm(request.depth_mm), Volume.from_ml(request.volume_ml)
        )
        extra = (" " + "; ".join(problems) + ".") if problems else ""
        self.ask_reason(
            self.tr("Site %1 relocated").replace("%1", str(site.number)),
            self.tr("Why was site %1 injected at another position?%2")
            .replace("%1", str(site.number))
            .replace("%2", extra),
            DEVIATION_PRESETS,
            lambda reason: self._port.emit_injection(request, reason, (x, y)),
            self.tr("Confirm site %1 here").replace("%1", str(site.number)),
        )

    def cancel_relocation(self) -> None:
        if self.pending_relocation is not None:
            self.pending_relocation = None
            self._port.banner.clear_message()
            self.relocation_cancelled.emit()

    def undo(self) -> None:
        chosen = self._port.selection()
        if not chosen.recording_open() or chosen.view is None:
            return
        live = [e for e in chosen.view.entries if not e.voided]
        if not live:
            self._port.show_error(self.tr("There is nothing to undo."))
            return
        last = live[-1]
        what = (
            self.tr("injection at site %1 with %2")
            .replace("%1", str(last.site_no))
            .replace("%2", last.syringe_label or "")
            if last.kind is EntryKind.INJECTED
            else self.tr("skip of site %1").replace("%1", str(last.site_no))
        )
        self.ask_reason(
            self.tr("Undo last entry"),
            self.tr("Undo the %1 (%2)? It stays in the audit trail as undone, with your reason.")
            .replace("%1", what)
            .replace("%2", local_hm(last.performed_at, self._port.clock.zone)),
            UNDO_PRESETS,
            self.undo_requested.emit,
        )

    def correct(self) -> None:
        chosen = self._port.selection()
        site = chosen.site()
        zone = self._port.clock.zone
        if site is None or site.entry is None or chosen.view is None:
            self._port.show_error(self.tr("Choose a recorded site to correct it."))
            return
        entry = site.entry
        if entry.kind is EntryKind.SKIPPED:
            skip = SkipCorrectionDialog(site, entry, zone, parent=self._widget)

            def skip_accepted() -> None:
                changes = skip.changes()
                if not changes:
                    self._port.show_error(self.tr("Nothing was changed."))
                    return
                reason = skip.change_reason.text().strip()
                self.skip_correction_requested.emit(entry.id, changes, reason)

            self._open_dialog(skip, skip_accepted)
            return
        # Findings are withdrawn while the record is open for them (in progress, amended).
        findings = (
            tuple(f for f in chosen.flags if f.site_no == site.number)
            if chosen.recording_open() or chosen.amending()
            else ()
        )
        dialog = CorrectionDialog(site, entry, zone, parent=self._widget, findings=findings)

        def accepted() -> None:
            changes, withdrawn = dialog.changes(), dialog.withdrawn()
            reason = dialog.reason.text().strip()
            if not changes and not withdrawn:
                self._port.show_error(self.tr("Nothing was changed."))
                return
            if changes:
                self.correction_requested.emit(entry.id, changes, reason)
            if withdrawn:
                self.findings_withdrawal_requested.emit(withdrawn, reason)

        self._open_dialog(dialog, accepted)

    def focus_goto(self) -> None:
        self._port.goto.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._port.goto.selectAll()

    def goto_typed(self) -> None:
        text = self._port.goto.text().strip()
        self._port.goto.clear()
        if not text.isdigit():
            self._port.show_error(self.tr("Type a site number, for example 12."))
            return
        self._port.select_site(int(text))

    def back_to_next(self) -> None:
        self.cancel_relocation()
        view = self._port.selection().view
        if view is not None and view.next_site_no is not None:
            self._port.select_site(view.next_site_no)

    def flag(self, flag: str) -> None:
        chosen = self._port.selection()
        target = chosen.flag_target()
        if target is not None and chosen.amending():
            self._ask_late_finding(chosen, target, flag)
            return
        if target is None or not chosen.recording_open():
            self._port.show_error(self.tr("Record a site first; a flag belongs to a site."))
            return
        if flag == "other":
            self.ask_reason(
                self.tr("Flag site %1").replace("%1", str(target)),
                self.tr("Describe the finding at site %1.").replace("%1", str(target)),
                (),
                lambda note: self.flag_requested.emit(target, flag, note),
            )
            return
        self.flag_requested.emit(target, flag, "")

    def _ask_late_finding(self, chosen: EntrySelection, site_no: int, flag: str) -> None:
        assert chosen.view is not None
        entry = next(
            e
            for e in chosen.view.entries
            if e.site_no == site_no and not e.voided and e.kind is EntryKind.INJECTED
        )
        zone = self._port.clock.zone
        dialog = LateFindingDialog(entry, flag, zone, parent=self._widget)

        def accepted() -> None:
            self.late_flag_requested.emit(site_no, flag, dialog.note(), dialog.observed_at())

        self._open_dialog(dialog, accepted)

    def adverse_event(self) -> None:
        target = self._port.selection().flag_target()
        if target is not None:
            self.adverse_event_requested.emit(target)
