"""The entry panel's texts come from a pure presenter: tested here without Qt."""

from __future__ import annotations

import ast
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.services.dto import ProcedureView
from tests.conftest import Team
from ui.workspace.entry import presenter
from ui.workspace.entry.presenter import EntrySelection, present, syringe_hint

ZONE = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def view(team: Team) -> ProcedureView:
    return team.started_procedure()


def _selection(team: Team, view: ProcedureView, **changes: object) -> EntrySelection:
    protocol = team.uow.protocols.get(view.protocol_key, view.protocol_version)
    values: dict[str, object] = {
        "view": view,
        "protocol": protocol,
        "selected": view.next_site_no,
        "actor": team.operator,
        "zone": ZONE,
    }
    values.update(changes)
    return EntrySelection(**values)  # type: ignore[arg-type]


def test_the_presenter_imports_no_qt_and_no_screen() -> None:
    tree = ast.parse(Path(presenter.__file__).read_text(encoding="utf-8"))
    names = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert not [n for n in names if n.startswith(("PySide6", "shiboken6", "ui."))]


def test_nothing_open_says_so_and_offers_nothing() -> None:
    texts = present(EntrySelection(view=None, protocol=None, selected=None, actor=None, zone=ZONE))
    assert texts.title == "No procedure open"
    assert texts.confirm == "Confirm site"
    assert not texts.shows_site
    assert not texts.confirm_enabled


def test_the_next_site_is_offered_to_the_operator(team: Team, view: ProcedureView) -> None:
    chosen = _selection(team, view)
    texts = present(chosen)
    site = chosen.site()
    assert site is not None
    assert texts.title.startswith(f"Site {site.number}  <span")
    assert texts.state == "NEXT in protocol order"
    assert texts.confirm == f"Confirm site {site.number}   ⏎"
    assert texts.confirm_enabled
    assert not texts.read_only
    assert texts.why_not is None
    assert texts.enabled["confirm"]
    assert texts.enabled["skip"]
    assert not texts.enabled["undo"]
    assert texts.recorder == "Recording as Olga Operator"
    assert texts.flag_title == "Findings (after the first site)"
    assert texts.syringe_hint == "Scan the syringe label or type its number."


def test_a_nurse_sees_why_she_may_not_record_injections(team: Team, view: ProcedureView) -> None:
    texts = present(_selection(team, view, actor=team.nurse))
    assert texts.why_not is not None
    assert team.nurse.full_name in texts.why_not
    assert texts.read_only
    assert not texts.confirm_enabled
    assert texts.confirm_tip == texts.why_not
    assert "may not record injections" in texts.recorder


def test_a_site_out_of_order_says_which_is_next(team: Team, view: ProcedureView) -> None:
    chosen = _selection(team, view)
    assert chosen.view is not None
    assert chosen.view.next_site_no is not None
    other = next(s.number for s in chosen.view.sites if s.number != chosen.view.next_site_no)
    texts = present(_selection(team, view, selected=other))
    assert texts.state == f"OUT OF ORDER — next in order is site {chosen.view.next_site_no}"


def test_the_typed_syringe_is_shown_as_its_label_or_the_gist_of_its_refusal(
    team: Team, view: ProcedureView
) -> None:
    label = f"{view.kit_number}-01"
    chosen = _selection(team, view, syringe_text="1", syringe_label=label)
    assert syringe_hint(chosen) == f"= <b>{label}</b>"
    refusal = "Not a syringe of this kit: SAIL-K001 (type 1-30)"
    refused = syringe_hint(_selection(team, view, syringe_text="x", syringe_refusal=refusal))
    assert refused is not None
    assert refused == "<span style='color:#D55E00;'>✗ Not a syringe of this kit</span>"


def test_a_used_syringe_says_where(team: Team, view: ProcedureView) -> None:
    chosen = _selection(team, view, syringe_text="1", syringe_label=f"{view.kit_number}-01")
    assert chosen.suggested_syringe() == "01"
    assert syringe_hint(_selection(team, view, syringe_text="", syringe_label=None)) == (
        "Scan the syringe label or type its number."
    )


def test_words_go_through_the_translation_it_is_handed(team: Team, view: ProcedureView) -> None:
    texts = present(_selection(team, view), tr=lambda text: text.upper())
    assert texts.state == "NEXT IN PROTOCOL ORDER"


def test_a_signed_record_says_how_to_correct_it() -> None:
    line = presenter.recorder_line(None, False, ProcedureStatus.SIGNED)
    assert line == "Signed and locked: to correct it, open an amendment (Ctrl+Shift+S)."
