"""The schema check on PostgreSQL: every trigger, trigger function, index, constraint and column.

The expected schema is not a hand list: inside one transaction that is always rolled back,
the migrations are run into a scratch schema on the same server (`CREATE SCHEMA`, then the
search path set to it), the catalogue is read for it (pg_trigger, pg_proc, pg_indexes,
pg_constraint, information_schema.columns) and for the database's own schema, and the two
are compared object by object: "trigger audit_log_no_update is missing", "function
slidesk_append_only differs from the schema's definition". Nothing is left behind: the
scratch schema exists only inside the rolled-back transaction.

A role that may not create a schema cannot be checked this way: that is said as one finding
(never a silent "intact"). No Qt; SQLAlchemy only here in persistence.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from slidesk.i18n import _

# (kind, name) -> normalised definition
PgSchema = dict[tuple[str, str], str]

_SPACE = re.compile(r"\s+")

_TRIGGERS = """
SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND NOT t.tgisinternal
"""
_FUNCTIONS = """
SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = :schema
"""
_INDEXES = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = :schema"
_CONSTRAINTS = """
SELECT con.conname, c.relname, pg_get_constraintdef(con.oid)
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = con.connamespace
WHERE n.nspname = :schema
"""
_COLUMNS = """
SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '')
FROM information_schema.columns WHERE table_schema = :schema
"""


def pg_schema_problems(engine: Engine) -> list[str]:
    """What differs from the schema the migrations build; [] when every object is as built."""
    scratch = f"slidesk_reference_{secrets.token_hex(6)}"
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            schema = str(conn.execute(text("SELECT current_schema()")).scalar())
            actual = read_pg_schema(conn, schema)
            conn.execute(text(f'CREATE SCHEMA "{scratch}"'))
            conn.execute(text(f'SET LOCAL search_path TO "{scratch}"'))
            _migrate(conn)
            expected = read_pg_schema(conn, scratch)
        except DBAPIError as exc:
            return [
                _(
                    "the schema could not be compared with the migrations' (a scratch schema "
                    "could not be made: {problem}); check it with a role that may create one"
                ).format(problem=str(exc.orig).strip().splitlines()[0])
            ]
        finally:
            transaction.rollback()
    return compare(expected, actual, (scratch, schema))


def _migrate(conn: Connection) -> None:
    from alembic import command

    from slidesk.persistence.migrate import _alembic_config

    config = _alembic_config()
    config.attributes["connection"] = conn
    command.upgrade(config, "heads")


def read_pg_schema(conn: Connection, schema: str) -> PgSchema:
    found: PgSchema = {}
    args = {"schema": schema}
    for name, table, sql in conn.execute(text(_TRIGGERS), args):
        found[("trigger", f"{name}")] = f"{table}: {sql}"
    for name, source in conn.execute(text(_FUNCTIONS), args):
        found[("function", str(name))] = str(source)
    for name, sql in conn.execute(text(_INDEXES), args):
        found[("index", str(name))] = str(sql)
    for name, table, sql in conn.execute(text(_CONSTRAINTS), args):
        found[("constraint", f"{name}")] = f"{table}: {sql}"
    for table, column, kind, nullable, default in conn.execute(text(_COLUMNS), args):
        found[("column", f"{table}.{column}")] = f"{kind} null={nullable} default={default}"
    return found


def compare(expected: PgSchema, actual: PgSchema, schemas: tuple[str, ...]) -> list[str]:
    """Object by object, with the schemas' names taken out of the definitions."""

    def plain(sql: str) -> str:
        for schema in schemas:
            sql = sql.replace(f'"{schema}".', "").replace(f"{schema}.", "")
        return _SPACE.sub(" ", sql).strip()

    want = {key: plain(sql) for key, sql in expected.items() if key[1] != "alembic_version"}
    have = {key: plain(sql) for key, sql in actual.items()}
    problems: list[str] = []
    for (kind, name), sql in sorted(want.items()):
        found = have.get((kind, name))
        if found is None:
            problems.append(_("{kind} {name} is missing").format(kind=kind, name=name))
        elif found != sql:
            problems.append(
                _("{kind} {name} differs from the schema's definition").format(kind=kind, name=name)
            )
    for kind, name in sorted(have):
        if (kind, name) not in want and kind in ("trigger", "function"):
            problems.append(
                _("{kind} {name} is not part of the schema (added behind the app)").format(
                    kind=kind, name=name
                )
            )
    return problems
