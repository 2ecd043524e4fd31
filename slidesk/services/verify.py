"""`slidesk verify`: check the audit chain and that every record equals the replay of its trail."""

from __future__ import annotations

from dataclasses import dataclass, field

from slidesk.audit import ChainBreak, canonical_value, replay, verify_chain
from slidesk.persistence.rows import audited_classes
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.signing_verify import signature_problems


@dataclass(frozen=True, slots=True)
class VerifyReport:
    entries: int
    records: int
    chain_break: ChainBreak | None
    mismatches: tuple[str, ...] = field(default=())

    @property
    def intact(self) -> bool:
        return self.chain_break is None and not self.mismatches

    def summary(self) -> str:
        if self.intact:
            return (
                f"INTACT: {self.entries} audit entries form an unbroken chain; "
                f"{self.records} records match their audit history."
            )
        lines = []
        if self.chain_break is not None:
            lines.append(
                f"BROKEN at audit entry {self.chain_break.seq}: {self.chain_break.problem}."
            )
        lines.extend(f"MISMATCH: {m}" for m in self.mismatches)
        return "\n".join(lines)


@boundary
def verify_database(*, uow: UnitOfWork, max_mismatches: int = 50) -> VerifyReport:
    """Read everything; write nothing. Safe on a database in use."""
    with uow.read() as tx:
        entries = list(tx.audit.iter_all())
        chain_break = verify_chain(entries)
        state = replay(entries)
        mismatches: list[str] = []
        records = 0
        for cls in audited_classes():
            table = cls.__tablename__  # type: ignore[attr-defined]
            fields = cls.audit_fields()
            seen: set[str] = set()
            for row in tx.audit.scan_records(cls):
                records += 1
                key = row.audit_key()
                seen.add(key)
                expected = state.get((table, key))
                if expected is None:
                    mismatches.append(
                        f"{table} {key} exists but has no audit history (inserted outside the app)"
                    )
                    continue
                for f in fields:
                    actual = canonical_value(cls.audit_value(f, getattr(row, f)))
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
        # Signatures: each still covers its version, and a SIGNED record still equals it
        # (listed first so that the cap on mismatches never hides them).
        mismatches[:0] = signature_problems(tx)
        return VerifyReport(len(entries), records, chain_break, tuple(mismatches[:max_mismatches]))
