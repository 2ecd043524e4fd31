"""`slidesk demo`: a separate database with realistic records: a newcomer sees a filled screen."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from slidesk.clock import Clock, SystemClock
from slidesk.demo import followup as demo_followup
from slidesk.demo import record as demo_record
from slidesk.demo import signing as demo_signing
from slidesk.demo.steps import DEMO_PASSWORD, EARLIER_PASSWORD, inject, plan_and_start, register
from slidesk.domain.followup.schedule import add_months
from slidesk.domain.procedure.model import SkipReason
from slidesk.domain.procedure.syringe import SyringeDisposition
from slidesk.domain.users import Role
from slidesk.domain.values import Limb
from slidesk.services.accounts import service as accounts
from slidesk.services.followup.views import local_date
from slidesk.services.procedure import completion, corrections, site_entries, workspace
from slidesk.services.workstation.database import open_database

log = logging.getLogger(__name__)


class _SteppingClock(SystemClock):
    """Replays a procedure day in the site's zone: time moves only when the script says so."""

    def __init__(self, start: datetime) -> None:
        super().__init__()
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


def build_demo(target: str, *, reset: bool = False, clock: Clock | None = None) -> str:
    """Create the demo database at `target` unless it exists; return where it is.

    The records are placed relative to `clock`'s now (the machine's by default), so the
    procedure in progress was last touched minutes ago.
    """
    path = Path(target) if "://" not in target else None
    if path is None:  # a server database: filled in place
        opened = open_database(target, host="demo")
        try:
            _fill(opened.uow, (clock or SystemClock()).now())
        finally:
            opened.close()
        return opened.location
    if path.exists():
        if not reset:
            return str(path)
        _remove_sqlite(path)
    # Built beside the target and moved into place only when whole: a build cut short (the
    # window closed, the process killed) must not leave half a demo that the next start reopens.
    building = path.with_name(path.name + ".building")
    _remove_sqlite(building)
    opened = open_database(str(building), host="demo")
    try:
        _fill(opened.uow, (clock or SystemClock()).now())
    except BaseException:
        opened.close()
        _remove_sqlite(building)
        raise
    opened.close()
    for suffix in ("-wal", "-shm"):  # a clean close leaves none; never move a stale one along
        if Path(str(building) + suffix).exists():
            raise RuntimeError(f"the demo database {building} was not closed cleanly")
    os.replace(building, path)
    return str(path)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _fill(uow, real_now: datetime) -> None:  # type: ignore[no-untyped-def]
    """Every date derives from `real_now`: the signed procedure of SAIL-01-004 took place 12
    months and 10 days ago (so its 2-, 6- and 12-month visits exist and its follow-up date is
    the procedure's own), SAIL-01-006 two days ago, SAIL-01-005 is in progress now."""
    today = real_now.replace(hour=8, minute=0, second=0, microsecond=0)
    zone = SystemClock().zone
    site_today = local_date(SystemClock(), real_now)
    procedure_day = add_months(site_today - timedelta(days=10), -12)
    # 08:00 at the site on the procedure's day (the record's date is the site's local day).
    first_day = datetime.combine(procedure_day, time(8, 0), tzinfo=zone).astimezone(UTC)
    clock = _SteppingClock(first_day - timedelta(days=14))
    admin_view = accounts.create_first_admin(
        uow=uow,
        clock=clock,
        username="admin",
        full_name="A. Admin (trial data manager)",
        password=EARLIER_PASSWORD,
    )
    admin = accounts.authenticate(
        uow=uow, clock=clock, username=admin_view.username, password=EARLIER_PASSWORD
    )
    people = {}
    for username, full_name, roles in (
        ("operator", "Dr. J. de Vries", {Role.OPERATOR}),
        ("nurse", "S. Bakker, RN", {Role.NURSE}),
        ("monitor", "M. Jansen", {Role.MONITOR}),
    ):
        accounts.add_user(
            uow=uow,
            clock=clock,
            actor=admin,
            username=username,
            full_name=full_name,
            roles=frozenset(roles),
            temporary_password=DEMO_PASSWORD + "-first",
        )
        # Each chooses a password of their own (never the one-time password itself).
        accounts.change_password(
            uow=uow,
            clock=clock,
            username=username,
            old_password=DEMO_PASSWORD + "-first",
            new_password=EARLIER_PASSWORD,
        )
        people[username] = accounts.authenticate(
            uow=uow, clock=clock, username=username, password=EARLIER_PASSWORD
        )
    op, nurse = people["operator"], people["nurse"]

    first = register(uow, clock, op, "SAIL-01-004", Limb.RIGHT)

    # A completed procedure: one skipped site (ulcer), one shallow injection with a reason, a
    # relocated site, a finding, an undone entry and one corrected entry.
    clock.current = first_day + timedelta(hours=1)
    view = plan_and_start(
        uow,
        clock,
        (op, nurse),
        first.id,
        kit_number="SAIL-K004",
        location="Angio suite 2",
        released_minutes_ago=40,
        time_out_after_minutes=12,
    )
    syringe = 0
    corrected_entry = None
    from slidesk.demo.sedation import SedationCourse

    # The nurse's record runs alongside the injections, each entry at its own time.
    sedation_course = SedationCourse(uow, clock, nurse, op, view.id)
    sedation_course.catch_up()
    for number in [s.number for s in view.sites]:
        clock.advance(seconds=55)
        sedation_course.catch_up()
        if number == 18:
            view = site_entries.skip_site(
                uow=uow,
                clock=clock,
                actor=op,
                procedure_id=view.id,
                site_no=number,
                reason=SkipReason.ULCER,
                detail="Small ulcer over the planned site",
            )
            continue
        syringe += 1
        depth = Decimal("8") if number == 23 else Decimal("12.5")
        view = site_entries.record_injection(
            uow=uow,
            clock=clock,
            actor=op,
            procedure_id=view.id,
            site_no=number,
            depth_mm=depth,
            volume_ml=Decimal("1.0"),
            syringe=str(syringe),
            deviation_reason=demo_record.deviation(number),
            actual_position=demo_record.position(number),
        )
        view = demo_record.after_injection(uow, clock, op, view, number)
        if number == 5:
            corrected_entry = next(e for e in view.entries if e.site_no == 5 and not e.voided)
    if corrected_entry is not None:
        clock.advance(minutes=1)
        corrections.correct_entry(
            uow=uow,
            clock=clock,
            actor=op,
            entry_id=corrected_entry.id,
            depth_mm="13",
            reason="Depth read again from the needle marks",
        )
    clock.advance(minutes=2)
    # The syringe of the skipped site goes back to the pharmacy: the kit reconciles.
    workspace.record_disposition(
        uow=uow,
        clock=clock,
        actor=op,
        procedure_id=view.id,
        syringes=["30"],
        disposition=SyringeDisposition.RETURNED,
        note="Returned sealed to the trial pharmacy",
    )
    clock.advance(minutes=1)
    completion.complete_procedure(uow=uow, clock=clock, actor=op, procedure_id=view.id)
    sedation_course.finish()  # recovery to a discharge Aldrete score
    demo_signing.populate(uow, clock, people, view.id, password=EARLIER_PASSWORD)

    # A year on, everyone changes their password (they expire after a year).
    clock.current = today - timedelta(days=30)
    for username in ("admin", *people):
        clock.advance(minutes=3)
        accounts.change_password(
            uow=uow,
            clock=clock,
            username=username,
            old_password=EARLIER_PASSWORD,
            new_password=DEMO_PASSWORD,
        )

    # Two days ago: a completed procedure nobody has signed yet.
    clock.current = today - timedelta(days=2)
    demo_signing.completed_unsigned(uow, clock, op, nurse)

    # A procedure in progress on the left leg: twelve sites done, the last a few minutes ago
    # (relative to the real clock, so that the next entry a newcomer makes follows them).
    clock.current = real_now - timedelta(minutes=40)
    second = register(uow, clock, op, "SAIL-01-005", Limb.LEFT)
    clock.current = real_now - timedelta(minutes=32)
    view = plan_and_start(
        uow,
        clock,
        (op, nurse),
        second.id,
        kit_number="SAIL-K005",
        location="Angio suite 2",
        released_minutes_ago=25,
        time_out_after_minutes=10,
    )
    inject(uow, clock, op, view, [site.number for site in view.sites[:12]])
    demo_followup.populate(uow, clock, people, first.id, procedure_day)
    log.info("demo database filled")
