"""Every report PDF and audit export names the checkpoint in force when it was issued."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from slidesk.cli.main import main
from slidesk.integrity.witness import read_witness, witness_file
from slidesk.integrity.witness_writer import WRITER
from slidesk.services.accounts import admin as account_admin
from slidesk.services.audit.checkpoints import enable_automatic
from slidesk.services.audit.trail import AuditFilter, export_csv
from slidesk.services.reporting.service import ReportPurpose, issue_report
from tests.conftest import Team
from tests.signing_helpers import completed_procedure, sign

MARK = re.compile(r"Checkpoint #(\d+) · entry (\d+) · ([0-9a-f]{16})…")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _checkpoints(team: Team) -> list[dict[str, object]]:
    with sqlite3.connect(team.db.location) as con:
        lines = [r[0] for r in con.execute("SELECT line FROM checkpoints ORDER BY number")]
    return [json.loads(line) for line in lines]


def _numbers(matching: str) -> set[int]:
    """ "#1–#3, #5" → {1, 2, 3, 5}."""
    found: set[int] = set()
    for part in matching.split(", "):
        first, _, last = part.partition("–")
        found.update(range(int(first[1:]), int((last or first)[1:]) + 1))
    return found


def test_a_report_names_the_checkpoint_that_verify_then_reports_as_matching(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("slidesk.paths.user_data_dir", lambda: tmp_path / "data")
    keys = tmp_path / "keys"
    enable_automatic(team.uow, key_folder=keys, witness_wait=10.0)  # the configured folder
    view = completed_procedure(team)
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    newest = _checkpoints(team)[-1]  # the last signature's
    issued = issue_report(
        uow=team.uow,
        clock=team.clock,
        actor=team.monitor,
        procedure_id=view.id,
        purpose=ReportPurpose.EXPORT,
        key_folder=keys,
    )
    if os.environ.get("SLIDESK_SHOTS"):  # to look at: pdftoppm -r 70 -png …
        Path(os.environ["SLIDESK_SHOTS"]).mkdir(parents=True, exist_ok=True)
        (Path(os.environ["SLIDESK_SHOTS"]) / "report-checkpoint.pdf").write_bytes(issued.pdf)
    text = _pdf_text(issued.pdf)
    found = MARK.search(text)
    assert found is not None, text[-600:]
    number, seq, head = int(found[1]), int(found[2]), found[3]
    # The newest checkpoint when it was issued; the one vouching for the report's own entry
    # comes after it.
    assert (number, seq, head) == (newest["n"], newest["seq"], str(newest["head"])[:16])
    assert _checkpoints(team)[-1]["n"] == number + 1
    assert _checkpoints(team)[-1]["reason"] == "report"
    assert issued.checkpoint == found[0]
    assert WRITER.settle(10.0)
    team.db.close()
    assert main(["--db", team.db.location, "verify", "--witness"]) == 0
    out = capsys.readouterr().out
    with sqlite3.connect(team.db.location) as con:
        identity = con.execute("SELECT identity FROM database_identity").fetchone()[0]
    witness = witness_file(tmp_path / "data" / "witnesses", identity)
    checked = next(line for line in out.splitlines() if line.startswith(f"Checked {witness}:"))
    matching = checked.split("matching the chain: ")[1].rstrip(".")
    assert number in _numbers(matching), checked
    line = next(w for w in read_witness(witness) if w.checkpoint.checkpoint.number == number)  # type: ignore[union-attr]
    assert line.checkpoint.checkpoint.head.startswith(head)  # type: ignore[union-attr]


def test_an_archived_report_gives_the_same_bytes_with_the_checkpoint_it_first_printed(
    team: Team, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    enable_automatic(team.uow, key_folder=keys, witness_folders=[tmp_path / "w"])
    view = completed_procedure(team)
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")

    def issue():  # type: ignore[no-untyped-def]
        return issue_report(
            uow=team.uow,
            clock=team.clock,
            actor=team.monitor,
            procedure_id=view.id,
            purpose=ReportPurpose.PRINT,
            key_folder=keys,
        )

    first = issue()
    team.clock.advance(hours=2)
    team.inject(team.started_procedure(study_id="SAIL-01-002", kit="SAIL-K002").id, 1, "1")
    again = issue()  # newer checkpoints since; the archived version prints the one it had
    assert again.from_archive
    assert again.pdf == first.pdf
    assert again.checkpoint == first.checkpoint
    assert MARK.search(_pdf_text(again.pdf))[0] == first.checkpoint  # type: ignore[index]
    assert len(_checkpoints(team)) > int(MARK.search(first.checkpoint)[1]) + 1  # type: ignore[index]


def test_the_audit_export_ends_with_the_checkpoint_in_force(team: Team, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    enable_automatic(team.uow, key_folder=keys, witness_folders=[tmp_path / "w"])
    completed_procedure(team)
    newest = _checkpoints(team)[-1]
    written = export_csv(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        audit_filter=AuditFilter(),
        path=tmp_path / "trail.csv",
    )
    if os.environ.get("SLIDESK_SHOTS"):
        Path(os.environ["SLIDESK_SHOTS"]).mkdir(parents=True, exist_ok=True)
        (Path(os.environ["SLIDESK_SHOTS"]) / "trail.csv").write_bytes(written.path.read_bytes())
    rows = list(csv.reader(io.StringIO(written.path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1 + written.rows + 1  # header, the rows, the checkpoint
    assert rows[-1] == [
        f"Checkpoint #{newest['n']} · entry {newest['seq']} · {str(newest['head'])[:16]}…"
    ]
    with sqlite3.connect(team.db.location) as con:
        details = con.execute(
            "SELECT changes FROM audit_log WHERE event_type = 'export.audit_trail'"
        ).fetchone()[0]
    assert rows[-1][0] in details  # kept in the export's audit entry too


def test_the_access_review_ends_with_the_checkpoint_in_force(team: Team, tmp_path: Path) -> None:
    enable_automatic(team.uow, key_folder=tmp_path / "keys", witness_folders=[tmp_path / "w"])
    completed_procedure(team)
    newest = _checkpoints(team)[-1]
    written = account_admin.export_access_review(
        uow=team.uow, clock=team.clock, actor=team.admin, path=tmp_path / "review.csv"
    )
    rows = list(csv.reader(io.StringIO(written.path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1 + written.rows + 1  # header, the accounts, the checkpoint
    mark = f"Checkpoint #{newest['n']} · entry {newest['seq']} · {str(newest['head'])[:16]}…"
    assert rows[-1] == [mark]
    with sqlite3.connect(team.db.location) as con:
        details = con.execute(
            "SELECT changes FROM audit_log WHERE event_type = 'export.access_review'"
        ).fetchone()[0]
    assert mark in details
    after = _checkpoints(team)[-1]  # the export is a milestone: a checkpoint vouches for it
    assert (after["n"], after["reason"]) == (int(newest["n"]) + 1, "export")
