"""The trend plots' series: one subject's visits as points per measure, and the days they span.

Pure presentation: `SubjectOutcomes` in, `PlotPoint`s out (VAS, Rutherford, ABI; an ABI that
could not be measured is a flagged point). Calls no service and draws nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from slidesk.domain.followup.model import BASELINE_MONTH
from slidesk.domain.followup.vascular import RatioStatus
from slidesk.services.followup.dto import SubjectOutcomes
from ui.followup.plots import PlotPoint


@dataclass(frozen=True, slots=True)
class TrendSeries:
    vas: tuple[PlotPoint, ...]
    rutherford: tuple[PlotPoint, ...]
    abi: tuple[PlotPoint, ...]
    span: tuple[date, date] | None  # first and last day of the visits and the procedure


def short_label(month: int) -> str:
    return "BL" if month == BASELINE_MONTH else f"M{month}"


def trend_series(data: SubjectOutcomes) -> TrendSeries:
    """Each dated visit's VAS, Rutherford class and ABI, labelled with its time point."""
    vas, rutherford, abi = [], [], []
    for point in data.time_points:
        visit = point.visit
        if visit is None or visit.entry.visit_date is None:
            continue
        day, label, entry = visit.entry.visit_date, short_label(point.month), visit.entry
        if entry.vas_mm is not None:
            vas.append(PlotPoint(day, entry.vas_mm, label))
        if entry.rutherford is not None:
            rutherford.append(PlotPoint(day, entry.rutherford, label))
        if visit.abi.value is not None:
            abi.append(PlotPoint(day, visit.abi.value, label))
        elif visit.abi.status is RatioStatus.NON_COMPRESSIBLE:
            abi.append(PlotPoint(day, None, label, "NC"))
    days = [
        t.visit.entry.visit_date
        for t in data.time_points
        if t.visit is not None and t.visit.entry.visit_date is not None
    ]
    if data.procedure_date is not None:
        days.append(data.procedure_date)
    span = (min(days), max(days)) if days else None
    return TrendSeries(tuple(vas), tuple(rutherford), tuple(abi), span)
