"""Shared fixtures. Sets the offscreen Qt platform before anything imports Qt."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app's data folder (signing key, witnesses, backups, demo) is a throwaway one for the
# whole run, so no test writes to the real user's folder; processes the tests start inherit it.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="slidesk-test-data-")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from slidesk.domain.procedure.model import SkipReason
from slidesk.domain.users import Actor, Role
from slidesk.domain.values import Limb
from slidesk.services.accounts import service as accounts
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import planning, site_entries, subjects
from slidesk.services.workstation.database import OpenedDatabase, open_database
from tests.fakes import FIXED_START, FakeClock, cheap_hasher

PASSWORD = "correct-horse-9"
# Completing needs a reason when the sedation record is empty; most tests chart none.
NOT_CHARTED = "Sedation record kept on paper in this test"


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FakeClock:
    """The test's clock: it starts on `tests.fakes.START` (moved by SLIDESK_TEST_CLOCK_SHIFT_DAYS),
    or on the fixed day for a test marked `fixed_date` (one about calendar arithmetic: windows
    of months, leap days, day counts)."""
    if request.node.get_closest_marker("fixed_date") is not None:
        return FakeClock(start=FIXED_START)
    return FakeClock()


@pytest.fixture
def make_db(tmp_path: Path) -> Iterator[Callable[..., OpenedDatabase]]:
    """Factory: open a fresh SQLite file (or TEST_PG_URL's database when asked)."""
    opened: list[OpenedDatabase] = []

    def factory(name: str = "test.sqlite3", **kwargs: object) -> OpenedDatabase:
        db = open_database(tmp_path / name, **kwargs)  # type: ignore[arg-type]
        opened.append(db)
        return db

    yield factory
    for db in opened:
        db.close()


@pytest.fixture
def db(make_db: Callable[..., OpenedDatabase]) -> OpenedDatabase:
    return make_db()


class Team:
    """A database with an admin, an operator, a nurse and a monitor, all signed in."""

    def __init__(self, db: OpenedDatabase, clock: FakeClock) -> None:
        self.db = db
        self.uow = db.uow
        self.clock = clock
        self.hasher = cheap_hasher()
        accounts.create_first_admin(
            uow=self.uow,
            clock=clock,
            username="admin",
            full_name="Ada Admin",
            password=PASSWORD,
            hasher=self.hasher,
        )
        self.admin = self.sign_in("admin")
        self.operator = self.add("operator", "Olga Operator", Role.OPERATOR)
        self.nurse = self.add("nurse", "Nina Nurse", Role.NURSE)
        self.monitor = self.add("monitor", "Mo Monitor", Role.MONITOR)

    def add(self, username: str, full_name: str, *roles: Role) -> Actor:
        accounts.add_user(
            uow=self.uow,
            clock=self.clock,
            actor=self.admin,
            username=username,
            full_name=full_name,
            roles=frozenset(roles),
            temporary_password=PASSWORD,
            hasher=self.hasher,
        )
        return self.sign_in(username)

    def sign_in(self, username: str, password: str = PASSWORD) -> Actor:
        return accounts.authenticate(
            uow=self.uow,
            clock=self.clock,
            username=username,
            password=password,
            hasher=self.hasher,
        )

    def subject(self, study_id: str = "SAIL-01-001", limb: Limb = Limb.RIGHT) -> int:
        return subjects.register_subject(
            uow=self.uow,
            clock=self.clock,
            actor=self.operator,
            study_id=study_id,
            index_limb=limb,
            centre="UMC Utrecht",
        ).id

    def started_procedure(
        self, study_id: str = "SAIL-01-001", kit: str = "SAIL-K001", limb: Limb = Limb.RIGHT
    ) -> ProcedureView:
        view = planning.plan_procedure(
            uow=self.uow,
            clock=self.clock,
            actor=self.operator,
            subject_id=self.subject(study_id, limb),
            kit_number=kit,
            operator_id=self.operator.user_id,
            nurse_id=self.nurse.user_id,
            location="Angio 2",
            product_release_at=self.clock.now(),
        )
        self.tick_checklist(view.id)
        return planning.start_procedure(
            uow=self.uow, clock=self.clock, actor=self.operator, procedure_id=view.id
        )

    def tick_checklist(self, procedure_id: int) -> None:
        """The operator and the nurse confirm every time-out item, each by the roles the
        protocol names for it (start_procedure refuses until all are complete)."""
        from slidesk.services.procedure import checklist

        # The items of the procedure's own protocol version, which need not be the default.
        state = checklist.get_checklist(uow=self.uow, actor=self.nurse, procedure_id=procedure_id)
        for item in state.open_items:
            for role in item.missing:
                checklist.tick_item(
                    uow=self.uow,
                    clock=self.clock,
                    actor=self.operator if role is Role.OPERATOR else self.nurse,
                    procedure_id=procedure_id,
                    item_key=item.key,
                    role=role,
                )

    def inject(
        self, procedure_id: int, site_no: int, syringe: str, **kwargs: object
    ) -> ProcedureView:
        self.clock.advance(seconds=40)
        params: dict[str, object] = {"depth_mm": "12.5", "volume_ml": "1.0"}
        params.update(kwargs)
        return site_entries.record_injection(
            uow=self.uow,
            clock=self.clock,
            actor=self.operator,
            procedure_id=procedure_id,
            site_no=site_no,
            syringe=syringe,
            **params,  # type: ignore[arg-type]
        )

    def skip(
        self,
        procedure_id: int,
        site_no: int,
        reason: SkipReason = SkipReason.ULCER,
        detail: str | None = None,
    ) -> ProcedureView:
        self.clock.advance(seconds=20)
        return site_entries.skip_site(
            uow=self.uow,
            clock=self.clock,
            actor=self.operator,
            procedure_id=procedure_id,
            site_no=site_no,
            reason=reason,
            detail=detail,
        )

    def chart_sedation(self, procedure_id: int) -> None:
        """The nurse's minimum: one set of vital signs with a sedation score, one fentanyl dose."""
        from slidesk.services.sedation import monitoring as monitoring
        from slidesk.services.sedation import service as sedation

        self.clock.advance(seconds=20)
        monitoring.record_vitals(
            uow=self.uow,
            clock=self.clock,
            actor=self.nurse,
            procedure_id=procedure_id,
            hr=72,
            spo2=97,
            sedation_score=5,
        )
        sedation.record_dose(
            uow=self.uow,
            clock=self.clock,
            actor=self.nurse,
            procedure_id=procedure_id,
            drug_key="fentanyl",
            amount="50",
            unit_code="ug",
        )


@pytest.fixture
def team(db: OpenedDatabase, clock: FakeClock) -> Team:
    return Team(db, clock)
