"""Work-arounds for PySide6 defects that crash the process.

PySide6 (seen with 6.11) creates a Qt class's Python type the first time it is needed. A
Python event filter installed on the QApplication (the idle-lock watch, the barcode scanner)
is handed every object that receives an event, also objects made inside Qt that Python has
never seen (a style sheet's style, a line edit's text control …). Wrapping such an object
searches every QObject subclass for its type, creating the missing ones on the way; done from
inside the filter, that creation re-enters itself and the process dies with SIGSEGV
(TimeLineAnnotator/desktop#586 describes the same crash; here it hit a QTextBrowser type).

`incarnate_qobject_types()` runs that search once, outside any filter, for every Qt module
the app uses, so no type is left to create inside a filter. About 50 ms, once.
"""

from __future__ import annotations

_done = False


def incarnate_qobject_types() -> None:
    """Make PySide6 create the types of all QObject subclasses of the Qt modules we use.

    Call before an app-wide Python event filter is installed (MainWindow does it first).
    """
    global _done
    if _done:
        return
    # Every Qt module the app imports, so none adds uncreated types later.
    from PySide6 import QtPrintSupport, QtSvg, QtSvgWidgets  # noqa: F401
    from PySide6.QtWidgets import QLineEdit

    # A line edit's text control is made inside Qt and has no Python type of its own:
    # wrapping it makes PySide6 search (and create) every QObject subclass type it knows.
    probe = QLineEdit()
    probe.children()
    probe.deleteLater()
    _done = True
