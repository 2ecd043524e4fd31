"""The shared item-model skeleton: rows, headers and the per-role hooks (pytest-qt)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ui.common.table_model import RowsTableModel, bold_font

IdRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Dose:
    id: int
    drug: str
    amount: str
    late: bool = False


class Column(IntEnum):
    DRUG = 0
    AMOUNT = 1


class DoseTable(RowsTableModel[Dose, Column]):
    def __init__(self) -> None:
        super().__init__(Column, {Column.DRUG: "Drug", Column.AMOUNT: "Amount"})

    def display(self, row: Dose, column: Column) -> str:
        return row.drug if column is Column.DRUG else row.amount

    def tooltip(self, row: Dose, column: Column) -> str | None:
        return "Charted late" if row.late else None

    def foreground(self, row: Dose, column: Column) -> QColor | str | None:
        return "#9b1c1c" if row.late else None

    def background(self, row: Dose, column: Column) -> QColor | str | None:
        return QColor("#fde2e1") if row.late and column is Column.AMOUNT else None

    def font(self, row: Dose, column: Column) -> QFont | None:
        return bold_font() if column is Column.DRUG else None

    def alignment(self, row: Dose, column: Column) -> Qt.AlignmentFlag | None:
        return Qt.AlignmentFlag.AlignRight if column is Column.AMOUNT else None

    def check_state(self, row: Dose, column: Column) -> Qt.CheckState | None:
        return Qt.CheckState.Checked if column is Column.DRUG and row.late else None

    def accessible_text(self, row: Dose, column: Column) -> str | None:
        return f"{row.drug} {row.amount}"

    def user_data(self, row: Dose, column: Column, role: int) -> Any:
        return row.id if role == IdRole else None


ROWS = (Dose(1, "Fentanyl", "50 µg"), Dose(2, "Midazolam", "1 mg", late=True))


@pytest.fixture
def model() -> DoseTable:
    table = DoseTable()
    table.set_rows(ROWS)
    return table


def test_a_model_built_on_the_skeleton_passes_the_model_tester(model, qtmodeltester) -> None:
    qtmodeltester.check(model)
    model.set_rows(())
    qtmodeltester.check(model)


def test_each_role_is_answered_by_its_hook(model) -> None:
    drug, amount = model.index(1, Column.DRUG), model.index(1, Column.AMOUNT)
    assert drug.data() == "Midazolam"
    assert amount.data() == "1 mg"
    assert drug.data(Qt.ItemDataRole.ToolTipRole) == "Charted late"
    foreground = drug.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(foreground, QBrush)
    assert foreground.color() == QColor("#9b1c1c")
    assert amount.data(Qt.ItemDataRole.BackgroundRole).color() == QColor("#fde2e1")
    assert drug.data(Qt.ItemDataRole.BackgroundRole) is None
    assert drug.data(Qt.ItemDataRole.FontRole).bold()
    assert amount.data(Qt.ItemDataRole.TextAlignmentRole) == Qt.AlignmentFlag.AlignRight
    assert drug.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert drug.data(Qt.ItemDataRole.AccessibleTextRole) == "Midazolam 1 mg"
    assert drug.data(IdRole) == 2
    assert drug.data(Qt.ItemDataRole.DecorationRole) is None


def test_hooks_left_alone_leave_the_role_to_the_view(model) -> None:
    on_time = model.index(0, Column.DRUG)
    assert on_time.data(Qt.ItemDataRole.ToolTipRole) is None
    assert on_time.data(Qt.ItemDataRole.ForegroundRole) is None
    assert on_time.data(Qt.ItemDataRole.CheckStateRole) is None


def test_headers_come_from_the_texts_given_for_the_columns(model) -> None:
    horizontal = Qt.Orientation.Horizontal
    assert [model.headerData(c, horizontal) for c in Column] == ["Drug", "Amount"]
    assert model.headerData(2, horizontal) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.headerData(0, horizontal, Qt.ItemDataRole.ToolTipRole) is None
    assert model.columnCount() == len(Column)


def test_set_rows_resets_the_model_and_rows_are_found_by_index(model, qtbot) -> None:
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset]):
        model.set_rows(reversed(ROWS))
    assert model.rows == (ROWS[1], ROWS[0])
    assert model.row(model.index(1, Column.AMOUNT)) == ROWS[0]
    assert model.row_at(0) == ROWS[1]
    assert model.row(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children


def test_an_index_left_over_from_before_a_reset_reads_as_nothing(model) -> None:
    stale = model.index(1, Column.DRUG)
    model.set_rows(ROWS[:1])
    assert model.row(stale) is None
    assert model.data(stale) is None


def test_headers_may_be_given_in_column_order() -> None:
    class Plain(RowsTableModel[Dose, Column]):
        def display(self, row: Dose, column: Column) -> str:
            return row.drug

    plain = Plain(Column, ("Drug", "Amount"))
    assert plain.headerData(1, Qt.Orientation.Horizontal) == "Amount"


@pytest.mark.parametrize(
    "headers",
    [("Drug",), ("Drug", "Amount", "Route"), {Column.DRUG: "Drug"}],
    ids=["too few", "too many", "a column without header"],
)
def test_headers_that_do_not_match_the_columns_are_refused(headers) -> None:
    with pytest.raises(ValueError, match="Column"):
        RowsTableModel(Column, headers)


def test_columns_must_be_numbered_from_zero() -> None:
    class Gappy(IntEnum):
        A = 0
        B = 2

    with pytest.raises(ValueError, match="numbered"):
        RowsTableModel(Gappy, ("A", "B"))
