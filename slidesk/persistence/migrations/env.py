"""Alembic environment: runs on the connection the app hands over (never a URL from an ini file)."""

from __future__ import annotations

from alembic import context

from slidesk.persistence.rows import load_row_modules
from slidesk.persistence.rows.core import Base

load_row_modules()

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through slidesk.persistence.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
