"""Two first exports of the same signed version at once both succeed, with the same document.

Two threads ask for the first PDF of one signed version together; both have read that no
document is archived yet and built and sealed their own before either stores it (a barrier
after sealing holds them there; building and sealing take turns, the PDF library is not
thread-safe). Before, the second to store met the unique document id and
got an IntegrityError; now it takes the one stored first: same bytes, one row.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from slidesk.persistence.rows.signing import SigningRepository
from slidesk.reports.pdf import build_pdf
from slidesk.services.audit.verify import verify_database
from slidesk.services.reporting import service as reporting
from slidesk.services.reporting.data import procedure_report
from slidesk.services.reporting.service import IssuedReport, ReportPurpose, issue_report
from tests.conftest import Team
from tests.signing_helpers import signed_procedure


def test_two_first_exports_at_once_give_the_same_document_and_one_row(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = signed_procedure(team)
    both_built = threading.Barrier(2, timeout=30)
    start = threading.Barrier(2, timeout=30)
    # Both build and seal their own PDF at the same time (the PDF library's builds take turns
    # inside build_pdf), then meet: what races is the storing.
    seal = reporting._seal

    def seal_then_wait(*args: Any, **kwargs: Any) -> Any:
        sealed = seal(*args, **kwargs)
        both_built.wait()  # each has read "nothing archived" and built its own
        return sealed

    monkeypatch.setattr(reporting, "_seal", seal_then_wait)
    issued: list[IssuedReport] = []
    failures: list[BaseException] = []

    def export() -> None:
        start.wait()
        try:
            issued.append(
                issue_report(
                    uow=team.uow,
                    clock=team.clock,
                    actor=team.monitor,
                    procedure_id=view.id,
                    purpose=ReportPurpose.EXPORT,
                    key_folder=tmp_path / "keys",
                )
            )
        except BaseException as exc:  # the test reports it below
            failures.append(exc)

    threads = [threading.Thread(target=export) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    first, second = issued
    assert first.pdf == second.pdf
    assert first.sha256 == second.sha256
    assert first.document_id == second.document_id
    assert sorted([first.from_archive, second.from_archive]) == [False, True]
    with team.uow.read() as tx:
        documents = tx.repo(SigningRepository).documents(view.id)
    assert len(documents) == 1
    assert documents[0].pdf == first.pdf
    assert verify_database(uow=team.uow).intact


def test_pdfs_built_on_several_threads_at_once_are_each_whole(team: Team) -> None:
    """reportlab keeps module state; unguarded, parallel builds broke one another."""
    view = signed_procedure(team)
    report = procedure_report(
        uow=team.uow,
        actor=team.monitor,
        procedure_id=view.id,
        generated_at=team.clock.now(),
        tz=ZoneInfo("Europe/Amsterdam"),
    )
    alone = build_pdf(report)
    start = threading.Barrier(4, timeout=30)
    built: list[bytes] = []
    failures: list[BaseException] = []

    def build() -> None:
        start.wait()
        try:
            for _ in range(3):
                built.append(build_pdf(report))
        except BaseException as exc:  # the test reports it below
            failures.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert built == [alone] * 12
