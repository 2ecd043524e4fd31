"""Create or upgrade a database to the current schema, copying an older SQLite file aside first.

Checking whether the schema is current is one SELECT; Alembic is imported only when a
migration is actually needed, so a normal start stays fast.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"^revision\s*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*=\s*(.+)$", re.MULTILINE)


def _scan_heads() -> frozenset[str]:
    """The newest revisions, read from the migration files as text (no Alembic import, ~1 ms).

    A test checks that this equals what Alembic itself computes.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev = _REVISION.search(source)
        if rev is None:
            continue
        revisions.add(rev.group(1))
        down = _DOWN.search(source)
        if down:
            parents.update(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    return frozenset(revisions - parents)


SCHEMA_HEADS: frozenset[str] = _scan_heads()


class SchemaTooNew(RuntimeError):
    """The database was written by a newer SLI Desk; refuse rather than risk it."""


@dataclass(frozen=True, slots=True)
class MigrationResult:
    before: frozenset[str]
    after: frozenset[str]
    backup: Path | None

    @property
    def migrated(self) -> bool:
        return self.before != self.after


def current_revisions(engine: Engine) -> frozenset[str]:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return frozenset()
        return frozenset(
            r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))
        )


def upgrade(engine: Engine, *, backup_dir: Path | None = None) -> MigrationResult:
    """Bring the schema to SCHEMA_HEADS; back up a non-empty SQLite file before changing it."""
    before = current_revisions(engine)
    if before == SCHEMA_HEADS:
        return MigrationResult(before, before, None)
    unknown = before - _all_revisions()
    if unknown:
        raise SchemaTooNew(
            f"The database has schema {sorted(unknown)}, made by a newer SLI Desk. "
            "Install that version; this one will not touch the record."
        )
    backup = _backup_sqlite(engine, before, backup_dir) if before else None
    _run_alembic(engine)
    after = current_revisions(engine)
    log.info("database schema %s -> %s (backup: %s)", sorted(before), sorted(after), backup)
    return MigrationResult(before, after, backup)


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _all_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def alembic_heads() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(_alembic_config()).get_heads())


def _run_alembic(engine: Engine) -> None:
    from alembic import command

    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")


def _backup_sqlite(engine: Engine, before: frozenset[str], backup_dir: Path | None) -> Path | None:
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    source = Path(engine.url.database)
    folder = backup_dir or source.parent
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{source.stem}.before-{'-'.join(sorted(before))}.{stamp}.sqlite3"
    # The backup API copies a consistent snapshot, WAL content included.
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target
