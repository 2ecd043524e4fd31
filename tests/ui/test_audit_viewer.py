"""The audit-trail viewer: lazy model, filters from the keyboard, verify banner, CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtCore import Qt, QThreadPool

from slidesk.domain.errors import PermissionDenied
from slidesk.domain.events import AuditEvent
from slidesk.services.audit.trail import PAGE_SIZE, AuditFilter
from slidesk.services.procedure import corrections
from ui.audit.model import AuditTrailModel, Column
from ui.audit.viewer import AuditViewer
from ui.session import BedsideSession


@pytest.fixture
def monitor_session(context, team, qtbot) -> BedsideSession:
    session = BedsideSession(context, hasher=team.hasher)
    session.add(team.monitor)
    return session


@pytest.fixture
def corrected(team):
    """A procedure whose second injection was corrected (depth) with a reason."""
    view = team.started_procedure()
    view = team.inject(view.id, view.next_site_no, "1")
    view = team.inject(view.id, view.next_site_no, "2")
    entry = view.entries[-1]
    team.clock.advance(minutes=3)
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=entry.id,
        reason="ultrasound showed 14 mm",
        depth_mm="14.0",
    )
    return view, entry


def many_events(team, n: int) -> None:
    """n non-data entries in one transaction (the real append path, hash chain included)."""
    with team.uow.begin(actor=team.admin, clock=team.clock) as tx:
        for i in range(n):
            tx.event(event_type=AuditEvent.SESSION_LOCKED, details={"n": i})
        tx.commit()


def open_viewer(qtbot, context, session, **kwargs) -> AuditViewer:
    viewer = AuditViewer(context, session, **kwargs)
    qtbot.addWidget(viewer)
    viewer.show()
    return viewer


def wait_for_verify(qtbot, viewer) -> None:
    qtbot.waitUntil(lambda: viewer.verify_banner.kind in ("success", "error", "warning"))


def test_model_passes_the_model_tester_while_fetching_pages(qtmodeltester, team, context):
    many_events(team, PAGE_SIZE + 50)
    from slidesk.services.audit import trail as audit_trail

    model = AuditTrailModel()
    model.set_loader(
        lambda cursor: audit_trail.read_page(
            uow=team.uow, actor=team.admin, audit_filter=AuditFilter(), cursor=cursor
        )
    )
    assert model.rowCount() >= PAGE_SIZE
    assert model.canFetchMore()
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.loaded_entries > PAGE_SIZE + 50


def test_history_of_a_site_opens_prefiltered_oldest_first(
    qtbot, context, monitor_session, corrected
):
    _view, entry = corrected
    viewer = open_viewer(
        qtbot, context, monitor_session, entity="site_entries", entity_id=str(entry.id)
    )
    model = viewer.model
    kinds = [model.index(r, Column.KIND).data() for r in range(model.rowCount())]
    assert kinds[0] == "site.injected"
    assert kinds[-1] == "site.corrected"
    last = model.rowCount() - 1
    assert model.index(last, Column.OLD).data() == "12.5"
    assert model.index(last, Column.NEW).data() == "14"
    assert model.index(last, Column.REASON).data() == "ultrasound showed 14 mm"
    assert "depth (mm)" in model.index(last, Column.WHAT).data()
    assert model.index(last, Column.WHEN).data().endswith("+01:00")
    assert "History of site entry" in viewer.record_chip.text()
    assert "(site " in viewer.record_chip.text()
    wait_for_verify(qtbot, viewer)
    assert viewer.verify_banner.kind == "success"
    assert "Intact" in viewer.verify_banner.text()


def test_typing_a_subject_and_pressing_enter_filters(
    qtbot, context, monitor_session, corrected, team
):
    team.started_procedure("SAIL-01-002", kit="SAIL-K002")
    viewer = open_viewer(qtbot, context, monitor_session)
    qtbot.keyClicks(viewer.filters.subject, "sail-01-002")
    qtbot.keyClick(viewer.filters.subject, Qt.Key.Key_Return)
    model = viewer.model
    subjects = {model.index(r, Column.SUBJECT).data() for r in range(model.rowCount())}
    assert subjects == {"SAIL-01-002"}
    assert viewer.current_filter.study_id == "sail-01-002"


def test_an_unknown_subject_says_so(qtbot, context, monitor_session) -> None:
    viewer = open_viewer(qtbot, context, monitor_session)
    qtbot.keyClicks(viewer.filters.subject, "SAIL-09-999")
    qtbot.keyClick(viewer.filters.subject, Qt.Key.Key_Return)
    assert viewer.model.rowCount() == 0
    assert "No subject with study ID SAIL-09-999" in viewer.message.text()


def test_the_kind_of_change_reads_in_words_on_hover(
    qtbot, context, monitor_session, corrected
) -> None:
    _view, entry = corrected
    viewer = open_viewer(
        qtbot, context, monitor_session, entity="site_entries", entity_id=str(entry.id)
    )
    model = viewer.model
    last = model.rowCount() - 1
    assert model.index(last, Column.KIND).data() == "site.corrected"
    hover = model.index(last, Column.KIND).data(Qt.ItemDataRole.ToolTipRole)
    assert hover == "Injection corrected"


def test_kind_filter_keeps_only_that_family(qtbot, context, monitor_session, corrected) -> None:
    viewer = open_viewer(qtbot, context, monitor_session)
    viewer.filters.set_kind("site.")
    viewer.filters.apply_button.click()
    model = viewer.model
    kinds = {model.index(r, Column.KIND).data() for r in range(model.rowCount())}
    assert kinds == {"site.injected", "site.corrected"}


def test_scrolling_fetches_the_next_page(qtbot, context, monitor_session, team) -> None:
    many_events(team, PAGE_SIZE * 2)
    viewer = open_viewer(qtbot, context, monitor_session)
    first = viewer.model.loaded_entries
    assert first == PAGE_SIZE
    viewer.table.scrollToBottom()
    qtbot.waitUntil(lambda: viewer.model.loaded_entries > first)
    assert "Showing" in viewer.status.text()


def test_export_runs_in_the_background_and_is_audited(
    qtbot, context, monitor_session, corrected, tmp_path, team
):
    _view, entry = corrected
    viewer = open_viewer(
        qtbot, context, monitor_session, entity="site_entries", entity_id=str(entry.id)
    )
    target = tmp_path / "history.csv"
    job = viewer.export_to(target)
    with qtbot.waitSignal(job.signals.succeeded, timeout=10_000):
        pass
    QThreadPool.globalInstance().waitForDone()
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))[:-1]  # last: checkpoint
    assert {r["event type"] for r in rows} == {"site.injected", "site.corrected"}
    assert "$argon2" not in raw.decode("utf-8-sig")
    assert "Exported" in viewer.message.text()
    with team.uow.read() as tx:
        last = list(tx.audit.iter_all())[-1]
    assert last["event_type"] == "export.audit_trail"
    assert last["username"] == "monitor"


def test_a_tampered_trail_shows_a_red_banner(qtbot, context, monitor_session, corrected, team):
    from sqlalchemy import text

    with team.uow.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET reason = 'forged' WHERE seq = 3"))
    viewer = open_viewer(qtbot, context, monitor_session)
    wait_for_verify(qtbot, viewer)
    assert viewer.verify_banner.kind == "error"
    assert "NOT intact" in viewer.verify_banner.text()


def test_operator_cannot_open_the_viewer(qtbot, context, team) -> None:
    session = BedsideSession(context, hasher=team.hasher)
    session.add(team.operator)
    with pytest.raises(PermissionDenied):
        AuditViewer(context, session)


def test_the_export_message_counts_the_entries_the_viewer_shows(
    qtbot, context, monitor_session, corrected, tmp_path
) -> None:
    viewer = open_viewer(qtbot, context, monitor_session)
    viewer.filters.subject.setText("SAIL-01-001")
    viewer.apply_filters()
    shown = viewer._total
    assert f"Showing {shown} of {shown} entries" in viewer.status.text()
    job = viewer.export_to(tmp_path / "subject.csv")
    with qtbot.waitSignal(job.signals.succeeded, timeout=10_000):
        pass
    QThreadPool.globalInstance().waitForDone()
    text = viewer.message.text()
    assert f"Exported the {shown} entries these filters show" in text
    assert "one per changed field" in text


def test_who_and_what_name_people_not_account_numbers(qtbot, context, monitor_session) -> None:
    viewer = open_viewer(qtbot, context, monitor_session)
    viewer.filters.kind.setCurrentIndex(
        viewer.filters.kind.findText("auth.sign-in", Qt.MatchFlag.MatchContains)
    )
    viewer.filters.subject.clear()
    viewer.filters.user.setEditText("nurse")
    viewer.apply_filters()
    row = next(
        r
        for r in range(viewer.model.rowCount())
        if viewer.model.line(r).entry.event_type == "auth.sign-in"
    )
    assert viewer.model.index(row, Column.WHO).data() == "Nina Nurse (nurse)"
    what = viewer.model.index(row, Column.WHAT).data()
    assert what == "Own account · password change due"
