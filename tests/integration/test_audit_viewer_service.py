"""The audit-trail service behind the viewer: filters, keyset pages, field lines, CSV export."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from slidesk.domain.errors import PermissionDenied
from slidesk.services.audit import trail as audit_trail
from slidesk.services.audit.trail import AuditFilter
from slidesk.services.procedure import corrections


def _corrected_site(team):
    view = team.started_procedure()
    view = team.inject(view.id, view.next_site_no, "1")
    entry = view.entries[-1]
    team.clock.advance(minutes=2)
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=entry.id,
        reason="typed 12.5, ultrasound showed 14.0",
        depth_mm="14.0",
    )
    return view, entry


def test_history_of_a_site_shows_creation_then_the_correction_with_old_new_and_reason(team):
    _view, entry = _corrected_site(team)
    page = audit_trail.read_page(
        uow=team.uow,
        actor=team.monitor,
        audit_filter=AuditFilter(
            entity="site_entries", entity_id=str(entry.id), newest_first=False
        ),
    )
    kinds = [e.event_type for e in page.entries]
    assert kinds == ["site.injected", "site.corrected"]
    correction = page.entries[-1]
    assert correction.reason == "typed 12.5, ultrasound showed 14.0"
    assert correction.username == "operator"
    assert correction.full_name == "Olga Operator"
    assert correction.role == "operator"
    assert correction.study_id == "SAIL-01-001"
    depth = next(c for c in correction.changes if c.field == "depth_um")
    assert (depth.label, depth.old, depth.new) == ("depth (mm)", "12.5", "14")
    assert correction.local_time.endswith("+01:00")


def test_keyset_pages_cover_every_entry_once_in_both_orders(team):
    _corrected_site(team)
    total = audit_trail.count_entries(uow=team.uow, actor=team.admin, audit_filter=AuditFilter())
    for newest_first in (True, False):
        seen, cursor = [], None
        while True:
            page = audit_trail.read_page(
                uow=team.uow,
                actor=team.admin,
                audit_filter=AuditFilter(newest_first=newest_first),
                cursor=cursor,
                limit=7,
            )
            seen.extend(e.seq for e in page.entries)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert len(seen) == len(set(seen)) == total
        assert seen == sorted(seen, reverse=newest_first)


def test_filters_by_subject_user_procedure_kind_and_date(team):
    _corrected_site(team)
    other = team.started_procedure("SAIL-01-002", kit="SAIL-K002")

    def entries(**kwargs):
        return audit_trail.read_page(
            uow=team.uow, actor=team.monitor, audit_filter=AuditFilter(**kwargs), limit=1000
        ).entries

    assert {e.study_id for e in entries(study_id="sail-01-002")} == {"SAIL-01-002"}
    assert {e.procedure_id for e in entries(procedure_id=other.id)} == {other.id}
    assert {e.username for e in entries(username="NURSE")} == {"nurse"}
    assert {e.event_type for e in entries(event_prefix="site.")} == {
        "site.injected",
        "site.corrected",
    }
    now = team.clock.now()
    assert entries(since=now + timedelta(seconds=1)) == ()
    assert entries(until=now - timedelta(days=1)) == ()
    assert entries(since=now - timedelta(days=1), event_prefix="site.corrected")


def test_unknown_subject_or_user_explains_the_empty_result(team):
    page = audit_trail.read_page(
        uow=team.uow, actor=team.admin, audit_filter=AuditFilter(study_id="SAIL-09-999")
    )
    assert page.entries == ()
    assert "No subject with study ID SAIL-09-999" in (page.notice or "")


def test_a_wildcard_in_the_kind_filter_is_taken_literally(team):
    _corrected_site(team)
    page = audit_trail.read_page(
        uow=team.uow, actor=team.admin, audit_filter=AuditFilter(event_prefix="%")
    )
    assert page.entries == ()


def test_sign_in_events_appear_with_their_details(team):
    page = audit_trail.read_page(
        uow=team.uow,
        actor=team.admin,
        audit_filter=AuditFilter(event_prefix="auth.sign-in", username="nurse"),
    )
    (entry,) = page.entries
    assert entry.changes[0].is_detail
    assert entry.changes[0].field == "must_change_password"


@pytest.mark.parametrize("who", ["operator", "nurse"])
def test_clinical_roles_cannot_read_the_audit_trail(team, who):
    with pytest.raises(PermissionDenied):
        audit_trail.read_page(uow=team.uow, actor=getattr(team, who), audit_filter=AuditFilter())


def test_export_writes_one_bom_csv_line_per_field_and_is_itself_audited(team, tmp_path):
    _view, entry = _corrected_site(team)
    target = tmp_path / "trail.csv"
    written = audit_trail.export_csv(
        uow=team.uow,
        clock=team.clock,
        actor=team.monitor,
        audit_filter=AuditFilter(entity="site_entries", entity_id=str(entry.id)),
        path=target,
    )
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    *rows, last = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert written.rows == len(rows)
    assert last["seq"] == "No checkpoint of the audit trail yet"  # the last line says which
    corrected = [r for r in rows if r["event type"] == "site.corrected"]
    assert [r["field"] for r in corrected] == ["depth (mm)"]
    assert corrected[0]["old value"] == "12.5"
    assert corrected[0]["new value"] == "14"
    last = audit_trail.read_page(
        uow=team.uow, actor=team.admin, audit_filter=AuditFilter(), limit=1
    ).entries[0]
    assert last.event_type == "export.audit_trail"
    details = {c.field: c.new for c in last.changes}
    assert details["sha256"] == written.sha256
    assert json.loads(json.dumps(details))["rows"] == str(written.rows)


def test_a_cancelled_export_leaves_no_file_and_no_audit_entry(team, tmp_path, monkeypatch):
    _corrected_site(team)
    before = audit_trail.count_entries(uow=team.uow, actor=team.admin, audit_filter=AuditFilter())
    original = audit_trail.iter_entries

    def long_trail(**kwargs):  # enough lines to reach the first progress call
        for _ in range(100):
            yield from original(**kwargs)

    monkeypatch.setattr(audit_trail, "iter_entries", long_trail)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(audit_trail.ExportCancelled):
        audit_trail.export_csv(
            uow=team.uow,
            clock=team.clock,
            actor=team.admin,
            audit_filter=AuditFilter(),
            path=folder / "trail.csv",
            progress=lambda _n: False,
        )
    assert list(folder.iterdir()) == []
    after = audit_trail.count_entries(uow=team.uow, actor=team.admin, audit_filter=AuditFilter())
    assert after == before


def test_spreadsheet_formulas_in_free_text_are_neutralised(tmp_path):
    from slidesk.services.csv_files import safe_cell, write_csv

    assert safe_cell('=HYPERLINK("http://x")').startswith("'=")
    assert safe_cell("-1.5") == "-1.5"
    assert safe_cell("-cmd") == "'-cmd"
    write_csv(tmp_path / "x.csv", ["a"], [["@SUM(A1)"]])
    assert "'@SUM(A1)" in (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
