"""What the entry panel says, as plain values: view + protocol + selection → texts.

Pure: no Qt, no database, no service call. The panel builds an `EntrySelection` from what it
shows (the typed syringe already read through the door), asks `present` (and `syringe_hint`
while the syringe field is typed in) and puts the answer on its widgets. Words go through the
`tr` it is handed (the panel's translation context).
Must not import Qt, the door or any screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal
from html import escape

from slidesk.domain.procedure.model import EntryKind, ProcedureStatus, SiteState
from slidesk.domain.users import Actor, Permission
from slidesk.protocol.model import Protocol
from slidesk.services.dto import ProcedureView, SiteView
from slidesk.services.procedure.dto_workspace import SiteFlagView

Translate = Callable[[str], str]

STATE_STYLE = {
    SiteState.NEXT: ("background:#E69F00; color:#1A1A1A;", "NEXT in protocol order"),
    SiteState.PENDING: ("background:#E8E8E8; color:#1A1A1A;", "to do"),
    SiteState.DONE: ("background:#009E73; color:white;", "DONE"),
    SiteState.SKIPPED: ("background:#D9D9D9; color:#1A1A1A;", "SKIPPED"),
    SiteState.DEVIATION: ("background:#CC79A7; color:#1A1A1A;", "DONE with deviation"),
}
OUT_OF_ORDER_STYLE = "background:#56B4E9; color:#1A1A1A;"
CHIP_STYLE = " border-radius:4px; padding:4px 8px; font-weight:600;"
ACTIONS = ("confirm", "skip", "relocate", "undo", "correct", "goto", "back_to_next")


def _same(text: str) -> str:
    return text


def hm(value: datetime | None, zone: tzinfo) -> str:
    """'09:30' on the site's wall clock, or '—' for no time."""
    return value.astimezone(zone).strftime("%H:%M") if value else "—"


def field_number(value: Decimal) -> str:
    """A depth or volume as typed in the fields: at least one decimal ("1.0", "12.5", "0.75")."""
    plain = value.normalize()
    decimals = max(1, -int(plain.as_tuple().exponent))
    return f"{plain:.{decimals}f}"


@dataclass(frozen=True, slots=True)
class EntrySelection:
    """What the entry panel shows: the procedure, its protocol, the selected site, who types."""

    view: ProcedureView | None
    protocol: Protocol | None
    selected: int | None
    actor: Actor | None
    zone: tzinfo
    flags: tuple[SiteFlagView, ...] = ()
    disposed: frozenset[str] = frozenset()
    syringe_text: str = ""  # as typed or scanned
    syringe_label: str | None = None  # the kit's label it stands for (None: not one)
    syringe_refusal: str = ""  # why it is not one
    flag_count: int = 0  # the quick-flag actions (Alt+1 …)

    def site(self) -> SiteView | None:
        if self.view is None or self.selected is None:
            return None
        return next((s for s in self.view.sites if s.number == self.selected), None)

    def recording_open(self) -> bool:
        return self.view is not None and self.view.status is ProcedureStatus.IN_PROGRESS

    def all_sites_finished(self) -> bool:
        """Every site has a live entry (injected or skipped): what is left is the review."""
        return self.view is not None and self.view.next_site_no is None

    def amending(self) -> bool:
        """An amendment is open: findings may be added late, with the time they were seen."""
        return self.view is not None and self.view.status is ProcedureStatus.AMENDED

    def used_labels(self) -> dict[str, int]:
        """Syringe label → site, of the live injections."""
        if self.view is None:
            return {}
        return {
            e.syringe_label: e.site_no
            for e in self.view.entries
            if not e.voided and e.syringe_label and e.kind is EntryKind.INJECTED
        }

    def suggested_syringe(self) -> str:
        """The lowest syringe number of the kit not yet used, returned or wasted ("07")."""
        if self.view is None or self.protocol is None:
            return ""
        product = self.protocol.product
        taken = self.used_labels().keys() | self.disposed
        for n in range(1, product.syringes_per_kit + 1):
            if product.syringe_format.format(kit=self.view.kit_number, n=n) not in taken:
                return f"{n:02d}"
        return ""

    def flag_target(self) -> int | None:
        """The site a quick flag applies to: the shown site if injected, else (while the next
        site is shown) the last one injected. A skipped site takes no findings."""
        site = self.site()
        if site is not None and site.entry is not None:
            return site.number if site.entry.kind is EntryKind.INJECTED else None
        if self.view is None:
            return None
        injected = [e for e in self.view.entries if not e.voided and e.kind is EntryKind.INJECTED]
        return injected[-1].site_no if injected else None


@dataclass(frozen=True, slots=True)
class EntryTexts:
    """Everything the panel's widgets say, and which of its actions may be used."""

    title: str
    state: str = ""
    state_style: str | None = None  # None: leave the chip's style as it is
    subtitle: str = ""
    target: str = ""
    values: tuple[str, str, str] | None = None  # a recorded site's depth, volume, syringe
    read_only: bool = True
    syringe_hint: str | None = ""  # None: the live hint of the typed syringe stays
    confirm: str = ""
    confirm_enabled: bool = False
    confirm_tip: str = ""
    finish: bool = False  # the big button leads on to the review
    enabled: dict[str, bool] = field(default_factory=dict)
    flags_enabled: bool = False
    adverse_event_enabled: bool = False
    flag_title: str = ""
    flag_list: str = ""
    recorder: str = ""
    why_not: str | None = None  # who may not record injections, and why
    flag_why: str | None = None  # who may not record findings or adverse events, and why
    shows_site: bool = True


def vitals_notice(view: ProcedureView | None, charted: bool, tr: Translate = _same) -> str | None:
    """The reminder that baseline vital signs come before the first injection (None: none).

    Shown to whoever records: the nurse's warning sits in a tab the operator does not see.
    """
    if charted or view is None or view.status is not ProcedureStatus.IN_PROGRESS:
        return None
    if view.injected_count == 0:
        return tr(
            "No vital signs charted yet: baseline vital signs come before the first "
            "injection (nurse: Sedation & vitals, Ctrl+2)."
        )
    return tr("No vital signs charted for this procedure (nurse: Sedation & vitals, Ctrl+2).")


def why_not_recording(actor: Actor | None, tr: Translate = _same) -> str | None:
    """Why the typist may not record injections (None: they may)."""
    if actor is None:
        return tr("Nobody is signed in.")
    if actor.can(Permission.RECORD_INJECTION):
        return None
    return tr("%1 may not record injections: switch to the operator (Ctrl+Shift+T).").replace(
        "%1", actor.full_name
    )


def why_not_flagging(actor: Actor | None, tr: Translate = _same) -> str | None:
    """Why the typist may not record findings or adverse events (None: they may)."""
    if actor is None:
        return tr("Nobody is signed in.")
    if actor.can(Permission.RECORD_ADVERSE_EVENT):
        return None
    return tr("%1 may not record findings or adverse events.").replace("%1", actor.full_name)


def present(s: EntrySelection, tr: Translate = _same, chip_style: str = "") -> EntryTexts:
    """The panel's texts for selection `s`; `chip_style`: the state chip's style now."""
    view, site, protocol = s.view, s.site(), s.protocol
    if view is None or site is None or protocol is None:
        return EntryTexts(
            title=tr("No procedure open"), confirm=tr("Confirm site"), shows_site=False
        )
    spec = protocol.injection
    title = (
        tr("Site %1").replace("%1", str(site.number))
        + f"  <span style='font-size:12pt; color:#4D4D4D;'>"
        f"({site.order_index + 1} / {len(view.sites)})</span>"
    )
    style, label = STATE_STYLE[site.state]
    state = tr(label)
    if site.state is SiteState.PENDING and view.next_site_no is not None:
        state = tr("OUT OF ORDER — next in order is site %1").replace("%1", str(view.next_site_no))
        style = OUT_OF_ORDER_STYLE
    style += CHIP_STYLE
    view_name = tr("front view") if site.view == "front" else tr("back view")
    volume = (
        f"{spec.volume_ml} mL"
        if spec.volume_min_ml == spec.volume_max_ml
        else f"{spec.volume_min_ml}–{spec.volume_max_ml} mL"
    )
    target = (
        tr("Target: depth %1–%2 mm, volume %3")
        .replace("%1", str(spec.depth_min_mm))
        .replace("%2", str(spec.depth_max_mm))
        .replace("%3", volume)
    )
    entry = site.entry
    finished = entry is not None
    open_for_entry = s.recording_open()
    why_not = why_not_recording(s.actor, tr)
    may = why_not is None
    can_enter = open_for_entry and not finished and may
    # With every site finished the big button leads on to the review (Enter does the same).
    review_next = open_for_entry and s.all_sites_finished()
    if review_next:
        confirm = tr("All sites recorded — Review and finish…   ⏎")
    elif can_enter or (open_for_entry and not finished):
        confirm = tr("Confirm site %1   ⏎").replace("%1", str(site.number))
    else:
        confirm = (
            tr("Site %1 recorded").replace("%1", str(site.number)) if finished else tr("Read-only")
        )
    # Injected and skipped entries alike; an amendment reopens a signed record for this.
    correctable = view.status in (
        ProcedureStatus.IN_PROGRESS,
        ProcedureStatus.COMPLETED,
        ProcedureStatus.AMENDED,
    )
    flag_target = s.flag_target()
    flag_why = why_not_flagging(s.actor, tr)
    return EntryTexts(
        title=title,
        state=state,
        state_style=style if chip_style != style else None,  # re-styling is costly
        subtitle=f"<b>{site.label}</b> · {site.muscle} · {view_name}",
        target=target,
        values=_recorded_values(site) if finished else None,
        read_only=finished or not open_for_entry or why_not is not None,
        syringe_hint=_recorded_hint(site, s.zone, tr) if finished else syringe_hint(s, tr),
        confirm=confirm,
        confirm_enabled=can_enter or review_next,
        confirm_tip=(
            why_not if why_not and open_for_entry and not finished and not review_next else ""
        ),
        finish=review_next,
        enabled={
            "confirm": can_enter,
            "skip": can_enter,
            "relocate": can_enter,
            "undo": open_for_entry and may and any(not e.voided for e in view.entries),
            "correct": correctable and may and entry is not None,
            "goto": True,
            "back_to_next": view.next_site_no is not None,
        },
        # During an amendment a finding is added late, with the time it was seen.
        flags_enabled=(open_for_entry or s.amending())
        and flag_target is not None
        and flag_why is None,
        adverse_event_enabled=flag_target is not None and flag_why is None,
        flag_title=_flag_title(s, site, flag_target, tr),
        flag_list="; ".join(
            f"{f.flag}{' — ' + f.note if f.note else ''} ({hm(f.observed_at, s.zone)})"
            for f in s.flags
            if f.site_no == flag_target
        ),
        recorder=recorder_line(s.actor, open_for_entry, view.status, tr),
        why_not=why_not,
        flag_why=flag_why,
    )


def _recorded_values(site: SiteView) -> tuple[str, str, str]:
    entry = site.entry
    assert entry is not None
    return (
        field_number(entry.depth.mm) if entry.depth else "—",
        field_number(entry.volume.ml) if entry.volume else "—",
        entry.syringe_label or "—",
    )


def _recorded_hint(site: SiteView, zone: tzinfo, tr: Translate) -> str:
    entry = site.entry
    assert entry is not None
    if entry.kind is EntryKind.SKIPPED:
        reason = entry.skip_reason.label if entry.skip_reason else ""
        detail = f" — {entry.skip_detail}" if entry.skip_detail else ""
        return (
            tr("Skipped %1 by %2: %3%4")
            .replace("%1", hm(entry.performed_at, zone))
            .replace("%2", entry.recorder.full_name)
            .replace("%3", reason)
            .replace("%4", detail)
        )
    extra = f" · {tr('deviation')}: {entry.deviation_reason}" if entry.deviation_reason else ""
    moved = f" · {tr('relocated')}" if entry.relocated else ""
    return (
        tr("Injected %1, recorded by %2%3%4")
        .replace("%1", hm(entry.performed_at, zone))
        .replace("%2", entry.recorder.full_name)
        .replace("%3", moved)
        .replace("%4", extra)
    )


def syringe_hint(s: EntrySelection, tr: Translate = _same) -> str | None:
    """Live feedback under the syringe field: the full label it stands for, or why not.

    None for a site already recorded (or nothing shown): the hint says what was recorded.
    """
    site = s.site()
    if s.view is None or s.protocol is None or site is None or site.entry is not None:
        return None
    text = s.syringe_text.strip()
    if not text:
        return tr("Scan the syringe label or type its number.")
    label = s.syringe_label
    if label is None:
        # The banner says it in full; here only the gist, so the panel keeps its shape.
        gist = s.syringe_refusal.split(":")[0].split(" (")[0]
        return f"<span style='color:#D55E00;'>✗ {escape(gist)}</span>"
    used = s.used_labels()
    if label in used:
        note = tr("already used at site %1").replace("%1", str(used[label]))
        return f"<span style='color:#D55E00;'>{label}: {note}</span>"
    if label in s.disposed:
        return f"<span style='color:#D55E00;'>{label}: {tr('returned or wasted')}</span>"
    return f"= <b>{label}</b>"


def _flag_title(s: EntrySelection, shown: SiteView, target: int | None, tr: Translate) -> str:
    keys = f"Alt+1…Alt+{s.flag_count}" if s.flag_count else ""
    if target is None and shown.entry is not None:
        return tr("Findings: none at site %1 (not injected)").replace("%1", str(shown.number))
    if target is None:
        return tr("Findings (after the first site)")
    return tr("Findings at site %1  (%2)").replace("%1", str(target)).replace("%2", keys)


def recorder_line(
    actor: Actor | None, open_for_entry: bool, status: ProcedureStatus, tr: Translate = _same
) -> str:
    """Who records, or why nobody can here (one line: at 1366×768 the panel shows whole)."""
    if status is ProcedureStatus.SIGNED:
        return tr("Signed and locked: to correct it, open an amendment (Ctrl+Shift+S).")
    if status is ProcedureStatus.AMENDED:
        return (
            "<span style='color:#7A2E00;'>"
            + tr("Amendment open: correct entries with a reason (Ctrl+E).")
            + "</span>"
        )
    if not open_for_entry:
        return tr(
            "This procedure is %1: entries are read-only; corrections need a reason."
        ).replace("%1", status.label.lower())
    if actor is None:
        return tr("Nobody is signed in.")
    if not actor.can(Permission.RECORD_INJECTION):
        return (
            "<span style='color:#D55E00;'>"
            + tr("%1 may not record injections: switch to the operator.").replace(
                "%1", actor.full_name
            )
            + "</span>"
        )
    return tr("Recording as %1").replace("%1", actor.full_name)
