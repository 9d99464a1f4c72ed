"""A searchable, sortable table with a row of buttons: the body of most list pages."""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.ui.models.table import Column, RowTableModel, display

R = TypeVar("R")


class TablePanel(QWidget):
    """Search box, extra filters, action buttons and a table.

    Args:
        columns: The table's columns.
        noun: What a row is, for the count label ("schools").
        search_text: The text of a row that the search box matches (default: every column).
        sort_column: The column sorted by at first.

    Signals:
        activated(object): a row was double-clicked or Enter was pressed on it.
        selection_changed(): the selected row changed.
    """

    activated = Signal(object)
    selection_changed = Signal()

    def __init__(self, columns: Sequence[Column[R]], noun: str,
                 search_text: Callable[[R], str] | None = None, sort_column: int = 0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.noun = noun
        self.columns = list(columns)
        self._search_text = search_text or (lambda r: " ".join(display(c.value(r)) for c in self.columns))
        self._extra_filters: list[Callable[[R], bool]] = []

        self.model = RowTableModel(columns, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Fitting columns to every row costs a second at 1,000 rows; the first 100 are enough.
        header.setResizeContentsPrecision(100)
        self.view.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(lambda index: self.activated.emit(self.model.row(index)))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(f"Search {noun}…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filters)
        self.count = QLabel(self)

        self.filters = QHBoxLayout()
        self.filters.addWidget(self.search, 2)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.count)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(self.buttons)

    def add_button(self, text: str, slot: Callable[[], None], needs_row: bool = False,
                   tooltip: str = "") -> QPushButton:
        """Add an action button (left of the count); ``needs_row`` disables it without a selection."""
        button = QPushButton(text, self)
        button.setToolTip(tooltip)
        button.clicked.connect(slot)
        self.buttons.insertWidget(self.buttons.count() - 2, button)
        if needs_row:
            button.setEnabled(False)
            self.selection_changed.connect(lambda: button.setEnabled(self.selected() is not None))
        return button

    def add_filter(self, widget: QWidget, predicate: Callable[[R], bool]) -> None:
        """Add a filter widget; ``predicate`` is consulted on every filter change."""
        self.filters.addWidget(widget, 1)
        self._extra_filters.append(predicate)

    def set_rows(self, rows: Sequence[R], keep: Callable[[R], bool] | None = None) -> None:
        """Show new rows; reselect the row matching ``keep`` (default: the same id)."""
        current = self.selected()
        self.model.set_rows(rows)
        self.apply_filters()
        if keep is None and current is not None and hasattr(current, "id"):
            keep = lambda r, i=current.id: getattr(r, "id", None) == i  # noqa: E731
        if keep is not None:
            self.select(keep)
        self.view.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            if self.view.columnWidth(column) > 320:
                self.view.setColumnWidth(column, 320)

    def apply_filters(self) -> None:
        """Re-run the search text and every extra filter."""
        words = self.search.text().casefold().split()
        extra = list(self._extra_filters)

        def keep(row: R) -> bool:
            if words:
                text = self._search_text(row).casefold()
                if not all(w in text for w in words):
                    return False
            return all(f(row) for f in extra)

        self.model.set_filter(keep if (words or extra) else None)
        shown, total = self.model.rowCount(), len(self.model.all_rows())
        self.count.setText(f"{shown} {self.noun}" if shown == total else f"{shown} of {total} {self.noun}")
        self.selection_changed.emit()

    def selected(self) -> R | None:
        """The selected row, or None."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0]) if rows else None

    def select(self, predicate: Callable[[R], bool]) -> bool:
        """Select the first visible row matching ``predicate``."""
        row = self.model.find(predicate)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True
