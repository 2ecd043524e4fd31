"""Is the schema still the one the migrations build? Every trigger, index and constraint.

An attacker with the file drops the append-only triggers first; a table rebuilt without its
CHECK or foreign key accepts what the app would refuse. The expected schema is not a hand
list: the migrations are run once per process into a temporary SQLite file, and its
`sqlite_master` (every table's, index's and trigger's SQL) is compared object by object with
the database's. Findings name the object: "trigger audit_log_no_update is missing".

On PostgreSQL the reference is built on the server itself, in a scratch schema inside a
transaction that is rolled back (`schema_check_pg`). Reads only.
"""

from __future__ import annotations

import functools
import re
import tempfile
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError

from slidesk.i18n import _

# name -> (type, normalised SQL)
Schema = dict[str, tuple[str, str]]

_SPACE = re.compile(r"\s+")


def schema_problems(engine: Engine) -> list[str]:
    """What differs from the schema the migrations build; [] when every object is as built."""
    if engine.dialect.name == "postgresql":
        from slidesk.persistence.checks.schema_check_pg import pg_schema_problems

        return pg_schema_problems(engine)
    if engine.dialect.name != "sqlite":
        return []
    expected = reference_schema()
    actual = _read_schema(engine)
    problems: list[str] = []
    for name, (kind, sql) in sorted(expected.items()):
        found = actual.get(name)
        if found is None:
            problems.append(_("{kind} {name} is missing").format(kind=kind, name=name))
        elif found != (kind, sql):
            problems.append(_differs(kind, name, sql, found[1]))
    for name, (kind, _sql) in sorted(actual.items()):
        if name not in expected and kind in ("trigger", "view"):
            problems.append(
                _("{kind} {name} is not part of the schema (added behind the app)").format(
                    kind=kind, name=name
                )
            )
    return problems


def integrity_problems(engine: Engine, *, limit: int = 20) -> list[str]:
    """SQLite's own check of every page and index (`PRAGMA integrity_check`); [] when whole."""
    if engine.dialect.name != "sqlite":
        return []
    try:
        with engine.connect() as conn:
            check = conn.exec_driver_sql(f"PRAGMA integrity_check({int(limit)})")
            found = [str(r[0]) for r in check]
    except DatabaseError as exc:  # so damaged that the check itself cannot walk it
        return [str(exc.orig)]
    return [] if found == ["ok"] else found


def dangling_references(engine: Engine, *, limit: int = 50) -> list[str]:
    """Rows that point at a row that does not exist (`PRAGMA foreign_key_check`), named."""
    if engine.dialect.name != "sqlite":
        return []  # PostgreSQL enforces foreign keys always; SQLite only while the pragma is on
    problems: list[str] = []
    with engine.connect() as conn:
        for table, rowid, parent, fkid in conn.exec_driver_sql("PRAGMA foreign_key_check").all():
            column, value = "?", None
            for fk in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")'):
                if fk[0] == fkid:
                    column = str(fk[3])
            if column != "?" and rowid is not None:
                value = conn.exec_driver_sql(
                    f'SELECT "{column}" FROM "{table}" WHERE rowid = ?',  # noqa: S608 - names from SQLite
                    (rowid,),
                ).scalar()
            problems.append(
                _(
                    "{table} {row}, column {column}: refers to {parent} {value}, which does not "
                    "exist"
                ).format(table=table, row=rowid, column=column, parent=parent, value=value)
            )
            if len(problems) >= limit:
                break
    return problems


@functools.cache
def reference_schema() -> Schema:
    """The schema as the migrations build it (SQLite), once per process (≈ 1 s)."""
    from slidesk.persistence.db import make_engine
    from slidesk.persistence.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="slidesk-schema-") as folder:
        engine = make_engine(Path(folder) / "reference.sqlite3")
        try:
            upgrade(engine)
            return _read_schema(engine)
        finally:
            engine.dispose()


def _read_schema(engine: Engine) -> Schema:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT type, name, sql FROM sqlite_master "
                "WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL"
            )
        ).all()
    return {str(r[1]): (str(r[0]), _normalise(str(r[2]))) for r in rows}


def _normalise(sql: str) -> str:
    return _SPACE.sub(" ", sql).strip()


def _differs(kind: str, name: str, expected: str, actual: str) -> str:
    if kind != "table":
        return _("{kind} {name} differs from the schema's definition").format(kind=kind, name=name)
    want, have = _clauses(expected), _clauses(actual)
    missing = [c for c in want if c not in have]
    added = [c for c in have if c not in want]
    parts = [_("missing: {clause}").format(clause=c) for c in missing]
    parts += [_("not in the schema: {clause}").format(clause=c) for c in added]
    detail = "; ".join(parts) or _("its definition was rewritten")
    return _("table {name} differs from the schema ({detail})").format(name=name, detail=detail)


def _clauses(sql: str) -> list[str]:
    """The column definitions and constraints of a CREATE TABLE, split at top-level commas."""
    start, end = sql.find("("), sql.rfind(")")
    body = sql[start + 1 : end] if 0 <= start < end else sql
    clauses: list[str] = []
    depth, current = 0, list[str]()
    for char in body:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            clauses.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    clauses.append("".join(current).strip())
    return [c for c in clauses if c]
