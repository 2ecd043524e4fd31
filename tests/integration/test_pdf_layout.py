"""The report's pages: a section heading never ends a page without its first row, and no page
holds only the closing footnote — wherever the sections happen to fall.

One signed every-kind record; its checklist is lengthened row by row so that each later
heading and the footnote pass every position near a page's foot.
"""

from __future__ import annotations

import functools
import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from slidesk.reports.pdf import build_pdf
from slidesk.services.reporting.data import procedure_report
from slidesk.services.workstation.database import open_database
from tests.conftest import Team
from tests.fakes import FakeClock
from tests.record_helpers import every_kind_procedure
from tests.signing_helpers import sign

FOOTNOTE_START = "Times are site-local"
# Each heading and a text from the first row (or block) under it.
SECTIONS = {
    "Adverse events": "Adverse event 1: Injection-site pain",
    "Corrections (from the audit trail)": "Tapped by mistake: no bleeding",
    "Version history": "original record",
    "Electronic signatures": "Performed and verified the injections",
    "Sedation and monitoring": "Medication given",
}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("layout") / "layout.sqlite3")
    team = Team(db, FakeClock())
    pid = every_kind_procedure(team).procedure_id
    sign(team, pid, "operator", "operator")
    sign(team, pid, "nurse", "nurse")
    built = procedure_report(
        uow=team.uow,
        actor=team.monitor,
        procedure_id=pid,
        generated_at=team.clock.now(),
        tz=team.clock.zone,
        version=1,
    )
    yield built
    db.close()


def _pages(data: bytes) -> list[list[str]]:
    return [
        [line.strip() for line in (page.extract_text() or "").splitlines()]
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def _heading_and_first_row(pages: list[list[str]], heading: str, first: str) -> tuple[int, int]:
    """The page of the heading (a whole line) and of the first line after it holding `first`."""
    lines = [(number, line) for number, page in enumerate(pages) for line in page]
    at = next(i for i, (_n, line) in enumerate(lines) if line == heading)
    row = next(n for n, line in lines[at + 1 :] if first in line)
    return lines[at][0], row


def _lengthened(report, extra: int):
    rows = report.checklist.rows + tuple(
        (f"Extra item {i}", "Olga Operator", "operator", "09:33:00 +01:00", "")
        for i in range(extra)
    )
    return replace(report, checklist=replace(report.checklist, rows=rows))


def _more_corrections(report, extra: int):
    rows = report.corrections.rows + tuple(
        ("25 Nov 2026 10:00 +01:00", "Nina Nurse", f"Vital signs at 10:{i:02d}", "hr 70 → 72", "")
        for i in range(extra)
    )
    return replace(report, corrections=replace(report.corrections, rows=rows))


@functools.lru_cache(maxsize=64)
def _built(report, extra: int) -> list[list[str]]:
    return _pages(build_pdf(_lengthened(report, extra)))


@pytest.mark.parametrize("extra", range(0, 48, 3))
def test_a_section_heading_is_on_the_page_of_its_first_row(report, extra) -> None:
    pages = _built(report, extra)
    for heading, first_row in SECTIONS.items():
        heading_page, row_page = _heading_and_first_row(pages, heading, first_row)
        assert heading_page == row_page, heading


@pytest.mark.parametrize("extra", range(0, 40, 3))  # 6 and 39 once failed
def test_no_page_holds_only_the_footnote(report, extra) -> None:
    last = _pages(build_pdf(_more_corrections(report, extra)))[-1]
    footnote_at = next(i for i, line in enumerate(last) if line.startswith(FOOTNOTE_START))
    # Above the footnote on the last page: more than the running title (the record's end).
    assert len([line for line in last[:footnote_at] if line]) > 1, last


def test_first_to_last_site_is_stated_to_the_second(report) -> None:
    # The every-kind record's first and last injections are 26 min 20 s apart; the report
    # said "26 min".
    span = next(t.value for t in report.totals if t.label == "First to last site")
    assert span == "26 min 20 s"
