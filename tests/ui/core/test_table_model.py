from dataclasses import dataclass

from PySide6.QtCore import Qt

from tsa_desktop.ui.schools.models import SCHOOL_COLUMNS
from tsa_desktop.ui.core.table_model import Column, RowTableModel


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    size: int | None


COLUMNS = (Column("Name", lambda r: r.name), Column("Size", lambda r: r.size, numeric=True))


def test_model_passes_qtmodeltester(qtmodeltester):
    model = RowTableModel(COLUMNS)
    model.set_rows([Row(1, "b", 3), Row(2, "A", None), Row(3, "c", 1)])
    qtmodeltester.check(model)


def test_schools_model_passes_qtmodeltester(qtmodeltester, small_demo):
    model = RowTableModel(SCHOOL_COLUMNS)
    model.set_rows(small_demo.schools.list())
    qtmodeltester.check(model)
    assert model.rowCount() == 6 and model.columnCount() == len(SCHOOL_COLUMNS)


def test_sort_own_list_case_insensitive_none_last():
    model = RowTableModel(COLUMNS)
    model.set_rows([Row(1, "b", 3), Row(2, "A", None), Row(3, "c", 1)])
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [r.name for r in model.rows()] == ["A", "b", "c"]
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert [r.size for r in model.rows()] == [1, 3, None]


def test_filter_keeps_sort_and_reports_rows():
    model = RowTableModel(COLUMNS)
    model.set_rows([Row(i, f"n{i}", i) for i in range(10)])
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_filter(lambda r: r.size % 2 == 0)
    assert [r.size for r in model.rows()] == [8, 6, 4, 2, 0]
    assert model.data(model.index(0, 1)) == "8"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_names_with_accents_and_special_letters_sort_where_people_expect():
    model = RowTableModel(COLUMNS)
    model.set_rows([Row(1, "Zoë", 1), Row(2, "Łukasz", 1), Row(3, "Lucy", 1), Row(4, "Élise", 1), Row(5, "Ewan", 1)])
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [r.name for r in model.rows()] == ["Élise", "Ewan", "Lucy", "Łukasz", "Zoë"]
