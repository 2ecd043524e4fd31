"""Join the feature screens to the main window (called once from `MainWindow.__init__`).

Each feature is handed the window as a `FeatureHost` and imports no window. Cheap at
start-up: each feature imports its screens when first shown or used.
"""

from __future__ import annotations

from dataclasses import dataclass

from ui.features.backup_runner import BackupRunner
from ui.features.checkpoint_status import CheckpointStatus
from ui.features.follow_up import FollowUpSection
from ui.features.procedure_actions import ProcedureActions
from ui.features.record_tabs import NurseRecordTabs
from ui.features.site_menu import SiteContextMenu
from ui.frame.host import FeatureHost


@dataclass(frozen=True, slots=True)
class Features:
    record_tabs: NurseRecordTabs
    follow_up: FollowUpSection
    procedure: ProcedureActions
    site_menu: SiteContextMenu
    checkpoint_status: CheckpointStatus
    backup_runner: BackupRunner


def install_features(host: FeatureHost) -> Features:
    record_tabs = NurseRecordTabs(host)
    follow_up = FollowUpSection(host)
    procedure = ProcedureActions(host, follow_up)
    site_menu = SiteContextMenu(host, procedure)
    return Features(
        record_tabs,
        follow_up,
        procedure,
        site_menu,
        CheckpointStatus(host.frame()),
        BackupRunner(host),
    )
