"""Rules for charting a dose: the routes, the drug's unit, what the nurse is told first.

Standard library only: decisions on values the service has already read (the typed dose, the
drug's limits, the total before it). Must not import services, persistence or the protocol
reader; a drug's protocol limits arrive as `DoseLimits`.
"""

from __future__ import annotations

from slidesk.domain.errors import ValidationError
from slidesk.domain.sedation.doses import DoseAssessment, DoseLimits, Unit, unit
from slidesk.domain.values import clean_text

OTHER = "other"
"""The drug key of a drug that is not on the protocol's list (named by the nurse)."""

ROUTES = ("IV", "IM", "SC", "PO", "IN", "inhaled")


def route(text: str) -> str:
    """The route as charted ('iv' → 'IV'); one the list does not know is refused."""
    typed = clean_text(text, "Route", max_len=20, required=True) or ""
    for known in ROUTES:
        if typed.lower() == known.lower():
            return known
    raise ValidationError(f"Route '{typed}' is not known ({', '.join(ROUTES)}).")


def require_same_kind(drug_name: str, chart_unit: str, typed: Unit) -> None:
    """A drug charted in µg cannot be typed in mL: the units must measure the same thing."""
    charted = unit(chart_unit)
    if charted.dimension is not typed.dimension:
        raise ValidationError(
            f"{drug_name} is charted in {charted.symbol}; "
            f"{typed.symbol} is not a unit of the same kind."
        )


def dose_messages(
    *,
    entered: str,
    chart_unit: str,
    converted: bool,
    assessment: DoseAssessment,
    limits: DoseLimits | None,
    baseline_missing: bool,
) -> tuple[str, ...]:
    """What the preview tells the nurse before a dose is charted, in reading order.

    `entered` is the dose as typed ("0.05 mg"); `limits` are the protocol drug's (None for a
    drug not on the list, which has none); `baseline_missing` when nothing is charted yet.
    """
    text = assessment.dose.text(chart_unit)
    messages = []
    if converted:
        messages.append(f"Typed {entered}: this is {text}. Confirm the converted dose.")
    if limits is not None and limits.single_max is not None and assessment.over_single_max:
        messages.append(
            f"{text} is more than the protocol's single dose of "
            f"{limits.single_max.text(chart_unit)}."
        )
    if limits is not None and limits.cumulative_max is not None and assessment.over_cumulative_max:
        messages.append(
            f"STOP: the total would be {assessment.after.text(chart_unit)}, above the protocol "
            f"maximum of {limits.cumulative_max.text(chart_unit)}. "
            "Only with a documented reason."
        )
    elif (
        limits is not None
        and limits.cumulative_warning is not None
        and assessment.at_or_over_warning
    ):
        messages.append(
            f"The total reaches {assessment.after.text(chart_unit)} (warning at "
            f"{limits.cumulative_warning.text(chart_unit)})."
        )
    if baseline_missing:
        messages.append("No baseline vital signs are recorded yet.")
    return tuple(messages)
