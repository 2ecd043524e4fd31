"""The entry panel: the selected site, its values, and the one-key confirm that advances.

The next site in protocol order is pre-selected; depth and volume default to the protocol
target (or the last in-range value used) and the syringe field suggests the next unused syringe,
so the common case is one key (Enter, Space or the big button). The panel never marks a site
done itself: it emits a request, and shows the result only when the service has returned.

The panel is composed of parts that do not import it: its widgets (`entry.layout`, the base
class), its keyboard actions (`entry.actions`), the secondary flows (`entry.side`, through the
`EntryPort` it implements) and the texts (`entry.presenter`, applied by `entry.text`).
"""

from __future__ import annotations

import time
from decimal import Decimal
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QDialog, QWidget

from slidesk.clock import Clock
from slidesk.domain.procedure.injection import range_problems
from slidesk.domain.procedure.model import EntryKind
from slidesk.domain.procedure.syringe import normalise_syringe
from slidesk.domain.users import Actor
from slidesk.domain.values import Depth, Volume
from slidesk.protocol.model import Protocol
from slidesk.services.dto import ProcedureView, SiteView
from slidesk.services.procedure.dto_workspace import SiteFlagView
from ui.common.timefmt import local_hm
from ui.door import operations
from ui.workspace.entry.layout import EntryForm
from ui.workspace.entry.presenter import EntrySelection, field_number, vitals_notice
from ui.workspace.entry.request import DEVIATION_PRESETS, InjectionRequest
from ui.workspace.entry.side import EntrySideFlows
from ui.workspace.entry.text import describe, describe_syringe


class EntryPanel(EntryForm):
    injection_requested = Signal(object)
    """Confirm was given for a site with valid values (an `InjectionRequest`)."""

    site_selected = Signal(int)
    """The panel now shows this site."""

    review_requested = Signal()
    """Every site is injected or skipped and the big button (or Enter) asks for the review."""

    # Ignore a second confirm this soon after a recorded one: a bounced or doubled key press
    # must not record the next site with the suggested syringe.
    repeat_guard_s = 0.6

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(clock, parent)
        self.setObjectName("EntryPanel")
        self.view: ProcedureView | None = None
        self.protocol: Protocol | None = None
        self.selected: int | None = None
        self.flags: tuple[SiteFlagView, ...] = ()
        self.disposed: frozenset[str] = frozenset()
        self.actor: Actor | None = None
        self.active_dialog: QDialog | None = None
        self._last_confirm = 0.0
        self._last_values: tuple[str, str] | None = None
        self._vitals_charted = True
        self.flows = EntrySideFlows(self, self)
        self._connect_signals()
        self._refresh()

    def _connect_signals(self) -> None:
        a, flows = self.actions, self.flows
        self.confirm_button.clicked.connect(self._on_confirm_triggered)
        a.confirm.triggered.connect(self._on_confirm_triggered)
        a.skip.triggered.connect(flows.skip)
        a.relocate.triggered.connect(flows.relocate)
        a.undo.triggered.connect(flows.undo)
        a.correct.triggered.connect(flows.correct)
        a.goto.triggered.connect(flows.focus_goto)
        a.back_to_next.triggered.connect(flows.back_to_next)
        a.adverse_event.triggered.connect(flows.adverse_event)
        a.flag_triggered.connect(flows.flag)
        for field in (self.depth, self.volume, self.syringe):
            field.returnPressed.connect(self._on_confirm_triggered)
            field.textEdited.connect(self._on_field_text_edited)
        self.syringe.textChanged.connect(self._on_syringe_text_changed)
        self.goto.returnPressed.connect(flows.goto_typed)

    def selection(self) -> EntrySelection:
        """What the panel shows, for the presenter and the side flows."""
        typed, label = self.syringe.text(), None
        refusal: list[str] = []
        if self.view is not None and self.protocol is not None and typed.strip():
            label = operations.check(
                partial(normalise_syringe, self.protocol, self.view.kit_number, typed.strip()),
                show_error=refusal.append,
            )
        return EntrySelection(
            view=self.view,
            protocol=self.protocol,
            selected=self.selected,
            actor=self.actor,
            zone=self.clock.zone,
            flags=self.flags,
            disposed=self.disposed,
            syringe_text=typed,
            syringe_label=label,
            syringe_refusal=refusal[0] if refusal else "",
            flag_count=len(self.actions.flag_actions),
        )

    def flag_target(self) -> int | None:
        """The site a quick flag applies to (see `EntrySelection.flag_target`)."""
        return self.selection().flag_target()

    # --- state from outside --------------------------------------------------------------------

    def set_procedure(
        self,
        view: ProcedureView,
        protocol: Protocol,
        *,
        flags: tuple[SiteFlagView, ...] = (),
        disposed: frozenset[str] = frozenset(),
    ) -> None:
        """A procedure was opened: show its next site."""
        self.protocol = protocol
        self.flags = flags
        self.disposed = disposed
        self._last_values = None
        self.flows.pending_relocation = None
        self.actions.set_flags(protocol.site_flags)
        self.rebuild_flag_buttons()
        self.view = view
        self.selected = None
        self.banner.clear_message()
        self.last_action.setText(" ")
        self._select(view.next_site_no or view.sites[0].number)

    def update_view(self, view: ProcedureView, message: str = "") -> None:
        """A service returned a new state: advance if the shown site is now finished."""
        self.view = view
        site = self._site()
        if site is None or site.entry is not None or message:
            nxt = view.next_site_no
            self._select(nxt if nxt is not None else (self.selected or view.sites[0].number))
        else:
            self._refresh()
        if message:
            self.banner.clear_message()
            self.last_action.setText("✓ " + message)
        if not self._vitals_charted:
            self._show_vitals_notice()

    def set_flags(self, flags: tuple[SiteFlagView, ...], disposed: frozenset[str]) -> None:
        self.flags = flags
        self.disposed = disposed
        self._refresh()

    def set_vitals_charted(self, charted: bool) -> None:
        """Remind whoever records that baseline vital signs come before the first injection:
        the nurse's warning sits in a tab the operator does not see."""
        self._vitals_charted = charted
        self._show_vitals_notice()

    def _show_vitals_notice(self) -> None:
        notice = vitals_notice(self.view, self._vitals_charted, self.tr)
        if notice is not None:
            self.vitals_notice.setText(notice)
        self.vitals_notice.setVisible(notice is not None)

    def set_actor(self, actor: Actor | None) -> None:
        before = self.actor
        self.actor = actor
        if (before and before.user_id) != (actor and actor.user_id):
            self._clear_error()  # a refusal was about the one who typed before
        self._refresh()

    def _on_field_text_edited(self, _text: str) -> None:
        self._clear_error()  # the message was about what is being retyped

    def _clear_error(self) -> None:
        if self.banner.kind in ("error", "warning"):
            self.banner.clear_message()

    def select_site(self, number: int) -> None:
        if self.view is None:
            return
        if not any(s.number == number for s in self.view.sites):
            self.show_error(
                self.tr("There is no site %1 (sites %2–%3).")
                .replace("%1", str(number))
                .replace("%2", str(min(s.number for s in self.view.sites)))
                .replace("%3", str(max(s.number for s in self.view.sites)))
            )
            return
        self.banner.clear_message()
        self._select(number)

    def show_error(self, text: str, *, focus_syringe: bool = False) -> None:
        self.banner.show_message(text, "error")
        if focus_syringe:
            self.focus_syringe()

    def focus_syringe(self) -> None:
        """The syringe field takes the keyboard, its text selected (to scan again)."""
        self.syringe.setFocus(Qt.FocusReason.OtherFocusReason)
        self.syringe.selectAll()

    def show_info(self, text: str, kind: str = "info") -> None:
        self.banner.show_message(text, kind)

    # --- internals -------------------------------------------------------------------------------

    def _site(self) -> SiteView | None:
        return self.selection().site()

    def _select(self, number: int) -> None:
        changed = number != self.selected
        self.selected = number
        site = self._site()
        if changed and site is not None and site.entry is None:
            self._fill_defaults()
        self._refresh()
        if changed:
            self.site_selected.emit(number)
        self.syringe.setFocus(Qt.FocusReason.OtherFocusReason)
        self.syringe.selectAll()

    def _fill_defaults(self) -> None:
        assert self.protocol is not None
        spec = self.protocol.injection
        depth, volume = field_number(spec.depth_default_mm), field_number(spec.volume_ml)
        if self._last_values is not None:
            depth, volume = self._last_values
        self.depth.setText(depth)
        self.volume.setText(volume)
        self.syringe.setText(self.selection().suggested_syringe())

    def _refresh(self) -> None:
        describe(self, self.selection())
        if not self.isVisible():  # shortcuts act only while the workspace is on screen
            self.actions.set_enabled(False)

    def refresh(self) -> None:
        self._refresh()

    # --- actions ---------------------------------------------------------------------------------

    def _on_confirm_triggered(self) -> None:
        chosen = self.selection()
        if not chosen.recording_open() or self.active_dialog is not None:
            return
        if time.monotonic() - self._last_confirm < self.repeat_guard_s:
            return
        if chosen.all_sites_finished():
            self.review_requested.emit()
            return
        request = self.build_request()
        if request is None:
            return
        assert self.protocol is not None
        problems = range_problems(
            self.protocol, Depth.from_mm(request.depth_mm), Volume.from_ml(request.volume_ml)
        )
        if problems:
            text = self.tr("Out of the protocol range: %1. Give the deviation reason.").replace(
                "%1", "; ".join(problems)
            )
            self.flows.ask_reason(
                self.tr("Deviation at site %1").replace("%1", str(request.site_no)),
                text,
                DEVIATION_PRESETS,
                lambda reason: self.emit_injection(request, reason, None),
                self.tr("Confirm site %1 with this reason").replace("%1", str(request.site_no)),
            )
            return
        self.emit_injection(request, None, None)

    def emit_injection(
        self,
        request: InjectionRequest,
        reason: str | None,
        position: tuple[Decimal, Decimal] | None,
    ) -> None:
        final = InjectionRequest(
            request.site_no,
            request.depth_mm,
            request.volume_ml,
            request.syringe,
            reason,
            position,
        )
        self.injection_requested.emit(final)

    def mark_recorded(self, request: InjectionRequest) -> None:
        """The service saved `request`: remember its values for the next site (if in range)."""
        self._last_confirm = time.monotonic()
        assert self.protocol is not None
        in_range = not range_problems(
            self.protocol, Depth.from_mm(request.depth_mm), Volume.from_ml(request.volume_ml)
        )
        if in_range:
            self._last_values = (field_number(request.depth_mm), field_number(request.volume_ml))
        else:
            self._last_values = None

    def build_request(self) -> InjectionRequest | None:
        site = self._site()
        if site is None or self.view is None or self.protocol is None:
            return None
        if site.entry is not None:
            entry = site.entry
            what = self.tr("skipped") if entry.kind is EntryKind.SKIPPED else self.tr("done")
            self.show_error(
                self.tr("Site %1 is already %2 (%3, by %4). Choose another site, or correct it.")
                .replace("%1", str(site.number))
                .replace("%2", what)
                .replace("%3", local_hm(entry.performed_at, self.clock.zone))
                .replace("%4", entry.recorder.full_name)
            )
            return None
        depth = operations.check(
            partial(Depth.from_mm, self.depth.text()), show_error=self.show_error
        )
        if depth is None:
            self.depth.setFocus()
            return None
        volume = operations.check(
            partial(Volume.from_ml, self.volume.text()), show_error=self.show_error
        )
        if volume is None:
            self.volume.setFocus()
            return None
        label = operations.check(
            partial(normalise_syringe, self.protocol, self.view.kit_number, self.syringe.text()),
            show_error=self.show_error,
        )
        if label is None:
            self.focus_syringe()
            return None
        used = self.selection().used_labels()
        if label in used:
            self.show_error(
                self.tr("Syringe %1 was already used at site %2. Each syringe is used once.")
                .replace("%1", label)
                .replace("%2", str(used[label])),
                focus_syringe=True,
            )
            return None
        if label in self.disposed:
            self.show_error(
                self.tr("Syringe %1 is recorded as returned or wasted. Do not inject it.").replace(
                    "%1", label
                ),
                focus_syringe=True,
            )
            return None
        return InjectionRequest(site.number, depth.mm, volume.ml, label)

    def _on_syringe_text_changed(self, _text: str) -> None:
        describe_syringe(self, self.selection())

    # --- visibility and keyboard ----------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refresh()  # its shortcuts come back with it (it may have been a hidden tab)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.actions.set_enabled(False)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj in (self.depth, self.volume, self.syringe):
            if event.type() == QEvent.Type.ShortcutOverride:
                assert isinstance(event, QKeyEvent)
                # Let our own shortcuts (Ctrl+Z undo-last, Ctrl+K skip …) win over the
                # line edit's built-in editing keys.
                if self.actions.owns(QKeySequence(event.keyCombination())):
                    event.ignore()
                    return True
            if event.type() == QEvent.Type.KeyPress:
                assert isinstance(event, QKeyEvent)
                if event.key() == Qt.Key.Key_Space and not event.modifiers():
                    self._on_confirm_triggered()
                    return True
        return super().eventFilter(obj, event)
