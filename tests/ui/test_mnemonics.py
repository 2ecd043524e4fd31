"""Alt+letter keys: on every screen state of the bedside window, each letter does one thing.

Qt lets two visible widgets share a mnemonic (Alt+V then toggles between them), which at
the bedside means a key that sometimes does something else. Checked with the workspace open
and each of its record tabs (and the nurse's tabs) showing, and on the home list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html import escape

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar, QTabWidget, QWidget

from tests.ui.bedside import (
    Bedside,
    open_procedure,
)

_MNEMONIC = re.compile(r"&([^&\s])")


def _letter(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def alt_keys(window: QWidget) -> dict[str, list[str]]:
    """Alt+letter → what it reaches, for everything visible in the window now."""
    keys: dict[str, list[str]] = defaultdict(list)

    def add(letter: str | None, what: str) -> None:
        if letter:
            keys[letter].append(what)

    menu_bar = window.menuBar()  # type: ignore[attr-defined]
    for action in menu_bar.actions():
        add(_letter(action.text()), f"menu {action.text()!r}")
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton):
            add(_letter(widget.text()), f"button {widget.text()!r}")
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(_letter(widget.text()), f"label {widget.text()!r}")
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            add(_letter(widget.title()), f"group {widget.title()!r}")
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                if widget.isTabVisible(i) and widget.isTabEnabled(i):
                    add(_letter(widget.tabText(i)), f"tab {widget.tabText(i)!r}")
    bound = [(a.shortcuts(), a.text(), a.parent()) for a in window.findChildren(QAction)] + [
        ([s.key()], s.objectName() or "shortcut", s.parent())
        for s in window.findChildren(QShortcut)
    ]
    for sequences, name, owner in bound:
        if isinstance(owner, QWidget) and not owner.isVisible():
            continue
        for sequence in sequences:
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if re.fullmatch(r"Alt\+[A-Za-z0-9]", text):
                add(text[-1].lower(), f"shortcut {name!r}")
    return keys


def clashes(window: QWidget) -> dict[str, list[str]]:
    found = {k: v for k, v in alt_keys(window).items() if len(v) > 1}
    # A button's own shortcut replaces the mnemonic of its text: that Alt key is dead.
    dead = [
        b.text()
        for b in window.findChildren(QAbstractButton)
        if b.isVisible()
        and _letter(b.text())
        and not b.shortcut().isEmpty()
        and b.shortcut().toString() != f"Alt+{_letter(b.text()).upper()}"
    ]
    if dead:
        found["dead"] = dead
    return found


def reveal(widget: QWidget) -> None:
    """Bring the tab pages that hold `widget` to the front, outermost first."""
    outer = []
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QTabWidget):
            outer.append(parent)
        parent = parent.parentWidget()
    for tabs in reversed(outer):
        for i in range(tabs.count()):
            page = tabs.widget(i)
            if page is widget or page.isAncestorOf(widget):
                tabs.setCurrentIndex(i)


def tab_states(bedside: Bedside):  # type: ignore[no-untyped-def]
    """Each tab of each of the workspace's tab widgets brought to the front, one at a time."""
    for tabs in bedside.window.workspace.findChildren(QTabWidget):
        for i in range(tabs.count()):
            reveal(tabs.widget(i))
            yield f"{tabs.objectName() or type(tabs.parent()).__name__} → {tabs.tabText(i)!r}"


def complete_window(qtbot, make_window, team) -> Bedside:  # type: ignore[no-untyped-def]
    bedside = make_window(team)
    # The Administration menu joins the menu bar just after start-up.
    qtbot.waitUntil(lambda: bedside.window.admin_menu is not None)
    return bedside


def test_the_home_list_has_no_shared_alt_keys(qtbot, make_window, team) -> None:
    bedside = complete_window(qtbot, make_window, team)
    assert "a" in alt_keys(bedside.window)  # the Administration menu is counted
    assert clashes(bedside.window) == {}


def test_every_state_of_the_workspace_has_no_shared_alt_keys(qtbot, make_window, team) -> None:
    view = team.started_procedure()
    bedside = complete_window(qtbot, make_window, team)
    open_procedure(qtbot, bedside, view.id)
    found = {"workspace as opened": clashes(bedside.window)}
    for state in tab_states(bedside):
        found[state] = clashes(bedside.window)
    assert {state: c for state, c in found.items() if c} == {}


def test_f1_on_the_home_list_already_lists_the_workspace_keys(qtbot, make_window, team) -> None:
    bedside = complete_window(qtbot, make_window, team)
    bedside.window.shortcuts_action.trigger()
    listed = bedside.window.dialog.text()
    for keys, what in (("Ctrl+Shift+F", "Review and finish…"), ("Ctrl+K", "Skip site…")):
        assert f"<b>{escape(keys)}</b></td><td>{escape(what)}</td>" in listed


def test_f1_lists_every_window_shortcut_this_typist_can_use(qtbot, make_window, team) -> None:
    view = team.started_procedure()
    bedside = complete_window(qtbot, make_window, team)
    open_procedure(qtbot, bedside, view.id)
    bedside.window.shortcuts_action.trigger()
    box = bedside.window.dialog
    qtbot.waitUntil(box.isVisible)
    listed = box.text()
    for keys, what in (
        ("Ctrl+Shift+T", "Switch typist"),
        ("Ctrl+Shift+N", "Add a person…"),
        ("Ctrl+L", "Lock screen"),
        ("Ctrl+Shift+Q", "Sign out Olga Operator"),
        ("Ctrl+K", "Skip site…"),
        ("F1", "Keyboard shortcuts"),
        ("Ctrl+Q", "Quit"),
    ):
        assert f"<b>{escape(keys)}</b></td><td>{escape(what)}</td>" in listed
    assert "Users…" not in listed  # an operator can't open it: not offered
    # Every shortcut the window answers to with a visible owner is in the list.
    missing = []
    for action in bedside.window.findChildren(QAction):
        owner = action.parent()
        keys = action.shortcut().toString()
        if not keys or not action.isEnabled():
            continue
        if isinstance(owner, QWidget) and not owner.isVisible():
            continue
        if f"<b>{keys}</b>" not in listed:
            missing.append(f"{keys} {action.text()}")
    assert missing == []
    assert box.height() <= 768
