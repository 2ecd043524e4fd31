"""Bad input gets a DomainError: every public service, found by introspection, is called with
arguments of the wrong type (a float for text, text for an id, None, huge integers, NaN, odd
unicode) and may only succeed or refuse with a `DomainError` — never TypeError, AttributeError,
ValueError, InvalidOperation or any other exception (issue 12, part 7)."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import slidesk.services
from slidesk.domain.errors import DomainError
from slidesk.services.procedure import subjects
from slidesk.services.workstation.database import open_database
from tests.conftest import Team
from tests.fakes import FakeClock

# The app's own objects, passed by the screens and the CLI; the rest is what a person types.
_PASSED_BY_THE_APP = {"uow", "clock", "actor", "hasher"}


def public_services() -> list[Callable[..., Any]]:
    """Every public function of slidesk.services whose parameters are all keyword-only."""
    found = []
    for info in pkgutil.walk_packages(slidesk.services.__path__, "slidesk.services."):
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters.values())
            if params and all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params):
                found.append(fn)
    return sorted(found, key=lambda f: f"{f.__module__}.{f.__name__}")


ODD_TEXT = st.sampled_from(
    ["", " ", "\u0000", "\ud800", "\u202e1.0", "١٢", "𝟙𝟚", "NaN", "Infinity", "-0", "1e999", "☃"]
)
WRONG = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.just(float("nan")),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([2**63, -(2**63) - 1, 10**30]),
    st.none(),
    st.booleans(),
    ODD_TEXT,
    st.text(max_size=12),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
    st.just(object()),
)


def _id(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__.removeprefix('slidesk.services.')}.{fn.__name__}"


SERVICES = public_services()


def test_the_services_are_found_by_introspection() -> None:
    names = {_id(f) for f in SERVICES}
    assert {
        "procedure.site_entries.record_injection",
        "procedure.subjects.register_subject",
    } <= names
    assert len(SERVICES) > 60


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Team, int]]:
    """One database for all services (a team and a procedure in progress): what one service
    call with odd arguments manages to change, the next one meets, as in real use."""
    db = open_database(tmp_path_factory.mktemp("bad-input") / "test.sqlite3")
    team = Team(db, FakeClock())
    try:
        yield team, team.started_procedure().id
    finally:
        db.close()


@pytest.mark.parametrize("service", SERVICES, ids=_id)
def test_a_service_given_wrong_types_refuses_with_a_domain_error(
    service: Callable[..., Any],
    world: tuple[Team, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # a service that writes a file gets a relative path here
    team, procedure_id = world
    params = inspect.signature(service).parameters
    actors = [team.admin, team.operator, team.nurse, team.monitor]

    @settings(
        max_examples=20,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def call(data: st.DataObject) -> None:
        kwargs: dict[str, Any] = {}
        for name, param in params.items():
            if name == "uow":
                kwargs[name] = team.uow
            elif name == "clock":
                kwargs[name] = team.clock
            elif name == "actor":
                kwargs[name] = data.draw(st.sampled_from(actors))
            elif name == "hasher":
                kwargs[name] = team.hasher
            elif param.default is inspect.Parameter.empty or data.draw(st.booleans()):
                plausible = st.sampled_from([procedure_id, 1, "1", Decimal("1")])
                kwargs[name] = data.draw(st.one_of(WRONG, plausible))
        with contextlib.suppress(DomainError):  # a refusal is fine; anything else fails
            service(**kwargs)

    call()


@pytest.mark.parametrize("half_pair", ["\ud800", "K\udfff"])
def test_text_with_a_broken_character_is_refused_not_crashed_on(
    world: tuple[Team, int], half_pair: str
) -> None:
    """A lone surrogate has no UTF-8 form; the driver would raise UnicodeEncodeError."""
    team, _ = world
    with pytest.raises(DomainError, match="broken character"):
        subjects.find_subject(uow=team.uow, actor=team.monitor, study_id=half_pair)
