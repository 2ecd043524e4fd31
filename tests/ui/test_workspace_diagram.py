"""The leg diagram: mirrored for a left limb, labelled sides, taps in right-leg fractions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt

from slidesk.domain.values import Limb
from ui.workspace.diagram.markers import AnchoredText
from ui.workspace.diagram.view import LEG_W, LegDiagramScene, LegDiagramView


def _texts(scene: LegDiagramScene) -> list[str]:
    return [item.toPlainText() for item in scene.items() if isinstance(item, AnchoredText)]


@pytest.mark.parametrize(
    ("limb", "front_sides", "back_sides"),
    [
        (Limb.RIGHT, ("LATERAL", "MEDIAL"), ("MEDIAL", "LATERAL")),
        (Limb.LEFT, ("MEDIAL", "LATERAL"), ("LATERAL", "MEDIAL")),
    ],
)
def test_views_are_labelled_with_limb_and_sides(qtbot, team, limb, front_sides, back_sides):
    view = team.started_procedure(limb=limb)
    scene = LegDiagramScene()
    scene.set_sites(view.sites, limb)
    name = "LEFT LEG" if limb is Limb.LEFT else "RIGHT LEG"
    texts = _texts(scene)
    assert f"{name} — front (anterior)" in texts
    assert f"{name} — back (posterior)" in texts
    assert scene.side_names("front") == front_sides
    assert scene.side_names("back") == back_sides


def test_a_left_limb_mirrors_the_sites_and_taps_come_back_in_right_leg_fractions(qtbot, team):
    view = team.started_procedure(limb=Limb.LEFT)
    scene = LegDiagramScene()
    scene.set_sites(view.sites, Limb.LEFT)
    widget = LegDiagramView(scene)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.fit()
    site = view.site(1)
    marker = scene.markers[1]
    assert marker.pos().x() == pytest.approx(
        scene.view_origin(site.view) + (1 - float(site.x)) * LEG_W
    )
    with qtbot.waitSignal(scene.site_activated) as activated:
        qtbot.mouseClick(
            widget.viewport(),
            Qt.MouseButton.LeftButton,
            pos=widget.map_site_to_viewport(1).toPoint(),
        )
    assert activated.args == [1]
    off_marker = scene.scene_point(site.view, site.x, site.y + Decimal("0.12"))
    with qtbot.waitSignal(scene.position_tapped) as tapped:
        qtbot.mouseClick(
            widget.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(widget.mapFromScene(off_marker)),
        )
    tapped_view, x, y = tapped.args
    assert tapped_view == site.view
    assert abs(x - site.x) < Decimal("0.01")
    assert abs(y - (site.y + Decimal("0.12"))) < Decimal("0.01")
