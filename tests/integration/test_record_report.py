"""The PDF prints everything the signed snapshot holds, and only true statements.

A procedure with at least one of every kind of entry is signed; every fact of its snapshot is
found in the PDF (tests/record_facts.py: one table row per item holds all its facts)."""

from __future__ import annotations

import functools
import io
import os
import re
import time
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pdfplumber
import pytest

from slidesk.domain.sedation.adverse_events import Grade
from slidesk.reports.pdf import build_pdf
from slidesk.services.procedure import corrections
from slidesk.services.procedure import service as procedures
from slidesk.services.record.sections import SnapshotEntry
from slidesk.services.record.sedation import site_sedation
from slidesk.services.record.snapshot import build_snapshot
from slidesk.services.reporting.data import procedure_report
from slidesk.services.reporting.sites import relocation_text
from slidesk.services.signing import service as signing
from slidesk.services.workstation.database import open_database
from tests.conftest import PASSWORD, Team
from tests.fakes import START, FakeClock
from tests.record_facts import Ctx, missing_facts, pdf_tables, unruled_fields
from tests.record_helpers import FLAGGED_SITE, RELOCATED_SITE, every_kind_procedure
from tests.signing_helpers import sign

AMS = ZoneInfo("Europe/Amsterdam")


def _report(team, pid, version=None, tz=AMS):
    return procedure_report(
        uow=team.uow,
        actor=team.monitor,
        procedure_id=pid,
        generated_at=team.clock.now(),
        tz=tz,
        version=version,
    )


@functools.lru_cache(maxsize=4)
def _texts(data: bytes) -> tuple[str, ...]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return tuple(page.extract_text() or "" for page in pdf.pages)


def _flat(data: bytes) -> str:
    return " ".join(" ".join(_texts(data)).split())


def _readable(data: bytes) -> str:
    """Each table cell on its own (a wrapped cell is not interleaved with its neighbours),
    then the running text: one string to search facts in."""
    cells = [" | ".join(row) for table in pdf_tables(data) for row in table]
    return "\n".join([*cells, _flat(data)])


def _watermarks(data: bytes) -> list[str]:
    """The big rotated letters on each page, joined."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return ["".join(c["text"] for c in page.chars if c["size"] > 30) for page in pdf.pages]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One database for the module: a signed every-kind procedure (built once, ~5 s)."""
    db = open_database(tmp_path_factory.mktemp("record") / "record.sqlite3")
    team = Team(db, FakeClock())
    pid = every_kind_procedure(team).procedure_id
    sign(team, pid, "operator", "operator")
    sign(team, pid, "nurse", "nurse")
    yield team, pid
    db.close()


@pytest.fixture
def team(world):
    return world[0]


@pytest.fixture
def signed_every_kind(world):
    return world[1]


_kits = iter(range(50, 99))


def _another(team) -> int:
    """A further every-kind procedure in the module's database (its own subject and kit)."""
    n = next(_kits)
    return every_kind_procedure(
        team, study_id=f"SAIL-01-{n:03d}", kit=f"SAIL-K{n:03d}"
    ).procedure_id


def test_every_fact_of_the_signed_snapshot_is_in_the_pdf(team, signed_every_kind) -> None:
    pid = signed_every_kind
    report = _report(team, pid)
    data = build_pdf(report)
    with team.uow.read() as tx:
        snap = build_snapshot(tx, pid)
        names = tx.users.names()
    protocol = team.uow.protocols.default
    assert report.record_hash == snap.content_hash  # the PDF is of exactly what was signed
    assert unruled_fields(snap) == []
    assert missing_facts(snap, data, Ctx(names, AMS, protocol, snap)) == []


def test_the_facts_the_old_report_left_out_are_on_paper(team, signed_every_kind) -> None:
    text = _readable(build_pdf(_report(team, signed_every_kind)))
    for fact in (
        "Finding: pain reaction — Withdrew the leg on injection",  # a site finding
        "Returned sealed to the trial pharmacy",  # a syringe disposition
        "Dropped on the floor, seal broken",
        "Expectedness | unexpected",
        f"First knowledge | {START.astimezone(AMS):%d %b %Y}",
        f"SAE report due | {START.astimezone(AMS) + timedelta(days=1):%d %b %Y}",
        "Reporter | Nina Nurse",
        "Related to the sedation | probable",
        "Activity | Respiration | Circulation | Consciousness | SpO2 | Total",  # Aldrete items
        "| 2 | 1 | 2 | 1 | 1 | 7/10 | not met (needs 9) | Still drowsy |",
        "Nasal cannula | 2 L/min",  # oxygen with its time
        "Face mask | 6 L/min",
        "Room air (oxygen stopped)",
        "Chin lift, Oxygen increased",  # interventions
        "Relocated: injected distal and lateral of the planned point",  # the drawing agrees
        "(site-map position x 0.5812, y 0.2790;",
        "LATE ENTRY",
        "UNDONE: Charted twice",
        "Recorded on the wrong site; needle not yet in",
    ):
        assert fact in text, fact


def test_each_injected_site_shows_its_sedation_state_and_what_was_found(
    team, signed_every_kind
) -> None:
    pid = signed_every_kind
    views = {
        v.site_no: v for v in site_sedation(uow=team.uow, actor=team.monitor, procedure_id=pid)
    }
    assert len(views) == 28  # 30 sites, two skipped
    flagged = views[FLAGGED_SITE]
    assert [f.flag for f in flagged.findings] == ["pain reaction"]  # the voided flag is not
    assert [a.term for a in flagged.adverse_events] == ["Injection-site pain"]
    assert any(v.stale for v in views.values())
    assert any(not v.stale for v in views.values())
    text = _readable(build_pdf(_report(team, pid)))
    for v in views.values():
        if v.score_at is not None:
            assert f"MOAA/S {v.score} at {v.score_at.astimezone(AMS):%H:%M:%S}" in text
        for drug in v.drugs:
            assert f"{drug.drug_name} {drug.text}" in text
    assert "STALE: MOAA/S" in text
    assert "Injection-site pain (grade 1 – mild)" in text


def test_no_report_states_a_cell_count_as_given(team, signed_every_kind) -> None:
    report = _report(team, signed_every_kind)
    text = _readable(build_pdf(report))
    statement = " ".join(report.protocol_statement.split())
    assert "nominal 5×10⁶ cells per syringe if active — allocation blinded" in statement
    assert statement in text
    rest = text.replace(statement, "")
    assert re.search(r"cells\s+(injected|given|administered)", rest, re.I) is None
    assert re.search(r"[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]\s*cells", rest, re.I) is None
    totals = {t.label: t.value for t in report.totals}
    assert totals["Syringes administered"] == "28 of 30"
    assert totals["Other syringes"].split("\n") == ["1 returned", "1 wasted", "0 not accounted for"]
    for line in ("28 of 30", "1 returned", "1 wasted", "0 not accounted for"):
        assert line in text


def test_the_adverse_event_grade_is_printed_once(team, signed_every_kind) -> None:
    text = _readable(build_pdf(_report(team, signed_every_kind)))
    for grade in (Grade.MILD, Grade.SEVERE):
        assert grade.label in text
        assert f"{int(grade)} {grade.label}" not in text


def test_a_draft_carries_the_watermark_on_every_page_and_a_signed_version_none(team) -> None:
    pid = _another(team)
    draft = build_pdf(_report(team, pid))
    marks = _watermarks(draft)
    assert len(marks) > 3
    assert marks == ["DRAFT — NOT SIGNED"] * len(marks)
    sign(team, pid, "operator", "operator")
    sign(team, pid, "nurse", "nurse")
    assert set(_watermarks(build_pdf(_report(team, pid)))) == {""}


def test_the_first_amendment_is_amendment_1(team) -> None:
    pid = _another(team)
    sign(team, pid, "operator", "operator")
    sign(team, pid, "nurse", "nurse")
    signing.open_amendment(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=pid,
        reason="Depth at site 12 transcribed wrongly",
        password=PASSWORD,
        hasher=team.hasher,
    )
    entry = next(
        e
        for e in procedures.get_procedure(
            uow=team.uow, actor=team.operator, procedure_id=pid
        ).entries
        if e.site_no == 12 and not e.voided
    )
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=entry.id,
        depth_mm="14",
        reason="Transcription error",
    )
    draft = _flat(build_pdf(_report(team, pid)))
    assert "Amendment 1 — Depth at site 12 transcribed wrongly — supersedes version 1" in draft
    assert "Site 12: depth 12.5 mm → 14.0 mm" in draft
    sign(team, pid, "operator", "operator")
    sign(team, pid, "nurse", "nurse")
    text = _flat(build_pdf(_report(team, pid, version=2)))
    assert "Amendment 1 — Depth at site 12" in text
    assert "Amendment 2" not in text


def test_times_print_in_the_site_zone_whatever_the_host_zone(team, signed_every_kind) -> None:
    pid = signed_every_kind
    outputs = []
    saved = os.environ.get("TZ")
    try:
        for host in ("UTC", "America/New_York", "Asia/Tokyo"):
            os.environ["TZ"] = host
            time.tzset()
            outputs.append(build_pdf(_report(team, pid)))
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
    assert outputs[0] == outputs[1] == outputs[2]
    text = _flat(outputs[0])
    assert "(Europe/Amsterdam)" in text
    assert _offset_text(AMS) in text
    # Another site's zone prints other wall-clock times, with their offset.
    new_york = ZoneInfo("America/New_York")
    other = _flat(build_pdf(_report(team, pid, tz=new_york)))
    assert _offset_text(new_york) in other
    assert _offset_text(AMS) not in other


def _offset_text(zone: ZoneInfo) -> str:
    """The UTC offset the report prints for the test's day in `zone` ('+01:00', '−05:00')."""
    offset = START.astimezone(zone).utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def test_a_relocated_site_is_drawn_where_it_was_injected(team, signed_every_kind) -> None:
    report = _report(team, signed_every_kind)
    site = next(s for s in report.diagram.sites if s.number == RELOCATED_SITE)
    assert (str(site.actual_x), str(site.actual_y)) == ("0.5812", "0.279")


def test_a_relocation_is_worded_anatomically_for_either_leg(team) -> None:
    """Positions are kept in the protocol's site map; the words say where, medially or
    laterally, proximally or distally — never 'the right-leg diagram' on a left leg's record."""
    protocol = team.uow.protocols.default
    front = next(s for s in protocol.sites if s.view == "front")
    back = next(s for s in protocol.sites if s.view == "back")

    def moved(site, dx: str, dy: str) -> str:  # type: ignore[no-untyped-def]
        entry = SnapshotEntry(
            id=1,
            site_no=site.number,
            kind="injected",
            performed_at=START,
            recorded_at=START,
            depth_um=12_500,
            volume_ul=1_000,
            syringe_label="SAIL-K001-01",
            performer_id=1,
            recorder_id=1,
            deviation_reason="moved",
            skip_reason=None,
            skip_detail=None,
            relocated=True,
            actual_x_e4=int((site.x + Decimal(dx)) * 10_000),
            actual_y_e4=int((site.y + Decimal(dy)) * 10_000),
            voided=False,
            void_reason=None,
        )
        return relocation_text(entry, protocol)

    assert "right" not in moved(front, "0.02", "0")
    assert "injected medial of the planned point" in moved(front, "0.02", "0")
    assert "injected lateral of the planned point" in moved(back, "0.02", "0")
    assert "injected proximal and lateral of the planned point" in moved(front, "-0.02", "-0.03")
    assert "injected at the planned point" in moved(back, "0.001", "0")
