"""Locking and amendments (LCK-01, LCK-02) and the signature checks of `slidesk verify` (SIG-04)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta

import pytest

from slidesk.domain.errors import DomainError, StateError, ValidationError
from slidesk.domain.procedure.model import ProcedureStatus, SkipReason
from slidesk.domain.procedure.syringe import SyringeDisposition
from slidesk.domain.sedation.events import SedationEventKind
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.domain.sedation.recovery import Aldrete
from slidesk.services.audit.verify import verify_database
from slidesk.services.procedure import (
    checklist,
    completion,
    corrections,
    planning,
    site_entries,
    workspace,
)
from slidesk.services.procedure import service as procedures
from slidesk.services.sedation import adverse_events
from slidesk.services.sedation import monitoring as sedation_monitoring
from slidesk.services.sedation import service as sedation
from slidesk.services.signing import service as signing
from slidesk.services.signing.dto import RECORD_CHANGED
from tests.conftest import NOT_CHARTED, PASSWORD
from tests.signing_helpers import amend, sign, signed_procedure


def _write_attempts(team, view) -> dict[str, Callable[[], object]]:
    """Every service that writes to a procedure record, called as a user would call it."""
    u, c, op, nu = team.uow, team.clock, team.operator, team.nurse
    pid = view.id
    entry = next(e for e in view.entries if not e.voided and e.depth is not None)
    return {
        "start": lambda: planning.start_procedure(uow=u, clock=c, actor=op, procedure_id=pid),
        "inject": lambda: site_entries.record_injection(
            uow=u,
            clock=c,
            actor=op,
            procedure_id=pid,
            site_no=18,
            depth_mm="12",
            volume_ml="1.0",
            syringe="30",
        ),
        "skip": lambda: site_entries.skip_site(
            uow=u, clock=c, actor=op, procedure_id=pid, site_no=18, reason=SkipReason.ULCER
        ),
        "correct": lambda: corrections.correct_entry(
            uow=u, clock=c, actor=op, entry_id=entry.id, depth_mm="11", reason="misread"
        ),
        "undo": lambda: corrections.undo_last(
            uow=u, clock=c, actor=op, procedure_id=pid, reason="wrong"
        ),
        "complete": lambda: completion.complete_procedure(
            uow=u, clock=c, actor=op, procedure_id=pid, gaps_reason=NOT_CHARTED
        ),
        "checklist": lambda: checklist.untick_item(
            uow=u, clock=c, actor=op, procedure_id=pid, item_key="identity", reason="x"
        ),
        "dose": lambda: sedation.record_dose(
            uow=u,
            clock=c,
            actor=nu,
            procedure_id=pid,
            drug_key="fentanyl",
            amount="25",
            unit_code="ug",
        ),
        "oxygen": lambda: sedation.record_oxygen(
            uow=u,
            clock=c,
            actor=nu,
            procedure_id=pid,
            device=OxygenDevice.NASAL_CANNULA,
            flow_l_min="2",
        ),
        "vitals": lambda: sedation_monitoring.record_vitals(
            uow=u, clock=c, actor=nu, procedure_id=pid, hr=70, systolic=120, diastolic=80, spo2=97
        ),
        "event": lambda: sedation_monitoring.record_sedation_event(
            uow=u, clock=c, actor=nu, procedure_id=pid, kind=SedationEventKind.DESATURATION
        ),
        "recovery": lambda: sedation_monitoring.record_recovery(
            uow=u, clock=c, actor=nu, procedure_id=pid, scores=Aldrete(2, 2, 2, 2, 2)
        ),
        "adverse_event": lambda: adverse_events.record_adverse_event(
            uow=u,
            clock=c,
            actor=op,
            procedure_id=pid,
            term="Injection site pain",
            onset_at=c.now() - timedelta(minutes=5),
            grade=1,
            related_product="unlikely",
            related_procedure="probable",
            related_sedation="unlikely",
            expectedness="expected",
        ),
        "flag": lambda: workspace.flag_site(
            uow=u, clock=c, actor=op, procedure_id=pid, site_no=3, flag="bleeding"
        ),
        "reconcile": lambda: workspace.record_disposition(
            uow=u,
            clock=c,
            actor=op,
            procedure_id=pid,
            syringes=["30"],
            disposition=SyringeDisposition.RETURNED,
        ),
    }


def test_a_signed_record_refuses_a_write_through_every_service(team) -> None:
    view = signed_procedure(team)
    before = verify_database(uow=team.uow)
    for name, attempt in _write_attempts(team, view).items():
        with pytest.raises(DomainError) as refused:
            attempt()
        assert isinstance(refused.value, StateError | ValidationError), name
        assert "sign" in refused.value.message.lower() or "'Signed'" in refused.value.message, (
            name,
            refused.value.message,
        )
    after = verify_database(uow=team.uow)
    assert after.intact, after.summary()
    assert after.records == before.records  # nothing was written
    assert (
        procedures.get_procedure(uow=team.uow, actor=team.monitor, procedure_id=view.id).status
        is ProcedureStatus.SIGNED
    )


def test_an_amendment_needs_a_reason_and_only_a_signed_record_can_be_amended(team) -> None:
    view = signed_procedure(team)
    with pytest.raises(ValidationError, match="reason is required"):
        amend(team, view.id, " ")
    other = team.started_procedure(study_id="SAIL-01-002", kit="SAIL-K002")
    with pytest.raises(StateError, match="open an amendment"):
        amend(team, other.id, "x")
    with pytest.raises(DomainError):
        signing.open_amendment(
            uow=team.uow,
            clock=team.clock,
            actor=team.monitor,
            procedure_id=view.id,
            reason="x",
            password=PASSWORD,
            hasher=team.hasher,
        )


def test_amendment_round_trip_keeps_version_one_and_needs_new_signatures(team) -> None:
    view = signed_procedure(team)
    amendment = amend(team, view.id, "Depth at site 12 transcribed wrongly")
    assert amendment.version == 2
    entry = next(e for e in view.entries if e.site_no == 12 and not e.voided)
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=entry.id,
        depth_mm="14",
        reason="Transcription error found at review",
    )
    review = signing.review_for_signing(uow=team.uow, actor=team.nurse, procedure_id=view.id)
    assert review.status is ProcedureStatus.AMENDED
    assert review.version == 2
    assert review.open_amendment is not None
    assert all(m.signature is None for m in review.meanings)
    changes = [f.message for f in review.warnings if f.code.startswith("amended:")]
    assert changes == ["Changed since version 1: Site 12: depth 12.5 mm → 14.0 mm"]
    sign(team, view.id, "operator", "operator")
    result = sign(team, view.id, "nurse", "nurse")
    assert result.version_completed
    assert result.status is ProcedureStatus.SIGNED
    versions = signing.list_versions(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].superseded_by == 2
    assert versions[1].amendment is not None
    assert versions[1].amendment.reason == "Depth at site 12 transcribed wrongly"
    assert versions[0].content_hash != versions[1].content_hash
    assert len(versions[0].signatures) == 2
    assert len(versions[1].signatures) == 2
    old = signing.snapshot_of_version(
        uow=team.uow, actor=team.monitor, procedure_id=view.id, version=1
    )
    new = signing.snapshot_of_version(
        uow=team.uow, actor=team.monitor, procedure_id=view.id, version=2
    )
    depth = {e.site_no: e.depth_um for e in old.live_entries()}
    assert depth[12] == 12_500
    assert {e.site_no: e.depth_um for e in new.live_entries()}[12] == 14_000
    assert verify_database(uow=team.uow).intact


def test_verify_and_review_flag_a_raw_sql_edit_of_a_signed_value(team) -> None:
    view = signed_procedure(team)
    assert verify_database(uow=team.uow).intact
    with sqlite3.connect(team.db.location) as conn:
        conn.execute(
            "UPDATE site_entries SET depth_um = 14000 WHERE procedure_id = ? AND site_no = 7",
            (view.id,),
        )
    report = verify_database(uow=team.uow)
    assert not report.intact
    assert any(RECORD_CHANGED in m and f"procedure {view.id}" in m for m in report.mismatches)
    review = signing.review_for_signing(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    assert review.integrity_problem is not None
    assert RECORD_CHANGED in review.integrity_problem
    assert [f.code for f in review.blocking] == ["record-changed"]


def test_verify_flags_an_altered_version_snapshot_even_with_the_trigger_dropped(team) -> None:
    view = signed_procedure(team)
    with sqlite3.connect(team.db.location) as conn:
        conn.execute("DROP TRIGGER record_versions_no_update")
        conn.execute(
            "UPDATE record_versions SET content_json = replace(content_json, '12500', '12600') "
            "WHERE procedure_id = ?",
            (view.id,),
        )
    report = verify_database(uow=team.uow)
    assert any("stored signed content was altered" in m for m in report.mismatches)
