"""Parts of the record that other feature modules keep: the time-out checklist, sedation, AEs.

Each is read only if its module is installed, so signing and reports work before (and without)
them. What a module contributes is turned into plain tables and series here, in one place, so
the signed content and the report do not depend on that module's internal shapes.
"""

from __future__ import annotations

import importlib
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slidesk.persistence.uow import Transaction

if TYPE_CHECKING:
    from slidesk.services.record_snapshot import SnapshotSeries, SnapshotTable

log = logging.getLogger(__name__)


def _module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def checklist_ticks(
    tx: Transaction, procedure_id: int
) -> list[tuple[str, str, int, datetime]] | None:
    """Live checklist ticks as (key, text, by, at), or None without the checklist module."""
    rows = _module("slidesk.persistence.rows_checklist")
    repo_cls = getattr(rows, "ChecklistRepository", None) if rows else None
    if repo_cls is None:
        return None
    ticks = tx.repo(repo_cls).for_procedure(procedure_id)
    return [
        (t.item_key, t.item_text, t.ticked_by, t.ticked_at)
        for t in ticks
        if not getattr(t, "voided", False)
    ]


def has_sedation_module() -> bool:
    return _module("slidesk.services.sedation") is not None


def module_sections(
    tx: Transaction, procedure_id: int
) -> tuple[tuple[SnapshotTable, ...] | None, tuple[SnapshotSeries, ...]]:
    """Sedation and adverse-event tables and vital-sign series; (None, ()) without the module."""
    if not has_sedation_module():
        return None, ()
    return (), ()


def has_baseline_vitals(tx: Transaction, procedure_id: int) -> bool | None:
    """Whether vital signs were taken before the first injection; None without the module."""
    if not has_sedation_module():
        return None
    return None
