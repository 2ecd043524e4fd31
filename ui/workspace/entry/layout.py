"""The entry panel's widgets: built here so that `entry_panel` holds only the flow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.workspace.banner import Banner
from ui.workspace.site_sedation import SiteSedationLine

if TYPE_CHECKING:
    from ui.workspace.entry.panel import EntryPanel


def build_panel(panel: EntryPanel) -> None:
    panel.setMinimumWidth(340)
    panel.setMaximumWidth(460)
    outer = QVBoxLayout(panel)
    outer.setContentsMargins(12, 6, 12, 0)
    outer.setSpacing(4)
    # The message stays on top; the rest scrolls if large text or a small screen needs it.
    panel.banner = Banner(panel)
    outer.addWidget(panel.banner)
    panel.vitals_notice = QLabel()
    panel.vitals_notice.setObjectName("VitalsNotice")
    panel.vitals_notice.setWordWrap(True)
    panel.vitals_notice.setStyleSheet(
        "background:#FBF6C8; color:#1A1A1A; border:1px solid #C9BD2A; border-radius:6px;"
        " padding:6px;"
    )
    panel.vitals_notice.hide()
    outer.addWidget(panel.vitals_notice)
    scroll = QScrollArea(panel)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    content = QWidget(scroll)
    scroll.setWidget(content)
    panel.scroll = scroll
    outer.addWidget(scroll, 1)
    layout = QVBoxLayout(content)
    layout.setContentsMargins(0, 0, 4, 6)
    layout.setSpacing(4)  # at 1366×768 the whole panel shows without scrolling
    # Fixed line for the last saved action, so that success never shifts the layout.
    panel.last_action = QLabel(" ")
    panel.last_action.setObjectName("LastAction")
    panel.last_action.setStyleSheet("color:#006B4F; font-weight:600;")
    layout.addWidget(panel.last_action)
    panel.title = QLabel()
    panel.title.setObjectName("SiteTitle")
    panel.title.setStyleSheet("font-size: 19pt; font-weight: 700;")
    panel.state_chip = QLabel()
    panel.state_chip.setObjectName("SiteState")
    panel.state_chip.setWordWrap(True)
    # The state beside the site's number: a row saved for the sedation line below.
    heading = QHBoxLayout()
    heading.setSpacing(8)
    heading.addWidget(panel.title)
    heading.addWidget(panel.state_chip, 1, Qt.AlignmentFlag.AlignVCenter)
    layout.addLayout(heading)
    panel.subtitle = QLabel()
    panel.subtitle.setWordWrap(True)
    panel.target = QLabel()
    panel.target.setStyleSheet("color: #4D4D4D;")
    for widget in (panel.subtitle, panel.target):
        layout.addWidget(widget)
    fields = QGridLayout()
    fields.setHorizontalSpacing(8)
    fields.setVerticalSpacing(4)
    panel.depth = QLineEdit()
    panel.volume = QLineEdit()
    panel.syringe = QLineEdit()
    panel.syringe.setMaxLength(60)
    panel.syringe.setStyleSheet("font-size: 13pt; font-weight: 600;")
    panel.syringe_hint = QLabel()
    panel.syringe_hint.setWordWrap(True)
    for field in (panel.depth, panel.volume, panel.syringe):
        field.setMinimumHeight(32)
        field.installEventFilter(panel)
    panel.depth.setAccessibleName(panel.tr("Depth in millimetres"))
    panel.volume.setAccessibleName(panel.tr("Volume in millilitres"))
    panel.syringe.setAccessibleName(panel.tr("Syringe number or scanned label"))
    panel.syringe.setPlaceholderText(panel.tr("scan, or type its number"))
    # Labels beside their fields: the rows saved hold the sedation line below.
    fields.addWidget(buddy(panel.tr("&Depth (mm)"), panel.depth), 0, 0)
    fields.addWidget(panel.depth, 0, 1)
    fields.addWidget(buddy(panel.tr("Vol&ume (mL)"), panel.volume), 0, 2)
    fields.addWidget(panel.volume, 0, 3)
    fields.addWidget(buddy(panel.tr("&Syringe"), panel.syringe), 1, 0)
    fields.addWidget(panel.syringe, 1, 1, 1, 3)
    fields.addWidget(panel.syringe_hint, 2, 0, 1, 4)
    fields.setColumnStretch(1, 1)
    fields.setColumnStretch(3, 1)
    layout.addLayout(fields)
    # The sedation state at the shown site (or now, before the next): seen before Confirm.
    panel.sedation = SiteSedationLine(panel.clock, content)
    layout.addWidget(panel.sedation)
    panel.confirm_button = QPushButton()
    panel.confirm_button.setObjectName("ConfirmButton")
    panel.confirm_button.setMinimumHeight(50)
    panel.confirm_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    panel.confirm_button.setStyleSheet(
        "QPushButton#ConfirmButton { background:#009E73; color:white; font-size:15pt;"
        " font-weight:700; border-radius:8px; }"
        "QPushButton#ConfirmButton:disabled { background:#BFBFBF; color:#4D4D4D; }"
        'QPushButton#ConfirmButton[finish="true"] { background:#0072B2; }'
        "QPushButton#ConfirmButton:focus { border: 3px solid #0072B2; }"
    )
    layout.addWidget(panel.confirm_button)
    grid = QGridLayout()
    grid.setSpacing(4)
    panel.skip_button = action_button(panel.actions.skip)
    panel.relocate_button = action_button(panel.actions.relocate)
    panel.undo_button = action_button(panel.actions.undo)
    panel.correct_button = action_button(panel.actions.correct)
    grid.addWidget(panel.skip_button, 0, 0)
    grid.addWidget(panel.relocate_button, 0, 1)
    grid.addWidget(panel.undo_button, 1, 0)
    grid.addWidget(panel.correct_button, 1, 1)
    panel.goto = QLineEdit()
    panel.goto.setPlaceholderText(panel.tr("Go to site  (Ctrl+G)"))
    panel.goto.setMinimumHeight(32)
    panel.goto.setAccessibleName(panel.tr("Go to site number"))
    panel.next_button = action_button(panel.actions.back_to_next)
    grid.addWidget(panel.goto, 2, 0)
    grid.addWidget(panel.next_button, 2, 1)
    layout.addLayout(grid)
    panel.flag_box = QGroupBox()
    flag_layout = QVBoxLayout(panel.flag_box)
    flag_layout.setContentsMargins(6, 4, 6, 4)
    flag_layout.setSpacing(4)
    panel.flag_buttons_row = QGridLayout()
    panel.flag_buttons_row.setSpacing(4)
    flag_layout.addLayout(panel.flag_buttons_row)
    panel.flag_list = QLabel()
    panel.flag_list.setWordWrap(True)
    flag_layout.addWidget(panel.flag_list)
    panel.ae_button = action_button(panel.actions.adverse_event)
    layout.addWidget(panel.flag_box)
    panel.recorder = QLabel()
    panel.recorder.setWordWrap(True)
    panel.recorder.setStyleSheet("color:#4D4D4D;")
    layout.addWidget(panel.recorder)
    layout.addStretch(1)
    panel.setTabOrder(panel.syringe, panel.confirm_button)
    panel.setTabOrder(panel.confirm_button, panel.depth)
    panel.setTabOrder(panel.depth, panel.volume)
    panel.setTabOrder(panel.volume, panel.skip_button)


def buddy(text: str, field: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(field)
    return label


def action_button(action: QAction) -> QPushButton:
    button = QPushButton()
    button.setMinimumHeight(34)
    button.clicked.connect(action.trigger)
    button.setProperty("action", action)
    return button


def rebuild_flag_buttons(panel: EntryPanel) -> None:
    while panel.flag_buttons_row.count():
        item = panel.flag_buttons_row.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None and widget is not panel.ae_button:
            widget.deleteLater()
    for i, action in enumerate(panel.actions.flag_actions):
        button = action_button(action)
        button.setText(action.text().replace("&", ""))
        button.setToolTip(action.shortcut().toString())
        panel.flag_buttons_row.addWidget(button, i // 3, i % 3)
    rows = (len(panel.actions.flag_actions) + 2) // 3
    panel.flag_buttons_row.addWidget(panel.ae_button, rows, 0, 1, 3)
