"""Read audited rows cell by cell, naming every stored value that is not of its column's kind.

The ORM turns a bad cell into an exception that ends the whole read ("Invalid isoformat
string"); `slidesk verify` must instead name it and go on: "procedures 3, column started_at:
'xx' is not a time". Here each column is selected without SQLAlchemy's result processing and
the column type's processor is applied to each cell on its own. Reads only. No Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Column, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from slidesk.i18n import N_, _
from slidesk.persistence.rows import load_row_modules
from slidesk.persistence.rows.core import Audited, Base

_KINDS: tuple[tuple[type, str], ...] = (
    (bool, N_("true or false")),
    (datetime, N_("a time")),
    (date, N_("a date")),
    (int, N_("a whole number")),
    (Decimal, N_("a number")),
    (str, N_("text")),
)


@dataclass(frozen=True, slots=True)
class BadCell:
    table: str
    key: str
    column: str
    raw: Any
    kind: str

    def message(self) -> str:
        return _("{table} {key}, column {column}: {raw} is not {kind}").format(
            table=self.table,
            key=self.key,
            column=self.column,
            raw=_shown(self.raw),
            kind=_(self.kind),
        )


@dataclass(slots=True)
class ScannedRow:
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    """The readable cells, as the ORM would give them; a bad cell is left out."""
    bad: list[BadCell] = field(default_factory=list)


def scan_cells(session: Session, cls: type[Any]) -> Iterator[ScannedRow]:
    """Every row of an audited table (ordered by key) with each column read on its own."""
    table = cls.__table__
    dialect = session.get_bind().dialect
    columns = list(table.columns)
    readers = {c.key: _reader(c, dialect) for c in columns}
    query = select(
        type_coerce(table.c.id, NullType()).label("__key"),
        *(type_coerce(c, NullType()).label(c.key) for c in columns),
    ).order_by(table.c.id)
    rows = session.execute(query.execution_options(yield_per=1000)).mappings()
    for row in rows:
        key = str(row["__key"])
        scanned = ScannedRow(key)
        for name, read in readers.items():
            raw = row[name]
            try:
                scanned.values[name] = read(raw)
            except _Bad as bad:
                scanned.bad.append(BadCell(table.name, key, name, raw, bad.kind))
        yield scanned


def unaudited_classes() -> list[type[Any]]:
    """Mapped row classes outside the trail (signing tables, password history, settings …)
    that have an `id`: their cells are checked for kind only. The audit log is the chain's."""
    load_row_modules()
    classes = [
        m.class_
        for m in Base.registry.mappers
        if not issubclass(m.class_, Audited) and "id" in m.class_.__table__.c
    ]
    return sorted(classes, key=lambda c: c.__tablename__)


class _Bad(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _reader(column: Column[Any], dialect: Any) -> Callable[[Any], Any]:
    impl = column.type.dialect_impl(dialect)
    process = impl.result_processor(dialect, None)
    try:
        # A TypeDecorator (UTCDateTime) names no Python type itself; its implementation does.
        python_type: type | None = getattr(column.type, "impl_instance", column.type).python_type
    except NotImplementedError:
        python_type = None
    kind = next(
        (k for t, k in _KINDS if python_type is not None and issubclass(python_type, t)),
        N_("a valid value"),
    )
    # SQLite keeps a boolean as the integer 0 or 1; 2 or 'yes' reads as True but is not ours.
    strict_boolean = isinstance(column.type, Boolean) and dialect.name == "sqlite"

    def read(raw: Any) -> Any:
        if raw is None:
            return None
        if strict_boolean and (type(raw) is not int or raw not in (0, 1)):
            raise _Bad(kind)
        try:
            value = process(raw) if process is not None else raw
        except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError):
            raise _Bad(kind) from None
        if python_type is not None and not _is_kind(value, python_type):
            raise _Bad(kind)
        return value

    return read


def _is_kind(value: Any, python_type: type) -> bool:
    if value is None:
        return True
    if python_type is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if python_type is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, python_type)


def _shown(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "…"
