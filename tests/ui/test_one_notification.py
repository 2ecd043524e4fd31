"""One notification, not hand-wired signals: views follow `context.changes`
(ui/common/follow.py)."""

from __future__ import annotations

import weakref

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tests.ui.bedside import open_procedure
from ui.common.follow import Follower
from ui.common.timefmt import local_hms
from ui.door.operations import Changed, ChangeNotifier, Topic


class View(QLabel):
    """A view of procedure 1's sedation record, counting how often it reads it."""

    def __init__(self, changes: ChangeNotifier, *, takes: bool = False) -> None:
        super().__init__()
        self.reads = 0
        self.taken: list[object] = []
        self.follower = Follower(
            self,
            changes,
            (Topic.SEDATION,),
            self.refresh,
            procedure_id=self.shown_procedure,
            take=self.take if takes else None,
        )

    def shown_procedure(self) -> int:
        return 1

    def refresh(self) -> None:
        self.reads += 1

    def take(self, changed: Changed) -> bool:
        self.taken.append(changed.result)
        return True


def _announce(changes: ChangeNotifier, *topics: Topic, procedure_id: int | None = 1) -> None:
    changes.changed.emit(Changed(frozenset(topics), procedure_id, "fresh record"))


def test_a_view_on_screen_reads_at_once_when_what_it_shows_changed(qtbot) -> None:
    changes = ChangeNotifier()
    view = View(changes)
    qtbot.addWidget(view)
    view.show()
    _announce(changes, Topic.SEDATION)
    assert view.reads == 1
    _announce(changes, Topic.ACCOUNTS)  # not shown here
    _announce(changes, Topic.SEDATION, procedure_id=2)  # another procedure
    assert view.reads == 1


def test_a_hidden_view_reads_once_when_it_is_next_shown(qtbot) -> None:
    changes = ChangeNotifier()
    holder = QWidget()
    qtbot.addWidget(holder)
    view = View(changes)
    QVBoxLayout(holder).addWidget(view)
    for _ in range(3):
        _announce(changes, Topic.SEDATION)
    assert view.reads == 0
    assert view.follower.stale
    holder.show()
    assert view.reads == 1
    assert not view.follower.stale


def test_a_view_that_can_use_the_fresh_result_does_not_read_again(qtbot) -> None:
    changes = ChangeNotifier()
    view = View(changes, takes=True)
    qtbot.addWidget(view)
    view.show()
    _announce(changes, Topic.SEDATION)
    assert view.taken == ["fresh record"]
    assert view.reads == 0


def test_following_keeps_no_view_alive(qtbot) -> None:
    """No reference cycle: a view nobody holds goes at once, not at a later collection."""
    changes = ChangeNotifier()
    view = View(changes)
    gone = weakref.ref(view)
    del view
    assert gone() is None
    _announce(changes, Topic.SEDATION)  # nobody left to tell; nothing breaks


def test_last_saved_moves_when_the_nurse_charts_a_dose_in_the_workspace(
    qtbot, team, make_window
) -> None:
    started = team.started_procedure()
    team.inject(started.id, started.sites[0].number, "1")
    bedside = make_window(team, typist=team.nurse)
    open_procedure(qtbot, bedside, started.id)
    header = bedside.page.header
    team.clock.advance(minutes=7)
    qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    nurse = bedside.window.features.record_tabs.sedation.inner
    nurse.medication.amount.setText("25")
    with qtbot.waitSignal(bedside.context.changes.changed):
        qtbot.mouseClick(nurse.medication.give, Qt.MouseButton.LeftButton)
    now = local_hms(team.clock.now(), team.clock.zone)
    assert header.saved.text() == f"Last saved {now}"


def test_last_saved_moves_when_the_nurse_corrects_a_dose_named_only_by_its_id(
    qtbot, team, make_window
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    started = team.started_procedure()
    team.inject(started.id, started.sites[0].number, "1")
    bedside = make_window(team, typist=team.nurse)
    open_procedure(qtbot, bedside, started.id)
    header = bedside.page.header
    qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    nurse = bedside.window.features.record_tabs.sedation.inner
    med = nurse.medication
    med.amount.setText("50")
    with qtbot.waitSignal(bedside.context.changes.changed):
        qtbot.mouseClick(med.give, Qt.MouseButton.LeftButton)
    team.clock.advance(seconds=21)
    med.table.selectRow(0)
    qtbot.mouseClick(med.correct, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: med.correction_dialog is not None)
    dialog = med.correction_dialog
    dialog.amount.setText("25")
    dialog.reason_field.setText("25 µg on the paper chart")
    with qtbot.waitSignal(bedside.context.changes.changed) as announced:
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    assert announced.args[0].procedure_id == started.id  # the dose's procedure, though not named
    now = local_hms(team.clock.now(), team.clock.zone)
    assert header.saved.text() == f"Last saved {now}"


def test_last_saved_on_opening_is_the_records_last_change_not_its_last_site(
    qtbot, team, make_window
) -> None:
    started = team.started_procedure()
    team.inject(started.id, started.sites[0].number, "1")
    team.clock.advance(minutes=3)
    team.chart_sedation(started.id)  # the nurse charts after the last site
    charted = local_hms(team.clock.now(), team.clock.zone)
    team.clock.advance(minutes=5)  # nothing saved since
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    assert bedside.page.header.saved.text() == f"Last saved {charted}"
