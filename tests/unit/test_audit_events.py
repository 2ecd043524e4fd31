"""One vocabulary of audit events: every event type is an `AuditEvent` member with its label,
and old trails stay readable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from slidesk.domain.events import AuditEvent
from slidesk.services.audit.words import event_label, event_of

ROOT = Path(__file__).parents[2]
SCHEMA1 = ROOT / "tests" / "fixtures" / "schema1" / "schema1.sqlite3"


def test_every_member_has_its_own_value_and_a_label() -> None:
    assert len(AuditEvent.__members__) == len(list(AuditEvent)), "two members share a value"
    for event in AuditEvent:
        assert event.label.strip(), f"{event.name} has no label"
        assert event.value == str(event)
    labels = [event.label for event in AuditEvent]
    assert len(set(labels)) == len(labels), "two events read the same in the audit viewer"


def test_a_member_is_found_by_its_stored_text() -> None:
    assert AuditEvent("site.corrected") is AuditEvent.SITE_CORRECTED
    assert event_of("site.corrected") is AuditEvent.SITE_CORRECTED
    assert event_label("site.corrected") == "Injection corrected"


def test_text_no_member_names_is_shown_as_stored() -> None:
    assert event_of("export.test") is None
    assert event_label("export.test") == "export.test"


def test_both_amendment_entries_stay_readable_and_read_differently() -> None:
    """An amendment writes two entries: the amendment row and the procedure's status change."""
    row, status = AuditEvent("amendment.opened"), AuditEvent("procedure.amendment_opened")
    assert row is AuditEvent.AMENDMENT_OPENED
    assert status is AuditEvent.PROCEDURE_AMENDMENT_OPENED
    assert row.label != status.label


def test_every_event_type_of_a_trail_written_by_an_older_release_is_a_member() -> None:
    with sqlite3.connect(f"file:{SCHEMA1}?mode=ro", uri=True) as conn:
        stored = [r[0] for r in conn.execute("SELECT DISTINCT event_type FROM audit_log")]
    assert stored
    unnamed = [text for text in stored if event_of(text) is None]
    assert unnamed == []
