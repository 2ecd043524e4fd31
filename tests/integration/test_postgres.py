"""The same services, audit chain and verification on PostgreSQL (needs TEST_PG_URL).

CI starts a throwaway PostgreSQL server and sets TEST_PG_URL; elsewhere this is skipped.
"""

from __future__ import annotations

import os
import uuid

import pytest

from slidesk.services.audit.verify import verify_database
from slidesk.services.workstation.database import open_database
from tests.conftest import Team
from tests.fakes import FakeClock

PG_URL = os.environ.get("TEST_PG_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TEST_PG_URL is not set (CI starts a PostgreSQL)"),
]


@pytest.fixture
def pg_team():
    import sqlalchemy as sa

    assert PG_URL is not None
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    opened = open_database(url)
    try:
        yield Team(opened, FakeClock())
    finally:
        opened.close()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}"'))
        admin.dispose()


def test_a_procedure_records_and_verifies_on_postgresql(pg_team) -> None:
    view = pg_team.started_procedure()
    for i, site in enumerate(view.sites[:10], start=1):
        view = pg_team.inject(view.id, site.number, str(i))
    assert view.injected_count == 10
    report = verify_database(uow=pg_team.uow)
    assert report.intact, report.summary()


def test_the_audit_trail_is_append_only_on_postgresql(pg_team) -> None:
    import sqlalchemy as sa

    pg_team.started_procedure()
    refused = pytest.raises(sa.exc.DBAPIError, match="append-only")
    with pg_team.uow.engine.connect() as conn, refused:
        conn.execute(sa.text("UPDATE audit_log SET reason = 'x'"))


def test_a_raw_edit_is_found_on_postgresql(pg_team) -> None:
    import sqlalchemy as sa

    view = pg_team.started_procedure()
    view = pg_team.inject(view.id, view.next_site_no, "1")
    with pg_team.uow.engine.begin() as conn:
        conn.execute(sa.text("UPDATE site_entries SET depth_um = 9000"))
    report = verify_database(uow=pg_team.uow)
    assert any("depth_um" in m for m in report.mismatches)


def test_the_schema_is_checked_on_postgresql_and_nothing_is_left_behind(pg_team) -> None:
    import sqlalchemy as sa

    from slidesk.persistence.checks.schema_check import schema_problems

    engine = pg_team.uow.engine
    assert schema_problems(engine) == []
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TRIGGER audit_log_append_only ON audit_log"))
        conn.execute(sa.text("DROP INDEX ix_procedures_status"))
        conn.execute(sa.text("ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL"))
        conn.execute(
            sa.text(
                "CREATE OR REPLACE FUNCTION slidesk_append_only() RETURNS trigger AS $$ "
                "BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql"
            )
        )
        conn.execute(
            sa.text(
                "CREATE FUNCTION quietly() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ "
                "LANGUAGE plpgsql"
            )
        )
        conn.execute(
            sa.text(
                "CREATE TRIGGER quietly BEFORE UPDATE ON users "
                "FOR EACH ROW EXECUTE FUNCTION quietly()"
            )
        )
    problems = schema_problems(engine)
    assert "trigger audit_log_append_only is missing" in problems
    assert "index ix_procedures_status is missing" in problems
    assert "column audit_log.hash differs from the schema's definition" in problems
    assert "function slidesk_append_only differs from the schema's definition" in problems
    assert "trigger quietly is not part of the schema (added behind the app)" in problems
    report = verify_database(uow=pg_team.uow)
    assert not report.intact
    with engine.connect() as conn:
        scratch = conn.execute(
            sa.text("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'slidesk_reference_%'")
        ).scalar()
    assert scratch == 0, "the reference schema lives only in a rolled-back transaction"
