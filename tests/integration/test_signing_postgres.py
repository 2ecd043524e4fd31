"""Signing, the frozen version and the append-only signature table on PostgreSQL."""

from __future__ import annotations

import pytest

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.services.audit.verify import verify_database
from tests.integration.test_postgres import PG_URL, pg_team  # noqa: F401 - the fixture
from tests.signing_helpers import signed_procedure

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="TEST_PG_URL is not set (CI starts a PostgreSQL)"),
]


def test_a_record_signs_verifies_and_its_signatures_are_append_only_on_postgresql(
    pg_team,  # noqa: F811
) -> None:
    import sqlalchemy as sa

    view = signed_procedure(pg_team)
    assert view.status is ProcedureStatus.SIGNED
    report = verify_database(uow=pg_team.uow)
    assert report.intact, report.summary()
    for statement in ("UPDATE signatures SET meaning = 'x'", "DELETE FROM record_versions"):
        with (
            pg_team.uow.engine.connect() as conn,
            pytest.raises(sa.exc.DBAPIError, match="append-only"),
        ):
            conn.execute(sa.text(statement))
