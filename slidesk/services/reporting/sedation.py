"""The report's tables of the nurse's record from a schema-2 snapshot: doses with running
totals, oxygen, vital signs (with their alarms), sedation events and interventions, and the
modified Aldrete assessment item by item.

Every item is printed: undone ones struck through with their reason; who gave or measured it
and — where it differs — who typed it and when (`report_record.entered`). Site-local times.
"""

from __future__ import annotations

from datetime import tzinfo
from decimal import Decimal
from typing import Any

from slidesk.domain.sedation.doses import Dimension, Dose, plain, unit
from slidesk.domain.sedation.events import Intervention, SedationEventKind
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.domain.sedation.recovery import ALDRETE_ITEMS
from slidesk.domain.sedation.vitals import VitalSigns, alarms
from slidesk.i18n import _
from slidesk.protocol.model import Protocol
from slidesk.reports.model import Table
from slidesk.services.record.snapshot import RecordSnapshot, live
from slidesk.services.record.wording import clock, local_time
from slidesk.services.reporting.record import Names, entered, join, struck, undone


def _dose(d: Any) -> Dose:
    return Dose(Dimension(d.dimension), d.amount_nano)


def dose_tables(snap: RecordSnapshot, protocol: Protocol, names: Names, tz: tzinfo) -> list[Table]:
    doses = sorted(snap.doses, key=lambda d: (d.given_at, d.id))
    running: dict[str, int] = {}
    rows = []
    for d in doses:
        if not d.voided:
            running[d.drug_key] = running.get(d.drug_key, 0) + d.amount_nano
        charted = _dose(d).text(d.unit)
        typed = f"{d.entered_amount} {unit(d.entered_unit).symbol}"
        rows.append(
            (
                local_time(d.given_at, tz),
                f"{d.drug_name} ({d.drug_kind})",
                charted if typed == charted else f"{charted} ({_('entered as')} {typed})",
                d.route,
                "—" if d.voided else Dose(Dimension(d.dimension), running[d.drug_key]).text(d.unit),
                entered(d, d.given_at, names, tz),
                join(
                    _("above the single maximum") if d.over_single_max else "",
                    _("cumulative warning reached") if d.cumulative_warning else "",
                    _("above the cumulative maximum") if d.over_cumulative_max else "",
                    _("reason: {why}").format(why=d.limit_reason) if d.limit_reason else "",
                    undone(d),
                ),
            )
        )
    given = [
        (
            med.name,
            med.kind,
            Dose(
                unit(med.unit).dimension,
                sum(d.amount_nano for d in live(doses) if d.drug_key == med.key),
            ).text(med.unit),
            str(sum(1 for d in live(doses) if d.drug_key == med.key)),
            _limit(med.cumulative_warning, med.unit),
            _limit(med.cumulative_max, med.unit),
        )
        for med in protocol.medications
        if any(d.drug_key == med.key for d in live(doses))
    ]
    others: dict[tuple[str, str], list[Any]] = {}
    for d in live(doses):
        if protocol.medication(d.drug_key) is None:
            others.setdefault((d.drug_name, d.unit), []).append(d)
    for (name, unit_code), items in others.items():
        total = Dose(Dimension(items[0].dimension), sum(d.amount_nano for d in items))
        given.append((name, items[0].drug_kind, total.text(unit_code), str(len(items)), "", ""))
    return [
        Table(
            title=_("Medication given"),
            columns=(
                _("Time"),
                _("Drug"),
                _("Dose"),
                _("Route"),
                _("Cumulative"),
                _("Given by"),
                _("Note"),
            ),
            rows=tuple(rows),
            widths=(1.3, 1.4, 1.3, 0.65, 1.05, 1.5, 1.9),
            marked_rows=tuple(
                i for i, d in enumerate(doses) if d.limit_reason or d.late or d.cumulative_warning
            ),
            struck_rows=struck(doses),
        ),
        Table(
            title=_("Cumulative totals"),
            columns=(_("Drug"), _("Kind"), _("Total"), _("Doses"), _("Warning at"), _("Maximum")),
            rows=tuple(given),
        ),
    ]


def _limit(value: Decimal | None, unit_code: str) -> str:
    return "" if value is None else f"{plain(value)} {unit(unit_code).symbol}"


def oxygen_table(snap: RecordSnapshot, names: Names, tz: tzinfo) -> Table:
    items = sorted(snap.oxygen, key=lambda o: (o.started_at, o.id))
    return Table(
        title=_("Oxygen"),
        columns=(_("From"), _("Device"), _("Flow"), _("By"), _("Note")),
        rows=tuple(
            (
                local_time(o.started_at, tz),
                OxygenDevice(o.device).label,
                "—" if not o.flow_ml_min else f"{plain(Decimal(o.flow_ml_min) / 1000)} L/min",
                entered(o, o.started_at, names, tz),
                undone(o),
            )
            for o in items
        ),
        widths=(1.3, 2.0, 0.9, 2.4, 2.0),
        struck_rows=struck(items),
    )


def vitals_table(snap: RecordSnapshot, protocol: Protocol, names: Names, tz: tzinfo) -> Table:
    items = sorted(snap.vitals, key=lambda v: (v.measured_at, v.id))

    def s(value: int | None) -> str:
        return "" if value is None else str(value)

    rows = []
    for v in items:
        bp = f"{v.systolic}/{v.diastolic}" if v.systolic is not None else ""
        temp = "" if v.temp_dc is None else plain(Decimal(v.temp_dc) / 10)
        score = "" if v.sedation_score is None else f"{v.sedation_score}"
        if v.sedation_scale and v.sedation_scale != protocol.sedation.scale:
            score = f"{v.sedation_scale} {score}"
        rows.append(
            (
                local_time(v.measured_at, tz),
                s(v.hr),
                bp,
                s(v.spo2),
                s(v.rr),
                s(v.etco2),
                temp,
                score,
                join(
                    _("baseline") if v.baseline else "",
                    _alarms(v, protocol),
                    v.note or "",
                    undone(v),
                ),
                entered(v, v.measured_at, names, tz),
            )
        )
    return Table(
        title=_("Vital signs"),
        columns=(
            _("Time"),
            "HR",
            "BP",
            "SpO₂",
            "RR",
            "EtCO₂",
            _("Temp °C"),
            protocol.sedation.scale,
            _("Alarms / note"),
            _("By"),
        ),
        rows=tuple(rows),
        widths=(1.3, 0.45, 0.75, 0.5, 0.45, 0.6, 0.6, 0.7, 2.2, 1.6),
        marked_rows=tuple(i for i, v in enumerate(items) if v.alarms),
        struck_rows=struck(items),
    )


def _alarms(v: Any, protocol: Protocol) -> str:
    """The alarms flagged at entry, worded from the values against the protocol's limits."""
    if not v.alarms:
        return ""
    signs = VitalSigns(
        hr=v.hr,
        systolic=v.systolic,
        diastolic=v.diastolic,
        spo2=v.spo2,
        rr=v.rr,
        etco2=v.etco2,
        temp_dc=v.temp_dc,
        sedation_scale=v.sedation_scale,
        sedation_score=v.sedation_score,
    )
    worded = {a.kind.value: a.message for a in alarms(signs, protocol.sedation.alarms)}
    return _("alarm: {what}").format(what=", ".join(worded.get(k, k) for k in v.alarms))


def events_table(snap: RecordSnapshot, names: Names, tz: tzinfo) -> Table:
    items = sorted(snap.events, key=lambda e: (e.occurred_at, e.id))
    doses = {d.id: d for d in snap.doses}

    def linked(dose_id: int | None) -> str:
        d = doses.get(dose_id) if dose_id is not None else None
        if d is None:
            return ""
        return _("after {drug} {dose} at {time}").format(
            drug=d.drug_name, dose=_dose(d).text(d.unit), time=clock(d.given_at, tz)
        )

    return Table(
        title=_("Sedation events and interventions"),
        columns=(
            _("Time"),
            _("Event"),
            _("Interventions"),
            _("Description"),
            _("Outcome"),
            _("By"),
        ),
        rows=tuple(
            (
                local_time(e.occurred_at, tz),
                join(SedationEventKind(e.kind).label, linked(e.dose_id)),
                ", ".join(Intervention(i).label for i in e.interventions),
                join(e.description or "", undone(e)),
                e.outcome or "",
                entered(e, e.occurred_at, names, tz),
            )
            for e in items
        ),
        widths=(1.3, 1.6, 1.6, 2.0, 1.6, 1.5),
        marked_rows=tuple(range(len(items))),
        struck_rows=struck(items),
    )


def recovery_table(snap: RecordSnapshot, protocol: Protocol, names: Names, tz: tzinfo) -> Table:
    items = sorted(snap.recovery, key=lambda r: (r.assessed_at, r.id))
    needed = protocol.sedation.discharge_aldrete_min
    return Table(
        title=_("Recovery (modified Aldrete)"),
        columns=(
            _("Time"),
            *(_(label) for _k, label, _t in ALDRETE_ITEMS),
            _("Total"),
            _("Discharge criterion"),
            _("Note"),
            _("By"),
        ),
        rows=tuple(
            (
                local_time(r.assessed_at, tz),
                *(str(getattr(r, key)) for key, _l, _t in ALDRETE_ITEMS),
                f"{r.total}/10",
                _("met") if r.total >= needed else _("not met (needs {n})").format(n=needed),
                join(r.note or "", undone(r)),
                entered(r, r.assessed_at, names, tz),
            )
            for r in items
        ),
        widths=(1.2, 0.85, 1.05, 1.0, 1.35, 0.62, 0.55, 0.95, 1.0, 1.05),
        struck_rows=struck(items),
    )
