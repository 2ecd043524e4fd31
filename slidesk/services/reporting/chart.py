"""The vitals chart's data: series over site-local clock time, with doses and events marked.

The x axis is seconds since the first thing charted; tick labels are the site's wall-clock
HH:MM, every 5, 10, 15 or 30 minutes so that there are at most about ten.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal

from slidesk.domain.sedation.doses import Dimension, Dose, plain
from slidesk.domain.sedation.events import SedationEventKind
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.i18n import _
from slidesk.reports.model import Chart, ChartMark, ChartSeries
from slidesk.services.record.snapshot import RecordSnapshot, live

_STEPS = (5, 10, 15, 30, 60)
# (field of a vitals item, label, unit), in the order the chart draws them.
SERIES = (
    ("hr", "Heart rate", "/min"),
    ("systolic", "Systolic BP", "mmHg"),
    ("diastolic", "Diastolic BP", "mmHg"),
    ("spo2", "SpO₂", "%"),
)


def chart(
    series: Sequence[tuple[str, str, Sequence[tuple[datetime, int]]]],
    marks: Iterable[tuple[datetime, str, str]],
    tz: tzinfo,
) -> Chart | None:
    """`series` as (label, unit, [(time, value)]); `marks` as (time, label, kind)."""
    marked = sorted(marks)
    times = [t for _l, _u, points in series for t, _v in points] + [t for t, _l, _k in marked]
    if not any(points for _l, _u, points in series):
        return None
    start, last = min(times), max(times)

    def at(t: datetime) -> int:
        return int((t - start).total_seconds())

    span = max(at(last), 300)
    step = next((s for s in _STEPS if span / (s * 60) <= 10), _STEPS[-1])
    local_start = start.astimezone(tz)
    first_tick = local_start.replace(second=0, microsecond=0)
    first_tick += timedelta(minutes=(-first_tick.minute) % step)
    ticks = []
    tick = first_tick
    while (tick - local_start).total_seconds() <= span:
        ticks.append((int((tick - local_start).total_seconds()), tick.strftime("%H:%M")))
        tick += timedelta(minutes=step)
    offset = local_start.strftime("%z")
    return Chart(
        series=tuple(
            ChartSeries(label, unit, tuple((at(t), v) for t, v in points))
            for label, unit, points in series
        ),
        ticks=tuple(ticks),
        end=span,
        marks=tuple(ChartMark(at(t), label, kind) for t, label, kind in marked),
        axis_label=_("site-local time (UTC{offset})").format(offset=f"{offset[:3]}:{offset[3:]}"),
    )


def record_chart(snap: RecordSnapshot, tz: tzinfo) -> Chart | None:
    vitals = sorted(live(snap.vitals), key=lambda v: v.measured_at)
    series = [
        (
            _(label),
            unit,
            [(v.measured_at, getattr(v, key)) for v in vitals if getattr(v, key) is not None],
        )
        for key, label, unit in SERIES
    ]
    marks = [
        (
            d.given_at,
            f"{d.drug_name} {Dose(Dimension(d.dimension), d.amount_nano).text(d.unit)}",
            "dose",
        )
        for d in live(snap.doses)
    ]
    marks += [
        (
            o.started_at,
            "O₂ "
            + (
                _("room air")
                if OxygenDevice(o.device) is OxygenDevice.ROOM_AIR
                else f"{plain(Decimal(o.flow_ml_min) / 1000)} L/min"
            ),
            "oxygen",
        )
        for o in live(snap.oxygen)
    ]
    marks += [(e.occurred_at, SedationEventKind(e.kind).label, "event") for e in live(snap.events)]
    return chart(series, marks, tz)
