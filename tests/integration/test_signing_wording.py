"""What a signer reads: an amendment's changes one fact per line, entries named as a clinician
names them, an amendment without a change refused, and the review listing what happened to
the subject (adverse events, site findings, sedation events)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from slidesk.domain.errors import StateError
from slidesk.domain.signing import Severity
from slidesk.reports.pdf import build_pdf
from slidesk.services.record.names import RecordNames
from slidesk.services.record.snapshot import build_snapshot
from slidesk.services.reporting.data import procedure_report
from slidesk.services.sedation import service as sedation
from slidesk.services.signing import service as signing
from tests.record_helpers import every_kind_procedure
from tests.signing_helpers import amend, completed_procedure, sign, signed_procedure


def _review(team, procedure_id: int):
    return signing.review_for_signing(uow=team.uow, actor=team.monitor, procedure_id=procedure_id)


def _pdf_text(team, procedure_id: int, version: int) -> str:
    report = procedure_report(
        uow=team.uow,
        actor=team.monitor,
        procedure_id=procedure_id,
        generated_at=team.clock.now(),
        tz=team.clock.zone,
        version=version,
    )
    pages = PdfReader(io.BytesIO(build_pdf(report))).pages
    return "\n".join(page.extract_text() for page in pages)


def _amended_dose(team):
    """A signed record with a fentanyl dose of 50 µg, amended to 25 µg."""
    view = completed_procedure(team)
    given = view.started_at + timedelta(minutes=1)
    sedation.record_dose(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=view.id,
        drug_key="fentanyl",
        amount="50",
        unit_code="ug",
        given_at=given,
    )
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    amend(team, view.id, "Fentanyl dose was 25 ug not 50 ug (syringe check).")
    dose = sedation.get_sedation(
        uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=view.id
    ).live_doses[-1]
    team.clock.advance(minutes=1)
    sedation.correct_dose(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        dose_id=dose.id,
        amount="25",
        reason="Syringe check: 25 ug given",
    )
    return view, given.astimezone(team.clock.zone)


def test_a_corrected_dose_is_one_change_named_by_drug_amount_and_time(team) -> None:
    view, given = _amended_dose(team)
    changed = [f.message for f in _review(team, view.id).warnings if f.code.startswith("amended:")]
    assert changed == [
        f"Changed since version 1: Fentanyl 25 µg at {given:%H:%M}: amount 50 µg → 25 µg"
    ]


def test_the_amended_pdf_says_the_dose_change_once_on_page_one_and_once_in_corrections(
    team,
) -> None:
    view, given = _amended_dose(team)
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    text = " ".join(_pdf_text(team, view.id, 2).split())
    assert text.count("amount 50 µg → 25 µg") == 2  # the amendment box and the corrections
    assert "entered amount" not in text
    assert "amount as typed" not in text
    assert "Dose #" not in text
    assert f"Fentanyl 25 µg at {given:%H:%M}" in text


def test_an_amendment_without_a_change_cannot_be_signed_and_says_why(team) -> None:
    view = signed_procedure(team)
    amend(team, view.id, "Checked against the source notes")
    review = _review(team, view.id)
    unchanged = [f for f in review.findings if f.code == "amendment-unchanged"]
    assert [f.severity for f in unchanged] == [Severity.BLOCKING]
    assert review.findings[0] == unchanged[0]  # what blocks signing is read first
    assert not [f for f in review.warnings if f.code.startswith("amended:")]  # nothing to tick
    with pytest.raises(StateError, match="Nothing has changed since version 1"):
        sign(team, view.id, "operator", "operator")


def test_the_review_lists_adverse_events_findings_and_sedation_events(team) -> None:
    pid = every_kind_procedure(team).procedure_id
    findings = _review(team, pid).findings
    codes = [f.code.split(":")[0] for f in findings]
    assert codes.count("serious-adverse-event") == 1
    assert codes.count("adverse-event") == 1
    assert codes.count("finding") == 1  # the struck-out "bleeding" is not a finding
    assert codes.count("sedation-event") == 1
    # The serious adverse event comes right after what blocks signing, before the rest.
    first_warning = next(f for f in findings if f.severity is Severity.WARNING)
    assert first_warning.message.startswith("SERIOUS adverse event: Vasovagal reaction")
    messages = " ".join(f.message for f in findings)
    assert "Adverse event: Injection-site pain (grade 1 – mild; site 3 (MG3)" in messages
    assert "Finding at site 3 (MG3): pain reaction — Withdrew the leg on injection." in messages
    assert "Sedation event: Desaturation — chin lift, oxygen increased" in messages
    assert "#" not in messages
    # Each is a warning the signer ticks: signing without acknowledging them is refused.
    assert all(
        f.severity is Severity.WARNING
        for f in findings
        if f.code.split(":")[0]
        in {"serious-adverse-event", "adverse-event", "finding", "sedation-event"}
    )


def test_the_report_names_adverse_events_by_number_and_term_never_by_database_id(team) -> None:
    pid = every_kind_procedure(team).procedure_id
    sign(team, pid, "operator", "operator")
    sign(team, pid, "nurse", "nurse")
    text = " ".join(_pdf_text(team, pid, 1).split())
    assert "Adverse event 1: Injection-site pain" in text
    assert "Adverse event 2: Vasovagal reaction" in text
    assert "Adverse event: Injection-site pain (grade 1" in text  # beside its site
    assert "(#" not in text
    assert "Adverse event #" not in text


def test_every_kind_of_entry_is_named_by_what_and_when_never_by_id(team) -> None:
    pid = every_kind_procedure(team).procedure_id
    with team.uow.read() as tx:
        snapshot = build_snapshot(tx, pid)
    names = RecordNames(snapshot, team.clock.zone)
    named = {
        (entity, names.name(entity, item.id))
        for entity, attr in (
            ("sedation_doses", "doses"),
            ("sedation_oxygen", "oxygen"),
            ("vital_signs", "vitals"),
            ("adverse_events", "adverse_events"),
            ("site_flags", "flags"),
            ("syringe_dispositions", "dispositions"),
        )
        for item in getattr(snapshot, attr)
    }
    texts = {text for _entity, text in named}
    assert all("#" not in text for text in texts)
    assert any(text.startswith("Oxygen 2 L/min by nasal cannula from ") for text in texts)
    assert any(text.startswith("Oxygen stopped at ") for text in texts)
    assert any(text.startswith("Adverse event “Vasovagal reaction” (onset ") for text in texts)
    assert "Finding at site 3 (pain reaction)" in texts
    # An entry the record does not hold is named by its kind alone, still without an id.
    assert names.name("sedation_doses", 999_999) == "Dose"
