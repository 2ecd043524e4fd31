"""Queries for the accounts service beyond the core user repository: password history, review."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from slidesk.domain.events import AuditEvent
from slidesk.persistence.rows.accounts import PasswordHistoryRow
from slidesk.persistence.rows.core import AuditRow


class AccountQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def recent_password_hashes(self, user_id: int, depth: int) -> Sequence[str]:
        """The hashes of the user's last `depth` replaced passwords, newest first."""
        return self.session.scalars(
            select(PasswordHistoryRow.password_hash)
            .where(PasswordHistoryRow.user_id == user_id)
            .order_by(PasswordHistoryRow.id.desc())
            .limit(depth)
        ).all()

    def sign_in_seqs(self, user_id: int, limit: int = 2) -> Sequence[int]:
        """Audit positions of the user's latest successful sign-ins, newest first."""
        return self.session.scalars(
            select(AuditRow.seq)
            .where(AuditRow.user_id == user_id, AuditRow.event_type == AuditEvent.AUTH_SIGN_IN)
            .order_by(AuditRow.seq.desc())
            .limit(limit)
        ).all()

    def lockouts_after(self, seq: int) -> Sequence[tuple[str | None, str]]:
        """(username, UTC time) of every account lockout after audit position `seq`."""
        rows = self.session.execute(
            select(AuditRow.username, AuditRow.at_utc)
            .where(AuditRow.seq > seq, AuditRow.event_type == AuditEvent.AUTH_LOCKED)
            .order_by(AuditRow.seq)
        ).all()
        return [(r[0], r[1]) for r in rows]

    def last_events_by_user(self, event_type: str) -> dict[int, str]:
        """{user id: UTC time of their latest `event_type` event} (for the access review)."""
        rows = self.session.execute(
            select(AuditRow.entity_id, func.max(AuditRow.at_utc))
            .where(AuditRow.event_type == event_type, AuditRow.entity == "users")
            .group_by(AuditRow.entity_id)
        ).all()
        return {int(r[0]): r[1] for r in rows if r[0] is not None and str(r[0]).isdigit()}
