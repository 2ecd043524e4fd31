"""Persistence: SQLAlchemy rows, the engine factory, repositories, the unit of work, migrations.

The only package that imports SQLAlchemy or Alembic. Never imports Qt.
"""
