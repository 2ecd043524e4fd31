"""The outcome timeline's item model: one row per time point (baseline, month 2, 6, …).

Fields (one column each): time point; target date; visit date (with how far outside the
window); record status; vital status; index-limb amputations; Rutherford; Fontaine; pain VAS;
ulcers; pain-free walking distance; ABI; TBI; EQ-5D-5L profile and EQ VAS; therapy success.
A value that is missing shows its reason code in brackets.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QFont

from slidesk.domain.followup.model import Item, VisitEntry, VisitStatus
from slidesk.domain.followup.vascular import Ratio, RatioStatus
from slidesk.services.followup.dto import TimePointView, VisitView
from ui.common.table_model import RowsTableModel, bold_font
from ui.followup.common import DUE_COLOURS, VERDICT_COLOURS, day_text

MonthRole = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    TIME_POINT = 0
    TARGET = 1
    VISIT_DATE = 2
    STATUS = 3
    VITAL = 4
    AMPUTATION = 5
    RUTHERFORD = 6
    FONTAINE = 7
    VAS = 8
    ULCERS = 9
    WALKING = 10
    ABI = 11
    TBI = 12
    EQ5D = 13
    VERDICT = 14


_HEADERS = {
    Column.TIME_POINT: "Time point",
    Column.TARGET: "Target",
    Column.VISIT_DATE: "Visit",
    Column.STATUS: "Record",
    Column.VITAL: "Vital",
    Column.AMPUTATION: "Amputation",
    Column.RUTHERFORD: "Rutherford",
    Column.FONTAINE: "Fontaine",
    Column.VAS: "VAS mm",
    Column.ULCERS: "Ulcers",
    Column.WALKING: "Walk (m)",
    Column.ABI: "ABI",
    Column.TBI: "TBI",
    Column.EQ5D: "EQ-5D-5L",
    Column.VERDICT: "Therapy success",
}

_ITEM_OF = {
    Column.VITAL: Item.VITAL_STATUS,
    Column.AMPUTATION: Item.AMPUTATION,
    Column.RUTHERFORD: Item.RUTHERFORD,
    Column.FONTAINE: Item.FONTAINE,
    Column.VAS: Item.VAS,
    Column.ULCERS: Item.ULCERS,
    Column.WALKING: Item.WALKING,
    Column.EQ5D: Item.EQ5D,
}


def _ratio(ratio: Ratio) -> str:
    if ratio.status is RatioStatus.COMPUTED:
        return str(ratio)
    if ratio.status is RatioStatus.INCOMPLETE:
        return "—"
    return "NC" if ratio.status is RatioStatus.NON_COMPRESSIBLE else "n/m"


def _value(entry: VisitEntry, column: Column) -> str | None:
    match column:
        case Column.VITAL:
            if entry.vital_status is None:
                return None
            if entry.death_date is not None:
                return f"Died {day_text(entry.death_date)}"
            return entry.vital_status.label
        case Column.AMPUTATION:
            if entry.new_amputation is None:
                return None
            if not entry.amputations:
                return "None"
            return ", ".join(
                f"{a.level.label} ({'major' if a.is_major else 'minor'})" for a in entry.amputations
            )
        case Column.RUTHERFORD:
            return str(entry.rutherford) if entry.rutherford is not None else None
        case Column.FONTAINE:
            return entry.fontaine.value if entry.fontaine else None
        case Column.VAS:
            return str(entry.vas_mm) if entry.vas_mm is not None else None
        case Column.ULCERS:
            return str(entry.ulcer_count) if entry.ulcer_count is not None else None
        case Column.WALKING:
            if entry.walk_unable is not None:
                return "unable"
            return str(entry.walk_distance_m) if entry.walk_distance_m is not None else None
        case Column.EQ5D:
            if entry.eq5d is None:
                return None
            vas = entry.eq5d.vas if entry.eq5d.vas is not None else "—"
            return f"{entry.eq5d.health_state} · {vas}"
    return None


def visit_cell(visit: VisitView, column: Column) -> str:
    entry = visit.entry
    if entry.visit_missing is not None:
        return f"({entry.visit_missing.label.lower()})"
    if column is Column.ABI:
        return _ratio(visit.abi)
    if column is Column.TBI:
        return _ratio(visit.tbi)
    text = _value(entry, column)
    if text is not None:
        return text
    code = entry.missing.get(_ITEM_OF[column])
    return f"({code.label.lower()})" if code is not None else "—"


class TimelineModel(RowsTableModel[TimePointView, Column]):
    def __init__(self, parent: QObject | None = None) -> None:
        headers = {c: QCoreApplication.translate("TimelineModel", t) for c, t in _HEADERS.items()}
        super().__init__(Column, headers, parent)

    def row_of(self, month: int) -> int:
        return next((i for i, t in enumerate(self.rows) if t.month == month), -1)

    def accessible_text(self, point: TimePointView, column: Column) -> str:
        return self.display(point, column)

    def background(self, point: TimePointView, column: Column) -> str | None:
        colours = self._colours(point, column)
        return colours[0] if colours else None

    def foreground(self, point: TimePointView, column: Column) -> str | None:
        colours = self._colours(point, column)
        return colours[1] if colours else None

    def font(self, point: TimePointView, column: Column) -> QFont | None:
        return bold_font() if column is Column.TIME_POINT else None

    def user_data(self, point: TimePointView, column: Column, role: int) -> Any:
        return point.month if role == MonthRole else None

    def display(self, point: TimePointView, column: Column) -> str:
        visit = point.visit
        match column:
            case Column.TIME_POINT:
                return point.label
            case Column.TARGET:
                return day_text(point.window.target) if point.window else "—"
            case Column.VISIT_DATE:
                if visit is None or visit.entry.visit_date is None:
                    return "—"
                text = day_text(visit.entry.visit_date)
                off = visit.outside_window_days
                return text if off == 0 else f"{text} ({'+' if off > 0 else ''}{off} d)"
            case Column.STATUS:
                if visit is not None:
                    return visit.status.label
                return point.state.label if point.state is not None else "Not entered"
            case Column.VERDICT:
                if visit is None or visit.verdict is None:
                    return "—"
                text = visit.verdict.verdict.label
                return text + (" (provisional)" if visit.verdict.provisional else "")
        if visit is None:
            return ""
        return visit_cell(visit, column)

    def tooltip(self, point: TimePointView, column: Column) -> str | None:
        visit = point.visit
        if column is Column.TARGET and point.window is not None:
            return f"Window {day_text(point.window.opens)} – {day_text(point.window.closes)}"
        if column is Column.VISIT_DATE and visit is not None and visit.outside_window_days:
            return "Outside the protocol window (a deviation)"
        if column is Column.ABI and visit is not None:
            return visit.abi.note or None
        if column is Column.WALKING and visit is not None and visit.entry.walk_unable:
            return f"Unable to walk: {visit.entry.walk_unable.label}"
        if column is Column.VERDICT and visit is not None and visit.verdict is not None:
            return "\n".join(
                f"{c.key}: {c.status.value} — {c.reason}" for c in visit.verdict.criteria
            )
        return None

    def _colours(self, point: TimePointView, column: Column) -> tuple[str, str] | None:
        visit = point.visit
        if column is Column.STATUS:
            if visit is None:
                return DUE_COLOURS[point.state] if point.state is not None else None
            if visit.status is VisitStatus.SIGNED:
                return ("#dcf2e4", "#1d6b3a")
            return ("#e8eefc", "#1e3a8a")
        if column is Column.VERDICT and visit is not None and visit.verdict is not None:
            return VERDICT_COLOURS[visit.verdict.verdict]
        if column is Column.VISIT_DATE and visit is not None and visit.outside_window_days:
            return ("#fff4d6", "#7a4b00")
        return None
