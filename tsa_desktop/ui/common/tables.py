"""The read-only table view that dialogs and tabs show lists in."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from tsa_desktop.ui.common.screen import auto_fit_columns


def read_only_table(model: QAbstractItemModel, parent: QWidget | None, *, row_numbers: bool = False,
                    sort_by: int | None = None, row_height: int | None = None,
                    keep: Sequence[int] = ()) -> QTableView:
    """A table that shows ``model`` for reading and choosing one row: whole rows selected, no
    editing in cells, alternating row colours, columns the user can widen, the last one filling
    the width, text on one line cut short at the right.

    Args:
        model: What to show.
        parent: The widget it belongs to.
        row_numbers: Show the model's row headers (an import file's own row numbers).
        sort_by: Sort by clicking the headers, starting with this column.
        row_height: Pixels a row; None keeps the style's.
        keep: Columns narrowed last when the columns do not all fit (see
            :func:`~tsa_desktop.ui.common.screen.fit_columns`).
    """
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().setVisible(row_numbers)
    if row_height is not None:
        view.verticalHeader().setDefaultSectionSize(row_height)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    if sort_by is not None:
        view.setSortingEnabled(True)
        view.sortByColumn(sort_by, Qt.SortOrder.AscendingOrder)
    auto_fit_columns(view, keep)
    return view
