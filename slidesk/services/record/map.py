"""Which audited column goes where in the signed record snapshot, and why any does not.

The one declaration the record's completeness rests on: `RECORD` maps every table that is part
of a procedure record to a snapshot section, column by column; a column that is not copied is
declared with the reason (`Kept`). Tables that are not part of a procedure record are in
`NOT_IN_RECORD`, with the reason. `record_snapshot.build_snapshot` copies rows through this
map, and `tests/integration/test_record_completeness.py` reads the table metadata and fails
for any audited table or column that is in neither. A new column therefore cannot slip past
the signature unnoticed: it is signed, or somebody wrote down why not.
No Qt; no SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from slidesk.services.record import sections as s


@dataclass(frozen=True, slots=True)
class Kept:
    """A column left out of the signed snapshot, and why."""

    reason: str


@dataclass(frozen=True, slots=True)
class TableInRecord:
    """Where a table's rows go: a snapshot section of `item`s, or the header (`item` None)."""

    section: str
    item: type | None
    columns: Mapping[str, str | Kept]


_OF_PROCEDURE = Kept("the snapshot is of one procedure: its id is the snapshot's procedure_id")
_ROW_ID = "id"

# Columns every bedside entry of the nurse's record has (rows_sedation._Entry).
_ENTRY_COLUMNS: dict[str, str | Kept] = {
    "id": _ROW_ID,
    "procedure_id": _OF_PROCEDURE,
    "recorded_at": "recorded_at",
    "late": "late",
    "performer_id": "performer_id",
    "recorder_id": "recorder_id",
    "voided": "voided",
    "void_reason": "void_reason",
}


def _same(*names: str) -> dict[str, str | Kept]:
    return {n: n for n in names}


RECORD: dict[str, TableInRecord] = {
    "procedures": TableInRecord(
        "",
        None,
        {
            "id": "procedure_id",
            **_same(
                "subject_id",
                "protocol_key",
                "protocol_version",
                "kit_number",
                "operator_id",
                "nurse_id",
                "location",
                "product_release_at",
                "planned_at",
                "started_at",
                "completed_at",
                "created_by",
            ),
            "status": Kept(
                "workflow state: it becomes 'signed' when the signatures are complete, so it "
                "cannot be part of what they sign; the version history records it"
            ),
        },
    ),
    "subjects": TableInRecord(
        "",
        None,
        {
            "id": Kept("the same as the procedure's subject_id, which is in the snapshot"),
            **_same("study_id", "index_limb", "centre"),
            "created_at": Kept(
                "when the subject was registered: the subject's trail, not this procedure's record"
            ),
            "created_by": Kept(
                "who registered the subject: the subject's trail, not this procedure's record"
            ),
        },
    ),
    "site_entries": TableInRecord(
        "entries",
        s.SnapshotEntry,
        {
            "id": _ROW_ID,
            "procedure_id": _OF_PROCEDURE,
            **_same(
                "site_no",
                "kind",
                "performed_at",
                "recorded_at",
                "depth_um",
                "volume_ul",
                "syringe_label",
                "performer_id",
                "recorder_id",
                "deviation_reason",
                "skip_reason",
                "skip_detail",
                "relocated",
                "actual_x_e4",
                "actual_y_e4",
                "voided",
                "void_reason",
            ),
        },
    ),
    "checklist_ticks": TableInRecord(
        "checklist",
        s.SnapshotTick,
        {
            "id": _ROW_ID,
            "procedure_id": _OF_PROCEDURE,
            **_same(
                "item_key",
                "item_text",
                "ticked_by",
                "ticked_role",
                "ticked_at",
                "voided",
                "void_reason",
            ),
        },
    ),
    "site_flags": TableInRecord(
        "flags",
        s.SnapshotFlag,
        {
            "id": _ROW_ID,
            "procedure_id": _OF_PROCEDURE,
            **_same(
                "site_no",
                "flag",
                "note",
                "observed_at",
                "recorded_at",
                "recorder_id",
                "voided",
                "void_reason",
            ),
        },
    ),
    "syringe_dispositions": TableInRecord(
        "dispositions",
        s.SnapshotDisposition,
        {
            "id": _ROW_ID,
            "procedure_id": _OF_PROCEDURE,
            **_same(
                "syringe_label",
                "disposition",
                "note",
                "recorded_at",
                "recorder_id",
                "voided",
                "void_reason",
            ),
        },
    ),
    "sedation_doses": TableInRecord(
        "doses",
        s.SnapshotDose,
        {
            **_ENTRY_COLUMNS,
            **_same(
                "given_at",
                "drug_key",
                "drug_name",
                "drug_kind",
                "dimension",
                "amount_nano",
                "unit",
                "entered_amount",
                "entered_unit",
                "route",
                "over_single_max",
                "over_cumulative_max",
                "cumulative_warning",
                "limit_reason",
            ),
        },
    ),
    "sedation_oxygen": TableInRecord(
        "oxygen",
        s.SnapshotOxygen,
        {**_ENTRY_COLUMNS, **_same("started_at", "device", "flow_ml_min")},
    ),
    "vital_signs": TableInRecord(
        "vitals",
        s.SnapshotVitals,
        {
            **_ENTRY_COLUMNS,
            **_same(
                "measured_at",
                "hr",
                "systolic",
                "diastolic",
                "spo2",
                "rr",
                "etco2",
                "temp_dc",
                "sedation_scale",
                "sedation_score",
                "baseline",
                "alarms",
                "note",
            ),
        },
    ),
    "sedation_events": TableInRecord(
        "events",
        s.SnapshotEvent,
        {
            **_ENTRY_COLUMNS,
            **_same("occurred_at", "kind", "interventions", "description", "outcome", "dose_id"),
        },
    ),
    "recovery_scores": TableInRecord(
        "recovery",
        s.SnapshotRecovery,
        {
            **_ENTRY_COLUMNS,
            **_same(
                "assessed_at",
                "activity",
                "respiration",
                "circulation",
                "consciousness",
                "spo2",
                "total",
                "note",
            ),
        },
    ),
    "adverse_events": TableInRecord(
        "adverse_events",
        s.SnapshotAdverseEvent,
        {
            **_ENTRY_COLUMNS,
            "subject_id": Kept(
                "an adverse event is recorded on its procedure, whose subject_id is in the snapshot"
            ),
            **_same(
                "onset_at",
                "first_known_at",
                "term",
                "description",
                "site_nos",
                "grade",
                "serious",
                "serious_criteria",
                "related_product",
                "related_procedure",
                "related_sedation",
                "expectedness",
                "action_taken",
                "outcome",
                "resolved_at",
                "sae_due_at",
            ),
        },
    ),
}

_SIGNING = (
    "about the record, not in it: a signature covers the snapshot, so neither the signature, "
    "the frozen version, the amendment that reopened it nor the issued PDF can be inside it"
)
_FOLLOW_UP = (
    "not part of a procedure record: follow-up visits of the subject after the procedure, "
    "kept and verified with their own audit trail"
)

NOT_IN_RECORD: dict[str, str] = {
    "users": "accounts: the record names people by user id; names, roles and credentials "
    "belong to the account and its own trail — audited column by column (the password hash "
    "as a digest of it, the lockout and failed attempts too) so verify finds a raw edit, "
    "but never part of a signed procedure record",
    "password_history": "accounts: the hashes of replaced passwords, kept so that one cannot "
    "be chosen again soon; audited as digests of them, never part of a signed record",
    "signatures": _SIGNING,
    "record_versions": _SIGNING,
    "amendments": _SIGNING,
    "report_documents": _SIGNING,
    "followup_anchors": _FOLLOW_UP,
    "followup_visits": _FOLLOW_UP,
    "followup_amputations": _FOLLOW_UP,
    "followup_ulcers": _FOLLOW_UP,
    "followup_verdicts": _FOLLOW_UP,
    "settings": "installation settings (time zone …), audited in their own trail; a document "
    "keeps the zone it was issued in (report_documents.issued_with)",
}


def copied(table: str) -> dict[str, str]:
    """{column: snapshot field} of the columns of `table` that are copied."""
    return {c: f for c, f in RECORD[table].columns.items() if isinstance(f, str)}
