"""Feature screens know the main window only as a `FeatureHost`; the entry panel's parts and
the workspace page's recorder do not import what they are parts of."""

from __future__ import annotations

import grimp
import pytest


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("ui", cache_dir=None)


def _importers_of(graph: grimp.ImportGraph, module: str, among: str) -> set[str]:
    return {
        m
        for m in graph.find_modules_that_directly_import(module)
        if m == among or m.startswith(among + ".")
    }


def test_no_feature_imports_the_main_window(graph: grimp.ImportGraph) -> None:
    assert not _importers_of(graph, "ui.main_window", "ui.features")


def test_the_host_protocol_imports_no_feature_and_no_window(graph: grimp.ImportGraph) -> None:
    imported = graph.find_modules_directly_imported_by("ui.frame.host")
    assert not {m for m in imported if m.startswith(("ui.features", "ui.main_window"))}


@pytest.mark.parametrize(
    ("whole", "parts"),
    [
        ("ui.workspace.entry.panel", "ui.workspace.entry"),
        ("ui.workspace.page", "ui.workspace"),
        ("ui.app", "ui.startup"),
    ],
)
def test_parts_do_not_import_what_they_are_parts_of(
    graph: grimp.ImportGraph, whole: str, parts: str
) -> None:
    assert not _importers_of(graph, whole, parts) - {whole}
