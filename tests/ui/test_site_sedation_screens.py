"""Each site's sedation state and its findings and adverse events, on screen.

Through the main window: the entry panel shows, for the shown injected site, the sedation
score before the injection and its age, the analgesic and sedative given so far and the
adverse events linked to the site; for the next site, the state now, with STALE in words once
the score is older than the protocol's interval (5 min in the SAIL protocol) — before Confirm.
The site's history shows the same with the site's findings. Times in the site's zone.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication

from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import workspace
from slidesk.services.record import sedation as record_sedation
from slidesk.services.sedation import adverse_events
from slidesk.services.sedation import monitoring as monitoring
from slidesk.services.sedation import service as sedation
from tests.conftest import Team
from tests.ui.bedside import open_procedure
from tests.ui.test_main_window_features import close_viewer
from ui.common.timefmt import local_hm
from ui.door import operations
from ui.door.operations import Topic
from ui.features.site_facts import SiteFactsBox
from ui.workspace.site_sedation import SiteSedationLine


def nurse_charts(team: Team, procedure_id: int, score: int) -> None:
    """A MOAA/S score with vital signs, then fentanyl 50 + 25 µg and midazolam 1 mg."""
    team.score_at = team.clock.now()  # type: ignore[attr-defined]
    monitoring.record_vitals(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=procedure_id,
        hr=70,
        sedation_score=score,
    )
    team.clock.advance(seconds=30)
    for drug, amount, unit in (
        ("fentanyl", "50", "ug"),
        ("fentanyl", "25", "ug"),
        ("midazolam", "1", "mg"),
    ):
        sedation.record_dose(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            procedure_id=procedure_id,
            drug_key=drug,
            amount=amount,
            unit_code=unit,
        )


def painful_site(team: Team, *, wait_minutes: int = 0) -> tuple[ProcedureView, int]:
    """Two sites injected after the nurse's score and doses (and `wait_minutes`); pain and
    an adverse event at the second."""
    view = team.started_procedure()
    nurse_charts(team, view.id, 4)
    team.clock.advance(minutes=wait_minutes)
    for n, site in enumerate(view.sites[:2], start=1):
        view = team.inject(view.id, site.number, str(n))
    site_no = view.sites[1].number
    workspace.flag_site(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        site_no=site_no,
        flag="pain reaction",
        note="winced",
    )
    adverse_events.record_adverse_event(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=view.id,
        term="Injection-site pain",
        onset_at=team.clock.now(),
        grade=2,
        related_product="possible",
        related_procedure="probable",
        related_sedation="unrelated",
        expectedness="expected",
        site_nos=(site_no,),
    )
    return view, site_no


def _score_time(team: Team) -> str:
    """When the nurse's score was taken, in the site's zone."""
    return local_hm(team.score_at, team.clock.zone)  # type: ignore[attr-defined]


def test_the_panel_shows_the_sedation_at_an_injected_site_and_its_adverse_event(
    qtbot, make_window, team
) -> None:
    team.clock.set_zone(ZoneInfo("America/New_York"))  # the site's zone, not the computer's
    view, site_no = painful_site(team)
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    line = bedside.panel.sedation

    bedside.panel.select_site(site_no)

    qtbot.waitUntil(lambda: "Injection-site pain" in line.text())
    assert line.isVisible()
    text = line.text()
    at = _score_time(team)
    assert at.startswith("03:")  # 08:30 UTC in New York
    # The score, then the doses 30 s later, then two injections 40 s apart: 110 s.
    assert f"Sedation at the injection</b>: MOAA/S 4 at {at} (1 min before)" in text
    assert "Fentanyl 75 µg · Midazolam 1 mg so far" in text
    assert "Injection-site pain (grade 2 – moderate)" in text
    assert "STALE" not in text
    assert not line.stale


def test_the_next_site_shows_the_state_now_and_turns_stale_before_confirm(
    qtbot, make_window, team, monkeypatch
) -> None:
    monkeypatch.setattr(SiteSedationLine, "tick_ms", 20)
    view = team.started_procedure()
    nurse_charts(team, view.id, 4)
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    line = bedside.panel.sedation
    at = _score_time(team)
    assert bedside.panel.selected == view.next_site_no
    qtbot.waitUntil(line.isVisible)
    assert f"Sedation now</b>: MOAA/S 4 at {at} (under 1 min ago)" in line.text()
    assert "Fentanyl 75 µg · Midazolam 1 mg so far" in line.text()

    team.clock.advance(minutes=5, seconds=1)  # past the protocol's 5 min: a score is due
    qtbot.waitUntil(lambda: line.stale)
    assert "⚠ STALE: a new MOAA/S score is due" in line.text()
    assert f"Latest: MOAA/S 4 at {at} (5 min ago)" in line.text()

    site_no = bedside.panel.selected
    bedside.panel.confirm_button.click()  # the operator goes ahead: the injection is marked
    assert bedside.view.injected_count == 1
    bedside.panel.select_site(site_no)
    qtbot.waitUntil(lambda: "Sedation at the injection — ⚠ STALE" in line.text())
    assert f"MOAA/S 4 at {at} (5 min before; a score every 5 min is asked)" in line.text()
    assert line.stale


def test_a_score_the_nurse_saves_reaches_the_next_site_through_the_one_notification(
    qtbot, make_window, team
) -> None:
    view = team.started_procedure()
    nurse_charts(team, view.id, 4)
    team.clock.advance(minutes=10)
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    line = bedside.panel.sedation
    qtbot.waitUntil(lambda: line.stale)
    tabs = bedside.page.columns.record_tabs
    nurse_tab = next(
        tabs.widget(i) for i in range(tabs.count()) if tabs.tabText(i) == "Sedation && vitals"
    )
    tabs.setCurrentWidget(nurse_tab)
    bedside.session.switch_to(team.nurse.user_id)
    vitals = nurse_tab.inner.vitals
    nurse_tab.inner.tabs.setCurrentWidget(vitals)
    vitals.hr.setText("72")
    vitals.score.setCurrentIndex(vitals.score.findData(3))
    with qtbot.waitSignal(bedside.context.changes.changed):
        vitals.save.click()
    tabs.setCurrentIndex(0)  # back to the injection panel
    qtbot.waitUntil(lambda: not line.stale)
    assert "Sedation now</b>: MOAA/S 3 at" in line.text()


def test_confirming_a_site_does_not_read_the_sedation_state(
    qtbot, make_window, team, monkeypatch
) -> None:
    view, site_no = painful_site(team)
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    reads: list[int] = []
    real = record_sedation.site_sedation_state

    def counted(**kwargs: object) -> record_sedation.SiteSedationState:
        reads.append(1)
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(record_sedation, "site_sedation_state", counted)
    before = bedside.view.injected_count
    bedside.panel.confirm_button.click()
    for _ in range(3):
        QApplication.processEvents()
    assert bedside.view.injected_count == before + 1
    assert reads == []  # the next site's state was known: the hot path stays a write
    bedside.panel.select_site(site_no)  # an injected site: its state is read again, once
    qtbot.waitUntil(lambda: len(reads) == 1)
    for _ in range(3):
        QApplication.processEvents()
    assert len(reads) == 1
    assert "Injection-site pain" in bedside.panel.sedation.text()


def test_the_history_of_a_site_shows_its_sedation_findings_and_adverse_events(
    qtbot, make_window, team
) -> None:
    view, site_no = painful_site(team)
    team.clock.advance(minutes=6)
    later = team.inject(view.id, view.next_site_no, "3")
    late_site = later.entries[-1].site_no
    bedside = make_window(team, users=(team.monitor,))
    open_procedure(qtbot, bedside, view.id)
    procedure = bedside.window.features.procedure
    at = _score_time(team)

    bedside.panel.select_site(site_no)
    procedure.site_history_action.trigger()  # Ctrl+Shift+H
    viewer = procedure.dialog
    facts = viewer.findChild(SiteFactsBox)
    assert facts.isVisible()
    assert f"MOAA/S 4 at {at} (1 min before)" in facts.sedation.text()
    assert "Fentanyl 75 µg · Midazolam 1 mg so far" in facts.sedation.text()
    assert "pain reaction — winced" in facts.findings.text()
    assert "Injection-site pain (grade 2 – moderate)" in facts.adverse_events.text()
    assert viewer.model.rowCount() >= 1  # next to the site entry's audit entries
    close_viewer(qtbot, viewer)

    bedside.panel.select_site(late_site)
    procedure.site_history_action.trigger()
    viewer = procedure.dialog
    facts = viewer.findChild(SiteFactsBox)
    assert "Sedation at the injection — ⚠ STALE" in facts.sedation.text()
    assert "Findings</b>: none" in facts.findings.text()
    assert "Adverse events</b>: none" in facts.adverse_events.text()
    # An adverse event saved at that site while the history is open appears in it.
    operations.write(
        bedside.context,
        adverse_events.record_adverse_event,
        actor=team.nurse,
        show_error=pytest.fail,
        what="The adverse event",
        changes=(Topic.ADVERSE_EVENTS,),
        procedure_id=view.id,
        term="Injection-site haematoma",
        onset_at=team.clock.now(),
        grade=1,
        related_product="unlikely",
        related_procedure="probable",
        related_sedation="unrelated",
        expectedness="expected",
        site_nos=(late_site,),
    )
    qtbot.waitUntil(
        lambda: "Injection-site haematoma (grade 1 – mild)" in facts.adverse_events.text()
    )
    close_viewer(qtbot, viewer)
