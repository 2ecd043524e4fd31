"""What the checklist and workspace services return: immutable snapshots for the GUI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slidesk.domain.procedure.syringe import PartialSyringe, SyringeDisposition
from slidesk.domain.users import Role
from slidesk.services.dto import PersonRef


@dataclass(frozen=True, slots=True)
class TickView:
    id: int
    ticked_by: PersonRef
    role: str | None
    ticked_at: datetime


@dataclass(frozen=True, slots=True)
class ChecklistItemView:
    """One item: the roles that confirm it, the live ticks, and the roles still missing
    (none once the procedure has started: its time-out stands as it was when it started)."""

    key: str
    text: str
    confirm_by: tuple[Role, ...]
    ticks: tuple[TickView, ...]
    missing: tuple[Role, ...]

    @property
    def done(self) -> bool:
        return bool(self.ticks) and not self.missing

    @property
    def tick(self) -> TickView | None:
        """The first confirmation (None when nobody has confirmed the item yet)."""
        return self.ticks[0] if self.ticks else None

    def tick_for(self, role: Role) -> TickView | None:
        """The live tick that confirms the item as `role`."""
        return next((t for t in self.ticks if t.role == role.value), None)


@dataclass(frozen=True, slots=True)
class ChecklistView:
    """The time-out checklist of one procedure, in protocol order."""

    procedure_id: int
    items: tuple[ChecklistItemView, ...]
    editable: bool

    @property
    def complete(self) -> bool:
        return all(item.done for item in self.items)

    @property
    def open_items(self) -> tuple[ChecklistItemView, ...]:
        return tuple(item for item in self.items if not item.done)

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.done)


@dataclass(frozen=True, slots=True)
class SiteFlagView:
    id: int
    procedure_id: int
    site_no: int
    flag: str
    note: str | None
    observed_at: datetime
    recorded_at: datetime
    recorder: PersonRef


@dataclass(frozen=True, slots=True)
class DispositionView:
    id: int
    syringe_label: str
    disposition: SyringeDisposition
    note: str | None
    recorded_at: datetime
    recorder: PersonRef


@dataclass(frozen=True, slots=True)
class ReconciliationView:
    """Issued = injected + partial + returned + wasted; anything else is unaccounted."""

    procedure_id: int
    kit_number: str
    issued: tuple[str, ...]
    injected: tuple[str, ...]
    partial: tuple[PartialSyringe, ...]
    returned: tuple[str, ...]
    wasted: tuple[str, ...]
    unaccounted: tuple[str, ...]
    dispositions: tuple[DispositionView, ...]
    editable: bool

    @property
    def balanced(self) -> bool:
        counted = len(self.injected) + len(self.partial) + len(self.returned) + len(self.wasted)
        return not self.unaccounted and counted == len(self.issued)

    @property
    def disposed_labels(self) -> frozenset[str]:
        return frozenset(self.returned) | frozenset(self.wasted)
