"""A drug's running total against its protocol limits, and the totals table of the record.

Builds DTOs from rows already read; the arithmetic and the limit states are
`domain.sedation.doses`. Must not import Qt, open transactions or write anything.
"""

from __future__ import annotations

from collections.abc import Sequence

from slidesk.domain.sedation.charting import OTHER
from slidesk.domain.sedation.doses import (
    Dimension,
    Dose,
    DoseLimits,
    LimitState,
    limit_state,
    total,
    unit,
)
from slidesk.persistence.rows.sedation import SedationDoseRow
from slidesk.protocol.model import Medication, Protocol
from slidesk.services.sedation.dto import DrugTotal


def limits_of(med: Medication) -> DoseLimits:
    return DoseLimits.from_protocol(
        med.unit, med.single_max, med.cumulative_warning, med.cumulative_max
    )


def live_total(
    doses: Sequence[SedationDoseRow], drug_key: str, dimension: Dimension, exclude: int = 0
) -> Dose:
    return total(
        [
            Dose(Dimension(d.dimension), d.amount_nano)
            for d in doses
            if d.drug_key == drug_key and not d.voided and d.id != exclude
        ],
        dimension,
    )


def drug_totals(protocol: Protocol, rows: Sequence[SedationDoseRow]) -> tuple[DrugTotal, ...]:
    """Every protocol drug (given or not), then any 'other' drug that was given."""
    out = []
    for med in protocol.medications:
        dim = unit(med.unit).dimension
        amount = live_total(rows, med.key, dim)
        limits = limits_of(med)
        out.append(
            DrugTotal(
                drug_key=med.key,
                drug_name=med.name,
                kind=med.kind,
                unit=med.unit,
                total=amount,
                total_text=amount.text(med.unit),
                dose_count=sum(1 for d in rows if d.drug_key == med.key and not d.voided),
                increments=med.increments,
                single_max_text=_text(limits.single_max, med.unit),
                warning_text=_text(limits.cumulative_warning, med.unit),
                maximum_text=_text(limits.cumulative_max, med.unit),
                state=limit_state(limits, amount),
            )
        )
    others: dict[tuple[str, str], list[SedationDoseRow]] = {}
    for d in rows:
        if d.drug_key == OTHER and not d.voided:
            others.setdefault((d.drug_name, d.unit), []).append(d)
    for (name, unit_code), given in others.items():
        amount = total(
            [Dose(Dimension(d.dimension), d.amount_nano) for d in given],
            Dimension(given[0].dimension),
        )
        out.append(
            DrugTotal(
                drug_key=OTHER,
                drug_name=name,
                kind="other",
                unit=unit_code,
                total=amount,
                total_text=amount.text(unit_code),
                dose_count=len(given),
                increments=(),
                single_max_text=None,
                warning_text=None,
                maximum_text=None,
                state=LimitState.OK,
            )
        )
    return tuple(out)


def _text(dose: Dose | None, unit: str) -> str | None:
    return None if dose is None else dose.text(unit)
