"""Issued reports: PAdES seal, archive of signed versions, audit of export, verify-pdf, CLI."""

from __future__ import annotations

import io
import json
import sqlite3
import stat
from zoneinfo import ZoneInfo

import pypdf
import pytest

from slidesk.cli import main as cli
from slidesk.reports.certificates import PASSPHRASE_NAME, load_signing_key
from slidesk.reports.pdfsign import check_pdf
from slidesk.services.procedure import corrections
from slidesk.services.reporting.service import ReportPurpose, issue_report, verify_pdf
from slidesk.services.signing import service as signing
from tests.conftest import PASSWORD
from tests.signing_helpers import completed_procedure, sign, signed_procedure

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def keys(tmp_path):
    folder = tmp_path / "keys"
    folder.mkdir()
    return folder


def _issue(team, keys, procedure_id, purpose=ReportPurpose.EXPORT, version=None):
    team.clock.advance(minutes=1)
    return issue_report(
        uow=team.uow,
        clock=team.clock,
        actor=team.monitor,
        procedure_id=procedure_id,
        purpose=purpose,
        version=version,
        key_folder=keys,
        tz=AMS,
    )


def test_the_installation_key_is_created_once_with_an_owner_only_passphrase(keys) -> None:
    first = load_signing_key(keys)
    second = load_signing_key(keys)
    assert first.pkcs12_data == second.pkcs12_data
    mode = stat.S_IMODE((keys / PASSPHRASE_NAME).stat().st_mode)
    assert mode == 0o600
    assert "SLI Desk installation" in first.subject


def test_a_sealed_report_validates_and_a_changed_byte_is_reported_as_modified(team, keys) -> None:
    view = signed_procedure(team)
    issued = _issue(team, keys, view.id)
    assert issued.digitally_signed
    assert issued.seal_problem is None
    key = load_signing_key(keys)
    check = check_pdf(issued.pdf, [key])
    assert check.intact
    assert check.covers_whole_file
    assert check.trusted
    assert check.record_hash == issued.record_hash
    assert check.document_id == issued.document_id
    # One byte changed inside the signed range (in the page content, before the signature).
    damaged = bytearray(issued.pdf)
    at = damaged.index(b"stream", len(damaged) // 4) + 20
    damaged[at] ^= 0x01
    bad = check_pdf(bytes(damaged), [key])
    assert not bad.unmodified
    assert not bad.intact
    appended = check_pdf(issued.pdf + b"\n%% appended later\n", [key])
    assert not appended.unmodified
    assert "oscrypto.keys" not in __import__("sys").modules


def test_a_signed_version_is_archived_and_reissued_unchanged_after_an_amendment(team, keys) -> None:
    view = signed_procedure(team)
    v1 = _issue(team, keys, view.id)
    assert v1.version == 1
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
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=entry.id,
        depth_mm="14",
        reason="Transcription error",
    )
    draft = _issue(team, keys, view.id)
    assert draft.version is None
    assert not draft.archived
    assert not v1.from_archive
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    v2 = _issue(team, keys, view.id)
    again = _issue(team, keys, view.id, version=1)
    assert v2.version == 2
    assert again.from_archive
    assert again.pdf == v1.pdf  # v1's PDF bytes are unchanged
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(v2.pdf)).pages)
    assert "Amendment 1 — Depth at site 12 transcribed wrongly — supersedes version 1" in text
    result = verify_pdf(uow=team.uow, data=v1.pdf, key_folder=keys, tz=AMS)
    assert result.matches_database
    assert "superseded by version 2" in result.record_match


def test_export_and_print_are_audited_events(team, keys) -> None:
    view = completed_procedure(team)
    issued = _issue(team, keys, view.id, ReportPurpose.EXPORT)
    _issue(team, keys, view.id, ReportPurpose.PRINT)
    _issue(team, keys, view.id, ReportPurpose.PREVIEW)
    with sqlite3.connect(team.db.location) as conn:
        events = conn.execute(
            "SELECT event_type, username, changes FROM audit_log WHERE event_type LIKE 'report.%'"
        ).fetchall()
    assert [e[0] for e in events] == ["report.export", "report.print"]
    assert events[0][1] == "monitor"
    assert json.loads(events[0][2])["document_id"] == issued.document_id


def test_verify_pdf_tells_a_report_of_a_changed_record_from_a_current_one(team, keys) -> None:
    view = completed_procedure(team)
    issued = _issue(team, keys, view.id)
    assert verify_pdf(uow=team.uow, data=issued.pdf, key_folder=keys, tz=AMS).matches_database
    entry = next(e for e in view.entries if e.site_no == 5 and not e.voided)
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=entry.id,
        depth_mm="13",
        reason="re-read",
    )
    stale = verify_pdf(uow=team.uow, data=issued.pdf, key_folder=keys, tz=AMS)
    assert stale.intact
    assert not stale.matches_database
    assert "DOES NOT MATCH" in stale.record_match


def test_cli_report_and_verify_pdf(team, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("SLIDESK_PASSWORD", PASSWORD)
    view = signed_procedure(team)
    out = tmp_path / "p.pdf"
    code = cli.main(
        ["--db", team.db.location, "report", str(view.id), "-o", str(out), "--username", "monitor"]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "signed version 1" in printed
    assert out.read_bytes().startswith(b"%PDF")
    assert cli.main(["--db", team.db.location, "verify-pdf", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "INTACT" in printed
    assert "MATCHES signed version 1" in printed
    damaged = bytearray(out.read_bytes())
    at = damaged.index(b"stream", len(damaged) // 4) + 20
    damaged[at] ^= 0x01
    out.write_bytes(bytes(damaged))
    assert cli.main(["--db", team.db.location, "verify-pdf", str(out)]) == 1
    assert "MODIFIED" in capsys.readouterr().out
