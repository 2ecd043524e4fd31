"""The procedure PDF (OUT-01, SIG-03): every section's text checked against the database."""

from __future__ import annotations

import functools
import io
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from pypdf import PdfReader

from slidesk.domain.values import Limb
from slidesk.reports.pdf import KEYWORD_HASH, build_pdf
from slidesk.services.procedure import completion
from slidesk.services.procedure import service as procedures
from slidesk.services.procedure.corrections import correct_entry
from slidesk.services.reporting.data import procedure_report
from slidesk.services.sedation import adverse_events
from slidesk.services.sedation import monitoring as monitoring
from slidesk.services.sedation import service as sedation
from tests.conftest import NOT_CHARTED, PASSWORD
from tests.signing_helpers import completed_procedure, sign

CET = ZoneInfo("Europe/Amsterdam")  # +01:00 in November
# Words that would reveal or suggest the blinded allocation.
ARM_WORDS = re.compile(r"\b(placebo|verum|active|sham|allocation|allocated|arm)\b", re.I)


def _pdf(team, procedure_id: int, version: int | None = None) -> tuple[bytes, object]:
    report = procedure_report(
        uow=team.uow,
        actor=team.monitor,
        procedure_id=procedure_id,
        generated_at=team.clock.now(),
        version=version,
        tz=CET,
    )
    return build_pdf(report), report


@functools.lru_cache(maxsize=4)
def _extract(data: bytes) -> tuple[list[str], list[list[list[str | None]]]]:
    """Page texts and every table, parsed once per PDF (pdfplumber is the slow part)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [p.filter(_body_text) for p in pdf.pages]
        texts = [page.extract_text() or "" for page in pages]
        tables = [t for page in pages for t in page.extract_tables()]
    return texts, tables


def _body_text(obj: dict) -> bool:
    """Not the draft watermark (54 pt across the page) nor the chart's rotated labels."""
    return obj.get("object_type") != "char" or (obj["upright"] and obj["size"] < 30)


def _pages(data: bytes) -> list[str]:
    return _extract(data)[0]


def _rows(data: bytes, *head: str) -> list[list[str]]:
    """Body rows of every table (over all pages) whose header starts with `head`; cell text
    with line breaks turned into spaces."""
    found: list[list[str]] = []
    for table in _extract(data)[1]:
        if table and table[0][: len(head)] == list(head):
            found += [[(c or "").replace("\n", " ") for c in r] for r in table[1:]]
    return found


def _site_rows(data: bytes) -> dict[str, list[str]]:
    return {r[0]: r for r in _rows(data, "Site", "Label")}


def test_the_signed_report_carries_every_section_as_the_database_has_it(team) -> None:
    view = completed_procedure(team, corrections=2)
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    view = procedures.get_procedure(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    data, report = _pdf(team, view.id)
    pages = _pages(data)
    text = "\n".join(pages)
    # Header: study, protocol id + version, subject, procedure, limb, kit.
    for expected in (
        "SAIL version 1.0-provisional",
        "NCT03042572",
        "SAIL-01-001",
        "SAIL-K001",
        "Right",
        "Procedure ID",
        "Version 1 — signed",
        "Time-out checklist",
    ):
        assert expected in text, expected
    # Checklist items with who confirmed them.
    for item in team.uow.protocols.default.checklist:
        assert item.text[:40] in text.replace("\n", " ")
    # The site table equals the database, site by site.
    rows = _site_rows(data)
    assert len(rows) == 30
    for site in view.sites:
        row = rows[str(site.number)]
        assert row[1] == site.label
        entry = site.entry
        assert entry is not None
        if entry.syringe_label:
            assert row[5] == entry.syringe_label
            assert row[3] == f"{entry.depth.mm:.1f}"
            assert row[4] == f"{entry.volume.ml:.1f}"
            local = entry.performed_at.astimezone(CET).strftime("%H:%M:%S")
            assert row[2].replace("\n", " ") == f"{local} +01:00"
        else:
            assert "Skipped: Ulcer at the site" in row[8].replace("\n", " ")
    assert "Thin muscle layer over the tibia" in rows["23"][8].replace("\n", " ")
    # Totals, corrections, signatures (name, date/time with offset, meaning).
    assert "29 of 30" in text
    assert "29.0 mL" in text
    corrections = _rows(data, "When", "By")
    assert [r[4] for r in corrections] == [
        "Depth read again from the needle marks (check 1)",
        "Depth read again from the needle marks (check 2)",
    ]
    assert corrections[0][1] == "Olga Operator"
    assert corrections[0][3] == "depth 12.5 mm → 13.0 mm"
    signatures = _rows(data, "Signed by", "Meaning")
    assert [r[1] for r in signatures] == [
        "Performed and verified the injections",
        "Verified the sedation and monitoring record",
        "Reviewed the procedure record (reviewer, optional)",
    ]
    for sig, row in zip(report.signatures, signatures, strict=False):
        assert row[0].startswith(sig.printed_name)
        assert row[2] == sig.signed_at_text
        assert re.fullmatch(r"\d\d \w{3} \d{4} \d\d:\d\d \+01:00", row[2])
    # Footer on every page: page x of y, document ID, record hash.
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in page
        assert report.document_id in page
        assert report.record_hash in page
    assert KEYWORD_HASH + report.record_hash in (PdfReader(io.BytesIO(data)).metadata or {}).get(
        "/Keywords", ""
    )
    assert ARM_WORDS.search(_without_statement(text, report)) is None


def _flat(text: str) -> str:
    return " ".join(text.split())


def _without_statement(text: str, report) -> str:
    """The text without the protocol's statement of what a syringe holds (which names the
    blinding itself): nothing else may name an arm or an allocation."""
    flat, statement = _flat(text), _flat(report.protocol_statement)
    assert statement in flat
    return flat.replace(statement, "")


def test_the_same_report_gives_the_same_bytes(team) -> None:
    view = completed_procedure(team)
    first, _ = _pdf(team, view.id)
    second, _ = _pdf(team, view.id)
    assert first == second
    assert b"DejaVuSans" in first  # the font is embedded


def test_a_left_limb_report_says_left_and_draft_until_signed(team) -> None:
    view = completed_procedure(team, limb=Limb.LEFT)
    data, report = _pdf(team, view.id)
    text = "\n".join(_pages(data))
    assert "Left leg — back" in text
    assert "Left leg — front" in text
    assert "Draft — not signed" in text
    assert "Not signed" in text
    assert not report.signed


def _sedation_heavy(team):
    """A long procedure: 40 doses, 30 vital-sign sets, 5 adverse events, 30 corrections."""
    view = team.started_procedure()
    u, c, nurse, op = team.uow, team.clock, team.nurse, team.operator
    for i in range(40):
        c.advance(seconds=30)
        drug, amount, unit = ("fentanyl", "25", "ug") if i % 2 == 0 else ("midazolam", "0.5", "mg")
        sedation.record_dose(
            uow=u,
            clock=c,
            actor=nurse,
            procedure_id=view.id,
            drug_key=drug,
            amount=amount,
            unit_code=unit,
            limit_reason="Agreed with the operator: patient in pain (test)",
        )
    for i in range(30):
        c.advance(seconds=20)
        monitoring.record_vitals(
            uow=u,
            clock=c,
            actor=nurse,
            procedure_id=view.id,
            hr=70 + i % 9,
            systolic=125 + i % 7,
            diastolic=78 + i % 5,
            spo2=96 + i % 3,
            rr=14,
        )
    for i in range(5):
        adverse_events.record_adverse_event(
            uow=u,
            clock=c,
            actor=op,
            procedure_id=view.id,
            term=f"Injection site haematoma {i + 1}",
            onset_at=c.now() - timedelta(minutes=1),
            grade=1,
            related_product="unlikely",
            related_procedure="probable",
            related_sedation="unlikely",
            expectedness="expected",
        )
    return view


def test_a_long_procedure_flows_over_pages_with_nothing_lost(team) -> None:
    base = _sedation_heavy(team)
    for n, site in enumerate(base.sites, start=1):
        team.inject(base.id, site.number, str(n))
    view = procedures.get_procedure(uow=team.uow, actor=team.operator, procedure_id=base.id)
    for i, entry in enumerate(e for e in view.entries if not e.voided):
        team.clock.advance(seconds=5)
        correct_entry(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            entry_id=entry.id,
            depth_mm="13",
            reason=f"Needle marks re-read, round {i + 1}",
        )
    completion.complete_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=base.id,
        gaps_reason=NOT_CHARTED,
    )
    data, report = _pdf(team, base.id)
    pages = _pages(data)
    text = "\n".join(pages)
    assert len(pages) >= 5
    assert len(_site_rows(data)) == 30
    reasons = [r[4] for r in _rows(data, "When", "By")]
    assert reasons == [f"Needle marks re-read, round {i + 1}" for i in range(30)]
    terms = [t[0][1] for t in _extract(data)[1] if t and t[0][0] == "Term"]
    assert terms == [f"Injection site haematoma {i + 1}" for i in range(5)]
    doses = next(t for t in report.sedation if t.title == "Medication given")
    vitals = next(t for t in report.sedation if t.title == "Vital signs")
    assert len(doses.rows) == 40
    assert len(vitals.rows) == 30
    # The header row repeats on each page; no row is lost or doubled at a page break.
    assert len(_rows(data, "Time", "Drug")) == 40
    assert [r[1] for r in _rows(data, "Time", "HR")] == [str(70 + i % 9) for i in range(30)]
    assert "Vital signs over time" in text
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in page
    assert ARM_WORDS.search(_without_statement(text, report)) is None


@pytest.mark.parametrize("version", [1, 2])
def test_each_version_report_shows_its_own_content(team, version) -> None:
    view = completed_procedure(team)
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    from slidesk.services.signing import service as signing

    signing.open_amendment(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        reason="Depth at site 12 transcribed wrongly",
        password=PASSWORD,
        hasher=team.hasher,
    )
    entry = next(e for e in view.entries if e.site_no == 12 and not e.voided)
    correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=entry.id,
        depth_mm="14",
        reason="Transcription error",
    )
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    data, _ = _pdf(team, view.id, version=version)
    text = "\n".join(_pages(data))
    depth = _site_rows(data)["12"][3]
    if version == 1:
        assert depth == "12.5"
        assert "superseded by version 2" in text
        assert "Amendment" not in text.split("Version history")[0]
    else:
        assert depth == "14.0"
        assert "Amendment 1 — Depth at site 12 transcribed wrongly — supersedes version 1" in text
        assert "Site 12: depth 12.5 mm → 14.0 mm" in text
