from dataclasses import dataclass

from dataclasses import replace

from PySide6.QtCore import QPersistentModelIndex, Qt

from tests.ui.conftest import check_while_sorting
from tsa_desktop.ui.core.table_model import Column, RowTableModel
from tsa_desktop.ui.schools.models import SCHOOL_COLUMNS


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


def test_model_passes_qtmodeltester_while_sorting_filtering_and_editing(qtmodeltester):
    model = RowTableModel(COLUMNS)
    rows = [Row(i, name, size) for i, (name, size) in enumerate(
        [("b", 3), ("A", None), ("c", 1), ("Élise", 2), ("d", None), ("B", 3)])]
    model.set_rows(rows)
    check_while_sorting(qtmodeltester, model)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    kept = QPersistentModelIndex(model.index(model.find(lambda r: r.id == 2), 1))  # "c"
    model.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert kept.isValid() and model.row(kept.row()).id == 2 and kept.column() == 1  # the index follows its row
    model.set_filter(lambda r: r.size is not None)
    qtmodeltester.check(model)
    assert [r.size for r in model.rows()] == [3, 3, 2, 1]
    check_while_sorting(qtmodeltester, model)
    # An edit: the page reads the rows again, one of them changed; filter and sort are kept.
    edited = [replace(r, size=None) if r.id == 0 else r for r in rows]
    model.sort(1, Qt.SortOrder.AscendingOrder)
    model.set_rows(edited)
    qtmodeltester.check(model)
    assert [r.id for r in model.rows()] == [2, 3, 5]
    model.set_rows(edited + [Row(9, "new", 0)])  # an added record
    qtmodeltester.check(model)
    assert model.rows()[0].id == 9
    model.set_filter(None)
    qtmodeltester.check(model)
    model.set_rows([])  # everything deleted
    check_while_sorting(qtmodeltester, model)
    assert model.rowCount() == 0


def test_schools_model_passes_qtmodeltester_while_sorting_and_after_an_edit(qtmodeltester, small_demo):
    model = RowTableModel(SCHOOL_COLUMNS)
    model.set_rows(small_demo.schools.list())
    check_while_sorting(qtmodeltester, model)
    school = small_demo.schools.list()[0]
    small_demo.schools.update(school.id, replace(school.data(), name="Zz Renamed"), school.version)
    model.set_filter(lambda r: r.name.startswith("Zz") or r.id != school.id)
    model.set_rows(small_demo.schools.list())
    qtmodeltester.check(model)
    assert model.rowCount() == 6 and "Zz Renamed" in [r.name for r in model.rows()]
    check_while_sorting(qtmodeltester, model)


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
