"""A thin DBAPI path for the bedside hot path (recording a site), inside the ORM's transaction.

Recording a site must cost little more than the fsync of its commit. SQLAlchemy's statement
machinery costs ~0.1–0.2 ms per statement here, several times the statement itself, so the few
statements of the hot path run on the session's own DBAPI connection — same transaction, same
column types (each column's SQLAlchemy bind/result processors are applied), portable SQL
(`:name` parameters, translated for the driver's paramstyle).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

_PARAM = re.compile(r"(?<![:\w]):(\w+)")

Processor = Callable[[Any], Any] | None


class FastSQL:
    """Statements on one DBAPI connection, inside the transaction that connection is in."""

    def __init__(self, dbapi_connection: Any, dialect: Dialect) -> None:
        self.dialect = dialect
        self._dbapi = dbapi_connection
        self._sqlite = dialect.name == "sqlite"

    @classmethod
    def for_session(cls, session: Session) -> FastSQL:
        """Join the session's transaction (its connection is checked out and begun)."""
        connection = session.connection()
        return cls(connection.connection.driver_connection, connection.dialect)

    def _sql(self, sql: str) -> str:
        return sql if self._sqlite else _pyformat(sql)

    def select(
        self, table: Table, where: str, params: Mapping[str, Any], order_by: str = ""
    ) -> list[SimpleNamespace]:
        """Rows of `table` (all columns) as attribute objects, values converted as the ORM would."""
        names = [c.name for c in table.columns]
        # Identifiers come from our table metadata and `where` from code; values are bound.
        sql = f"SELECT {', '.join(names)} FROM {table.name} WHERE {where}"  # noqa: S608
        if order_by:
            sql += f" ORDER BY {order_by}"
        cursor = self._dbapi.cursor()
        try:
            cursor.execute(self._sql(sql), dict(params))
            raw = cursor.fetchall()
        finally:
            cursor.close()
        processors = _result_processors(self.dialect, table)
        rows = []
        for values in raw:
            rows.append(
                SimpleNamespace(
                    **{
                        name: (proc(value) if proc is not None and value is not None else value)
                        for name, proc, value in zip(names, processors, values, strict=True)
                    }
                )
            )
        return rows

    def scalar_rows(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        cursor = self._dbapi.cursor()
        try:
            cursor.execute(self._sql(sql), dict(params))
            return [tuple(r) for r in cursor.fetchall()]
        finally:
            cursor.close()

    def insert(
        self, table: Table, values: Mapping[str, Any], *, returning_id: bool = True
    ) -> int | None:
        """Insert one row; returns its new integer id when the table has one."""
        names = tuple(values)
        binds = _bind_processors(self.dialect, table)
        params = {n: _bound(binds[n], values[n]) for n in names}
        returning = returning_id and not self._sqlite
        cursor = self._dbapi.cursor()
        try:
            cursor.execute(_insert_sql(table.name, names, returning, self._sqlite), params)
            if not returning_id:
                return None
            return int(cursor.lastrowid) if self._sqlite else int(cursor.fetchone()[0])
        finally:
            cursor.close()

    def insert_many(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        names = tuple(rows[0])
        binds = _bind_processors(self.dialect, table)
        params = [{n: _bound(binds[n], r[n]) for n in names} for r in rows]
        sql = _insert_sql(table.name, names, False, self._sqlite)
        cursor = self._dbapi.cursor()
        try:
            if len(params) == 1:
                cursor.execute(sql, params[0])
            else:
                cursor.executemany(sql, params)
        finally:
            cursor.close()


@cache
def _insert_sql(table: str, names: tuple[str, ...], returning: bool, sqlite: bool) -> str:
    """The INSERT statement in the driver's paramstyle, made once per table and column list."""
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608 - metadata names
        f"VALUES ({', '.join(':' + n for n in names)})"
    )
    if returning:
        sql += " RETURNING id"
    return sql if sqlite else _pyformat(sql)


def _bound(processor: Processor, value: Any) -> Any:
    return processor(value) if processor is not None else value


def table_of(cls: type[Any]) -> Table:
    """The Table of a mapped row class (typed: `__table__` is declared as a FromClause)."""
    table = cls.__table__
    assert isinstance(table, Table)
    return table


@cache
def _pyformat(sql: str) -> str:
    return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))


@cache
def _bind_processors_cached(
    dialect_name: str, dialect: Dialect, table: Table
) -> dict[str, Processor]:
    return {c.name: c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.columns}


def _bind_processors(dialect: Dialect, table: Table) -> dict[str, Processor]:
    return _bind_processors_cached(dialect.name, dialect, table)


@cache
def _result_processors_cached(
    dialect_name: str, dialect: Dialect, table: Table
) -> tuple[Processor, ...]:
    return tuple(
        c.type.dialect_impl(dialect).result_processor(dialect, None) for c in table.columns
    )


def _result_processors(dialect: Dialect, table: Table) -> tuple[Processor, ...]:
    return _result_processors_cached(dialect.name, dialect, table)


def columns(table: Table) -> Iterable[str]:
    return (c.name for c in table.columns)
