"""Reading the settings rows (`rows.settings`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from slidesk.persistence.queries.repositories import Repository
from slidesk.persistence.rows.settings import SettingRow


class SettingsRepository(Repository):
    def get(self, key: str, workstation: str = "") -> SettingRow | None:
        return self.session.scalars(
            select(SettingRow).where(SettingRow.key == key, SettingRow.workstation == workstation)
        ).first()

    def all(self) -> Sequence[SettingRow]:
        return self.session.scalars(select(SettingRow).order_by(SettingRow.key)).all()
