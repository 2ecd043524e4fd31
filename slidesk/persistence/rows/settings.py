"""Settings stored in the database: one row per setting (and workstation), audited when changed.

A site setting has `workstation` = "" ; a workstation setting names the computer. A setting
without a row has its declared default (`slidesk.domain.settings`). Rows are never deleted:
going back to the default is a change like any other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slidesk.persistence.rows.core import Audited, Base
from slidesk.persistence.types import UTCDateTime


class SettingRow(Audited, Base):
    __tablename__ = "settings"
    __table_args__ = (UniqueConstraint("key", "workstation", name="uq_settings_key_workstation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    workstation: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
