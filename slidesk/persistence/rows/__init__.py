"""SQLAlchemy rows, one module per context. Every row module is imported here by name, so that
importing any of them maps all tables (a new context adds its module to this list)."""

from __future__ import annotations

from types import ModuleType

from slidesk.persistence.rows import (
    accounts,
    checklist,
    checkpoints,
    core,
    followup,
    sedation,
    settings,
    signing,
    workspace,
)
from slidesk.persistence.rows.core import Audited, Base

ROW_MODULES: tuple[ModuleType, ...] = (
    core,
    accounts,
    checklist,
    checkpoints,
    followup,
    sedation,
    settings,
    signing,
    workspace,
)


def load_row_modules() -> tuple[ModuleType, ...]:
    """The row modules; all are imported with this package, so every table is mapped."""
    return ROW_MODULES


def audited_classes() -> list[type[Audited]]:
    """Every mapped row class that is audited, in table-name order (for verification)."""
    classes = [m.class_ for m in Base.registry.mappers if issubclass(m.class_, Audited)]
    return sorted(classes, key=lambda c: c.__tablename__)  # type: ignore[attr-defined]
