"""`slidesk demo` holds at least one of every kind of entry, and every fact of each of its
procedures is in that procedure's PDF (the latest signed version, else the draft)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slidesk.demo.build import build_demo
from slidesk.domain.errors import PermissionDenied
from slidesk.domain.users import Permission
from slidesk.persistence.rows.signing import SigningRepository
from slidesk.reports.pdf import build_pdf
from slidesk.services.accounts import service as accounts
from slidesk.services.procedure import service as procedures
from slidesk.services.record.map import RECORD
from slidesk.services.record.snapshot import RecordSnapshot, build_snapshot, stored_snapshot
from slidesk.services.reporting.data import procedure_report
from slidesk.services.workstation.database import open_database
from tests.fakes import FakeClock
from tests.record_facts import Ctx, missing_facts

AMS = ZoneInfo("Europe/Amsterdam")


def test_the_demo_holds_every_kind_and_every_fact_is_on_paper(tmp_path) -> None:
    location = build_demo(str(tmp_path / "demo.sqlite3"))
    opened = open_database(location)
    try:
        uow = opened.uow
        clock = FakeClock()
        monitor = accounts.authenticate(
            uow=uow, clock=clock, username="monitor", password="demo-password-1"
        )
        # The account's name is a name: a refusal adds the role ("(monitor) (monitor)").
        refusal = ""
        try:
            monitor.require(Permission.RECORD_INJECTION)
        except PermissionDenied as denied:
            refusal = denied.message
        assert refusal == "M. Jansen (monitor) may not record injections."
        listed = procedures.list_procedures(uow=uow, actor=monitor).rows
        kinds: dict[str, int] = {}
        checked = 0
        for pid in sorted(p.id for p in listed):
            with uow.read() as tx:
                versions = tx.repo(SigningRepository).versions(pid)
                signed = tx.procedures.get(pid).status == "signed"
                snap = (
                    stored_snapshot(versions[-1].content_json)
                    if signed
                    else build_snapshot(tx, pid)
                )
                names = tx.users.names()
            assert isinstance(snap, RecordSnapshot)
            for spec in RECORD.values():
                if spec.item is not None:
                    kinds[spec.section] = kinds.get(spec.section, 0) + len(
                        getattr(snap, spec.section)
                    )
            report = procedure_report(
                uow=uow, actor=monitor, procedure_id=pid, generated_at=clock.now(), tz=AMS
            )
            assert report.record_hash == snap.content_hash
            protocol = uow.protocols.get(snap.protocol_key, snap.protocol_version)
            problems = missing_facts(snap, build_pdf(report), Ctx(names, AMS, protocol, snap))
            assert problems == [], (pid, problems)
            checked += 1
        assert checked == len(listed) == 3  # signed and amended, in progress, not yet signed
        assert all(kinds[s.section] > 0 for s in RECORD.values() if s.item), kinds
    finally:
        opened.close()
