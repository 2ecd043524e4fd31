"""One vocabulary of audit events: every event type is an `AuditEvent` member with its label,
old trails stay readable, and the core writes no event type as loose text."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

from slidesk.domain.events import AuditEvent
from slidesk.services.audit.words import event_label, event_of

ROOT = Path(__file__).parents[2]
CORE = ROOT / "slidesk"
SCHEMA1 = ROOT / "tests" / "fixtures" / "schema1" / "schema1.sqlite3"
# The enum itself, and the migrations: frozen history that writes its own entries (they must
# still be members; tests/integration/test_audit_events.py reads an upgraded trail).
NOT_SCANNED = (CORE / "domain" / "events.py", CORE / "persistence" / "migrations")
WRITER_KEYWORDS = {"event_type", "success_event"}


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


def _scanned() -> list[Path]:
    return [
        path
        for path in sorted(CORE.rglob("*.py"))
        if not any(path == skip or path.is_relative_to(skip) for skip in NOT_SCANNED)
    ]


def _loose_event_texts(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    in_fstring = {
        part
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in ast.walk(node)
        if part is not node
    }
    values = {event.value for event in AuditEvent}
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            docstring = isinstance(parents.get(node), ast.Expr)
            if node.value in values and node not in in_fstring and not docstring:
                found.append(
                    f"{where}: {node.value!r} (write AuditEvent.{AuditEvent(node.value).name})"
                )
        if isinstance(node, ast.keyword) and node.arg in WRITER_KEYWORDS:
            for part in _written(node.value):
                if isinstance(part, ast.JoinedStr):
                    found.append(f"{where}: an f-string event type (wrap it: AuditEvent(f'…'))")
                    continue
                text = part.value if isinstance(part, ast.Constant) else None
                if isinstance(text, str) and text not in values:
                    found.append(f"{where}: {text!r} is not an AuditEvent member")
    return found


def _written(value: ast.expr) -> list[ast.expr]:
    """The expressions an `event_type=` argument may hand over (through `or` and `if … else`)."""
    if isinstance(value, ast.BoolOp):
        return [part for v in value.values for part in _written(v)]
    if isinstance(value, ast.IfExp):
        return _written(value.body) + _written(value.orelse)
    return [value]


def test_the_core_writes_no_event_type_as_loose_text() -> None:
    """Writers and readers name events by member, never by their stored text (the unit of work
    also refuses an unnamed one at run time); an event type built from parts is wrapped in
    `AuditEvent(...)` so that a part no member names raises where it is written."""
    found = [line for path in _scanned() for line in _loose_event_texts(path)]
    assert found == []
