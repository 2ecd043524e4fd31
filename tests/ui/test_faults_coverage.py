"""Every service a screen calls has a case that breaks it (tests/ui/test_faults_*.py).

The list of services comes from reading ui/ (tests/one_door_scan.py), not from a hand list:
a screen that starts calling a new service fails this test until a fault case drives it.
"""

from __future__ import annotations

import importlib

from tests.one_door_scan import referenced_services
from tests.ui.fault_rig import CASES

_CASE_MODULES = (
    "tests.ui.test_faults_workspace",
    "tests.ui.test_faults_nurse",
    "tests.ui.test_faults_records",
    "tests.ui.test_faults_people",
    "tests.ui.test_faults_follow_up",
)


def test_every_service_a_screen_calls_is_broken_by_a_fault_case() -> None:
    for name in _CASE_MODULES:
        importlib.import_module(name)
    called = referenced_services()
    missing = {name: sorted(places) for name, places in called.items() if name not in CASES}
    assert not missing, "No fault case breaks these (add one to tests/ui/test_faults_*):\n" + (
        "\n".join(f"{name}: {', '.join(places)}" for name, places in sorted(missing.items()))
    )
    stale = sorted(set(CASES) - set(called))
    assert not stale, f"Cases for services no screen calls any more: {stale}"
    assert len(called) >= 60
