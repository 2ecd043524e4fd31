"""Builders for the signing and report tests: a completed procedure, signatures, amendments."""

from __future__ import annotations

from slidesk.domain.procedure.model import SkipReason
from slidesk.domain.procedure.syringe import SyringeDisposition
from slidesk.domain.values import Limb
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import completion, site_entries, workspace
from slidesk.services.procedure import service as procedures
from slidesk.services.procedure.corrections import correct_entry
from slidesk.services.signing import service as signing
from slidesk.services.signing.dto import AmendmentView, SigningResult
from tests.conftest import NOT_CHARTED, PASSWORD, Team


def completed_procedure(
    team: Team,
    *,
    study_id: str = "SAIL-01-001",
    kit: str = "SAIL-K001",
    limb: Limb = Limb.RIGHT,
    skip: int | None = 18,
    shallow: int | None = 23,
    corrections: int = 0,
) -> ProcedureView:
    """All 30 sites finished: one skipped (ulcer), one too shallow with a reason, optional
    corrections of the first entries (each a separate audited change)."""
    view = team.started_procedure(study_id=study_id, kit=kit, limb=limb)
    syringe = 0
    for site in view.sites:
        if site.number == skip:
            team.clock.advance(seconds=30)
            view = site_entries.skip_site(
                uow=team.uow,
                clock=team.clock,
                actor=team.operator,
                procedure_id=view.id,
                site_no=site.number,
                reason=SkipReason.ULCER,
                detail="Small ulcer over the planned site",
            )
            continue
        syringe += 1
        extra: dict[str, object] = {}
        if site.number == shallow:
            extra = {"depth_mm": "8", "deviation_reason": "Thin muscle layer over the tibia"}
        view = team.inject(view.id, site.number, str(syringe), **extra)
    live = [e for e in view.entries if not e.voided and e.depth is not None]
    for i in range(corrections):
        entry = live[i % len(live)]
        team.clock.advance(seconds=20)
        first_round = (i // len(live)) % 2 == 0
        depth = "13" if first_round else "12.5"
        if entry.site_no == shallow:
            depth = "9" if first_round else "8"
        correct_entry(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            entry_id=entry.id,
            depth_mm=depth,
            reason=f"Depth read again from the needle marks (check {i + 1})",
        )
    team.clock.advance(minutes=2)
    unused = workspace.get_reconciliation(
        uow=team.uow, actor=team.operator, procedure_id=view.id
    ).unaccounted
    if unused:  # the skipped site's syringe goes back sealed: the kit reconciles
        workspace.record_disposition(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            procedure_id=view.id,
            syringes=list(unused),
            disposition=SyringeDisposition.RETURNED,
        )
    return completion.complete_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        gaps_reason=NOT_CHARTED,
    )


def all_warnings(team: Team, procedure_id: int) -> set[str]:
    review = signing.review_for_signing(
        uow=team.uow, actor=team.operator, procedure_id=procedure_id
    )
    return {f.code for f in review.warnings}


def sign(
    team: Team, procedure_id: int, meaning: str, username: str, password: str = PASSWORD
) -> SigningResult:
    team.clock.advance(minutes=1)
    return signing.sign_record(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=procedure_id,
        meaning_role=meaning,
        username=username,
        password=password,
        acknowledged=all_warnings(team, procedure_id),
        hasher=team.hasher,
    )


def signed_procedure(team: Team, **kwargs: object) -> ProcedureView:
    view = completed_procedure(team, **kwargs)  # type: ignore[arg-type]
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    return procedures.get_procedure(uow=team.uow, actor=team.operator, procedure_id=view.id)


def amend(team: Team, procedure_id: int, reason: str, password: str = PASSWORD) -> AmendmentView:
    """The operator opens an amendment, re-entering their password."""
    team.clock.advance(minutes=1)
    return signing.open_amendment(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=procedure_id,
        reason=reason,
        password=password,
        hasher=team.hasher,
    )
