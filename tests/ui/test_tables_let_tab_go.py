"""Tab leaves every table and list: Qt's tables walk their cells with Tab and wrap around, so
someone working by keyboard never reaches the buttons under them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QCalendarWidget, QComboBox, QWidget

from slidesk.demo.sedation import populate
from tests.followup_helpers import baseline_entry, save, subject_in_follow_up
from tests.signing_helpers import completed_procedure
from ui.audit.viewer import AuditViewer
from ui.context import AppContext
from ui.followup.due_panel import DueVisitsPanel
from ui.followup.subject_outcomes import SubjectOutcomesWindow
from ui.nurse.timeline import TimelineView
from ui.nurse.vitals import VitalsEntry
from ui.procedure.reconciliation_panel import ReconciliationPanel
from ui.session import BedsideSession
from ui.signing.sign_dialog import SignDialog


def session_of(context: AppContext, *actors) -> BedsideSession:  # type: ignore[no-untyped-def]
    session = BedsideSession(context)
    for actor in actors:
        session.add(actor)
    return session


def shown(qtbot, widget: QWidget) -> QWidget:  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def item_views(widget: QWidget) -> list[QAbstractItemView]:
    """The screen's own tables and lists (not the pop-ups inside combo boxes and calendars)."""
    return [
        view
        for view in widget.findChildren(QAbstractItemView)
        if not _inside(view, (QComboBox, QCalendarWidget))
    ]


def _inside(widget: QWidget, kinds: tuple[type, ...]) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parentWidget()
    return False


def assert_tab_leaves(qtbot, table: QAbstractItemView) -> None:  # type: ignore[no-untyped-def]
    assert table.model().rowCount() > 1  # rows to walk, had Tab stayed in the table
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
        table.setFocus(Qt.FocusReason.TabFocusReason)
        table.setCurrentIndex(table.model().index(0, 0))
        assert table.hasFocus()
        qtbot.keyClick(table, key)
        QApplication.processEvents()
        assert not table.hasFocus(), f"{key.name} stayed in the table"


def test_tab_leaves_the_audit_trail_table_for_the_buttons(qtbot, team, context) -> None:
    team.started_procedure()
    viewer = shown(qtbot, AuditViewer(context, session_of(context, team.monitor)))
    qtbot.waitUntil(lambda: viewer.model.rowCount() > 1)
    viewer.table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(viewer.table, Qt.Key.Key_Tab)
    # Straight on to the button under the table, not to the table's next cell.
    assert viewer.export_button.hasFocus()
    assert_tab_leaves(qtbot, viewer.table)


def test_tab_leaves_the_nurse_timeline(qtbot, team, context) -> None:
    view = team.started_procedure()
    populate(team.uow, team.clock, team.nurse, team.operator, view.id)
    timeline = TimelineView(context, session_of(context, team.operator, team.nurse))
    timeline.set_procedure(view.id)
    assert_tab_leaves(qtbot, shown(qtbot, timeline).table)


def test_no_table_or_list_of_these_screens_keeps_tab_for_itself(qtbot, team, context) -> None:
    view = team.started_procedure()
    populate(team.uow, team.clock, team.nurse, team.operator, view.id)
    nurse = session_of(context, team.operator, team.nurse)
    timeline = TimelineView(context, nurse)
    vitals = VitalsEntry(context, nurse)
    signed = completed_procedure(team, study_id="SAIL-01-002", kit="SAIL-K002")
    subject = subject_in_follow_up(team, "SAIL-01-101")
    save(team, subject, 0, baseline_entry())
    operator = session_of(context, team.operator)
    screens: dict[str, QWidget] = {
        "audit trail": AuditViewer(context, session_of(context, team.monitor)),
        "nurse timeline": timeline,
        "vital signs": vitals,
        "sign-off": SignDialog(context, team.operator, signed.id),
        "follow-up due": DueVisitsPanel(context, operator, None),
        "subject outcomes": SubjectOutcomesWindow(context, operator, None, subject),
        "syringe reconciliation": ReconciliationPanel(),
    }
    found: dict[str, int] = {}
    keeping: list[str] = []
    for name, screen in screens.items():
        qtbot.addWidget(screen)
        views = item_views(screen)
        found[name] = len(views)
        keeping += [f"{name}: {type(v).__name__}" for v in views if v.tabKeyNavigation()]
    assert all(found.values()), found  # each screen was searched for at least one view
    assert keeping == []
