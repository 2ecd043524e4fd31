"""What the site's history shows above its audit entries: the site's facts as recorded now.

The sedation state at the site's injection (the latest score before it and its age, STALE in
words when older than the protocol's interval, the analgesic and sedative given so far) and
the findings and adverse events linked to the site — the same derivation and wording as the
entry panel and the report (`record_sedation.site_sedation_state`, `site_sedation_text`).
It follows the one notification, so an adverse event saved while it is open appears.
Imports Qt, the door and `slidesk.services` only.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from slidesk.domain.users import Actor
from slidesk.services.record import sedation as record_sedation
from slidesk.services.record.sedation import SiteSedationState
from ui.auth.common import MessageStrip
from ui.common.follow import Follower
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.workspace import site_sedation_text as text

_STALE = "background:#FFF1D6; border:1px solid #D55E00; border-radius:4px; padding:2px 4px;"


class SiteFactsBox(QFrame):
    """One site's sedation state at its injection, its findings and its adverse events."""

    def __init__(
        self,
        context: AppContext,
        actor: Actor,
        procedure_id: int,
        site_no: int,
        site_label: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SiteFacts")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#SiteFacts { background:#F4F6F8; border:1px solid #9CB8D3; border-radius:6px; }"
        )
        self._context = context
        self._actor = actor
        self.procedure_id = procedure_id
        self.site_no = site_no
        self.state: SiteSedationState | None = None
        self.title = QLabel(
            self.tr("Site %1 (%2): sedation at the injection and what was found there")
            .replace("%1", str(site_no))
            .replace("%2", site_label)
        )
        self.title.setStyleSheet("font-weight:700;")
        self.sedation = QLabel()
        self.findings = QLabel()
        self.adverse_events = QLabel()
        for label in (self.sedation, self.findings, self.adverse_events):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = MessageStrip()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(3)
        for widget in (self.title, self.message, self.sedation, self.findings, self.adverse_events):
            layout.addWidget(widget)
        self._follower = Follower(
            self,
            context.changes,
            (Topic.PROCEDURE, Topic.SEDATION, Topic.ADVERSE_EVENTS),
            self.reload,
            procedure_id=self._procedure,
        )
        self.reload()

    def _procedure(self) -> int | None:
        return self.procedure_id

    def reload(self) -> None:
        """Read the site's facts again (through the door) and show them."""
        self.message.clear_message()
        found = operations.read(
            self._context,
            record_sedation.site_sedation_state,
            actor=self._actor,
            show_error=self.message.show_message,
            what=self.tr("The sedation state and findings of site %1").replace(
                "%1", str(self.site_no)
            ),
            procedure_id=self.procedure_id,
            clock=self._context.clock,
        )
        self.state = found
        self._show()

    def _show(self) -> None:
        labels = (self.sedation, self.findings, self.adverse_events)
        site = self.state.site(self.site_no) if self.state is not None else None
        if self.state is None:
            for label in labels:
                label.hide()
            return
        for label in labels:
            label.show()
        if site is None:
            self.sedation.setStyleSheet("")
            self.sedation.setText(
                self.tr(
                    "No injection is on record at site %1 (skipped, or struck out): there is "
                    "no sedation state at an injection."
                ).replace("%1", str(self.site_no))
            )
            self.findings.hide()
            self.adverse_events.hide()
            return
        zone = self._context.clock.zone
        line = text.at_injection(site, zone)
        self.sedation.setText(line.html)
        # STALE is in the words; the colour only repeats it.
        self.sedation.setStyleSheet(_STALE if line.stale else "")
        self.findings.setText(
            f"<b>{escape(self.tr('Findings'))}</b>: "
            + ("; ".join(text.finding(f, zone) for f in site.findings) or self.tr("none"))
        )
        self.adverse_events.setText(
            f"<b>{escape(self.tr('Adverse events'))}</b>: "
            + ("; ".join(text.adverse_event(a) for a in site.adverse_events) or self.tr("none"))
        )
