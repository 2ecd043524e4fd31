"""The names of audit events, declared once. Standard library only.

Every event type written from now on is a member here, so a reader of the trail (the timeline,
the exports, the verifier) and its writer cannot drift apart by a typo. Older event types are
still written as string literals; they move here as their modules are touched.
"""

from __future__ import annotations

from enum import StrEnum


class AuditEvent(StrEnum):
    SETTING_CHANGED = "setting.changed"
    SITE_SKIP_CORRECTED = "site.skip_corrected"
    AUTH_AMENDMENT = "auth.amendment"  # the opener's password checked to open an amendment
    # The sign-in counters and lockout of an account changed (a failed attempt, a lockout, a
    # successful sign-in that clears them); the auth.* event beside it says what happened.
    SIGN_IN_STATE = "user.sign_in_state"
    # A replaced password hash kept in the history (audited as a digest, never the hash).
    PASSWORD_RETIRED = "user.password_retired"  # noqa: S105 - an event name, not a password
