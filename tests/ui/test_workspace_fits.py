"""At 1366×768 the workspace shows its words whole: the header's lines (team, product use-by)
and the entry panel down to "Report adverse event", also with a message and the vital-signs
notice showing."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.ui.bedside import open_procedure


def _text_fits(label: QLabel) -> bool:
    """The label's whole text is drawn inside it (no line cut at the side or the bottom)."""
    if label.wordWrap():
        return label.heightForWidth(label.width()) <= label.height()
    return label.sizeHint().width() <= label.width()


def _shown_in(viewport: QWidget, widget: QWidget) -> bool:
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


def _walk_procedure(team):  # type: ignore[no-untyped-def]
    """A completed procedure as in the walk: its people's names, location and use-by."""
    from slidesk.domain.procedure.model import SkipReason
    from slidesk.domain.users import Role
    from slidesk.services.procedure import checklist, completion, planning, site_entries

    operator = team.add("jdevries", "Dr. J. de Vries", Role.OPERATOR)
    nurse = team.add("sbakker", "S. Bakker, RN", Role.NURSE)
    view = planning.plan_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=operator,
        subject_id=team.subject("SAIL-01-007"),
        kit_number="SAIL-K017",
        operator_id=operator.user_id,
        nurse_id=nurse.user_id,
        location="Angio suite 2",
        product_release_at=team.clock.now(),
    )
    state = checklist.get_checklist(uow=team.uow, actor=nurse, procedure_id=view.id)
    for item in state.items:
        for role in item.confirm_by:
            checklist.tick_item(
                uow=team.uow,
                clock=team.clock,
                actor=operator if role.value == "operator" else nurse,
                procedure_id=view.id,
                item_key=item.key,
                role=role,
            )
    planning.start_procedure(uow=team.uow, clock=team.clock, actor=operator, procedure_id=view.id)
    *injected, skipped = view.sites
    site_entries.skip_site(
        uow=team.uow,
        clock=team.clock,
        actor=operator,
        procedure_id=view.id,
        site_no=skipped.number,
        reason=SkipReason.OTHER,
        detail="Scar tissue from old surgery",
    )
    for n, site in enumerate(injected, start=1):
        site_entries.record_injection(
            uow=team.uow,
            clock=team.clock,
            actor=operator,
            procedure_id=view.id,
            site_no=site.number,
            depth_mm="12.5",
            volume_ml="1.0",
            syringe=str(n),
        )
    team.clock.advance(minutes=11)
    completion.complete_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=operator,
        procedure_id=view.id,
        gaps_reason="Sedation record kept on the paper chart",
    )
    return view, operator, nurse


def test_the_header_lines_show_whole_at_1366_by_768(qtbot, make_window, team) -> None:
    view, operator, nurse = _walk_procedure(team)
    bedside = make_window(team, users=(nurse, operator))
    open_procedure(qtbot, bedside, view.id)
    header = bedside.page.header
    header._on_timer_timeout()
    QApplication.processEvents()
    assert "before the use-by time" in header.product.text()
    assert "nurse S. Bakker, RN" in header.team.text()
    for label in (header.subject, header.team, header.product, header.saved, header.elapsed):
        assert _text_fits(label), (label.text(), label.width(), label.sizeHint().width())


def test_the_entry_panel_shows_report_adverse_event_with_a_message_and_the_notice(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    team.inject(started.id, started.sites[0].number, "1")
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    panel.set_vitals_charted(False)
    panel.show_error("Depth '1x.5' is not a number.")
    QApplication.processEvents()
    assert panel.banner.isVisible()
    viewport = panel.scroll.viewport()
    assert _shown_in(viewport, panel.ae_button), (
        viewport.height(),
        panel.ae_button.mapTo(viewport, QPoint(0, 0)).y() + panel.ae_button.height(),
    )
