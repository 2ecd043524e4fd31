"""Names of a record's entries as a clinician says them: "Fentanyl 50 µg at 13:28", "Vital
signs at 13:30", "Site 7" — never a database id.

Used wherever one entry of a record is named for people: the amendment's change list in the
signing review and on paper, the corrections table, the list of changes in the sign dialog.
An entry is named as it stands in the record being shown (the same words find it in that
record's tables). Times are the site's wall clock (`tz`), hours and minutes. Standard library
and the core only; no Qt, no SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from slidesk.domain.sedation.doses import Dimension, Dose, plain
from slidesk.domain.sedation.events import SedationEventKind
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.i18n import N_, _
from slidesk.services.record.snapshot import RecordSnapshot
from slidesk.services.record.v1 import RecordSnapshotV1

# What an entry of each audited table is called when nothing more is known about it.
KIND_LABELS = {
    "site_entries": N_("Site entry"),
    "site_flags": N_("Site finding"),
    "syringe_dispositions": N_("Syringe"),
    "checklist_ticks": N_("Time-out item"),
    "sedation_doses": N_("Dose"),
    "sedation_oxygen": N_("Oxygen"),
    "vital_signs": N_("Vital signs"),
    "sedation_events": N_("Sedation event"),
    "recovery_scores": N_("Recovery (Aldrete) score"),
    "adverse_events": N_("Adverse event"),
}
# Snapshot section attribute of each audited table.
_SECTIONS = {
    "site_entries": "entries",
    "site_flags": "flags",
    "syringe_dispositions": "dispositions",
    "checklist_ticks": "checklist",
    "sedation_doses": "doses",
    "sedation_oxygen": "oxygen",
    "vital_signs": "vitals",
    "sedation_events": "events",
    "recovery_scores": "recovery",
    "adverse_events": "adverse_events",
}


def hhmm(value: datetime, tz: tzinfo) -> str:
    """Hours and minutes on the site's clock ("13:28")."""
    return value.astimezone(tz).strftime("%H:%M")


def entry_name(entity: str, item: Any, tz: tzinfo) -> str:
    """One entry of the record (a snapshot section item) named by what it is and when."""
    if entity == "site_entries":
        return _("Site {n}").format(n=item.site_no)
    if entity == "sedation_doses":
        amount = Dose(Dimension(item.dimension), item.amount_nano).text(item.unit)
        return _("{drug} {amount} at {time}").format(
            drug=item.drug_name, amount=amount, time=hhmm(item.given_at, tz)
        )
    if entity == "sedation_oxygen":
        if item.device == OxygenDevice.ROOM_AIR.value:
            return _("Oxygen stopped at {time}").format(time=hhmm(item.started_at, tz))
        return _("Oxygen {flow} L/min by {device} from {time}").format(
            flow=plain(Decimal(item.flow_ml_min) / 1000),
            device=_label(OxygenDevice, item.device).lower(),
            time=hhmm(item.started_at, tz),
        )
    if entity == "vital_signs":
        return _("Vital signs at {time}").format(time=hhmm(item.measured_at, tz))
    if entity == "sedation_events":
        return _("Sedation event “{kind}” at {time}").format(
            kind=_label(SedationEventKind, item.kind), time=hhmm(item.occurred_at, tz)
        )
    if entity == "recovery_scores":
        return _("Aldrete score at {time}").format(time=hhmm(item.assessed_at, tz))
    if entity == "adverse_events":
        return _("Adverse event “{term}” (onset {time})").format(
            term=item.term, time=hhmm(item.onset_at, tz)
        )
    if entity == "checklist_ticks":
        text = getattr(item, "item_text", "") or getattr(item, "item_key", "")
        return _("Time-out item “{text}”").format(text=text)
    if entity == "site_flags":
        return _("Finding at site {n} ({flag})").format(n=item.site_no, flag=item.flag)
    if entity == "syringe_dispositions":
        return _("Syringe {label}").format(label=item.syringe_label)
    return _(KIND_LABELS.get(entity, entity.replace("_", " ")))


class RecordNames:
    """Names of every entry of one record, looked up by audited table and row id."""

    def __init__(self, snapshot: RecordSnapshot | RecordSnapshotV1, tz: tzinfo) -> None:
        self._tz = tz
        self._items: dict[tuple[str, str], tuple[str, Any]] = {}
        for entity, attr in _SECTIONS.items():
            items: Iterable[Any] = getattr(snapshot, attr, None) or ()
            for item in items:
                if hasattr(item, "id"):
                    self._items[(entity, str(item.id))] = (entity, item)

    def item(self, entity: str, entity_id: str | int | None) -> Any:
        """The snapshot item behind an audited row, or None when the record lacks it."""
        found = self._items.get((entity, str(entity_id)))
        return found[1] if found else None

    def name(self, entity: str, entity_id: str | int | None) -> str:
        item = self.item(entity, entity_id)
        if item is None:
            return _(KIND_LABELS.get(entity, entity.replace("_", " ")))
        return entry_name(entity, item, self._tz)


def _label(enum: Any, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value.replace("_", " ")
