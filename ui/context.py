"""What every view needs to call the services: the unit of work, the clock, the protocols.

Built once by `ui.app` (the composition root) and passed down; no globals. `changes` carries
the one notification of the app (`ui.door.operations`): after each successful write, every view
that shows what changed refreshes itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slidesk.clock import Clock
from ui.door.operations import ChangeNotifier

if TYPE_CHECKING:  # a type only: importing it would load SQLAlchemy before the first screen
    from slidesk.persistence.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class AppContext:
    uow: UnitOfWork
    clock: Clock
    database_location: str
    changes: ChangeNotifier = field(default_factory=ChangeNotifier, compare=False)
