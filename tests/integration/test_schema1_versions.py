"""Versions signed before the snapshot grew (schema 1) keep verifying, reporting and diffing.

`tests/fixtures/schema1/schema1.sqlite3` was made by the release that signed in schema 1 (see
make_schema1_db.py): procedure 1 signed, amended and signed again (both reports archived),
procedure 2 signed, procedure 3 signed with an amendment left open."""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pdfplumber
import pytest

from slidesk.persistence.rows.signing import SigningRepository
from slidesk.reports.pdf import build_pdf
from slidesk.services.accounts import service as accounts
from slidesk.services.audit.verify import verify_database
from slidesk.services.procedure import corrections
from slidesk.services.procedure import service as procedures
from slidesk.services.record.codec import stored_schema
from slidesk.services.record.snapshot import SNAPSHOT_SCHEMA, build_snapshot, live_hash
from slidesk.services.reporting.data import procedure_report
from slidesk.services.reporting.service import ReportPurpose, issue_report
from slidesk.services.sedation import monitoring as monitoring
from slidesk.services.signing import service as signing
from slidesk.services.signing.dto import RECORD_CHANGED
from slidesk.services.workstation.database import open_database
from tests.conftest import PASSWORD
from tests.fakes import FakeClock, cheap_hasher

FIXTURE = Path(__file__).parents[1] / "fixtures" / "schema1" / "schema1.sqlite3"
AMS = ZoneInfo("Europe/Amsterdam")


class Old:
    """The fixture's database, opened (and so migrated) by this release."""

    def __init__(self, path: Path) -> None:
        self.db = open_database(path)
        self.uow = self.db.uow
        self.clock = FakeClock(start=datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
        self.hasher = cheap_hasher()
        self.operator = self.sign_in("operator")
        self.monitor = self.sign_in("monitor")

    def sign_in(self, username: str):
        return accounts.authenticate(
            uow=self.uow,
            clock=self.clock,
            username=username,
            password=PASSWORD,
            hasher=self.hasher,
        )

    def sign(self, procedure_id: int, meaning: str, username: str) -> None:
        self.clock.advance(minutes=1)
        review = signing.review_for_signing(
            uow=self.uow, actor=self.operator, procedure_id=procedure_id
        )
        signing.sign_record(
            uow=self.uow,
            clock=self.clock,
            actor=self.operator,
            procedure_id=procedure_id,
            meaning_role=meaning,
            username=username,
            password=PASSWORD,
            acknowledged={f.code for f in review.warnings},
            hasher=self.hasher,
        )

    def pdf_text(self, procedure_id: int, version: int | None = None) -> str:
        report = procedure_report(
            uow=self.uow,
            actor=self.monitor,
            procedure_id=procedure_id,
            generated_at=self.clock.now(),
            tz=AMS,
            version=version,
        )
        with pdfplumber.open(io.BytesIO(build_pdf(report))) as pdf:
            return " ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split())


@pytest.fixture
def old(tmp_path):
    path = tmp_path / "schema1.sqlite3"
    shutil.copyfile(FIXTURE, path)
    opened = Old(path)
    yield opened
    opened.db.close()


def _stored(old: Old, procedure_id: int) -> list:
    with old.uow.read() as tx:
        return list(tx.repo(SigningRepository).versions(procedure_id))


def test_the_fixture_holds_schema_1_versions(old) -> None:
    assert [stored_schema(v.content_json) for p in (1, 2, 3) for v in _stored(old, p)] == [1] * 4


def test_schema_1_versions_still_verify_after_the_upgrade(old) -> None:
    result = verify_database(uow=old.uow)
    assert result.intact, result.summary()
    for procedure_id in (1, 2):
        review = signing.review_for_signing(
            uow=old.uow, actor=old.monitor, procedure_id=procedure_id
        )
        assert review.status.value == "signed"
        assert review.integrity_problem is None


def test_a_signed_record_is_compared_in_the_schema_it_was_signed_in(old) -> None:
    latest = _stored(old, 1)[-1]
    with old.uow.read() as tx:
        richer = build_snapshot(tx, 1)
        assert richer.schema == SNAPSHOT_SCHEMA
        # Rebuilt in schema 2 it holds more and hashes differently, though nothing changed …
        assert richer.content_hash != latest.content_hash
        # … rebuilt as schema 1 built it, it is what was signed.
        assert live_hash(tx, 1, 1) == latest.content_hash


def test_a_change_to_a_schema_1_signed_record_is_still_caught(old, tmp_path) -> None:
    old.db.close()
    path = tmp_path / "schema1.sqlite3"
    con = sqlite3.connect(path)
    con.execute("UPDATE site_entries SET depth_um = 14000 WHERE procedure_id = 2 AND site_no = 1")
    con.commit()
    con.close()
    reopened = Old(path)
    try:
        summary = verify_database(uow=reopened.uow).summary()
        assert f"procedure 2: {RECORD_CHANGED}" in summary
        review = signing.review_for_signing(
            uow=reopened.uow, actor=reopened.monitor, procedure_id=2
        )
        assert review.integrity_problem is not None
    finally:
        reopened.db.close()


def test_the_reports_of_schema_1_versions_print_what_was_signed(old) -> None:
    first = old.pdf_text(1, version=1)
    second = old.pdf_text(1, version=2)
    assert "superseded by version 2" in first
    assert "Amendment 1 — Depth at site 12 transcribed wrongly — supersedes version 1" in second
    assert "Site 12: depth 12.5 mm → 14.0 mm" in second
    assert "record format 1" in second
    assert "1 – mild" in second
    assert "1 1 – mild" not in second  # the grade once
    assert "Cells injected" not in second
    assert re.search(r"\d\d:\d\d:\d\d\.\d+Z", second) is None  # no raw UTC time on paper


def test_an_archived_schema_1_report_is_returned_as_first_issued(old) -> None:
    with old.uow.read() as tx:
        stored = {d.version: d.pdf for d in tx.repo(SigningRepository).documents(1)}
    issued = issue_report(
        uow=old.uow,
        clock=old.clock,
        actor=old.monitor,
        procedure_id=1,
        purpose=ReportPurpose.EXPORT,
        version=2,
        tz=AMS,
    )
    assert issued.from_archive
    assert issued.pdf == stored[2]
    assert issued.time_zone is None  # issued before the zone was kept with it
    assert verify_database(uow=old.uow).intact


def test_an_amendment_opened_before_the_upgrade_is_signed_in_schema_2(old) -> None:
    view = procedures.get_procedure(uow=old.uow, actor=old.operator, procedure_id=3)
    entry = next(e for e in view.entries if e.site_no == 12 and not e.voided)
    old.clock.advance(minutes=2)
    corrections.correct_entry(
        uow=old.uow,
        clock=old.clock,
        actor=old.operator,
        entry_id=entry.id,
        depth_mm="14",
        reason="Transcription error",
    )
    nurse = old.sign_in("nurse")
    monitoring.record_vitals(
        uow=old.uow,
        clock=old.clock,
        actor=nurse,
        procedure_id=3,
        # A late entry during an amendment carries when it was measured (domain.amendments).
        measured_at=view.started_at + timedelta(minutes=3),
        hr=70,
        spo2=97,
        note="Charted late from the paper sheet",
    )
    review = signing.review_for_signing(uow=old.uow, actor=old.operator, procedure_id=3)
    changes = [f.message for f in review.warnings if f.code.startswith("amended:")]
    assert "Changed since version 1: Site 12: depth 12.5 mm → 14.0 mm" in changes
    late = (view.started_at + timedelta(minutes=3)).astimezone(old.clock.zone)
    assert f"Changed since version 1: Vital signs at {late:%H:%M}: new entry" in changes
    old.sign(3, "operator", "operator")
    old.sign(3, "nurse", "nurse")
    versions = _stored(old, 3)
    assert [stored_schema(v.content_json) for v in versions] == [1, SNAPSHOT_SCHEMA]
    assert verify_database(uow=old.uow).intact
    text = old.pdf_text(3, version=2)
    assert "Site 12: depth 12.5 mm → 14.0 mm" in text
    assert f"Vital signs at {late:%H:%M}: new entry" in text
    assert "#" not in text.split("Changed since")[-1].split("Time-out")[0]  # no database ids
