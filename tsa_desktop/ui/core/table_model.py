"""A table model over a list of rows (dataclasses), sorted and filtered in Python.

QSortFilterProxyModel over a Python model costs millions of data() calls (2.4 s to sort 10,000
rows, MEASURED.md); sorting the model's own list takes milliseconds. So this model sorts and
filters its list itself and tells the view with layoutChanged / a reset.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterable, Sequence, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

R = TypeVar("R")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column of a table.

    Attributes:
        title: Header text.
        value: The value shown for a row (formatted by :func:`display`).
        sort_key: What the column sorts by; defaults to ``value``.
        tooltip: Extra text on hover.
        colour: A text colour name for the cell (e.g. a warning), or None.
        numeric: Right-align (numbers line up).
    """

    title: str
    value: Callable[[R], Any]
    sort_key: Callable[[R], Any] | None = None
    tooltip: Callable[[R], str | None] | None = None
    colour: Callable[[R], str | None] | None = None
    numeric: bool = False


def display(value: Any) -> str:
    """Format a value for a cell: dates day first, booleans as Yes/blank, None as blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:g}"
    label = getattr(value, "label", None)
    return label if isinstance(label, str) else str(value)


_FOLD_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss",
                               "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe"})


def text_key(text: str) -> str:
    """Sort key for names: Łukasz beside Lucy, Élise beside Eliza, case ignored."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _sortable(value: Any) -> tuple:
    """A sort key: None sorts last; text sorts without regard to case or accents; dates by day."""
    if value is None:
        return (1, 0)
    if isinstance(value, str):
        return (0, text_key(value))
    if isinstance(value, dt.date):
        return (0, value.toordinal())
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return (0, text_key(label))
    return (0, value)


class RowTableModel(QAbstractTableModel):
    """Rows of dataclasses shown through :class:`Column` definitions.

    Not declared ``Generic``: subscripting a Shiboken class's subclass crashes PySide6.
    """

    def __init__(self, columns: Sequence[Column[R]], parent=None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._all: list[R] = []
        self._rows: list[R] = []
        self._filter: Callable[[R], bool] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # --- contents ---------------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[R]) -> None:
        """Replace every row, keeping the current filter and sort."""
        self.beginResetModel()
        self._all = list(rows)
        self._rows = self._visible()
        self.endResetModel()

    def set_contents(self, rows: Iterable[R], predicate: Callable[[R], bool] | None) -> None:
        """Replace every row and the filter in one reset, keeping the sort."""
        self.beginResetModel()
        self._all = list(rows)
        self._filter = predicate
        self._rows = self._visible()
        self.endResetModel()

    def set_filter(self, predicate: Callable[[R], bool] | None) -> None:
        """Show only rows for which ``predicate`` is true (None shows all)."""
        self.beginResetModel()
        self._filter = predicate
        self._rows = self._visible()
        self.endResetModel()

    def row(self, index: QModelIndex | int) -> R:
        """The row object at a view row (or index)."""
        return self._rows[index if isinstance(index, int) else index.row()]

    def rows(self) -> list[R]:
        """The visible rows in their shown order."""
        return list(self._rows)

    def all_rows(self) -> list[R]:
        """Every row, including those the filter hides."""
        return list(self._all)

    def find(self, predicate: Callable[[R], bool]) -> int:
        """The view row of the first visible row matching ``predicate``, or -1."""
        return next((i for i, r in enumerate(self._rows) if predicate(r)), -1)

    def _visible(self) -> list[R]:
        rows = [r for r in self._all if self._filter(r)] if self._filter else list(self._all)
        if self._sort is not None:
            rows.sort(key=self._key(self._sort[0]), reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)
        return rows

    def _key(self, column: int) -> Callable[[R], tuple]:
        col = self._columns[column]
        getter = col.sort_key or col.value
        return lambda r: _sortable(getter(r))

    # --- Qt model interface --------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(self._columns):
            return None
        row, col = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(col.value(row))
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col.numeric else _LEFT)
        if role == Qt.ItemDataRole.ForegroundRole and col.colour is not None:
            name = col.colour(row)
            return QBrush(QColor(name)) if name else None
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return (col.sort_key or col.value)(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
                return self._columns[section].title
            if orientation == Qt.Orientation.Vertical:
                return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        self.layoutAboutToBeChanged.emit()
        old = {id(r): i for i, r in enumerate(self._rows)}
        self._sort = (column, order)
        self._rows.sort(key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        new = {id(r): i for i, r in enumerate(self._rows)}
        moved_from, moved_to = [], []
        by_old = {i: rid for rid, i in old.items()}
        for index in self.persistentIndexList():
            rid = by_old.get(index.row())
            if rid is not None:
                moved_from.append(index)
                moved_to.append(self.index(new[rid], index.column()))
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()
