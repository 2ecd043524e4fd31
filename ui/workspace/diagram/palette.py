"""Colours and sizes shared by the workspace: the Okabe–Ito palette (colour-blind safe).

State is never shown by colour alone: every site state also has its own shape and the number.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour vision.
ORANGE = QColor("#E69F00")
SKY_BLUE = QColor("#56B4E9")
BLUISH_GREEN = QColor("#009E73")
YELLOW = QColor("#F0E442")
BLUE = QColor("#0072B2")
VERMILLION = QColor("#D55E00")
REDDISH_PURPLE = QColor("#CC79A7")
INK = QColor("#1A1A1A")
MUTED_INK = QColor("#4D4D4D")
PAPER = QColor("#FFFFFF")
PANEL = QColor("#F4F6F8")
LEG_FILL = QColor("#F2E6DC")

# Marker diameter in device pixels at 100 % (touch target ≥ 44 px); large text scales it.
MARKER_DIAMETER = 44

BANNER_STYLES = {
    "error": "background:#D55E00; color:white; border-radius:6px; padding:10px; font-weight:600;",
    "warning": "background:#F0E442; color:#1A1A1A; border-radius:6px; padding:10px;",
    "info": "background:#DCEBF7; color:#1A1A1A; border-radius:6px; padding:10px;",
    "success": "background:#D7F0E7; color:#1A1A1A; border-radius:6px; padding:10px;",
}
