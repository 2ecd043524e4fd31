"""Account tables beyond the foundation: the password history (ACC-03).

Not audited on purpose: it holds password hashes, which never enter the audit trail; the
password changes themselves are audited as events by the accounts service.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from slidesk.persistence.rows import Base
from slidesk.persistence.types import UTCDateTime


class PasswordHistoryRow(Base):
    """A password hash that was replaced, kept so that it cannot be chosen again soon."""

    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime)
