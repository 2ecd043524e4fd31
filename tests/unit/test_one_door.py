"""Every screen goes through the one door; no screen catches a refusal or a failure itself.

A static check over `ui/` (tests/one_door_scan.py): an `except` of `DomainError` (or any
subclass, the screens' own included), `Exception`, `BaseException` or a bare `except:`
outside `ui/door/operations.py`, and a call of a `slidesk.services` service that does not go
through the door, fail this test with the place — unless the place is in the allow-list
with its reason (start-up, before the door exists).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.one_door_scan import ALLOWED, ROOT, all_offences, offences, referenced_services


def test_no_screen_catches_a_refusal_or_calls_a_service_around_the_door() -> None:
    found = [o for o in all_offences() if o.place not in ALLOWED]
    assert not found, "Go through ui/door/operations.py:\n" + "\n".join(map(str, found))


def test_each_allowed_place_exists_and_still_needs_its_exception() -> None:
    used = {o.place for o in all_offences()}
    for place, reason in ALLOWED.items():
        path = place.split("::")[0]
        assert (ROOT / path).is_file(), place
        assert reason
        assert place in used, f"{place} no longer needs to be allowed: take it off the list"


def test_the_screens_call_services_at_all() -> None:
    """The scan sees the services the screens call (it would pass vacuously otherwise)."""
    seen = referenced_services()
    assert "slidesk.services.procedure.site_entries.record_injection" in seen
    assert "slidesk.services.sedation.service.record_dose" in seen
    assert len(seen) > 40


@pytest.mark.parametrize(
    "source",
    [
        "from slidesk.domain.errors import DomainError\n"
        "try:\n    pass\nexcept DomainError as exc:\n    print(exc)\n",
        "try:\n    pass\nexcept Exception:\n    pass\n",
        "try:\n    pass\nexcept BaseException:\n    pass\n",
        "try:\n    pass\nexcept:\n    pass\n",
        "from slidesk.domain.errors import ValidationError\n"
        "try:\n    pass\nexcept (KeyError, ValidationError):\n    pass\n",
        "from slidesk.services.accounts.service import AuthenticationFailed\n"
        "try:\n    pass\nexcept AuthenticationFailed:\n    pass\n",
        "from slidesk.services.accounts import service as accounts\n"
        "try:\n    pass\nexcept accounts.AuthenticationFailed:\n    pass\n",
        "from ui.followup.form_fields import FormError\n"  # a refusal of the screens' own
        "try:\n    pass\nexcept FormError:\n    pass\n",
        "from slidesk.domain.errors import DomainError\n"
        "class Mine(DomainError):\n    pass\n"
        "try:\n    pass\nexcept Mine:\n    pass\n",
        "from slidesk.services import procedures\n"
        "def show(context, actor):\n"
        "    return procedures.get_procedure(uow=context.uow, actor=actor, procedure_id=1)\n",
        "from slidesk.services.audit.timeline import get_timeline\n"
        "def show(c, a):\n"
        "    return get_timeline(uow=c.uow, clock=c.clock, actor=a, procedure_id=1)\n",
        "def call(service, context):\n    return service(uow=context.uow)\n",
        "from ui import operations\nfrom slidesk.services import procedures\n"
        "def show(c, a):\n"
        "    view = procedures.get_procedure(uow=c.uow, actor=a, procedure_id=1)\n"
        "    return operations.attempt(c, lambda: view, show_error=print, what='x')\n",
    ],
)
def test_the_check_catches_each_way_around_the_door(tmp_path: Path, source: str) -> None:
    sample = tmp_path / "ui" / "sample.py"
    sample.parent.mkdir()
    sample.write_text(source, encoding="utf-8")
    assert offences(sample, root=tmp_path)


@pytest.mark.parametrize(
    "source",
    [
        "from ui import operations\nfrom slidesk.services import procedures\n"
        "def show(c, a):\n"
        "    return operations.read(c, procedures.get_procedure, actor=a, show_error=print,\n"
        "                           what='The procedure', procedure_id=1)\n",
        "from ui import operations\nfrom slidesk.services import procedures\n"
        "def show(c, a):\n"
        "    return operations.attempt(\n"
        "        c,\n"
        "        lambda: procedures.get_procedure(uow=c.uow, actor=a, procedure_id=1),\n"
        "        show_error=print,\n"
        "        what='The procedure',\n"
        "    )\n",
        "from ui import operations\nfrom slidesk.services import sessions\n"
        "def note(c, a, e):\n"
        "    return operations.attempt(c, operations.performed(\n"
        "        lambda: sessions.record_session_event(uow=c.uow, clock=c.clock, actor=a,\n"
        "                                              event=e)), show_error=print, what='x')\n",
        "from slidesk.domain.procedure.syringe import normalise_syringe\n"  # pure: not a service
        "def label(p, k, t):\n    return normalise_syringe(p, k, t)\n",
        "try:\n    pass\nexcept (OSError, ValueError):\n    pass\n",
    ],
)
def test_the_check_lets_the_door_and_plain_code_pass(tmp_path: Path, source: str) -> None:
    sample = tmp_path / "ui" / "sample.py"
    sample.parent.mkdir()
    sample.write_text(source, encoding="utf-8")
    assert offences(sample, root=tmp_path) == []
