"""A dose as it would be charted: read the drug and the totals so far, ask the domain.

Used inside a transaction a sedation service opened; writes nothing. The decisions (units of
the same kind, limits, what the nurse is told) are `domain.sedation.doses` and `.charting`;
this module only loads what they need. Must not import Qt or another context's services.
"""

from __future__ import annotations

from decimal import Decimal

from slidesk.domain.errors import ValidationError
from slidesk.domain.sedation.charting import OTHER, dose_messages, require_same_kind
from slidesk.domain.sedation.doses import Dose, DoseLimits, assess_dose, plain, unit
from slidesk.domain.values import clean_text, parse_decimal
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.rows.sedation import SedationDoseRow, SedationRepository, VitalSignsRow
from slidesk.persistence.transaction import Transaction
from slidesk.protocol.model import Medication, Protocol
from slidesk.services.procedure.views import procedure_protocol
from slidesk.services.sedation.dto import DosePreview
from slidesk.services.sedation.totals import limits_of, live_total


def medication(protocol: Protocol, drug_key: str) -> Medication | None:
    """The protocol's drug, None for a drug not on the list; an unknown key is refused."""
    if drug_key == OTHER:
        return None
    med = protocol.medication(drug_key)
    if med is None:
        names = ", ".join(m.name for m in protocol.medications)
        raise ValidationError(f"'{drug_key}' is not on the protocol's list ({names}, or other).")
    return med


def drug_kind(protocol: Protocol, drug_key: str) -> str:
    med = medication(protocol, drug_key)
    return med.kind if med else "other"


def preview_in(
    tx: Transaction,
    row: ProcedureRow,
    drug_key: str,
    amount: str | Decimal,
    unit_code: str,
    other_name: str | None,
    exclude: int,
) -> DosePreview:
    """The preview of a dose typed now; `exclude` is the dose being corrected (0 for none)."""
    protocol = procedure_protocol(tx, row)
    med = medication(protocol, drug_key)
    typed_unit = unit(unit_code)
    dose = Dose.parse(amount, typed_unit.code)
    entered = f"{plain(parse_decimal(amount, 'Dose'))} {typed_unit.symbol}"
    if med is None:
        name = clean_text(other_name, "Drug name", max_len=100, required=True) or ""
        chart_unit, key = typed_unit.code, OTHER
    else:
        name, chart_unit, key = med.name, med.unit, med.key
        require_same_kind(med.name, chart_unit, typed_unit)
    repo = tx.repo(SedationRepository)
    doses = repo.for_procedure(SedationDoseRow, row.id)
    limits = None if med is None else limits_of(med)
    if med is None:
        same = [d for d in doses if d.drug_key == OTHER and d.drug_name.lower() == name.lower()]
        same = [d for d in same if d.dimension == dose.dimension.value]
        before = live_total(same, OTHER, dose.dimension, exclude)
        assessment = assess_dose(dose, before, DoseLimits(None, None, None))
    else:
        before = live_total(doses, key, dose.dimension, exclude)
        assessment = assess_dose(dose, before, limits or DoseLimits(None, None, None))
    baseline_missing = not [
        v for v in repo.for_procedure(VitalSignsRow, row.id) if not v.voided
    ] and not [d for d in doses if not d.voided]
    return DosePreview(
        drug_key=key,
        drug_name=name,
        dose=dose,
        unit=chart_unit,
        text=dose.text(chart_unit),
        entered_text=entered,
        unit_converted=typed_unit.code != chart_unit,
        before_text=assessment.before.text(chart_unit),
        after_text=assessment.after.text(chart_unit),
        over_single_max=med is not None and assessment.over_single_max,
        at_or_over_warning=med is not None and assessment.at_or_over_warning,
        over_cumulative_max=med is not None and assessment.over_cumulative_max,
        messages=dose_messages(
            entered=entered,
            chart_unit=chart_unit,
            converted=typed_unit.code != chart_unit,
            assessment=assessment,
            limits=limits,
            baseline_missing=baseline_missing,
        ),
    )


def dose_values(
    preview: DosePreview, typed: str | Decimal, unit_code: str, reason: str | None
) -> dict[str, object]:
    """The columns a previewed dose sets, on charting and on correction alike: the amount as
    charted and as typed, the protocol-limit flags and the reason kept when one is needed."""
    return {
        "amount_nano": preview.dose.nano,
        "entered_amount": plain(parse_decimal(typed, "Dose")),
        "entered_unit": unit(unit_code).code,
        "over_single_max": preview.over_single_max,
        "over_cumulative_max": preview.over_cumulative_max,
        "cumulative_warning": preview.at_or_over_warning,
        "limit_reason": reason if preview.needs_reason else None,
    }
