"""The demo's dates derive from one clock: each demo subject's procedure day reads the same
in the procedure list, the follow-up (outcomes) and the report, and no date is typed by hand."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pdfplumber
import pytest

from slidesk.demo.build import build_demo
from slidesk.demo.steps import DEMO_PASSWORD
from slidesk.domain.followup.schedule import add_months
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.reports.pdf import build_pdf
from slidesk.services.accounts import service as accounts
from slidesk.services.accounts import sessions
from slidesk.services.followup import service as followup
from slidesk.services.followup.views import local_date
from slidesk.services.procedure import service as procedures
from slidesk.services.reporting.data import procedure_report
from slidesk.services.workstation.database import open_database
from tests.fakes import FakeClock

NOW = datetime(2026, 12, 3, 12, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    clock = FakeClock(NOW)
    location = build_demo(str(tmp_path_factory.mktemp("demo") / "demo.sqlite3"), clock=clock)
    opened = open_database(location)
    yield opened, clock
    opened.close()


def _monitor(uow, clock):
    return accounts.authenticate(uow=uow, clock=clock, username="monitor", password=DEMO_PASSWORD)


def test_every_demo_subject_has_one_procedure_day_in_list_outcomes_and_report(demo):
    opened, clock = demo
    uow = opened.uow
    monitor = _monitor(uow, clock)
    rows = procedures.list_procedures(uow=uow, actor=monitor).rows
    assert {r.study_id for r in rows} == {"SAIL-01-004", "SAIL-01-005", "SAIL-01-006"}
    for row in rows:
        day = local_date(clock, row.started_at or row.planned_at)
        outcomes = followup.get_subject_outcomes(
            uow=uow, clock=clock, actor=monitor, subject_id=_subject_id(uow, row.id)
        )
        # A procedure still in progress dates the follow-up once it is completed.
        expected = None if row.status is ProcedureStatus.IN_PROGRESS else day
        assert outcomes.procedure_date == expected, row.study_id
        assert "hand" not in outcomes.procedure_date_note, row.study_id
        report = procedure_report(
            uow=uow, actor=monitor, procedure_id=row.id, generated_at=clock.now(), tz=clock.zone
        )
        with pdfplumber.open(io.BytesIO(build_pdf(report))) as pdf:
            first_page = pdf.pages[0].extract_text()
        assert day.strftime("%d %b %Y") in first_page, row.study_id


def test_the_signed_demo_subject_was_treated_a_year_and_ten_days_ago(demo):
    opened, clock = demo
    monitor = _monitor(opened.uow, clock)
    rows = procedures.list_procedures(uow=opened.uow, actor=monitor).rows
    signed = next(r for r in rows if r.study_id == "SAIL-01-004")
    today = local_date(clock, NOW)
    assert local_date(clock, signed.started_at) == add_months(today - timedelta(days=10), -12)
    in_progress = next(r for r in rows if r.study_id == "SAIL-01-005")
    assert local_date(clock, in_progress.started_at) == today
    unsigned = next(r for r in rows if r.study_id == "SAIL-01-006")
    assert local_date(clock, unsigned.started_at) == today - timedelta(days=2)


def test_demo_accounts_sign_in_today_without_an_expired_password(demo):
    opened, clock = demo
    for username in ("admin", "operator", "nurse", "monitor"):
        result = sessions.sign_in(
            uow=opened.uow, clock=clock, username=username, password=DEMO_PASSWORD
        )
        assert not result.must_change_password, username


def _subject_id(uow, procedure_id: int) -> int:
    with uow.read() as tx:
        return tx.procedures.get(procedure_id).subject_id
