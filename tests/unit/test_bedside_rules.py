"""The bedside rules of a site entry and of completion (slidesk.domain.procedure: injection,
syringe, completion), decided on values alone: no database, no services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from slidesk.domain.errors import ConflictError, ReasonRequired, StateError, ValidationError
from slidesk.domain.procedure.completion import (
    completion_reason,
    require_every_site_finished,
    require_operator,
    unaccounted_gap,
)
from slidesk.domain.procedure.injection import (
    FUTURE_TOLERANCE,
    is_deviation,
    not_in_future,
    position_e4,
    position_from_e4,
    range_problems,
    refuse_finished_site,
    require_deviation_reason,
    require_site,
    require_skip_explanation,
    site_state,
)
from slidesk.domain.procedure.model import EntryKind, SiteState, SkipReason
from slidesk.domain.procedure.syringe import (
    PartialSyringe,
    SyringeDisposition,
    SyringeUse,
    account_for_syringes,
    issued_syringes,
    normalise_syringe,
    refuse_disposed_syringe,
    refuse_undisposable_syringe,
    refuse_used_syringe,
)
from slidesk.domain.values import Depth, Volume
from slidesk.paths import resource_dir
from slidesk.protocol.parse import load_protocol

KIT = "SAIL-K017"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Product:
    syringe_pattern: str = "^(?P<kit>SAIL-K[0-9]{3})-(?P<n>[0-9]{2})$"
    syringe_example: str = "SAIL-K017-05"
    syringe_format: str = "{kit}-{n:02d}"
    syringes_per_kit: int = 30


@dataclass(frozen=True)
class Injection:
    depth_min_mm: Decimal = Decimal("10")
    depth_max_mm: Decimal = Decimal("15")
    volume_min_ml: Decimal = Decimal("1.0")
    volume_max_ml: Decimal = Decimal("1.0")


@dataclass(frozen=True)
class Site:
    number: int


@dataclass(frozen=True)
class Protocol:
    product: Product = Product()
    injection: Injection = Injection()
    key: str = "SAIL"
    version: str = "1.0"
    sites: tuple[Site, ...] = tuple(Site(n) for n in range(1, 31))


P = Protocol()


# --- syringes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "label"),
    [("7", "SAIL-K017-07"), (" 30 ", "SAIL-K017-30"), ("sail-k017-05", "SAIL-K017-05")],
)
def test_a_typed_number_or_a_scanned_label_becomes_the_full_label(typed, label) -> None:
    assert normalise_syringe(P, KIT, typed) == label


def test_a_syringe_of_another_kit_is_refused_loudly() -> None:
    with pytest.raises(ConflictError, match="WRONG KIT: syringe SAIL-K018-05 belongs to kit"):
        normalise_syringe(P, KIT, "SAIL-K018-05")


@pytest.mark.parametrize("typed", ["0", "31", "99"])
def test_a_syringe_number_the_kit_does_not_have_is_refused(typed) -> None:
    with pytest.raises(ValidationError, match="does not exist: a kit has syringes 1–30"):
        normalise_syringe(P, KIT, typed)


@pytest.mark.parametrize("typed", ["abc", "SAIL-K017-5", "SAIL-K017-005"])
def test_what_is_no_label_of_the_study_is_refused_with_an_example(typed) -> None:
    with pytest.raises(ValidationError, match="for example SAIL-K017-05"):
        normalise_syringe(P, KIT, typed)


def test_an_empty_syringe_is_refused() -> None:
    with pytest.raises(ValidationError):
        normalise_syringe(P, KIT, "  ")


def test_the_kit_issues_every_syringe_in_number_order() -> None:
    issued = issued_syringes(P.product, KIT)
    assert len(issued) == 30
    assert (issued[0], issued[-1]) == ("SAIL-K017-01", "SAIL-K017-30")


def test_a_syringe_is_injected_once() -> None:
    refuse_used_syringe("SAIL-K017-03", [SyringeUse("SAIL-K017-02", 1, "09:01")])
    with pytest.raises(ConflictError) as refused:
        refuse_used_syringe("SAIL-K017-03", [SyringeUse("SAIL-K017-03", 4, "09:12")])
    assert refused.value.message == (
        "Syringe SAIL-K017-03 was already used at site 4 (09:12). Each syringe is used once."
    )
    with pytest.raises(ConflictError, match=r"already used at site 4\.$"):
        refuse_used_syringe("SAIL-K017-03", [SyringeUse("SAIL-K017-03", 4)])


@pytest.mark.parametrize("disposition", list(SyringeDisposition))
def test_a_returned_or_wasted_syringe_is_not_injected(disposition) -> None:
    refuse_disposed_syringe("SAIL-K017-03", {})
    with pytest.raises(ConflictError, match=f"recorded as {disposition.label.lower()}"):
        refuse_disposed_syringe("SAIL-K017-03", {"SAIL-K017-03": disposition.value})


def test_a_syringe_is_returned_or_wasted_only_when_unused_and_listed_once() -> None:
    label = "SAIL-K017-09"
    refuse_undisposable_syringe(label, chosen=[], injected_at={}, disposed={})
    with pytest.raises(ConflictError, match="injected at site 12; it counts as used"):
        refuse_undisposable_syringe(label, chosen=[], injected_at={label: 12}, disposed={})
    with pytest.raises(ConflictError, match="already recorded as wasted"):
        refuse_undisposable_syringe(label, chosen=[], injected_at={}, disposed={label: "wasted"})
    with pytest.raises(ConflictError, match="listed twice"):
        refuse_undisposable_syringe(label, chosen=[label], injected_at={}, disposed={})


def test_every_syringe_of_the_kit_is_accounted_for_in_issue_order() -> None:
    issued = issued_syringes(P.product, KIT)
    account = account_for_syringes(
        issued,
        [("SAIL-K017-03", 2, 1000), ("SAIL-K017-01", 1, 1000), ("SAIL-K017-02", 3, 400)],
        1000,
        [("SAIL-K017-30", "wasted"), ("SAIL-K017-05", "returned"), ("SAIL-K017-04", "returned")],
    )
    assert account.injected == ("SAIL-K017-01", "SAIL-K017-03")
    assert account.partial == (PartialSyringe("SAIL-K017-02", 3, Volume(400)),)
    assert account.returned == ("SAIL-K017-04", "SAIL-K017-05")
    assert account.wasted == ("SAIL-K017-30",)
    assert account.unaccounted == issued[5:29]


def test_an_injection_without_a_volume_counts_as_a_full_one() -> None:
    account = account_for_syringes(("SAIL-K017-01",), [("SAIL-K017-01", 1, None)], 1000, [])
    assert (account.injected, account.partial, account.unaccounted) == (("SAIL-K017-01",), (), ())


# --- one site entry --------------------------------------------------------------------------


def test_values_in_range_have_no_problem() -> None:
    assert range_problems(P, Depth.from_mm("10"), Volume.from_ml("1.0")) == []
    assert range_problems(P, Depth.from_mm("15"), Volume.from_ml("1")) == []


def test_values_out_of_range_are_worded() -> None:
    problems = range_problems(P, Depth.from_mm("9.5"), Volume.from_ml("0.8"))
    assert problems == ["depth 9.5 mm is outside 10–15 mm", "volume 0.8 mL is not 1.0 mL"]
    wide = Protocol(injection=Injection(volume_min_ml=Decimal("0.5")))
    assert range_problems(wide, Depth.from_mm("12"), Volume.from_ml("1.5")) == [
        "volume 1.5 mL is not 0.5–1.0 mL"
    ]


def test_a_deviation_needs_a_reason() -> None:
    require_deviation_reason([], relocated=False, reason=None, relocation="moved")
    require_deviation_reason(["depth"], relocated=True, reason="scar", relocation="moved")
    with pytest.raises(ReasonRequired, match=r"required: depth x; volume y\.$"):
        require_deviation_reason(["depth x", "volume y"], relocated=False, reason="", relocation="")
    with pytest.raises(ReasonRequired, match=r"required: the site was relocated\.$"):
        require_deviation_reason(
            [], relocated=True, reason=None, relocation="the site was relocated"
        )


def test_only_the_protocols_sites_exist() -> None:
    require_site(P, 30)
    with pytest.raises(ValidationError, match=r"no site 31 in protocol SAIL 1.0 \(sites 1–30\)"):
        require_site(P, 31)


@pytest.mark.parametrize(
    ("kind", "word"), [(EntryKind.INJECTED, "done"), (EntryKind.SKIPPED, "skipped")]
)
def test_a_site_is_done_or_skipped_once(kind, word) -> None:
    refuse_finished_site(3, None, "09:00", "A. Operator")
    with pytest.raises(ConflictError) as refused:
        refuse_finished_site(3, kind, "09:00", "A. Operator")
    assert refused.value.message == f"Site 3 is already {word} (09:00, by A. Operator)."


def test_a_skip_for_other_reasons_is_explained() -> None:
    require_skip_explanation(SkipReason.ULCER, None)
    require_skip_explanation(SkipReason.OTHER, "refused")
    for reason in (SkipReason.OTHER, "other"):
        with pytest.raises(ReasonRequired, match="'Other' needs a text"):
            require_skip_explanation(reason, "")


def test_a_time_may_lie_ahead_only_by_clock_drift() -> None:
    assert not_in_future(NOW + FUTURE_TOLERANCE, NOW) == NOW + FUTURE_TOLERANCE
    assert not_in_future(NOW - timedelta(hours=1), NOW) == NOW - timedelta(hours=1)
    with pytest.raises(ValidationError, match="lies in the future"):
        not_in_future(NOW + FUTURE_TOLERANCE + timedelta(seconds=1), NOW)


def test_a_relocated_site_lies_on_the_diagram() -> None:
    assert position_e4(None) == (None, None)
    assert position_e4((Decimal("0.25"), Decimal("1"))) == (2500, 10000)
    assert position_from_e4(2500) == Decimal("0.25")
    assert position_from_e4(None) is None
    with pytest.raises(ValidationError, match="on the diagram"):
        position_e4((Decimal("1.01"), Decimal("0.5")))


def test_how_a_site_is_shown() -> None:
    assert site_state(None, deviation=False, is_next=True) is SiteState.NEXT
    assert site_state(None, deviation=False, is_next=False) is SiteState.PENDING
    assert site_state(EntryKind.SKIPPED, deviation=False, is_next=False) is SiteState.SKIPPED
    assert site_state(EntryKind.INJECTED, deviation=False, is_next=False) is SiteState.DONE
    assert site_state(EntryKind.INJECTED, deviation=True, is_next=False) is SiteState.DEVIATION
    assert is_deviation(EntryKind.INJECTED, "scar", relocated=False)
    assert is_deviation(EntryKind.INJECTED, None, relocated=True)
    assert not is_deviation(EntryKind.INJECTED, "", relocated=False)
    assert not is_deviation(EntryKind.SKIPPED, "ulcer", relocated=True)


# --- completion ------------------------------------------------------------------------------


def test_only_the_operator_completes() -> None:
    require_operator(4, 4)
    with pytest.raises(StateError, match="Only the procedure's operator"):
        require_operator(5, 4)


def test_every_site_is_finished_before_completion() -> None:
    require_every_site_finished([3, 1, 2], [1, 2, 3])
    with pytest.raises(StateError) as refused:
        require_every_site_finished(list(range(1, 31)), [1, 2])
    assert refused.value.message.startswith(
        "28 site(s) are neither injected nor skipped: 3, 4, 5, 6, 7, 8, 9, 10, 11, 12…."
    )


def test_unaccounted_syringes_are_named_in_full() -> None:
    assert unaccounted_gap(KIT, []) == []
    assert unaccounted_gap(KIT, ["SAIL-K017-30"]) == [
        "1 syringe of kit SAIL-K017 not yet accounted for: SAIL-K017-30"
    ]
    (gap,) = unaccounted_gap(KIT, ["SAIL-K017-29", "SAIL-K017-30"])
    assert gap.startswith("2 syringes of kit SAIL-K017")


def test_completing_with_gaps_needs_a_reason_the_audit_keeps() -> None:
    assert completion_reason([], None) == "procedure completed"
    with pytest.raises(ReasonRequired, match=r"Before completing: a; b\. Record them"):
        completion_reason(["a", "b"], None)
    assert completion_reason(["a", "b"], "patient left") == (
        "procedure completed without: a; b — reason: patient left"
    )


def test_the_shipped_protocol_has_the_shape_the_rules_read() -> None:
    sail = load_protocol(resource_dir() / "protocols" / "sail.toml")
    assert normalise_syringe(sail, KIT, "5") == "SAIL-K017-05"
    assert range_problems(sail, Depth.from_mm("12.5"), Volume.from_ml("1.0")) == []
    require_site(sail, sail.order[0])
