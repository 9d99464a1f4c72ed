"""A searchable, sortable table with a row of buttons: the body of most list pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence, TypeVar

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.ui.common.screen import auto_fit_columns
from tsa_desktop.ui.core.table_model import Column, RowTableModel, display

if TYPE_CHECKING:
    from tsa_desktop.ui.core.context import AppContext
    from tsa_desktop.ui.common.history import HistoryDialog

R = TypeVar("R")


class TablePanel(QWidget):
    """Search box, extra filters, action buttons and a table.

    Args:
        columns: The table's columns.
        noun: What a row is, for the count label ("schools").
        search_text: The text of a row that the search box matches (default: every column).
        sort_column: The column sorted by at first.
        key_columns: The columns that say which row it is or hold what the page is about:
            kept whole when the columns do not all fit the width (the others are cut short,
            their whole text on hover).

    Signals:
        activated(object): a row was double-clicked or Enter was pressed on it.
        selection_changed(): the selected row changed.

    Attributes:
        history_button: The History… button once :meth:`add_history` has been called, else None.
        history_dialog: The last history dialog opened from this panel (None before the first).
    """

    activated = Signal(object)
    selection_changed = Signal()

    def __init__(self, columns: Sequence[Column[R]], noun: str,
                 search_text: Callable[[R], str] | None = None, sort_column: int = 0,
                 parent: QWidget | None = None, key_columns: Sequence[int] = ()) -> None:
        super().__init__(parent)
        self.noun = noun
        self.columns = list(columns)
        self._search_text = search_text or (lambda r: " ".join(display(c.value(r)) for c in self.columns))
        self._extra_filters: list[Callable[[R], bool]] = []
        self._row_actions: list[QAction] = []
        self._history: tuple[AppContext, str, Callable[[R], int | None], Callable[[R], str]] | None = None
        self.history_button: QPushButton | None = None
        self.history_dialog: HistoryDialog | None = None

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
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_context_menu)
        auto_fit_columns(self.view, key_columns)

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

    def add_row_action(self, text: str, slot: Callable[[], None]) -> QAction:
        """Add an entry to the right-click menu of a row (the row clicked is selected first)."""
        action = QAction(text, self)
        action.triggered.connect(slot)
        self._row_actions.append(action)
        return action

    def add_history(self, ctx: AppContext, table: str, record_id: Callable[[R], int | None] | None = None,
                    label: Callable[[R], str] | None = None) -> None:
        """Offer the history of the selected row: a History… button and a right-click entry.

        Both are left out when the person using the file may not see a record's history.

        Args:
            ctx: The application context (the audit trail is read through its workspace).
            table: The table the audit trail records these rows under ("schools").
            record_id: A row's id in that table (default: ``row.id``).
            label: What a row is called in the dialog's title (default: ``row.name``, else its id).
        """
        self._history = (ctx, table, record_id or (lambda r: getattr(r, "id", None)), label or _label)
        if not ctx.may("view_history"):
            return
        self.history_button = self.add_button("History…", self.open_history, needs_row=True,
                                              tooltip="Who changed this record, when, and what it was before")
        self.add_row_action("History of this record…", self.open_history)

    def open_history(self) -> HistoryDialog | None:
        """Show the selected row's history (see :meth:`add_history`); None without a row."""
        from tsa_desktop.ui.common.history import open_history

        row = self.selected()
        if row is None or self._history is None:
            return None
        ctx, table, record_id, label = self._history
        rid = record_id(row)
        if rid is None:
            return None
        self.history_dialog = open_history(ctx, table, rid, label(row), self)
        return self.history_dialog

    def context_menu(self, pos: QPoint) -> QMenu | None:
        """The right-click menu for the row at ``pos`` (viewport coordinates), which it selects;
        None when the panel offers no row actions or ``pos`` is not on a row."""
        index = self.view.indexAt(pos)
        if not self._row_actions or not index.isValid():
            return None
        self.view.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        menu = QMenu(self)
        menu.addActions(self._row_actions)
        return menu

    def _show_context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu(pos)
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def add_filter(self, widget: QWidget, predicate: Callable[[R], bool]) -> None:
        """Add a filter widget; ``predicate`` is consulted on every filter change."""
        self.filters.addWidget(widget, 1)
        self._extra_filters.append(predicate)

    def set_rows(self, rows: Sequence[R], keep: Callable[[R], bool] | None = None) -> None:
        """Show new rows; reselect the row matching ``keep`` (default: the same id)."""
        current = self.selected()
        # One reset for the rows and the filter: each reset fits the columns again (every cell read).
        self.model.set_contents(rows, self._filter_predicate())
        self._filtered()
        if keep is None and current is not None and hasattr(current, "id"):
            keep = lambda r, i=current.id: getattr(r, "id", None) == i  # noqa: E731
        if keep is not None:
            self.select(keep)

    def apply_filters(self) -> None:
        """Re-run the search text and every extra filter."""
        self.model.set_filter(self._filter_predicate())
        self._filtered()

    def _filtered(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.all_rows())
        self.count.setText(f"{shown} {self.noun}" if shown == total else f"{shown} of {total} {self.noun}")
        self.selection_changed.emit()

    def _filter_predicate(self) -> Callable[[R], bool] | None:
        """What the search text and the extra filters let through (None: everything)."""
        words = self.search.text().casefold().split()
        extra = list(self._extra_filters)

        def keep(row: R) -> bool:
            if words:
                text = self._search_text(row).casefold()
                if not all(w in text for w in words):
                    return False
            return all(f(row) for f in extra)

        return keep if (words or extra) else None

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


def _label(row: Any) -> str:
    name = getattr(row, "name", None)
    return str(name) if name else f"#{getattr(row, 'id', '?')}"

