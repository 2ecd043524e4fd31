"""The audit trail as a monitor reads it: everything about a subject found by its study ID
(report prints and exports included, old databases too), the export holding exactly what the
filter shows, and people, accounts and changes in words rather than ids."""

from __future__ import annotations

import csv
import io

from slidesk.services.audit import trail as audit_trail
from slidesk.services.audit.trail import AuditFilter
from slidesk.services.procedure import corrections
from slidesk.services.reporting.service import ReportPurpose, issue_report


def _printed(team):
    """A started procedure of SAIL-01-001 whose draft report was printed and exported, and a
    second subject's procedure beside it."""
    view = team.started_procedure()
    view = team.inject(view.id, view.next_site_no, "1")
    for purpose in (ReportPurpose.PRINT, ReportPurpose.EXPORT):
        issue_report(
            uow=team.uow,
            clock=team.clock,
            actor=team.monitor,
            procedure_id=view.id,
            purpose=purpose,
        )
    other = team.started_procedure("SAIL-01-002", kit="SAIL-K002")
    return view, other


def _entries(team, **filters):
    return audit_trail.read_page(
        uow=team.uow, actor=team.monitor, audit_filter=AuditFilter(**filters), limit=5000
    ).entries


def test_a_printed_report_is_found_by_the_subjects_study_id(team):
    view, _other = _printed(team)
    kinds = [e.event_type for e in _entries(team, study_id="SAIL-01-001")]
    assert "report.print" in kinds
    assert "report.export" in kinds
    report = next(
        e for e in _entries(team, study_id="SAIL-01-001") if e.event_type == "report.print"
    )
    assert report.study_id == "SAIL-01-001"
    assert report.procedure_id == view.id
    assert not [
        e for e in _entries(team, study_id="SAIL-01-002") if e.event_type.startswith("report.")
    ]


def test_report_entries_are_written_with_their_subject(team):
    view, _other = _printed(team)
    with team.uow.read() as tx:
        rows = [r for r in tx.audit.iter_all() if r["event_type"].startswith("report.")]
        subject = tx.procedures.get(view.id).subject_id
    assert rows
    assert {r["subject_id"] for r in rows} == {subject}


def test_an_old_entry_that_names_only_its_procedure_is_found_by_the_subject(team):
    view, _other = _printed(team)
    # As older databases wrote report events: the procedure, no subject.
    with team.uow.begin(actor=team.monitor, clock=team.clock) as tx:
        tx.event(
            event_type="report.open",
            entity="procedures",
            entity_id=str(view.id),
            procedure_id=view.id,
            details={"document_id": "SLI-OLD"},
        )
        tx.commit()
    found = [e for e in _entries(team, study_id="SAIL-01-001") if e.event_type == "report.open"]
    assert len(found) == 1
    assert found[0].study_id == "SAIL-01-001"
    everything = _entries(team)
    assert next(e for e in everything if e.event_type == "report.open").study_id == "SAIL-01-001"


def test_the_export_holds_exactly_the_entries_the_filter_shows(team, tmp_path):
    _printed(team)
    chosen = AuditFilter(study_id="SAIL-01-001")
    shown = {e.seq for e in _entries(team, study_id="SAIL-01-001")}
    count = audit_trail.count_entries(uow=team.uow, actor=team.monitor, audit_filter=chosen)
    written = audit_trail.export_csv(
        uow=team.uow,
        clock=team.clock,
        actor=team.monitor,
        audit_filter=chosen,
        path=tmp_path / "subject.csv",
    )
    rows = list(csv.DictReader(io.StringIO(written.path.read_text(encoding="utf-8-sig"))))
    rows = rows[:-1]  # the last line names the checkpoint in force
    assert {int(r["seq"]) for r in rows} == shown
    assert written.entries == count == len(shown)
    assert written.rows == len(rows) > written.entries
    assert {r["subject"] for r in rows} == {"SAIL-01-001"}
    assert "report.print" in {r["event type"] for r in rows}
    # The export of the subject's trail is itself found in the subject's trail.
    newest = _entries(team, study_id="SAIL-01-001")[0]
    assert newest.event_type == "export.audit_trail"
    assert newest.study_id == "SAIL-01-001"


def test_a_sign_in_names_the_account_holder_and_says_what_it_recorded(team):
    (entry,) = _entries(team, event_prefix="auth.sign-in", username="nurse")
    assert entry.record == "Own account"  # beside the person who signed in
    assert entry.who == "Nina Nurse (nurse)"  # a sign-in acts in no role yet
    (change,) = entry.changes
    assert change.label == "password change due"
    assert change.sentence == "Password change due: yes."  # a one-time password
    (created,) = [
        e
        for e in _entries(team, username="admin", event_prefix="user.")
        if e.action == "create" and e.entity_id == str(team.nurse.user_id)
    ]
    assert created.record == "Account of Nina Nurse (nurse)"


def test_people_in_changed_fields_are_named_without_internal_ids(team):
    view = team.started_procedure()
    created = next(
        e
        for e in _entries(team, procedure_id=view.id, newest_first=False)
        if e.entity == "procedures" and e.action == "create"
    )
    people = {c.field: c.new for c in created.changes if c.field.endswith(("_id", "_by"))}
    assert people["operator_id"] == "Olga Operator (operator)"
    assert people["nurse_id"] == "Nina Nurse (nurse)"
    assert all("#" not in text for text in people.values())
    assert created.who == "Olga Operator (operator) as operator"
    subject = next(c for c in created.changes if c.field == "subject_id")
    assert (subject.label, subject.new) == ("subject", "SAIL-01-001")


def test_a_subject_record_is_named_by_its_study_id(team):
    team.subject("SAIL-01-009")
    (registered,) = [e for e in _entries(team, study_id="SAIL-01-009") if e.entity == "subjects"]
    assert registered.record == "Subject SAIL-01-009"


def test_a_correction_reads_as_a_sentence(team):
    view = team.started_procedure()
    view = team.inject(view.id, view.next_site_no, "1")
    entry = view.entries[-1]
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=entry.id,
        reason="ultrasound showed 14 mm",
        depth_mm="14.0",
    )
    (corrected,) = _entries(team, event_prefix="site.corrected")
    depth = next(c for c in corrected.changes if c.field == "depth_um")
    assert depth.sentence == "Depth (mm) changed from 12.5 to 14."
