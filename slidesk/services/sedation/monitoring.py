"""Monitoring entries of the nurse's record: vital signs, sedation events, recovery (Aldrete).

Impossible values are refused with the reason; alarming ones (protocol thresholds) are stored
with the entry and shown. Only a person with RECORD_SEDATION records here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal

from slidesk.clock import Clock
from slidesk.domain.errors import NotFoundError, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.sedation.events import Intervention, SedationEventKind
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.domain.sedation.recovery import Aldrete, aldrete_oxygen_conflict
from slidesk.domain.sedation.timing import is_late
from slidesk.domain.sedation.vitals import VitalSigns, alarms, parse_temperature
from slidesk.domain.users import Actor, Permission, Role
from slidesk.domain.values import clean_text, parse_whole_number
from slidesk.i18n import _
from slidesk.persistence.rows.sedation import (
    OxygenRow,
    RecoveryScoreRow,
    SedationDoseRow,
    SedationEventRow,
    SedationRepository,
    VitalSignsRow,
)
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.procedure.views import procedure_protocol
from slidesk.services.sedation import entries as entries
from slidesk.services.sedation.bedside import bedside_time, open_for_entry
from slidesk.services.sedation.dto import SedationRecord
from slidesk.services.sedation.entry_views import oxygen_view, vitals_signs


@boundary
def record_vitals(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    measured_at: datetime | None = None,
    hr: int | str | None = None,
    systolic: int | str | None = None,
    diastolic: int | str | None = None,
    spo2: int | str | None = None,
    rr: int | str | None = None,
    etco2: int | str | None = None,
    temp_c: str | Decimal | None = None,
    sedation_score: int | None = None,
    note: str | None = None,
) -> SedationRecord:
    """One set of observations; the sedation score is on the protocol's scale.

    A count may come as typed text ("72"; empty = not measured): anything but digits is
    refused with the text named, before anything is written."""
    actor.require(Permission.RECORD_SEDATION)
    text = clean_text(note, "Note")
    temp = parse_temperature(temp_c) if temp_c not in (None, "") else None
    hr = parse_whole_number(hr, _("Heart rate"))
    systolic = parse_whole_number(systolic, _("Systolic pressure"))
    diastolic = parse_whole_number(diastolic, _("Diastolic pressure"))
    spo2 = parse_whole_number(spo2, _("SpO2"))
    rr = parse_whole_number(rr, _("Respiratory rate"))
    etco2 = parse_whole_number(etco2, _("EtCO2"))
    with uow.begin(actor=actor, clock=clock, role=Role.NURSE) as tx:
        row = open_for_entry(tx, procedure_id, "record vital signs")
        protocol = procedure_protocol(tx, row)
        scale_name = protocol.sedation.scale if sedation_score is not None else None
        signs = VitalSigns(
            hr=hr,
            systolic=systolic,
            diastolic=diastolic,
            spo2=spo2,
            rr=rr,
            etco2=etco2,
            temp_dc=temp,
            sedation_scale=scale_name,
            sedation_score=sedation_score,
        )
        when = bedside_time(tx, measured_at, row, "The time of the observations")
        repo = tx.repo(SedationRepository)
        earlier = [v for v in repo.for_procedure(VitalSignsRow, row.id) if not v.voided]
        first_dose = min(
            (d.given_at for d in repo.for_procedure(SedationDoseRow, row.id) if not d.voided),
            default=None,
        )
        # The baseline is the first set, taken before any sedation or injection.
        baseline = (
            not any(v.measured_at <= when for v in earlier)
            and (first_dose is None or when <= first_dose)
            and (row.started_at is None or when <= row.started_at)
        )
        found = alarms(signs, protocol.sedation.alarms)
        entry = VitalSignsRow(
            measured_at=when,
            baseline=baseline,
            alarms=",".join(a.kind.value for a in found),
            note=text,
            **asdict(signs),  # the observations, column for column
            **entries.stamp(tx, row, actor, when),
        )
        entries.add_entry(tx, row, entry, AuditEvent.SEDATION_VITALS)
        return entries.saved_record(tx, row)


_VITAL_FIELDS = ("hr", "systolic", "diastolic", "spo2", "rr", "etco2", "sedation_score")


def correct_vitals(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    vitals_id: int,
    reason: str,
    measured_at: datetime | None = None,
    temp_c: str | Decimal | None = None,
    **values: int | None,
) -> SedationRecord:
    """Change values of a saved set (pass only the fields to change); audited with the reason."""
    actor.require(Permission.RECORD_SEDATION)
    why = free_text(reason, "Correction reason", required=True) or ""
    unknown = set(values) - set(_VITAL_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown vital-sign field(s): {', '.join(sorted(unknown))}.")
    with uow.begin(actor=actor, clock=clock, role=Role.NURSE) as tx:
        entry = entries.live_entry(
            tx,
            VitalSignsRow,
            vitals_id,
            f"Vital signs {vitals_id} do not exist or were struck out.",
        )
        row = open_for_entry(tx, entry.procedure_id, "correct vital signs")
        protocol = procedure_protocol(tx, row)
        current = vitals_signs(entry)
        merged = {f: getattr(current, f) for f in _VITAL_FIELDS} | values
        temp = parse_temperature(temp_c) if temp_c not in (None, "") else current.temp_dc
        score = merged["sedation_score"]
        scale_name = (
            (entry.sedation_scale or protocol.sedation.scale) if score is not None else None
        )
        signs = VitalSigns(temp_dc=temp, sedation_scale=scale_name, **merged)
        changes: dict[str, object] = dict(merged)
        changes.update(
            temp_dc=temp,
            sedation_scale=signs.sedation_scale,
            alarms=",".join(a.kind.value for a in alarms(signs, protocol.sedation.alarms)),
        )
        if measured_at is not None:
            when = bedside_time(tx, measured_at, row, "The time of the observations")
            changes.update(measured_at=when, late=is_late(when, entry.recorded_at))
        if not entries.change_entry(
            tx, row, entry, AuditEvent.SEDATION_VITALS_CORRECTED, why, **changes
        ):
            raise ValidationError("Nothing was changed.")
        return entries.saved_record(tx, row)


@boundary
def record_sedation_event(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    kind: SedationEventKind,
    interventions: Iterable[Intervention] = (),
    description: str | None = None,
    outcome: str | None = None,
    occurred_at: datetime | None = None,
    dose_id: int | None = None,
) -> SedationRecord:
    """A sedation event (desaturation, apnoea …) and what was done about it (chin lift …)."""
    actor.require(Permission.RECORD_SEDATION)
    chosen = tuple(dict.fromkeys(Intervention(i) for i in interventions))
    text = clean_text(description, "Description")
    result = clean_text(outcome, "Outcome")
    if kind is SedationEventKind.OTHER and not text:
        raise ValidationError("Describe the event ('Other' needs a description).")
    if Intervention.OTHER in chosen and not text:
        raise ValidationError("Describe the intervention ('Other' needs a description).")
    with uow.begin(actor=actor, clock=clock, role=Role.NURSE) as tx:
        row = open_for_entry(tx, procedure_id, "record a sedation event")
        if dose_id is not None:
            dose = tx.repo(SedationRepository).get(SedationDoseRow, dose_id)
            if dose is None or dose.procedure_id != row.id:
                raise NotFoundError("The linked dose is not part of this procedure.")
        when = bedside_time(tx, occurred_at, row, "The time of the event")
        entry = SedationEventRow(
            occurred_at=when,
            kind=SedationEventKind(kind).value,
            interventions=",".join(i.value for i in chosen),
            description=text,
            outcome=result,
            dose_id=dose_id,
            **entries.stamp(tx, row, actor, when),
        )
        entries.add_entry(tx, row, entry, AuditEvent.SEDATION_EVENT)
        return entries.saved_record(tx, row)


@boundary
def record_recovery(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    scores: Aldrete,
    assessed_at: datetime | None = None,
    note: str | None = None,
) -> SedationRecord:
    """A modified Aldrete assessment; the record shows whether the discharge score is met.

    SpO2 scored 2 ("on room air") while oxygen is charted at that time is refused: stop the
    oxygen on the record first, or score 1."""
    actor.require(Permission.RECORD_SEDATION)
    text = clean_text(note, "Note")
    with uow.begin(actor=actor, clock=clock, role=Role.NURSE) as tx:
        row = open_for_entry(tx, procedure_id, "record a recovery score")
        when = bedside_time(tx, assessed_at, row, "The time of the assessment")
        conflict = aldrete_oxygen_conflict(scores, _oxygen_running(tx, row.id, when))
        if conflict is not None:
            raise ValidationError(conflict + " " + _("The score is NOT saved."))
        entry = RecoveryScoreRow(
            assessed_at=when,
            activity=scores.activity,
            respiration=scores.respiration,
            circulation=scores.circulation,
            consciousness=scores.consciousness,
            spo2=scores.spo2,
            total=scores.total,
            note=text,
            **entries.stamp(tx, row, actor, when),
        )
        entries.add_entry(tx, row, entry, AuditEvent.SEDATION_RECOVERY)
        return entries.saved_record(tx, row)


def _oxygen_running(tx: Transaction, procedure_id: int, at: datetime) -> str | None:
    """The oxygen charted at `at` ("2 L/min, Nasal cannula"); None on room air."""
    live = [
        o
        for o in tx.repo(SedationRepository).for_procedure(OxygenRow, procedure_id)
        if not o.voided and o.started_at <= at
    ]
    if not live:
        return None
    last = max(live, key=lambda o: (o.started_at, o.id))
    view = oxygen_view(last, {})
    return None if view.device is OxygenDevice.ROOM_AIR else view.text
