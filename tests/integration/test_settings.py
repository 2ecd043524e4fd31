"""Site settings: declared once, stored in the database, changed by an administrator, audited."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from slidesk.domain.errors import DomainError, PermissionDenied, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.settings import REGISTRY, TIME_ZONE, Scope
from slidesk.services import settings
from slidesk.services.audit import trail as audit_trail
from slidesk.services.audit.trail import AuditFilter
from slidesk.services.audit.verify import verify_database
from slidesk.services.workstation.startup import open_for_sign_in
from tests.integration.test_security import table_counts


def test_the_time_zone_defaults_to_amsterdam_until_an_administrator_changes_it(team) -> None:
    assert settings.site_zone(uow=team.uow) == ZoneInfo("Europe/Amsterdam")
    shown = {s.key: s for s in settings.list_settings(uow=team.uow, actor=team.admin)}
    assert shown["site.time_zone"].is_default
    assert shown["site.time_zone"].value == "Europe/Amsterdam"

    changed = settings.change_setting(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        key="site.time_zone",
        value="  America/Curacao ",
        reason="Satellite site on Curaçao",
    )
    assert changed.value == "America/Curacao"
    assert changed.changed_by == "Ada Admin"
    assert changed.changed_at == team.clock.now()
    assert settings.site_zone(uow=team.uow) == ZoneInfo("America/Curacao")


def test_every_change_is_in_the_audit_trail_with_old_new_and_reason(team) -> None:
    for value, reason in (("Asia/Tokyo", "first"), ("Europe/Amsterdam", "back again")):
        team.clock.advance(minutes=1)
        settings.change_setting(
            uow=team.uow,
            clock=team.clock,
            actor=team.admin,
            key="site.time_zone",
            value=value,
            reason=reason,
        )
    page = audit_trail.read_page(
        uow=team.uow, actor=team.admin, audit_filter=AuditFilter(event_prefix="setting.")
    )
    entries = [e for e in page.entries if e.event_type == AuditEvent.SETTING_CHANGED]
    assert [e.reason for e in entries] == ["back again", "first"]
    value_change = next(c for c in entries[0].changes if c.field == "value")
    assert (value_change.old, value_change.new) == ("Asia/Tokyo", "Europe/Amsterdam")
    assert entries[0].username == "admin"
    assert verify_database(uow=team.uow).intact


def test_a_change_needs_a_reason_and_a_known_zone_and_writes_nothing_otherwise(team) -> None:
    before = table_counts(team)
    for value, reason, says in (
        ("Mars/Olympus_Mons", "why not", "not a known time zone"),
        ("../../etc/passwd", "probe", "not a known time zone"),
        ("", "empty", "Give a time zone"),
        ("Europe/Amsterdam", "  ", "Reason is required"),
        ("Europe/Amsterdam", "same as the default", "already"),
    ):
        if says == "already":
            settings.change_setting(
                uow=team.uow,
                clock=team.clock,
                actor=team.admin,
                key="site.time_zone",
                value=value,
                reason="set explicitly",
            )
            before = table_counts(team)
        with pytest.raises(ValidationError, match=says):
            settings.change_setting(
                uow=team.uow,
                clock=team.clock,
                actor=team.admin,
                key="site.time_zone",
                value=value,
                reason=reason,
            )
        assert table_counts(team) == before


def test_an_unknown_setting_is_refused_by_name(team) -> None:
    with pytest.raises(ValidationError, match=r"no setting 'site\.colour'"):
        settings.change_setting(
            uow=team.uow,
            clock=team.clock,
            actor=team.admin,
            key="site.colour",
            value="blue",
            reason="taste",
        )


@pytest.mark.parametrize("who", ["operator", "nurse", "monitor"])
def test_only_an_administrator_changes_or_lists_settings(team, who) -> None:
    actor = getattr(team, who)
    before = table_counts(team)
    with pytest.raises(PermissionDenied):
        settings.change_setting(
            uow=team.uow,
            clock=team.clock,
            actor=actor,
            key="site.time_zone",
            value="Asia/Tokyo",
            reason="mine",
        )
    with pytest.raises(PermissionDenied):
        settings.list_settings(uow=team.uow, actor=actor)
    assert table_counts(team) == before


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.none(), st.binary()),
    reason=st.one_of(st.text(max_size=20), st.none(), st.integers()),
)
def test_any_input_is_changed_or_refused_with_a_message_never_a_crash(team, value, reason) -> None:
    try:
        settings.change_setting(
            uow=team.uow,
            clock=team.clock,
            actor=team.admin,
            key="site.time_zone",
            value=value,
            reason=reason,
        )
    except DomainError as exc:
        refused = exc.message
        assert refused
    assert str(settings.site_zone(uow=team.uow))  # still readable


def test_the_app_opens_with_the_stored_zone(team, tmp_path) -> None:
    settings.change_setting(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        key="site.time_zone",
        value="Asia/Kolkata",
        reason="test",
    )
    location = team.db.location
    opened = open_for_sign_in(location)
    try:
        assert opened.zone == ZoneInfo("Asia/Kolkata")
    finally:
        opened.database.close()


def test_every_declared_setting_is_complete() -> None:
    for key, declared in REGISTRY.items():
        assert key == declared.key
        assert declared.label
        assert declared.scope in Scope
        assert declared.parse(declared.default) == declared.default
    assert TIME_ZONE.scope is Scope.SITE
