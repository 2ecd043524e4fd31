"""The names of audit events, declared once, each with its label. Standard library only.

Every event type the application writes to the trail is a member here, so a reader of the trail
(the timeline, the audit viewer, the exports, the verifier) and its writer cannot drift apart by a
typo: the unit of work refuses an event type that is not a member.

Each member carries its label for a reader ("Injection corrected"), in plain English: the domain
imports no translation, so the reader shows it through `_()` (`services.audit.words.event_label`).

The stored value of a member never changes: the hash chain covers `event_type`, so entries written
by older versions keep their strings, and every string ever written stays a member (a renamed
event would keep its old value as a member marked as a former name). Two pairs look alike but are
two entries of one act, both written to this day:

- `amendment.opened` is the new amendment row (its version, reason and opener);
  `procedure.amendment_opened` is the procedure's status going from signed to amended. The
  timeline shows the second (one line per amendment); the audit viewer lists both, each with its
  own label.
- `auth.amendment` is the opener's password checked to open that amendment.

Must not import anything outside the standard library.
"""

from __future__ import annotations

from enum import StrEnum


class AuditEvent(StrEnum):
    """Every kind of audit entry; the value is what the trail stores, `label` what a reader sees."""

    _value_: str
    label: str

    # `label` is given by every member below (a test checks it); its default only lets a type
    # checker accept `AuditEvent(stored_text)`, the lookup of a member by its stored value.
    def __new__(cls, value: str, label: str = "") -> AuditEvent:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    # --- subjects and procedures --------------------------------------------------------------
    SUBJECT_REGISTERED = "subject.registered", "Subject registered"
    PROCEDURE_PLANNED = "procedure.planned", "Procedure planned"
    PROCEDURE_STARTED = "procedure.started", "Procedure started"
    PROCEDURE_COMPLETED = "procedure.completed", "Procedure completed"
    PROCEDURE_SIGNED = "procedure.signed", "Record signed"
    # The procedure's status going from signed to amended (beside AMENDMENT_OPENED, see above).
    PROCEDURE_AMENDMENT_OPENED = "procedure.amendment_opened", "Amendment opened"
    CHECKLIST_TICKED = "checklist.ticked", "Ticked"
    CHECKLIST_UNTICKED = "checklist.unticked", "Tick withdrawn"

    # --- the operator's site entries ----------------------------------------------------------
    SITE_INJECTED = "site.injected", "Site injected"
    SITE_SKIPPED = "site.skipped", "Site skipped"
    SITE_CORRECTED = "site.corrected", "Injection corrected"
    SITE_SKIP_CORRECTED = "site.skip_corrected", "Skip corrected"
    SITE_UNDONE = "site.undone", "Entry undone"
    SITE_FLAGGED = "site.flagged", "Site finding"
    SITE_FLAG_WITHDRAWN = "site.flag_withdrawn", "Site finding withdrawn"
    SYRINGE_RETURNED = "syringe.returned", "Syringe returned unused"
    SYRINGE_WASTED = "syringe.wasted", "Syringe wasted"
    SYRINGE_DISPOSITION_WITHDRAWN = "syringe.disposition_withdrawn", "Syringe disposition withdrawn"

    # --- the sedation nurse's record ----------------------------------------------------------
    SEDATION_DOSE = "sedation.dose", "Dose given"
    SEDATION_DOSE_CORRECTED = "sedation.dose_corrected", "Dose corrected"
    SEDATION_DOSE_VOIDED = "sedation.dose_voided", "Dose struck out"
    SEDATION_LIMIT_OVERRIDE = "sedation.limit_override", "Dose limit overridden"
    SEDATION_OXYGEN = "sedation.oxygen", "Oxygen recorded"
    SEDATION_OXYGEN_VOIDED = "sedation.oxygen_voided", "Oxygen entry struck out"
    SEDATION_VITALS = "sedation.vitals", "Vital signs recorded"
    SEDATION_VITALS_CORRECTED = "sedation.vitals_corrected", "Vital signs corrected"
    SEDATION_VITALS_VOIDED = "sedation.vitals_voided", "Vital signs struck out"
    SEDATION_EVENT = "sedation.event", "Sedation event recorded"
    SEDATION_EVENT_VOIDED = "sedation.event_voided", "Sedation event struck out"
    SEDATION_RECOVERY = "sedation.recovery", "Recovery score recorded"
    SEDATION_RECOVERY_VOIDED = "sedation.recovery_voided", "Recovery score struck out"
    AE_RECORDED = "ae.recorded", "Adverse event recorded"
    AE_SERIOUS = "ae.serious", "Serious adverse event"
    AE_FOLLOWED_UP = "ae.followed_up", "Adverse event followed up"
    AE_VOIDED = "ae.voided", "Adverse event struck out"

    # --- signatures, amendments and reports ---------------------------------------------------
    SIGNATURE_APPLIED = "signature.applied", "Signature given"
    SIGNATURE_REFUSED = "signature.refused", "Signature refused"
    RECORD_VERSION_SIGNED = "record.version_signed", "Signed version kept"
    # The new amendment row (beside PROCEDURE_AMENDMENT_OPENED, see above).
    AMENDMENT_OPENED = "amendment.opened", "Amendment reason and version recorded"
    REPORT_ARCHIVED = "report.archived", "Report archived"
    REPORT_PREVIEW = "report.preview", "Report previewed"
    REPORT_EXPORT = "report.export", "Report exported"
    REPORT_PRINT = "report.print", "Report printed"
    REPORT_OPEN = "report.open", "Report opened"
    EXPORT_AUDIT_TRAIL = "export.audit_trail", "Audit trail exported"
    EXPORT_ACCESS_REVIEW = "export.access_review", "Access review exported"

    # --- follow-up ------------------------------------------------------------------------------
    FOLLOWUP_VISIT_CREATED = "followup.visit_created", "Follow-up visit entered"
    FOLLOWUP_VISIT_UPDATED = "followup.visit_updated", "Follow-up visit changed"
    FOLLOWUP_VISIT_SIGNED = "followup.visit_signed", "Follow-up visit signed"
    FOLLOWUP_VISIT_AMENDMENT_OPENED = (
        "followup.visit_amendment_opened",
        "Follow-up visit reopened for amendment",
    )
    FOLLOWUP_PROCEDURE_DATE_ENTERED = "followup.procedure_date_entered", "Procedure date entered"
    FOLLOWUP_PROCEDURE_DATE_CHANGED = "followup.procedure_date_changed", "Procedure date changed"
    FOLLOWUP_VERDICT_COMPUTED = "followup.verdict_computed", "Therapy success verdict computed"
    FOLLOWUP_VERDICT_RECOMPUTED = (
        "followup.verdict_recomputed",
        "Therapy success verdict computed again",
    )
    FOLLOWUP_AMPUTATION_ADDED = "followup.amputation_added", "Amputation added"
    FOLLOWUP_AMPUTATION_CORRECTED = "followup.amputation_corrected", "Amputation corrected"
    FOLLOWUP_AMPUTATION_REMOVED = "followup.amputation_removed", "Amputation removed"
    FOLLOWUP_ULCER_ADDED = "followup.ulcer_added", "Ulcer added"
    FOLLOWUP_ULCER_CORRECTED = "followup.ulcer_corrected", "Ulcer corrected"
    FOLLOWUP_ULCER_REMOVED = "followup.ulcer_removed", "Ulcer removed"

    # --- accounts, sign-in and bedside sessions -----------------------------------------------
    USER_CREATED = "user.created", "Account created"
    USER_ROLES_CHANGED = "user.roles_changed", "Roles changed"
    USER_ACTIVATED = "user.activated", "Account activated"
    USER_DEACTIVATED = "user.deactivated", "Account deactivated"
    USER_PASSWORD_CHANGED = "user.password_changed", "Password changed"
    USER_PASSWORD_RESET = "user.password_reset", "Password reset"
    # A replaced password hash kept in the history (audited as a digest, never the hash).
    PASSWORD_RETIRED = "user.password_retired", "Old password kept in the history"
    # The sign-in counters and lockout of an account changed (a failed attempt, a lockout, a
    # successful sign-in that clears them); the auth.* event beside it says what happened.
    SIGN_IN_STATE = "user.sign_in_state", "Sign-in counters changed"
    # Written once per account by the upgrade that put the security columns under audit.
    USER_SECURITY_AUDITED = "user.security_audited", "Security fields as found at the upgrade"
    AUTH_SIGN_IN = "auth.sign-in", "Signed in"
    AUTH_SIGNATURE = "auth.signature", "Password checked for a signature"
    AUTH_AMENDMENT = "auth.amendment", "Password checked to open an amendment"
    AUTH_PASSWORD_CHANGE = "auth.password-change", "Password checked to change it"
    AUTH_FAILED = "auth.failed", "Wrong password or unknown account"
    AUTH_LOCKED = "auth.locked", "Account locked after failed attempts"
    AUTH_REFUSED_LOCKED = "auth.refused_locked", "Refused: the account is locked"
    AUTH_REFUSED_INACTIVE = "auth.refused_inactive", "Refused: the account is deactivated"
    SESSION_LOCKED = "session.locked", "Session locked"
    SESSION_UNLOCKED = "session.unlocked", "Session unlocked"
    SESSION_SIGNED_OUT = "session.signed_out", "Signed out"
    SESSION_TYPIST_CHANGED = "session.typist_changed", "Typist changed"
    SETTING_CHANGED = "setting.changed", "Setting changed"
