"""The time-out's texts: the procedure's facts, the progress, the start button, who is next.

Pure presentation: DTOs in, translated text out (translation context "TimeOutDialog", as when
the dialog worded them). Calls no service and imports no widget.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from slidesk.domain.values import Limb
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure.dto_workspace import ChecklistView


def _tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("TimeOutDialog", text, disambiguation, n)


def facts(view: ProcedureView) -> str:
    """Subject, the index limb (large, on blue), kit, operator and nurse (rich text)."""
    limb = _tr("LEFT") if view.subject.index_limb is Limb.LEFT else _tr("RIGHT")
    return (
        _tr(
            "<b>%1</b> · index limb <span style='font-size:15pt; font-weight:700; "
            "background:#0072B2; color:white; padding:2px 6px;'>&nbsp;%2 leg&nbsp;</span> · "
            "kit <b>%3</b> · operator %4 · nurse %5"
        )
        .replace("%1", view.subject.study_id)
        .replace("%2", limb)
        .replace("%3", view.kit_number)
        .replace("%4", view.operator.full_name)
        .replace("%5", view.nurse.full_name)
    )


def progress(state: ChecklistView) -> str:
    return (
        _tr("%1 of %2 items complete")
        .replace("%1", str(state.done_count))
        .replace("%2", str(len(state.items)))
    )


def start_button(state: ChecklistView, operator: str) -> str:
    """Who starts once the checklist is complete; until then, how many items are open."""
    if state.complete:
        return _tr("Start procedure (operator %1)").replace("%1", operator)
    return _tr("Start procedure — %n item(s) open", "", len(state.open_items))


def others_to_confirm(person: str, open_count: int, roles_words: str) -> str:
    """`person` has ticked all theirs; the open items wait for the roles in `roles_words`."""
    return (
        _tr(
            "%1 has confirmed everything theirs to confirm. Still open: %2 item(s), "
            "for the %3 — choose who confirms under “Confirmed by” (Alt+B)."
        )
        .replace("%1", person)
        .replace("%2", str(open_count))
        .replace("%3", roles_words)
    )
