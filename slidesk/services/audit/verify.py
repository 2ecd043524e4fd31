"""`slidesk verify`: the file, the schema, the audit chain, every record against its trail.

In this order: SQLite's own `integrity_check` (a damaged file is CORRUPT and nothing in it is
trusted further); the schema as the migrations build it (every trigger, index, constraint);
references to rows that do not exist; the hash chain; each audited row, cell by cell, against
the replay of its trail (a cell that is not of its column's kind is named, never a traceback);
signatures. Reads only; never says INTACT about something it could not read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from slidesk.domain.events import AuditEvent
from slidesk.i18n import _
from slidesk.integrity.chain import ChainBreak, canonical_value, replay, verify_chain
from slidesk.persistence.checks.cell_scan import unaudited_classes
from slidesk.persistence.checks.schema_check import (
    dangling_references,
    integrity_problems,
    schema_problems,
)
from slidesk.persistence.rows import audited_classes
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.signing.verify import signature_problems

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class VerifyReport:
    entries: int
    records: int
    chain_break: ChainBreak | None
    mismatches: tuple[str, ...] = field(default=())
    corrupt: tuple[str, ...] = field(default=())
    """What SQLite's integrity check found; when not empty nothing else was read."""
    schema: tuple[str, ...] = field(default=())

    @property
    def intact(self) -> bool:
        return (
            self.chain_break is None
            and not self.mismatches
            and not self.corrupt
            and not self.schema
        )

    def summary(self) -> str:
        if self.intact:
            return (
                f"INTACT: {self.entries} audit entries form an unbroken chain; "
                f"{self.records} records match their audit history."
            )
        lines = [f"CORRUPT: {c}" for c in self.corrupt]
        lines.extend(f"SCHEMA: {s}" for s in self.schema)
        if self.chain_break is not None:
            lines.append(
                f"BROKEN at audit entry {self.chain_break.seq}: {self.chain_break.problem}."
            )
        lines.extend(f"MISMATCH: {m}" for m in self.mismatches)
        return "\n".join(lines)


@boundary
def verify_database(*, uow: UnitOfWork, max_mismatches: int = 50) -> VerifyReport:
    """Read everything; write nothing. Safe on a database in use."""
    corrupt = integrity_problems(uow.engine)
    if corrupt:
        return VerifyReport(0, 0, None, corrupt=tuple(corrupt))
    schema = tuple(schema_problems(uow.engine))
    with uow.read() as tx:
        entries = list(tx.audit.iter_all())
        chain_break = verify_chain(entries)
        state = replay(entries)
        signed_in = _last_authentications(entries)
        mismatches = dangling_references(uow.engine)
        records = 0
        for cls in audited_classes():
            table = cls.__tablename__  # type: ignore[attr-defined]
            fields = cls.audit_fields()
            seen: set[str] = set()
            for row in tx.audit.scan_cells(cls):
                records += 1
                key = row.key
                seen.add(key)
                mismatches.extend(bad.message() for bad in row.bad)
                expected = state.get((table, key))
                if expected is None:
                    mismatches.append(
                        f"{table} {key} exists but has no audit history (inserted outside the app)"
                    )
                    continue
                if table == "users":
                    mismatches.extend(_last_sign_in(key, row.values, signed_in))
                for f in fields:
                    if f not in row.values:
                        continue  # not of its column's kind: named above
                    try:
                        # A digest field (a password hash) is in the trail as its SHA-256.
                        actual = canonical_value(cls.audit_value(f, row.values[f]))
                    except TypeError:
                        mismatches.append(
                            f"{table} {key}, column {f}: {row.values[f]!r} is not a valid value"
                        )
                        continue
                    if f not in expected and actual is None:
                        # A column added by a later migration is NULL in rows written before
                        # it and absent from their history; any other value must be audited.
                        continue
                    if f not in expected:
                        mismatches.append(f"{table} {key} field {f}: not in the audit history")
                    elif expected[f] != actual:
                        mismatches.append(
                            f"{table} {key} field {f}: record says {actual!r}, "
                            f"audit trail says {expected[f]!r}"
                        )
            for (entity, key), value in state.items():
                if entity == table and value is not None and key not in seen:
                    mismatches.append(
                        f"{table} {key} is in the audit trail but missing from the record"
                    )
            if len(mismatches) >= max_mismatches:
                break
        for other in unaudited_classes():
            for row in tx.audit.scan_cells(other):
                mismatches.extend(bad.message() for bad in row.bad)
        # Signatures: each still covers its version, and a SIGNED record still equals it
        # (listed first so that the cap on mismatches never hides them).
        mismatches[:0] = _signatures(tx)
        return VerifyReport(
            len(entries),
            records,
            chain_break,
            tuple(mismatches[:max_mismatches]),
            schema=schema,
        )


# Every successful authentication (sign-in, unlock, signature, amendment, password change) sets
# users.last_login_at to its own time; it is not in the trail itself, but its entry is.
_AUTH_REFUSALS = frozenset(
    {
        AuditEvent.AUTH_FAILED,
        AuditEvent.AUTH_LOCKED,
        AuditEvent.AUTH_REFUSED_LOCKED,
        AuditEvent.AUTH_REFUSED_INACTIVE,
    }
)


def _last_authentications(entries: list[dict[str, Any]]) -> dict[str, object]:
    """The time (as in the trail) of each user's newest successful authentication."""
    newest: dict[str, object] = {}
    for entry in entries:
        kind = entry.get("event_type")
        if entry.get("entity") != "users" or not isinstance(kind, str):
            continue
        if kind == AuditEvent.SESSION_UNLOCKED or (
            kind.startswith("auth.") and kind not in _AUTH_REFUSALS
        ):
            newest[str(entry.get("entity_id"))] = entry.get("at_utc")
    return newest


def _last_sign_in(key: str, values: dict[str, Any], newest: dict[str, object]) -> list[str]:
    if "last_login_at" not in values:
        return []  # not of its column's kind: named by the cell scan
    try:
        said = canonical_value(values["last_login_at"])
    except TypeError:
        return []
    expected = newest.get(key)
    if said == expected:
        return []
    return [
        f"users {key} field last_login_at: record says {said!r}, the audit trail's last "
        f"successful sign-in is {expected!r}"
    ]


def _signatures(tx: Transaction) -> list[str]:
    try:
        return signature_problems(tx)
    except Exception as exc:  # a record that cannot be read is a finding
        log.info("signatures could not be checked", exc_info=exc)
        return [
            _("the signed records could not be checked: {problem}").format(
                problem=f"{type(exc).__name__}: {exc}"
            )
        ]
