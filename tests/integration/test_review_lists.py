"""The signing review lists every deviation, skip, late entry and gap, before and after signing."""

from __future__ import annotations

from datetime import timedelta

from slidesk.domain.sedation.recovery import Aldrete
from slidesk.services.procedure import completion, site_entries
from slidesk.services.sedation import monitoring as monitoring
from slidesk.services.sedation import service as sedation
from slidesk.services.signing import service as signing
from tests.conftest import NOT_CHARTED
from tests.signing_helpers import completed_procedure, sign


def _codes(team, procedure_id: int) -> set[str]:
    review = signing.review_for_signing(uow=team.uow, actor=team.monitor, procedure_id=procedure_id)
    return {f.code for f in review.findings}


def test_deviation_skip_and_missing_baseline_are_listed_before_and_after_signing(team) -> None:
    view = completed_procedure(team)  # site 18 skipped, 23 too shallow, nothing charted
    expected = {
        "skipped:18",
        "deviation:23",
        "no-baseline-vitals",
        "no-score-before-injection",
        "no-aldrete",
    }
    assert expected <= _codes(team, view.id)
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    review = signing.review_for_signing(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    assert review.status.value == "signed"
    assert expected <= {f.code for f in review.findings}
    messages = " ".join(f.message for f in review.findings)
    assert "Site 18 (SO2) was skipped: Ulcer at the site" in messages
    assert "No baseline vital signs were recorded before the first injection." in messages


def test_late_entries_and_a_stretch_without_vital_signs_are_listed(team) -> None:
    view = team.started_procedure()
    u, c, nurse = team.uow, team.clock, team.nurse
    monitoring.record_vitals(
        uow=u,
        clock=c,
        actor=nurse,
        procedure_id=view.id,
        measured_at=view.started_at,
        hr=80,
        spo2=98,
        sedation_score=5,
    )
    sedation.record_dose(
        uow=u,
        clock=c,
        actor=nurse,
        procedure_id=view.id,
        drug_key="fentanyl",
        amount="50",
        unit_code="ug",
    )
    syringe = 0
    for site in view.sites:
        syringe += 1
        if site.number == 9:  # typed 15 minutes after it was done
            c.advance(minutes=15)
            site_entries.record_injection(
                uow=u,
                clock=c,
                actor=team.operator,
                procedure_id=view.id,
                site_no=9,
                depth_mm="12.5",
                volume_ml="1.0",
                syringe=str(syringe),
                performed_at=c.now() - timedelta(minutes=15),
            )
            continue
        team.inject(view.id, site.number, str(syringe))
    sedation.record_dose(
        uow=u,
        clock=c,
        actor=nurse,
        procedure_id=view.id,
        drug_key="midazolam",
        amount="1",
        unit_code="mg",
        given_at=c.now() - timedelta(minutes=12),
    )
    monitoring.record_vitals(uow=u, clock=c, actor=nurse, procedure_id=view.id, hr=75, spo2=97)
    monitoring.record_recovery(
        uow=u, clock=c, actor=nurse, procedure_id=view.id, scores=Aldrete(2, 2, 2, 2, 2)
    )
    completion.complete_procedure(
        uow=u, clock=c, actor=team.operator, procedure_id=view.id, gaps_reason=NOT_CHARTED
    )
    review = signing.review_for_signing(uow=u, actor=team.monitor, procedure_id=view.id)
    by_code = {f.code.split(":")[0]: f for f in review.findings}
    assert "entered 15 min after it was done (late entry)" in by_code["late-site"].message
    assert by_code["late-site"].site_no == 9
    assert by_code["late-dose"].message.startswith("Midazolam 1 mg: entered 12 min after")
    gap = by_code["vitals-gap"]
    assert "no vital signs for" in gap.message
    assert "while sedated" in gap.message
    assert "no-baseline-vitals" not in by_code
