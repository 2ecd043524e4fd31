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
    return _module("slidesk.services.sedation_views") is not None


def _sedation_record(tx: Transaction, procedure_id: int) -> Any | None:
    views = _module("slidesk.services.sedation_views")
    build = getattr(views, "sedation_record", None) if views else None
    if build is None:
        return None
    row = tx.procedures.get(procedure_id)
    return build(tx, row, tx.now) if row is not None else None


def module_sections(
    tx: Transaction, procedure_id: int
) -> tuple[tuple[SnapshotTable, ...] | None, tuple[SnapshotSeries, ...]]:
    """Sedation and adverse-event tables and vital-sign series; (None, ()) without the module."""
    record = _sedation_record(tx, procedure_id)
    if record is None:
        return None, ()
    from slidesk.services.record_sedation import sedation_series, sedation_tables

    return sedation_tables(record), sedation_series(record)


def has_baseline_vitals(tx: Transaction, procedure_id: int) -> bool | None:
    """Whether vital signs were taken before the first injection; None without the module."""
    record = _sedation_record(tx, procedure_id)
    if record is None:
        return None
    live = [v for v in record.vitals if not v.voided]
    entries = [e for e in tx.entries.for_procedure(procedure_id) if not e.voided]
    first = min((e.performed_at for e in entries), default=None)
    return any(v.baseline or (first is not None and v.measured_at <= first) for v in live)
