"""Schema migrations: heads read from the files match Alembic's; old databases are upgraded
after a copy is set aside; a database from a newer version is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from slidesk.persistence import migrate
from slidesk.persistence.db import make_engine
from slidesk.services.workstation.database import open_database


def test_the_heads_read_from_the_files_are_alembics_heads() -> None:
    assert migrate.alembic_heads() == migrate.SCHEMA_HEADS


def test_a_new_database_is_created_at_the_current_schema(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "new.sqlite3")
    try:
        assert opened.migration.after == migrate.SCHEMA_HEADS
        assert opened.migration.backup is None
    finally:
        opened.close()
    conn = sqlite3.connect(tmp_path / "new.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_older_database_is_copied_aside_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    config = migrate._alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    if frozenset({"0001"}) == migrate.SCHEMA_HEADS:
        pytest.skip("only one schema revision exists")
    opened = open_database(path)
    try:
        assert opened.migration.before == frozenset({"0001"})
        assert opened.migration.after == migrate.SCHEMA_HEADS
        backup = opened.migration.backup
        assert backup is not None
        assert backup.exists()
        copy = sqlite3.connect(backup)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    finally:
        opened.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO alembic_version (version_num) VALUES ('9999')")
    conn.commit()
    conn.close()
    with pytest.raises(migrate.SchemaTooNew, match="newer SLI Desk"):
        open_database(path)
