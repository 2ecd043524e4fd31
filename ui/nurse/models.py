"""Item models of the nurse's record: adapters over the sedation DTOs (read-only)."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from slidesk.services.sedation.dto import (
    AdverseEventView,
    DoseView,
    RecoveryView,
    SedationEventView,
    VitalsView,
)
from ui.nurse.common import ALARM_BG, ALARM_FG, HIGHLIGHT_BG, OK_FG, WARN_BG, WARN_FG, RowsModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("NurseModels", text)


_Tone = tuple[QColor | None, QColor | None] | None


class DoseModel(RowsModel[DoseView]):
    class Column(IntEnum):
        TIME = 0
        DRUG = 1
        DOSE = 2
        TOTAL = 3
        BY = 4

    HEADERS = (
        _tr("Time"),
        _tr("Drug"),
        _tr("Dose"),
        _tr("Total"),
        _tr("By"),
    )

    def display(self, item: DoseView, column: IntEnum) -> str:
        c = self.Column
        if column == c.TIME:
            return self.hm(item.given_at) + (" " + _tr("(late)") if item.late else "")
        if column == c.DRUG:
            reversal = " ⟲ " + _tr("reversal") if item.is_reversal else ""
            return f"{item.drug_name}{reversal}"
        if column == c.DOSE:
            flag = " ⚠" if item.over_single_max or item.over_cumulative_max else ""
            return f"{item.text} {item.route}{flag}"
        if column == c.TOTAL:
            return item.cumulative_text
        return item.performer.full_name

    def tone(self, item: DoseView, column: IntEnum) -> _Tone:
        if item.over_cumulative_max or (item.over_single_max and column == self.Column.DOSE):
            return ALARM_FG, ALARM_BG
        if item.is_reversal:
            return None, HIGHLIGHT_BG
        if item.cumulative_warning and column == self.Column.TOTAL:
            return WARN_FG, WARN_BG
        return None

    def tooltip(self, item: DoseView, column: IntEnum) -> str | None:
        parts = [_tr("Typed as {0}").format(item.entered_text)]
        parts.append(
            _tr("Recorded {0} by {1}").format(self.hm(item.recorded_at), item.recorder.full_name)
        )
        if item.limit_reason:
            parts.append(_tr("Above the protocol limit: {0}").format(item.limit_reason))
        if item.voided:
            parts.append(_tr("Struck out: {0}").format(item.void_reason))
        return "\n".join(parts)


class VitalsModel(RowsModel[VitalsView]):
    class Column(IntEnum):
        TIME = 0
        HR = 1
        BP = 2
        SPO2 = 3
        RR = 4
        SEDATION = 5

    HEADERS = (
        _tr("Time"),
        _tr("HR"),
        _tr("BP"),
        _tr("SpO2"),
        _tr("RR"),
        _tr("Sed."),
    )
    _FIELDS: ClassVar[dict[int, str]] = {1: "hr", 2: "systolic", 3: "spo2", 4: "rr", 5: "sedation"}

    def display(self, item: VitalsView, column: IntEnum) -> str:
        c = self.Column
        if column == c.TIME:
            mark = " B" if item.baseline else ""
            return self.hm(item.measured_at) + mark + (" " + _tr("(late)") if item.late else "")
        if column == c.HR:
            return "" if item.hr is None else str(item.hr)
        if column == c.BP:
            return item.bp_text
        if column == c.SPO2:
            return "" if item.spo2 is None else f"{item.spo2} %"
        if column == c.RR:
            return "" if item.rr is None else str(item.rr)
        return "" if item.sedation_score is None else str(item.sedation_score)

    def tone(self, item: VitalsView, column: IntEnum) -> _Tone:
        field = self._FIELDS.get(int(column))
        if field and (item.alarmed(field) or (field == "systolic" and item.alarmed("systolic"))):
            return ALARM_FG, ALARM_BG
        return None

    def tooltip(self, item: VitalsView, column: IntEnum) -> str | None:
        lines = []
        if item.baseline:
            lines.append(_tr("Baseline (before sedation)"))
        lines += [a.message for a in item.alarms]
        if item.sedation_score is not None:
            lines.append(f"{item.sedation_scale} {item.sedation_score}: {item.sedation_label}")
        if item.mean_arterial is not None:
            lines.append(_tr("MAP {0} mmHg").format(item.mean_arterial))
        if item.etco2 is not None:
            lines.append(f"EtCO2 {item.etco2} mmHg")
        if item.temp_c is not None:
            lines.append(f"{item.temp_c} °C")
        if item.note:
            lines.append(item.note)
        if item.voided:
            lines.append(_tr("Struck out: {0}").format(item.void_reason))
        return "\n".join(lines) or None


class EventModel(RowsModel[SedationEventView]):
    class Column(IntEnum):
        TIME = 0
        EVENT = 1
        OUTCOME = 2

    HEADERS = (
        _tr("Time"),
        _tr("Event and intervention"),
        _tr("Outcome"),
    )

    def display(self, item: SedationEventView, column: IntEnum) -> str:
        if column == self.Column.TIME:
            return self.hm(item.occurred_at)
        if column == self.Column.EVENT:
            return item.summary
        return item.outcome or ""

    def tooltip(self, item: SedationEventView, column: IntEnum) -> str | None:
        return item.description


class AdverseEventModel(RowsModel[AdverseEventView]):
    class Column(IntEnum):
        ONSET = 0
        TERM = 1
        GRADE = 2
        SERIOUS = 3
        OUTCOME = 4

    HEADERS = (
        _tr("Onset"),
        _tr("Term"),
        _tr("Grade"),
        _tr("Serious"),
        _tr("Outcome"),
    )

    def display(self, item: AdverseEventView, column: IntEnum) -> str:
        c = self.Column
        if column == c.ONSET:
            return self.hm(item.onset_at)
        if column == c.TERM:
            sites = (
                f" ({_tr('site')} {', '.join(map(str, item.site_nos))})" if item.site_nos else ""
            )
            return item.term + sites
        if column == c.GRADE:
            return str(int(item.grade))
        if column == c.SERIOUS:
            return _tr("SAE") if item.serious else _tr("no")
        return item.outcome.label

    def tone(self, item: AdverseEventView, column: IntEnum) -> _Tone:
        return (ALARM_FG, ALARM_BG) if item.serious else None

    def tooltip(self, item: AdverseEventView, column: IntEnum) -> str | None:
        lines = [
            _tr("Related to product: {0}; procedure: {1}; sedation: {2}").format(
                item.related_product, item.related_procedure, item.related_sedation
            ),
            _tr("Action: {0}").format(item.action_taken.label),
            _tr("Reported by {0}").format(item.reporter.full_name),
        ]
        if item.sae_due_at is not None:
            lines.append(_tr("Report to the sponsor by {0}").format(self.hm(item.sae_due_at)))
        return "\n".join(lines)


class RecoveryModel(RowsModel[RecoveryView]):
    class Column(IntEnum):
        TIME = 0
        SCORE = 1
        RESULT = 2

    HEADERS = (
        _tr("Time"),
        _tr("Aldrete"),
        _tr("Discharge score"),
    )

    def display(self, item: RecoveryView, column: IntEnum) -> str:
        if column == self.Column.TIME:
            return self.hm(item.assessed_at)
        if column == self.Column.SCORE:
            s = item.scores
            return (
                f"{item.total}/10  ({s.activity}-{s.respiration}-{s.circulation}-"
                f"{s.consciousness}-{s.spo2})"
            )
        return _tr("met") if item.meets_threshold else _tr("not met")

    def tone(self, item: RecoveryView, column: IntEnum) -> _Tone:
        if column != self.Column.RESULT:
            return None
        return (OK_FG, None) if item.meets_threshold else (WARN_FG, WARN_BG)
