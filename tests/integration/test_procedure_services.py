"""Procedure services against a real SQLite file: validation, durability rules, attribution."""

from __future__ import annotations

from datetime import timedelta

import pytest

from slidesk.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ReasonRequired,
    StateError,
    ValidationError,
)
from slidesk.domain.procedure.model import ProcedureStatus, SiteState, SkipReason
from slidesk.domain.values import Limb
from slidesk.services.audit.verify import verify_database
from slidesk.services.procedure import completion, corrections, planning, site_entries, subjects
from slidesk.services.procedure import service as procedures
from tests.conftest import NOT_CHARTED


def audit_count(team) -> int:
    with team.uow.read() as tx:
        return tx.audit.count()


def test_recording_a_site_returns_it_done_and_proposes_the_next_in_protocol_order(team) -> None:
    view = team.started_procedure()
    first, second = view.sites[0].number, view.sites[1].number
    view = team.inject(view.id, first, "1")
    assert view.site(first).state is SiteState.DONE
    assert view.next_site_no == second
    assert view.site(second).state is SiteState.NEXT
    entry = view.site(first).entry
    assert entry is not None
    assert entry.performer.full_name == "Olga Operator"
    assert entry.recorder.full_name == "Olga Operator"
    assert entry.syringe_label == "SAIL-K001-01"
    assert str(entry.depth) == "12.5 mm"
    assert str(entry.volume) == "1.0 mL"
    assert view.injected_count == 1


def test_the_view_after_a_write_equals_a_fresh_read(team) -> None:
    view = team.started_procedure()
    for i, site in enumerate(view.sites[:5], start=1):
        view = team.inject(view.id, site.number, str(i))
    fresh = procedures.get_procedure(uow=team.uow, actor=team.operator, procedure_id=view.id)
    assert fresh == view


def test_a_site_already_done_is_refused_with_when_and_by_whom(team) -> None:
    view = team.started_procedure()
    site = view.next_site_no
    team.inject(view.id, site, "1")
    before = audit_count(team)
    with pytest.raises(ConflictError, match=rf"Site {site} is already done \(\d\d:\d\d, by Olga"):
        team.inject(view.id, site, "2")
    assert audit_count(team) == before


def test_a_syringe_used_twice_is_refused(team) -> None:
    view = team.started_procedure()
    team.inject(view.id, view.sites[0].number, "7")
    with pytest.raises(ConflictError, match="SAIL-K001-07 was already used"):
        team.inject(view.id, view.sites[1].number, "SAIL-K001-07")


def test_a_syringe_from_another_kit_is_refused_loudly(team) -> None:
    view = team.started_procedure()
    with pytest.raises(ConflictError, match=r"WRONG KIT.*SAIL-K002.*SAIL-K001"):
        team.inject(view.id, view.sites[0].number, "SAIL-K002-05")


def test_a_syringe_number_outside_the_kit_is_refused(team) -> None:
    view = team.started_procedure()
    with pytest.raises(ValidationError, match="syringes 1–30"):
        team.inject(view.id, view.sites[0].number, "31")


def test_out_of_range_depth_needs_a_deviation_reason_and_is_shown_as_deviation(team) -> None:
    view = team.started_procedure()
    site = view.sites[0].number
    with pytest.raises(ReasonRequired, match=r"depth 8\.0 mm is outside 10–15 mm"):
        team.inject(view.id, site, "1", depth_mm="8")
    view = team.inject(view.id, site, "1", depth_mm="8", deviation_reason="thin muscle")
    assert view.site(site).state is SiteState.DEVIATION
    assert view.deviation_count == 1


def test_partial_volume_needs_a_reason_and_counts_cells_exactly(team) -> None:
    view = team.started_procedure()
    site = view.sites[0].number
    with pytest.raises(ReasonRequired, match=r"volume 0\.6 mL is not 1\.0 mL"):
        team.inject(view.id, site, "1", volume_ml="0.6")
    view = team.inject(view.id, site, "1", volume_ml="0.6", deviation_reason="syringe leaked")
    assert view.injected_volume.ul == 600


def test_a_relocated_site_keeps_its_actual_position(team) -> None:
    view = team.started_procedure()
    site = view.sites[0].number
    view = team.inject(
        view.id,
        site,
        "1",
        actual_position=("0.5", "0.25"),
        deviation_reason="ulcer at the planned site",
    )
    entry = view.site(site).entry
    assert entry is not None
    assert entry.relocated
    assert (str(entry.actual_x), str(entry.actual_y)) == ("0.5", "0.25")


def test_entries_are_refused_when_the_procedure_is_not_in_progress(team) -> None:
    subject = team.subject()
    planned = planning.plan_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=subject,
        kit_number="SAIL-K003",
        operator_id=team.operator.user_id,
        nurse_id=team.nurse.user_id,
        location="Angio 2",
    )
    with pytest.raises(StateError, match="'Planned', not 'In progress'"):
        team.inject(planned.id, 1, "1")


def test_skipping_needs_a_reason_and_other_needs_text(team) -> None:
    view = team.started_procedure()
    site = view.next_site_no
    with pytest.raises(ReasonRequired):
        site_entries.skip_site(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            procedure_id=view.id,
            site_no=site,
            reason=SkipReason.OTHER,
        )
    view = site_entries.skip_site(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        site_no=site,
        reason=SkipReason.ULCER,
        detail="ulcer 1 cm",
    )
    assert view.site(site).state is SiteState.SKIPPED
    assert view.skipped_count == 1
    assert view.next_site_no != site


def test_undo_last_voids_the_entry_with_its_reason_and_the_site_is_next_again(team) -> None:
    view = team.started_procedure()
    site = view.next_site_no
    view = team.inject(view.id, site, "1")
    with pytest.raises(ValidationError):
        corrections.undo_last(
            uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=view.id, reason="  "
        )
    view = corrections.undo_last(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        reason="wrong site ticked",
    )
    assert view.site(site).state is SiteState.NEXT
    voided = [e for e in view.entries if e.voided]
    assert len(voided) == 1
    assert voided[0].void_reason == "wrong site ticked"
    with team.uow.read() as tx:
        trail = [a.event_type for a in tx.audit.for_procedure(view.id)]
    assert trail[-2:] == ["site.injected", "site.undone"]
    # The syringe of an undone entry may be used again.
    team.inject(view.id, site, "1")


def test_a_correction_records_old_new_and_reason(team) -> None:
    view = team.started_procedure()
    site = view.next_site_no
    view = team.inject(view.id, site, "1")
    entry = view.site(site).entry
    assert entry is not None
    with pytest.raises(ReasonRequired):
        corrections.correct_entry(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            entry_id=entry.id,
            depth_mm="13",
            reason="",
        )
    corrections.correct_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        entry_id=entry.id,
        depth_mm="13",
        reason="misread the marks",
    )
    with team.uow.read() as tx:
        last = tx.audit.for_entity("site_entries", str(entry.id))[-1]
    assert last.event_type == "site.corrected"
    assert last.reason == "misread the marks"
    assert '"depth_um":[12500,13000]' in last.changes
    assert last.username == "operator"
    assert last.role == "operator"


def test_event_time_and_entry_time_are_separate(team) -> None:
    view = team.started_procedure()
    late = team.clock.now() - timedelta(minutes=7)
    view = team.inject(view.id, view.next_site_no, "1", performed_at=late)
    entry = view.entries[-1]
    assert entry.performed_at == late
    assert entry.recorded_at == team.clock.now()
    with pytest.raises(ValidationError, match="future"):
        team.inject(
            view.id, view.next_site_no, "2", performed_at=team.clock.now() + timedelta(minutes=10)
        )


def test_completion_refuses_open_sites_then_locks_entries(team) -> None:
    view = team.started_procedure()
    with pytest.raises(StateError, match="30 site"):
        completion.complete_procedure(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            procedure_id=view.id,
            gaps_reason=NOT_CHARTED,
        )
    for i, site in enumerate(view.sites, start=1):
        view = team.inject(view.id, site.number, str(i))
    assert view.next_site_no is None
    done = completion.complete_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        gaps_reason=NOT_CHARTED,
    )
    assert done.status is ProcedureStatus.COMPLETED
    assert done.injected_volume.ul == 30_000
    with pytest.raises(StateError):
        team.inject(view.id, 1, "1")
    assert verify_database(uow=team.uow).intact


def test_a_nurse_cannot_record_an_injection_and_nothing_is_written(team) -> None:
    view = team.started_procedure()
    before = audit_count(team)
    with pytest.raises(PermissionDenied, match="may not record injections"):
        site_entries.record_injection(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            procedure_id=view.id,
            site_no=view.next_site_no,
            depth_mm="12.5",
            volume_ml="1.0",
            syringe="1",
        )
    assert audit_count(team) == before


def test_unknown_procedure_and_site_give_clear_messages(team) -> None:
    view = team.started_procedure()
    with pytest.raises(NotFoundError, match="Procedure 999"):
        team.inject(999, 1, "1")
    with pytest.raises(ValidationError, match="no site 77"):
        team.inject(view.id, 77, "1")


def test_a_subject_id_that_is_a_bsn_is_refused_and_nothing_is_written(team) -> None:
    before = audit_count(team)
    with pytest.raises(ValidationError, match="citizen service number"):
        subjects.register_subject(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            study_id="111222333",
            index_limb=Limb.LEFT,
            centre="UMCU",
        )
    assert audit_count(team) == before


def test_every_procedure_stores_its_protocol_id_and_version(team) -> None:
    view = team.started_procedure()
    assert (view.protocol_key, view.protocol_version) == ("SAIL", "1.0-provisional")
