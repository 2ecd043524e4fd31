"""Reading and appending the database's identity and checkpoints (rows in `rows.checkpoints`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select

from slidesk.persistence.db import is_sqlite
from slidesk.persistence.queries.repositories import Repository
from slidesk.persistence.rows.checkpoints import CheckpointRow, DatabaseIdentityRow
from slidesk.persistence.rows.core import AuditRow


class CheckpointRepository(Repository):
    def identity(self) -> str | None:
        """The current identity of this database (the newest row; None only if tampered with)."""
        return self.session.scalars(
            select(DatabaseIdentityRow.identity).order_by(DatabaseIdentityRow.n.desc()).limit(1)
        ).first()

    def lineage(self) -> tuple[str, ...]:
        """Every identity this database has had, oldest first (more than one: a restored copy)."""
        return tuple(
            self.session.scalars(
                select(DatabaseIdentityRow.identity).order_by(DatabaseIdentityRow.n)
            ).all()
        )

    def add_identity(self, identity: str, origin: str) -> None:
        """A new identity for a restored copy, naming what it was restored from."""
        number = self.session.scalar(select(func.max(DatabaseIdentityRow.n))) or 0
        self.session.add(DatabaseIdentityRow(n=number + 1, identity=identity, origin=origin))

    def missing_tables(self) -> list[str]:
        """Which of the two tables are gone (dropped behind the app's back)."""
        present = set(inspect(self.session.connection()).get_table_names())
        return [t for t in ("database_identity", "checkpoints") if t not in present]

    def last(self) -> CheckpointRow | None:
        return self.session.scalars(
            select(CheckpointRow).order_by(CheckpointRow.number.desc()).limit(1)
        ).first()

    def after(self, number: int) -> Sequence[CheckpointRow]:
        """Checkpoints numbered above `number`, oldest first."""
        return self.session.scalars(
            select(CheckpointRow)
            .where(CheckpointRow.number > number)
            .order_by(CheckpointRow.number)
        ).all()

    def stored_heads(self) -> dict[int, str]:
        """{seq: stored hash} of every audit entry (two columns: ~0.1 s for 100,000)."""
        rows = self.session.execute(select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq))
        return {int(seq): str(digest) for seq, digest in rows}

    def add(self, row: CheckpointRow) -> None:
        self.session.add(row)

    def database_file(self) -> Path | None:
        """The SQLite file of this database (None for a server database)."""
        bind = self.session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        if not is_sqlite(engine):
            return None
        name = engine.url.database
        return Path(name) if name and name != ":memory:" else None
