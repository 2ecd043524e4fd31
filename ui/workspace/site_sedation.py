"""The entry panel's sedation line: the state at the shown site's injection, or now.

For an injected site: the latest sedation score before the injection and its age, the
analgesic and sedative given so far, and the adverse events linked to the site (its findings
are listed under the flag buttons). For the next site, while recording: the state now, with
"STALE — a new score is due" in words when the score is older than the protocol's interval,
so the operator sees it before pressing Confirm.

Kept off the confirm path (`record_injection` reads nothing back): an injection only marks
the sites' states out of date, and the next site shown after it needs none of them. A read
(`record_sedation.site_sedation_state`, through the door) is left to the event loop, never
made inside a key press: when an injected site is shown after site entries changed, and after
the nurse's entries and adverse events, which reach the line through the one notification.
The score's age is worded again by a timer, without a read. Imports Qt, the door and
`slidesk.services` only.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from slidesk.clock import Clock
from slidesk.domain.procedure.model import EntryKind, ProcedureStatus
from slidesk.services.dto import ProcedureView, SiteView
from slidesk.services.record import sedation as record_sedation
from slidesk.services.record.sedation import SiteSedationState
from ui.common.follow import Follower
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Changed, Topic
from ui.session import BedsideSession
from ui.workspace import site_sedation_text as text

_STYLES = {
    "ok": "background:#EEF4FA; color:#1A1A1A; border:1px solid #9CB8D3;",
    "stale": "background:#FFF1D6; color:#1A1A1A; border:2px solid #D55E00;",
    "error": "background:#FFFFFF; color:#7A2E00; border:2px solid #D55E00;",
}
_SHAPE = " border-radius:6px; padding:3px 6px;"


class SiteSedationLine(QLabel):
    """Shows one site's sedation state; `attach` connects it to the record."""

    # How often the age of the latest score is worded again (no read): it may turn STALE.
    tick_ms = 15_000

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SiteSedation")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName(self.tr("Sedation state at this site"))
        self.clock = clock  # times in the site's zone
        self.state: SiteSedationState | None = None
        self.stale = False  # the line warns: the score is missing or too old
        self._context: AppContext | None = None
        self._session: BedsideSession | None = None
        self._procedure_id: int | None = None
        self._shown: tuple[ProcedureView, SiteView] | None = None
        self._sites_out_of_date = True  # an injection, a correction, a finding since the read
        self._now_out_of_date = True  # the nurse's record or an adverse event since the read
        self._error: str | None = None
        self._kind = ""
        self._follower: Follower | None = None
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._on_later_timeout)
        self.hide()

    def attach(self, context: AppContext, session: BedsideSession) -> None:
        """Read through `context` as the person typing in `session`; follow what is saved."""
        self._context = context
        self._session = session
        self._follower = Follower(
            self,
            context.changes,
            (Topic.PROCEDURE, Topic.SEDATION, Topic.ADVERSE_EVENTS),
            self.reload,
            procedure_id=self._open_id,
            take=self._take,
        )
        self._tick.start(self.tick_ms)

    # --- what the panel shows ---------------------------------------------------------------

    def show_site(self, view: ProcedureView | None, site: SiteView | None) -> None:
        """The panel shows `site` of `view` (None: nothing open): show what is known at once.

        A read it needs (the procedure's first, an injected site after site entries changed)
        is left to the event loop — never inside the key press that confirmed a site."""
        if self._context is None or view is None or site is None:
            self._shown = None
            self.hide()
            return
        if view.id != self._procedure_id:
            self._procedure_id = view.id
            self.state = None
            self._error = None
        self._shown = (view, site)
        if self._needs_read():
            self._later.start(0)
        self._render()

    def reload(self) -> None:
        """The nurse's record or an adverse event changed: read again, soon."""
        self._now_out_of_date = self._sites_out_of_date = True
        self._later.start(0)

    # --- internals ----------------------------------------------------------------------------

    def _open_id(self) -> int | None:
        return self._procedure_id

    def _take(self, changed: Changed) -> bool:
        """A site entry or finding was saved (an injection, most often): the sites' states
        are out of date, the state now is not — after an injection the panel shows the next
        site, which needs no read."""
        if changed.topics.intersection({Topic.SEDATION, Topic.ADVERSE_EVENTS}):
            return False  # read again (now, or when next shown)
        self._sites_out_of_date = True
        self._later.start(0)  # an injected site on screen (a correction, a finding) catches up
        return True

    def _needs_read(self) -> bool:
        shown = self._shown
        if shown is None or not _shows_sedation(*shown):
            return False
        if self.state is None or self._error is not None:
            return True
        return self._sites_out_of_date if _injected(shown[1]) else self._now_out_of_date

    def _on_later_timeout(self) -> None:
        if self._needs_read():
            self._read()
            self._render()

    def _read(self) -> None:
        context, session = self._context, self._session
        actor = session.active if session is not None else None
        if context is None or actor is None or self._procedure_id is None:
            return
        self._error = None
        found = operations.read(
            context,
            record_sedation.site_sedation_state,
            actor=actor,
            show_error=self._show_error,
            what=self.tr("The sedation state at the sites"),
            procedure_id=self._procedure_id,
            clock=context.clock,
        )
        if found is not None:
            self.state = found
            self._sites_out_of_date = self._now_out_of_date = False

    def _show_error(self, message: str) -> None:
        self._error = message

    def _render(self) -> None:
        shown = self._shown
        if shown is None:
            return
        view, site = shown
        if not _shows_sedation(view, site):
            self.hide()
            return
        if self._error is not None:
            self._put(escape(self._error), "error", stale=False)
            return
        if self.state is None:
            self.hide()
            return
        if not _injected(site):
            line = text.now(self.state.so_far, self.clock.now(), self.clock.zone)
            self._put(line.html, "stale" if line.stale else "ok", stale=line.stale)
            return
        found = self.state.site(site.number)
        if found is None:  # injected since the last read: the read is on its way
            self.hide()
            return
        line = text.at_injection(found, self.clock.zone)
        events = text.adverse_events(found.adverse_events)
        html = line.html + (f"<br>{events}" if events else "")
        self._put(html, "stale" if line.stale else "ok", stale=line.stale)

    def _put(self, html: str, kind: str, *, stale: bool) -> None:
        self.stale = stale
        if kind != self._kind:  # re-styling is costly
            self._kind = kind
            self.setStyleSheet(_STYLES[kind] + _SHAPE)
        if self.text() != html:
            self.setText(html)
        self.show()

    def _on_tick_timeout(self) -> None:
        shown = self._shown
        if shown is not None and self.isVisible() and not _injected(shown[1]):
            self._render()


def _injected(site: SiteView) -> bool:
    return site.entry is not None and site.entry.kind is EntryKind.INJECTED


def _shows_sedation(view: ProcedureView, site: SiteView) -> bool:
    """An injected site (its state then), or one still to inject while recording is open
    (the state now is what it would be injected under); not a skipped site."""
    return _injected(site) or (site.entry is None and view.status is ProcedureStatus.IN_PROGRESS)
