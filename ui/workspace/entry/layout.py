"""The entry panel's widgets, laid out: the form the panel's flow (`entry.panel`) works on.

`EntryForm` is the panel's widget layer: fields, buttons, labels and the message banner. It
holds no procedure and decides nothing; `entry.text` puts the presenter's texts on it.
Imports the panel's keyboard actions, never the panel.
"""

from __future__ import annotations

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

from slidesk.clock import Clock
from ui.workspace.banner import Banner
from ui.workspace.entry.actions import EntryActions
from ui.workspace.site_sedation import SiteSedationLine


class EntryForm(QWidget):
    """The widgets of the entry panel, built and laid out once."""

    # These names hide QWidget methods (actions(), scroll(), depth()): the panel's keyboard
    # actions, its scrolling area and the depth field keep the names the screens use.
    actions: EntryActions  # type: ignore[assignment]
    scroll: QScrollArea  # type: ignore[assignment]
    depth: QLineEdit  # type: ignore[assignment]

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock  # times shown in the site's zone
        self.actions = EntryActions(self)
        self.setMinimumWidth(340)
        self.setMaximumWidth(460)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 6, 12, 0)
        outer.setSpacing(4)
        # The message stays on top; the rest scrolls if large text or a small screen needs it.
        self.banner = Banner(self)
        outer.addWidget(self.banner)
        self.vitals_notice = QLabel()
        self.vitals_notice.setObjectName("VitalsNotice")
        self.vitals_notice.setWordWrap(True)
        self.vitals_notice.setStyleSheet(
            "background:#FBF6C8; color:#1A1A1A; border:1px solid #C9BD2A; border-radius:6px;"
            " padding:6px;"
        )
        self.vitals_notice.hide()
        outer.addWidget(self.vitals_notice)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget(scroll)
        scroll.setWidget(content)
        self.scroll = scroll
        outer.addWidget(scroll, 1)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 4, 6)
        layout.setSpacing(4)  # at 1366×768 the whole panel shows without scrolling
        # Fixed line for the last saved action, so that success never shifts the layout.
        self.last_action = QLabel(" ")
        self.last_action.setObjectName("LastAction")
        self.last_action.setStyleSheet("color:#006B4F; font-weight:600;")
        layout.addWidget(self.last_action)
        self.title = QLabel()
        self.title.setObjectName("SiteTitle")
        self.title.setStyleSheet("font-size: 19pt; font-weight: 700;")
        self.state_chip = QLabel()
        self.state_chip.setObjectName("SiteState")
        self.state_chip.setWordWrap(True)
        # The state beside the site's number: a row saved for the sedation line below.
        heading = QHBoxLayout()
        heading.setSpacing(8)
        heading.addWidget(self.title)
        heading.addWidget(self.state_chip, 1, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(heading)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.target = QLabel()
        self.target.setStyleSheet("color: #4D4D4D;")
        for widget in (self.subtitle, self.target):
            layout.addWidget(widget)
        fields = QGridLayout()
        fields.setHorizontalSpacing(8)
        fields.setVerticalSpacing(4)
        self.depth = QLineEdit()
        self.volume = QLineEdit()
        self.syringe = QLineEdit()
        self.syringe.setMaxLength(60)
        self.syringe.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.syringe_hint = QLabel()
        self.syringe_hint.setWordWrap(True)
        for field in (self.depth, self.volume, self.syringe):
            field.setMinimumHeight(32)
            field.installEventFilter(self)
        self.depth.setAccessibleName(self.tr("Depth in millimetres"))
        self.volume.setAccessibleName(self.tr("Volume in millilitres"))
        self.syringe.setAccessibleName(self.tr("Syringe number or scanned label"))
        self.syringe.setPlaceholderText(self.tr("scan, or type its number"))
        # Labels beside their fields: the rows saved hold the sedation line below.
        fields.addWidget(buddy(self.tr("&Depth (mm)"), self.depth), 0, 0)
        fields.addWidget(self.depth, 0, 1)
        fields.addWidget(buddy(self.tr("Vol&ume (mL)"), self.volume), 0, 2)
        fields.addWidget(self.volume, 0, 3)
        fields.addWidget(buddy(self.tr("&Syringe"), self.syringe), 1, 0)
        fields.addWidget(self.syringe, 1, 1, 1, 3)
        fields.addWidget(self.syringe_hint, 2, 0, 1, 4)
        fields.setColumnStretch(1, 1)
        fields.setColumnStretch(3, 1)
        layout.addLayout(fields)
        # The sedation state at the shown site (or now, before the next): seen before Confirm.
        self.sedation = SiteSedationLine(self.clock, content)
        layout.addWidget(self.sedation)
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("ConfirmButton")
        self.confirm_button.setMinimumHeight(50)
        self.confirm_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.confirm_button.setStyleSheet(
            "QPushButton#ConfirmButton { background:#009E73; color:white; font-size:15pt;"
            " font-weight:700; border-radius:8px; }"
            "QPushButton#ConfirmButton:disabled { background:#BFBFBF; color:#4D4D4D; }"
            'QPushButton#ConfirmButton[finish="true"] { background:#0072B2; }'
            "QPushButton#ConfirmButton:focus { border: 3px solid #0072B2; }"
        )
        layout.addWidget(self.confirm_button)
        grid = QGridLayout()
        grid.setSpacing(4)
        self.skip_button = action_button(self.actions.skip)
        self.relocate_button = action_button(self.actions.relocate)
        self.undo_button = action_button(self.actions.undo)
        self.correct_button = action_button(self.actions.correct)
        grid.addWidget(self.skip_button, 0, 0)
        grid.addWidget(self.relocate_button, 0, 1)
        grid.addWidget(self.undo_button, 1, 0)
        grid.addWidget(self.correct_button, 1, 1)
        self.goto = QLineEdit()
        self.goto.setPlaceholderText(self.tr("Go to site  (Ctrl+G)"))
        self.goto.setMinimumHeight(32)
        self.goto.setAccessibleName(self.tr("Go to site number"))
        self.next_button = action_button(self.actions.back_to_next)
        grid.addWidget(self.goto, 2, 0)
        grid.addWidget(self.next_button, 2, 1)
        layout.addLayout(grid)
        self.flag_box = QGroupBox()
        flag_layout = QVBoxLayout(self.flag_box)
        flag_layout.setContentsMargins(6, 4, 6, 4)
        flag_layout.setSpacing(4)
        self.flag_buttons_row = QGridLayout()
        self.flag_buttons_row.setSpacing(4)
        flag_layout.addLayout(self.flag_buttons_row)
        self.flag_list = QLabel()
        self.flag_list.setWordWrap(True)
        flag_layout.addWidget(self.flag_list)
        self.ae_button = action_button(self.actions.adverse_event)
        layout.addWidget(self.flag_box)
        self.recorder = QLabel()
        self.recorder.setWordWrap(True)
        self.recorder.setStyleSheet("color:#4D4D4D;")
        layout.addWidget(self.recorder)
        layout.addStretch(1)
        self.setTabOrder(self.syringe, self.confirm_button)
        self.setTabOrder(self.confirm_button, self.depth)
        self.setTabOrder(self.depth, self.volume)
        self.setTabOrder(self.volume, self.skip_button)

    def rebuild_flag_buttons(self) -> None:
        """One button per quick-flag action (three a row), the adverse-event button below."""
        while self.flag_buttons_row.count():
            item = self.flag_buttons_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.ae_button:
                widget.deleteLater()
        for i, action in enumerate(self.actions.flag_actions):
            button = action_button(action)
            button.setText(action.text().replace("&", ""))
            button.setToolTip(action.shortcut().toString())
            self.flag_buttons_row.addWidget(button, i // 3, i % 3)
        rows = (len(self.actions.flag_actions) + 2) // 3
        self.flag_buttons_row.addWidget(self.ae_button, rows, 0, 1, 3)


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
