"""Screens show the site's wall-clock time (the `site.time_zone` setting), never the computer's."""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDateTime

from slidesk.services import settings
from slidesk.services.procedure import planning
from slidesk.services.procedure import service as procedures
from ui.common.timefmt import from_site_wall_clock, local_hm, local_with_offset, site_wall_clock
from ui.home.procedure_model import Column, ProcedureTableModel


@pytest.fixture
def far_away_computer(monkeypatch):  # type: ignore[no-untyped-def]
    """The computer's own zone is UTC+14: a screen that used it would be 13 hours off."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_home_list_dates_are_the_sites_time_on_a_computer_set_elsewhere(
    qtbot, team, far_away_computer
) -> None:
    planned = planning.plan_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=team.subject(),
        kit_number="SAIL-K001",
        operator_id=team.operator.user_id,
        nurse_id=team.nurse.user_id,
        location="Angio 2",
    )
    expected = planned.planned_at.astimezone(ZoneInfo("Europe/Amsterdam"))

    def fetch(offset: int, limit: int):  # type: ignore[no-untyped-def]
        return procedures.list_procedures(
            uow=team.uow, actor=team.operator, offset=offset, limit=limit
        )

    model = ProcedureTableModel(team.clock.zone)
    model.set_fetcher(fetch)
    assert model.index(0, Column.DATE).data() == expected.strftime("%Y-%m-%d %H:%M")

    # The administrator moves the site: the same instant now reads in the new zone.
    settings.change_setting(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        key="site.time_zone",
        value="Asia/Tokyo",
        reason="test",
    )
    team.clock.set_zone(settings.site_zone(uow=team.uow))
    tokyo = ProcedureTableModel(team.clock.zone)
    tokyo.set_fetcher(fetch)
    shown = planned.planned_at.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%d %H:%M")
    assert tokyo.index(0, Column.DATE).data() == shown


def test_time_fields_read_and_show_the_sites_wall_clock(far_away_computer) -> None:
    amsterdam = ZoneInfo("Europe/Amsterdam")
    field = QDateTime.fromString("2026-07-01 10:15:00", "yyyy-MM-dd HH:mm:ss")
    instant = from_site_wall_clock(field, amsterdam)
    assert instant.isoformat() == "2026-07-01T08:15:00+00:00"  # summer time: UTC+02:00
    assert site_wall_clock(instant, amsterdam) == field
    assert local_hm(instant, amsterdam) == "10:15"
    assert local_with_offset(instant, amsterdam) == "Wed 01 Jul 2026 10:15 (UTC+02:00)"
