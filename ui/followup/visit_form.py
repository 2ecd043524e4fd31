"""The visit form: one time point's record in sections, with missing-data codes, live derived
values (ABI, TBI, RAND-36), what still blocks signing, and Save / Sign.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from slidesk.clock import local
from slidesk.domain.errors import DomainError, ReasonRequired
from slidesk.domain.followup.model import BASELINE_MONTH, VisitEntry, VisitStatus
from slidesk.domain.followup.vascular import RatioStatus, abi_band
from slidesk.domain.users import Permission, Role
from slidesk.services.accounts import service as accounts
from slidesk.services.followup import service as followup
from slidesk.services.followup.dto import EntryPreview, SubjectOutcomes, VisitView
from ui.common.timefmt import local_with_offset
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.followup.common import (
    MessageLine,
    ReasonDialog,
    SignDialog,
    day_text,
    shortcut_text,
)
from ui.followup.form_questionnaires import Eq5dSection, Rand36Section
from ui.followup.form_sections import (
    ClinicalSection,
    PressureSection,
    Section,
    SurvivalSection,
    VisitSection,
)
from ui.session import BedsideSession


def _not_yet(_text: str) -> None:
    """A form still being typed is not complete yet: that is no news to the person typing."""


class VisitFormDialog(QDialog):
    visit_saved = Signal(object)
    """The visit was saved or signed (the fresh `VisitView`)."""

    def __init__(
        self,
        context: AppContext,
        session: BedsideSession,
        parent: QWidget | None,
        outcomes: SubjectOutcomes,
        month: int,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._session = session
        self.outcomes = outcomes
        self.month = month
        point = outcomes.time_point(month)
        self.view: VisitView | None = point.visit
        self.window_info = point.window
        self.setWindowTitle(
            self.tr("{sid} — {tp} visit").format(sid=outcomes.subject.study_id, tp=point.label)
        )
        baseline = month == BASELINE_MONTH
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.message = MessageLine()
        self.visit = VisitSection(self._assessors(), point.window)
        self.survival = SurvivalSection(baseline, local(context.clock.now(), context.clock).date())
        self.clinical = ClinicalSection()
        self.pressures = PressureSection()
        self.eq5d = Eq5dSection()
        self.rand36 = Rand36Section()
        self.sections: list[Section] = [
            self.visit,
            self.survival,
            self.clinical,
            self.pressures,
            self.eq5d,
            self.rand36,
        ]
        self.sections_body = body = QWidget()
        body_layout = QVBoxLayout(body)
        for section in self.sections:
            section.align_labels(210)
            body_layout.addWidget(section)
        body_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(body)
        self.scroll_area.setWidgetResizable(True)
        self.blanks = QLabel()
        self.blanks.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.save_button = QPushButton(self.tr("&Save  ({k})").format(k=shortcut_text("Ctrl+S")))
        self.sign_button = QPushButton(
            self.tr("Save and si&gn…  ({k})").format(k=shortcut_text("Ctrl+Shift+S"))
        )
        self.close_button = QPushButton(self.tr("Close  (Esc)"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.blanks, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.warnings)
        layout.addLayout(buttons)
        self._save_shortcut = QShortcut(QKeySequence("Ctrl+S"), self)
        self._sign_shortcut = QShortcut(QKeySequence("Ctrl+Shift+S"), self)
        self.resize(1180, 700)
        self._loading = False
        self._connect_signals()
        self.load(self.view)

    def _connect_signals(self) -> None:
        for section in self.sections:
            section.changed.connect(self._on_section_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self._save_shortcut.activated.connect(self._on_save_button_clicked)
        self._sign_shortcut.activated.connect(self._on_sign_button_clicked)

    def _assessors(self) -> tuple[Any, ...]:
        uow = self._context.uow
        found = operations.attempt(
            self._context,
            lambda: [
                *accounts.active_users_with_role(uow=uow, role=Role.OPERATOR),
                *accounts.active_users_with_role(uow=uow, role=Role.NURSE),
            ],
            show_error=self.message.error,
            what=self.tr("The list of assessors"),
            reading=True,
        )
        seen: dict[int, Any] = {}
        for user in found or ():
            seen.setdefault(user.id, user)
        return tuple(seen.values())

    # --- loading -------------------------------------------------------------------------------

    def load(self, view: VisitView | None) -> None:
        self._loading = True
        actor = self._session.active
        entry = (
            view.entry
            if view is not None
            else VisitEntry(
                visit_date=self.outcomes.today,
                assessor_id=actor.user_id if actor else None,
                abi_method=self.outcomes.abi_method,
            )
        )
        self.visit.load(entry)
        others = ""
        if view is not None and view.other_amputations:
            others = "Recorded at other visits: " + ", ".join(
                f"{a.level.label} {day_text(a.on)} ({'major' if a.is_major else 'minor'})"
                for a in view.other_amputations
            )
        self.survival.load(entry, others)
        self.clinical.load(entry)
        self.pressures.load(entry)
        self.eq5d.load(entry, self.outcomes.eq5d_version)
        self.rand36.load(entry, self.outcomes.rand36_version)
        self._loading = False
        self._show_heading(view)
        read_only = not self._can_write() or (view is not None and not view.editable)
        for section in self.sections:
            section.set_read_only(read_only)
        # Locked values stay readable: dark text on the disabled inputs.
        self.sections_body.setStyleSheet(
            "QWidget:disabled { color: #374151; }" if read_only else ""
        )
        self.save_button.setEnabled(not read_only)
        self.sign_button.setEnabled(not read_only)
        if view is not None and view.status is VisitStatus.SIGNED:
            self.message.info(
                self.tr(
                    "Signed and locked. To change it, use 'Amend signed visit' (with a reason)."
                )
            )
        elif not self._can_write():
            self.message.info(self.tr("Read only: your role may not enter follow-up visits."))
        self._update_preview()

    def _can_write(self) -> bool:
        actor = self._session.active
        return actor is not None and actor.can(Permission.RECORD_FOLLOW_UP)

    def _show_heading(self, view: VisitView | None) -> None:
        label = self.outcomes.time_point(self.month).label
        parts = [
            f"<span style='font-size:16px'><b>{self.outcomes.subject.study_id}</b> · "
            f"{label} visit</span>"
        ]
        window = self.window_info
        if window is not None:
            parts.append(
                f"target {day_text(window.target)}, window {day_text(window.opens)} – "
                f"{day_text(window.closes)}"
            )
        elif self.month == BASELINE_MONTH:
            parts.append(f"before the procedure ({day_text(self.outcomes.procedure_date)})")
        if view is None:
            parts.append("new record")
        else:
            status = view.status.label
            if view.signed_by is not None and view.status is VisitStatus.SIGNED:
                when = local_with_offset(view.signed_at, self._context.clock.zone)
                status += f" by {view.signed_by.full_name}, {when}"
            parts.append(status)
        self.heading.setText(" &nbsp;·&nbsp; ".join(parts))

    # --- the entry -----------------------------------------------------------------------------

    def collect(self) -> VisitEntry:
        """The entry as typed (raises FormError naming what to fix)."""
        values: dict[str, Any] = {}
        missing = {}
        for section in self.sections:
            values.update(section.values())  # type: ignore[attr-defined]
            missing.update(section.missing())
        entry = VisitEntry(**values, missing=missing)
        return replace(entry, abi_method=self.outcomes.abi_method)

    def _on_section_changed(self) -> None:
        if not self._loading:
            self._update_preview()

    def _update_preview(self) -> None:
        # While the form is being typed it need not be complete: no message, no preview yet.
        entry = operations.check(self.collect, show_error=_not_yet)
        if entry is None:
            return
        preview = followup.preview_entry(
            entry, month=self.month, fontaine_cutoff_m=self.outcomes.fontaine_cutoff_m
        )
        self._show_preview(preview)

    def _show_preview(self, preview: EntryPreview) -> None:
        abi, tbi = preview.abi, preview.tbi
        abi_text = str(abi)
        if abi.value is not None:
            abi_text += f" — {abi_band(abi.value)}"
        elif abi.status is not RatioStatus.COMPUTED and abi.note:
            abi_text += f" ({abi.note})"
        note = f"; {abi.note}" if abi.value is not None and abi.note else ""
        self.pressures.result.setText(
            f"<b>ABI {abi_text}</b>{note}<br><b>TBI {tbi}</b>"
            f"{' (' + tbi.note + ')' if tbi.note else ''}<br>"
            f"<span style='color:#6b7280'>Method: {self.outcomes.abi_method.label}; "
            "rounded half up to 2 decimals.</span>"
        )
        self.rand36.show_scores(preview.rand36_scores)
        if preview.blanks:
            self.blanks.setText(
                "<span style='color:#7a4b00'>Blank without a reason (blocks signing): "
                + ", ".join(preview.blanks)
                + "</span>"
            )
        else:
            self.blanks.setText("<span style='color:#1d6b3a'>Every item answered or coded.</span>")
        self.warnings.setVisible(bool(preview.warnings))
        self.warnings.setText(
            "<span style='color:#7a4b00'>Check: " + " ".join(preview.warnings) + "</span>"
        )

    # --- actions -------------------------------------------------------------------------------

    def ask_reason(self, prompt: str) -> str | None:
        dialog = ReasonDialog(self.tr("Reason for the change"), prompt, self)
        return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def save(self) -> VisitView | None:
        actor = self._session.active
        if actor is None:
            self.message.error(self.tr("Nobody is signed in."))
            return None
        entry = operations.check(self.collect, show_error=self.message.error)
        if entry is None:
            return None
        reason: str | None = None
        asked: list[str] = []  # a change to a saved visit needs a reason: asked once
        asking = [True]  # False once a write waits for another program's lock

        def refused(refusal: DomainError) -> None:
            if isinstance(refusal, ReasonRequired) and reason is None and asking[0]:
                asked.append(refusal.message)
            else:
                self.message.error(refusal.message)

        while True:
            view = operations.write(
                self._context,
                followup.save_visit,
                actor=actor,
                show_error=self.message.error,
                refused=refused,
                what=self.tr("The visit"),
                changes=(Topic.FOLLOW_UP,),
                subject_id=self.outcomes.subject.id,
                month=self.month,
                entry=entry,
                reason=reason,
                later=self._saved,
                owner=self,
            )
            if view is not None:
                break
            if not asked:
                asking[0] = False  # a refusal after a wait for the lock is said, not asked
                return None
            reason = self.ask_reason(asked.pop())
            if reason is None:
                self.message.warning(self.tr("Not saved: a reason is needed for the change."))
                return None
        self._saved(view)
        return view

    def _saved(self, view: VisitView) -> None:
        """The visit went through (at once, or once another program let go)."""
        self.view = view
        self.load(view)
        self.message.success(
            self.tr("Saved {when}.").format(
                when=local_with_offset(view.updated_at, self._context.clock.zone)
            )
        )
        self.visit_saved.emit(view)

    def sign(self, password: str | None = None) -> VisitView | None:
        view = self.save()
        actor = self._session.active
        if view is None or actor is None:
            return None
        if view.blanks:
            self.message.error(
                self.tr(
                    "Cannot sign yet: give a value or a missing-data reason for {items}."
                ).format(items=", ".join(view.blanks))
            )
            return None
        if password is None:
            dialog = SignDialog(
                actor.full_name,
                self.windowTitle(),
                followup.SIGNATURE_MEANING,
                self,
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            password = dialog.secret()
        signed = operations.write(
            self._context,
            followup.sign_visit,
            actor=actor,
            show_error=self.message.error,
            what=self.tr("The signature of the visit"),
            changes=(Topic.FOLLOW_UP,),
            short_lock=True,  # it checks the password again: said at once, not retried
            visit_id=view.id,
            password=password,
        )
        if signed is None:
            return None
        self.view = signed
        self.load(signed)
        self.message.success(self.tr("Signed and locked."))
        self.visit_saved.emit(signed)
        return signed

    def _on_save_button_clicked(self) -> None:
        if self.save_button.isEnabled():
            self.save()

    def _on_sign_button_clicked(self) -> None:
        if self.sign_button.isEnabled():
            self.sign()
