"""The signed record is complete by construction: every audited column is in the snapshot or is
declared kept out with a reason, and every row of a procedure reaches it value for value."""

from __future__ import annotations

import typing
from dataclasses import fields

from sqlalchemy import select

from slidesk.integrity.chain import canonical_value
from slidesk.persistence.rows import audited_classes
from slidesk.services.record.map import NOT_IN_RECORD, RECORD, Kept, copied
from slidesk.services.record.snapshot import RecordSnapshot, build_snapshot
from tests.record_helpers import every_kind_procedure


def _tables() -> dict[str, typing.Any]:
    return {cls.__tablename__: cls.__table__ for cls in audited_classes()}  # type: ignore[attr-defined]


def test_every_audited_table_is_in_the_record_or_kept_out_with_a_reason() -> None:
    tables = _tables()
    undeclared = sorted(set(tables) - set(RECORD) - set(NOT_IN_RECORD))
    assert undeclared == [], "audited tables neither in the record map nor NOT_IN_RECORD"
    assert set(RECORD) & set(NOT_IN_RECORD) == set()
    assert sorted(set(RECORD) | set(NOT_IN_RECORD)) == sorted(tables), "stale declarations"
    assert all(len(reason) > 20 for reason in NOT_IN_RECORD.values())


def test_every_column_of_a_record_table_is_in_the_snapshot_or_kept_out_with_a_reason() -> None:
    header = {f.name for f in fields(RecordSnapshot)}
    problems = []
    for name, table in _tables().items():
        if name not in RECORD:
            continue
        spec = RECORD[name]
        declared = spec.columns
        columns = {c.key for c in table.columns}
        problems += [f"{name}.{c}: not declared" for c in sorted(columns - set(declared))]
        problems += [f"{name}.{c}: no such column" for c in sorted(set(declared) - columns)]
        targets = header if spec.item is None else {f.name for f in fields(spec.item)}
        for column, where in declared.items():
            if isinstance(where, Kept):
                if len(where.reason) < 20:
                    problems.append(f"{name}.{column}: give the reason it is kept out")
            elif where not in targets:
                problems.append(f"{name}.{column}: snapshot has no field {where!r}")
        if spec.item is not None:
            filled = set(copied(name).values())
            problems += [f"{name}: field {f} is filled by no column" for f in targets - filled]
    assert problems == []


def test_the_snapshot_has_every_section_whatever_is_installed() -> None:
    hints = typing.get_type_hints(RecordSnapshot)
    sections = {k: v for k, v in hints.items() if typing.get_origin(v) is tuple}
    assert {
        "entries",
        "checklist",
        "flags",
        "dispositions",
        "doses",
        "oxygen",
        "vitals",
        "events",
        "recovery",
        "adverse_events",
    } <= set(sections)
    # No section may be optional: what a signature covers never depends on an import.
    assert all(
        type(None) not in typing.get_args(v) for v in hints.values() if v in sections.values()
    )


def test_every_row_of_a_procedure_reaches_the_snapshot_value_for_value(team) -> None:
    pid = every_kind_procedure(team).procedure_id
    classes = {cls.__tablename__: cls for cls in audited_classes()}  # type: ignore[attr-defined]
    with team.uow.read() as tx:
        snap = build_snapshot(tx, pid)
        session = tx.session
        for name, spec in RECORD.items():
            cls = classes[name]
            if spec.item is None:
                key = cls.id == (pid if name == "procedures" else snap.subject_id)
                rows = session.scalars(select(cls).where(key)).all()
                items = [snap]
            else:
                rows = session.scalars(select(cls).where(cls.procedure_id == pid)).all()
                items = list(getattr(snap, spec.section))
                assert rows, f"the every-kind procedure has no {name} row"
                assert len(items) == len(rows), name
            by_id = {getattr(i, "id", None): i for i in items}
            for row in rows:
                item = items[0] if spec.item is None else by_id[row.id]
                for column, field in copied(name).items():
                    stored = getattr(row, column)
                    value = getattr(item, field)
                    if isinstance(value, tuple):  # comma-joined in the table
                        value = ",".join(str(v) for v in value)
                    assert canonical_value(value) == canonical_value(stored), (name, column)
