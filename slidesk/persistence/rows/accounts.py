"""Account tables beyond the foundation: the password history (ACC-03).

Audited like the users table: the retired hash as a digest of it (never the hash itself), so
that `slidesk verify` finds a raw edit — a history emptied or rewritten would let an old
password be chosen again. Migration `sec2` gives the rows made before an audit entry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from slidesk.persistence.rows.core import Audited, Base
from slidesk.persistence.types import UTCDateTime


class PasswordHistoryRow(Audited, Base):
    """A password hash that was replaced, kept so that it cannot be chosen again soon."""

    __tablename__ = "password_history"
    __audit_digest__ = frozenset({"password_hash"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime)
