"""How the audit trail reads to a monitor: event types, field names, stored values, people and
records in words.

A stored entry holds its event type, column names and raw values ({field: [old, new]}, user
ids, micro-units, UTC text). This module turns them into what a reader understands: "Injection
corrected" for `site.corrected` (the `AuditEvent` label, translated here), "Must change the
password at the next sign-in", "S. Bakker, RN (nurse)" instead of a user id, "12.5" mm instead
of 12500 µm, local time with the offset recorded at the time, and a sentence per change
("Depth (mm) changed from 12.5 to 14."). Pure: no database, no Qt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from slidesk.domain.events import AuditEvent
from slidesk.i18n import N_, _

People = Mapping[int, tuple[str, str]]
"""user id → (full name, username)."""


@dataclass(frozen=True, slots=True)
class Names:
    """What ids stand for: accounts (user id → (full name, username)) and subjects
    (subject id → study ID)."""

    people: People = field(default_factory=dict)
    subjects: Mapping[int, str] = field(default_factory=dict)


_UTC_TEXT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
_HIDDEN = N_("(hidden)")

# Columns that hold a user id: shown as the person's name and username.
PERSON_FIELDS = frozenset(
    {
        "performer_id",
        "recorder_id",
        "operator_id",
        "nurse_id",
        "created_by",
        "signer_id",
        "signer",
        "assessor_id",
        "reporter_id",
        "signed_by",
        "user_id",
    }
)

_UNITS = {"_um": ("mm", 1000), "_ul": ("mL", 1000), "_e4": ("", 10_000)}

# Names of stored fields and event details that read badly when merely de-underscored.
_LABELS = {
    "must_change_password": N_("password change due"),
    "pdf_sha256": N_("PDF fingerprint (SHA-256)"),
    "sha256": N_("file fingerprint (SHA-256)"),
    "content_hash": N_("record fingerprint (SHA-256)"),
    "record_hash": N_("record fingerprint (SHA-256)"),
    "utc_offset_min": N_("local time offset from UTC (minutes)"),
    "document_id": N_("document"),
    "signer_full_name": N_("signer's name"),
    "signer_username": N_("signer's username"),
    "meaning_role": N_("signed as"),
    "signature_ids": N_("signatures"),
    "issued_with": N_("issued with"),
    "digitally_signed": N_("sealed digitally"),
    "time_zone": N_("time zone"),
    "failed_attempts": N_("failed sign-in attempts"),
    "locked_until": N_("locked until"),
    "password_hash": N_("password (fingerprint of its hash)"),
    "password_changed_at": N_("password changed at"),
    "rows": N_("lines written"),
    "entries": N_("entries written"),
    "file": N_("file"),
    "filter": N_("filters"),
    "study_id": N_("study ID"),
    "kit_number": N_("kit number"),
    "site_no": N_("site"),
    "subject_id": N_("subject"),
}


def event_of(stored: str) -> AuditEvent | None:
    """The member a stored event type names; None for text no member names (this application
    writes none: the unit of work refuses it; a trail edited by hand could hold one)."""
    try:
        return AuditEvent(stored)
    except ValueError:
        return None


def event_label(stored: str) -> str:
    """A stored event type in words ('site.corrected' → 'Injection corrected'), in the current
    language; text no member names is shown as it is stored."""
    event = event_of(stored)
    return _(event.label) if event is not None else stored


def field_label(name: str) -> str:
    """'depth_um' → 'depth (mm)', 'created_by' → 'created by': a stored field, for a reader."""
    if name in _LABELS:
        return _(_LABELS[name])
    for suffix, (unit, _scale) in _UNITS.items():
        if name.endswith(suffix):
            base = name[: -len(suffix)].replace("_", " ")
            return f"{base} ({unit})" if unit else base
    if name in PERSON_FIELDS and name.endswith("_id"):
        name = name.removesuffix("_id")
    return name.replace("_", " ")


def person(user_id: object, people: People) -> str:
    """'S. Bakker, RN (nurse)': the person's name with the username (both are unique enough
    for a reader; the username is what the filter takes)."""
    if isinstance(user_id, int) and not isinstance(user_id, bool):
        known = people.get(user_id)
        if known is None:
            return _("an account no longer known ({id})").format(id=user_id)
        return named(*known)
    return "" if user_id is None else str(user_id)


def named(full_name: str | None, username: str | None) -> str:
    """A name and its username once: 'S. Bakker, RN (nurse)'; just one when the other is
    missing or when the name already ends with the username in brackets."""
    if not full_name:
        return username or ""
    if not username or full_name.endswith(f"({username})"):
        return full_name
    return f"{full_name} ({username})"


def format_local(at_utc: datetime, offset_min: int) -> str:
    local = at_utc.astimezone(timezone(timedelta(minutes=offset_min)))
    sign = "+" if offset_min >= 0 else "-"
    hours, minutes = divmod(abs(offset_min), 60)
    return f"{local:%Y-%m-%d %H:%M:%S} {sign}{hours:02d}:{minutes:02d}"


def show(value: object, name: str, offset: int, names: Names | None = None) -> str:
    """A stored value as a reader should see it; never a password hash."""
    if value is None:
        return ""
    if names is not None and name in PERSON_FIELDS:
        return person(value, names.people)
    if names is not None and name == "subject_id" and isinstance(value, int):
        return names.subjects.get(value, str(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        for suffix, (_unit, scale) in _UNITS.items():
            if name.endswith(suffix):
                return format((Decimal(value) / scale).normalize(), "f")
        return str(value)
    if isinstance(value, str):
        if value.startswith("$argon2"):
            return _(_HIDDEN)
        if _UTC_TEXT.match(value):
            at = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return format_local(at, offset)
        return value
    if isinstance(value, dict):
        return ", ".join(
            f"{field_label(k)}: {show(v, k, offset, names)}" for k, v in sorted(value.items())
        )
    if isinstance(value, list):
        return ", ".join(show(v, name, offset, names) for v in value)
    return str(value)


def sentence(action: str, label: str, old: str, new: str, *, is_detail: bool) -> str:
    """One change as a sentence: 'Depth (mm) changed from 12.5 to 14.'"""
    return _capital(_sentence(action, label, old, new, is_detail=is_detail))


def _sentence(action: str, label: str, old: str, new: str, *, is_detail: bool) -> str:
    if is_detail or action == "event":
        return _("{label}: {value}.").format(label=label, value=new or _("none"))
    if action == "create":
        return _("{label} set to {value}.").format(label=label, value=new or _("none"))
    if action == "delete":
        return _("{label} removed (was {value}).").format(label=label, value=old or _("none"))
    if not old:
        return _("{label} set to {value}.").format(label=label, value=new or _("none"))
    if not new:
        return _("{label} cleared (was {value}).").format(label=label, value=old)
    return _("{label} changed from {old} to {new}.").format(label=label, old=old, new=new)


@dataclass(frozen=True, slots=True)
class AuditChange:
    """One field of an entry: `old` → `new`, as readable text ('' for none).

    For a non-data event (sign-in, export …) `is_detail` is true and `new` holds the detail.
    """

    field: str
    label: str
    old: str
    new: str
    is_detail: bool = False
    sentence: str = ""  # the change in words: "Depth (mm) changed from 12.5 to 14."


# Each table's record, in the singular (a table not named here: its name, capitalised).
_RECORD_NAMES = {
    "subjects": N_("Subject"),
    "procedures": N_("Procedure"),
    "site_entries": N_("Site entry"),
    "site_flags": N_("Site finding"),
    "adverse_events": N_("Adverse event"),
    "amendments": N_("Amendment"),
    "checklist_ticks": N_("Time-out tick"),
    "followup_amputations": N_("Follow-up amputation"),
    "followup_anchors": N_("Follow-up procedure date"),
    "followup_ulcers": N_("Follow-up ulcer"),
    "followup_verdicts": N_("Therapy success verdict"),
    "followup_visits": N_("Follow-up visit"),
    "record_versions": N_("Signed record version"),
    "recovery_scores": N_("Recovery (Aldrete) score"),
    "report_documents": N_("Report document"),
    "sedation_doses": N_("Dose"),
    "sedation_events": N_("Sedation event"),
    "sedation_oxygen": N_("Oxygen entry"),
    "settings": N_("Setting"),
    "signatures": N_("Signature"),
    "syringe_dispositions": N_("Syringe disposition"),
    "vital_signs": N_("Vital signs"),
}


def record_in_words(
    entity: str | None, entity_id: str | None, names: Names, user_id: int | None = None
) -> str:
    """The record an entry is about, in words; an account by its holder's name, not its id
    ('Own account' when the holder is the one who acted: a sign-in, a password change)."""
    if not entity:
        return ""
    if entity == "users" and entity_id and entity_id.isdigit():
        if user_id is not None and int(entity_id) == user_id:
            return _("Own account")
        return _("Account of {person}").format(person=person(int(entity_id), names.people))
    if entity == "subjects" and entity_id and entity_id.isdigit():
        study_id = names.subjects.get(int(entity_id))
        if study_id is not None:
            return _("Subject {study_id}").format(study_id=study_id)
    known = _RECORD_NAMES.get(entity)
    name = _(known) if known else entity.replace("_", " ").capitalize()
    return f"{name} {entity_id}" if entity_id else name


def changes_in_words(action: str, text: str, offset: int, names: Names) -> tuple[AuditChange, ...]:
    data = json.loads(text) if text else {}
    if not isinstance(data, dict):
        value = show(data, "", offset, names)
        return (AuditChange("", "", "", value, is_detail=True, sentence=value),)
    lines = []
    for key in sorted(data):
        value = data[key]
        label = field_label(key)
        if action in ("create", "update", "delete") and _is_pair(value):
            old, new = value
            if action == "create" and (key == "id" or new in (None, "")):
                continue  # the record key is in 'What'; empty fields of a new record say nothing
            shown = (show(old, key, offset, names), show(new, key, offset, names))
            words = sentence(action, label, *shown, is_detail=False)
            lines.append(AuditChange(key, label, *shown, sentence=words))
        else:
            new_text = show(value, key, offset, names)
            words = sentence(action, label, "", new_text, is_detail=True)
            lines.append(AuditChange(key, label, "", new_text, is_detail=True, sentence=words))
    return tuple(lines)


def _is_pair(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
