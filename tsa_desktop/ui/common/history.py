"""A record's history from the audit trail: who changed what, when, with the values before and after.

:class:`HistoryView` (a list of entries above the fields one entry changed) serves both the
History… dialog of a record and the Audit trail page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.domain.labels import noun, plain_words
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.common.screen import FitsScreen, fit_columns
from tsa_desktop.ui.core.table_model import Column, RowTableModel
from tsa_desktop.ui.common.tables import read_only_table

if TYPE_CHECKING:  # the services load SQLAlchemy, which start-up defers
    from tsa_desktop.services.safety.audit import AuditRow, FieldChange

_ACTIONS = {"insert": "Added", "update": "Changed", "delete": "Deleted", "import": "Imported",
            "anonymise": "Anonymised", "anonymize": "Anonymised", "restore": "Restored", "plan": "Planned"}

#: Longer values are cut in the cell (the whole value is in its tooltip).
CELL_CHARACTERS = 120

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def action_label(action: str) -> str:
    """What was done, as a person says it: "insert" -> "Added", "anonymise" -> "Anonymised"."""
    return _ACTIONS.get(action, action.replace("_", " ").capitalize())


def kind_label(table: str) -> str:
    """What a row of ``table`` is called ("trainees" -> "trainee"), from domain/labels.py."""
    return noun(table)


def field_text(change: FieldChange) -> str:
    """A changed field as the window names it ("Employing school"), never its column name."""
    return change.label or plain_words(change.field)


def when_text(row: AuditRow) -> str:
    """When an entry was made, in this computer's time: "23/11/2026 14:05"."""
    return row.local_time.strftime("%d/%m/%Y %H:%M")


def value_text(value: Any) -> str:
    """A value from the trail as plain text: dates day first, booleans Yes/No, no value as "—"."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    if text == "":
        return "(empty)"
    if _ISO_DATE.match(text):
        return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
    if _ISO_DATETIME.match(text):
        try:
            return dt.datetime.fromisoformat(text).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return text
    return text


def cell_text(text: str) -> str:
    """Text for one line of a cell: line breaks shown as ↵ and long text cut (see CELL_CHARACTERS)."""
    line = " ↵ ".join(part.strip() for part in text.splitlines()) if "\n" in text or "\r" in text else text
    return line if len(line) <= CELL_CHARACTERS else line[:CELL_CHARACTERS - 1] + "…"


def plain_tooltip(text: str) -> str | None:
    """A tooltip that shows ``text`` literally.

    Qt renders a tooltip as rich text when it looks like HTML, so a value such as ``<b>x</b>``
    would show in bold; escaping it inside a paragraph of our own keeps it as typed (and wraps
    long values instead of making one line the width of the screen).
    """
    if not text:
        return None
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def _who(row: AuditRow) -> str:
    return row.user or "unknown"


def _who_tip(row: AuditRow) -> str | None:
    return plain_tooltip(f"{_who(row)} on the computer {row.computer}" if row.computer else _who(row))


def _record(row: AuditRow) -> str:
    noun = kind_label(row.table)
    return f"{noun} #{row.record_id}" if row.record_id is not None else f"{noun} (many)"


def summary_text(row: AuditRow) -> str:
    """The entry's summary without the column names an update appends ("...: is_lead_school"):
    the Fields column names them as a person reads them."""
    if row.action == "update" and row.changes and ": " in row.summary:
        return row.summary.rsplit(": ", 1)[0]
    return row.summary


def _changes(row: AuditRow) -> str:
    return ", ".join(field_text(c) for c in row.changes)


#: The entries of a record's history.
HISTORY_COLUMNS: list[Column] = [
    Column("When", when_text, sort_key=lambda r: r.id),
    Column("Who", _who, tooltip=_who_tip),
    Column("What", lambda r: action_label(r.action)),
    Column("Summary", lambda r: cell_text(summary_text(r)), tooltip=lambda r: plain_tooltip(r.summary)),
    Column("Fields", lambda r: cell_text(_changes(r)), tooltip=lambda r: plain_tooltip(_changes(r))),
]

#: The entries of the whole file: the same, with the kind of record.
AUDIT_COLUMNS: list[Column] = HISTORY_COLUMNS[:3] + [
    Column("Record", _record, sort_key=lambda r: (r.table, r.record_id or 0)),
] + HISTORY_COLUMNS[3:]


def _before(c: FieldChange) -> str:
    return value_text(c.before)


def _after(c: FieldChange) -> str:
    return value_text(c.after)


#: The values one entry changed.
CHANGE_COLUMNS: list[Column] = [
    Column("Field", field_text),
    Column("Before", lambda c: cell_text(_before(c)), tooltip=lambda c: plain_tooltip(_before(c))),
    Column("After", lambda c: cell_text(_after(c)), tooltip=lambda c: plain_tooltip(_after(c))),
]


def _table(model: RowTableModel, parent: QWidget) -> QTableView:
    view = read_only_table(model, parent, row_height=24)
    view.horizontalHeader().setResizeContentsPrecision(100)
    return view


def _fit(view: QTableView, widest: int) -> None:
    fit_columns(view)
    for column in range(view.model().columnCount()):
        view.setColumnWidth(column, min(view.columnWidth(column), widest))


class HistoryView(QWidget):
    """Entries of the audit trail, newest first, above the values the selected entry changed.

    Args:
        columns: The entries' columns (HISTORY_COLUMNS or AUDIT_COLUMNS).

    Signals:
        activated(object): an entry (AuditRow) was double-clicked.
    """

    activated = Signal(object)

    def __init__(self, columns: list[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RowTableModel(columns, self)
        self.view = _table(self.model, self)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.doubleClicked.connect(lambda index: self.activated.emit(self.model.row(index)))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._show_changes())

        self.caption = QLabel(self)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)  # summaries hold names as typed
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changes = RowTableModel(CHANGE_COLUMNS, self)
        self.changes_view = _table(self.changes, self)
        self.changes_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.changes_view.setSortingEnabled(False)

        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.caption)
        lower_layout.addWidget(self.changes_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def set_rows(self, rows: list[AuditRow]) -> None:
        """Show these entries; keep the selected one if it is still there, else select the newest."""
        current = self.selected()
        self.model.set_rows(rows)
        _fit(self.view, 360)
        if not (current is not None and self.select(lambda r: r.id == current.id)) and rows:
            self.view.selectRow(0)
        self._show_changes()

    def select(self, predicate) -> bool:
        """Select the first entry matching ``predicate``."""
        row = self.model.find(predicate)
        if row >= 0:
            self.view.selectRow(row)
        return row >= 0

    def selected(self) -> AuditRow | None:
        """The selected entry, or None."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0]) if rows else None

    def _show_changes(self) -> None:
        row = self.selected()
        if row is None:
            self.caption.setText("" if self.model.rowCount() else "No entries to show.")
            self.changes.set_rows([])
            return
        self.caption.setText(f"{when_text(row)}, {_who(row)}: {summary_text(row)}")
        self.changes.set_rows(row.changes)
        _fit(self.changes_view, 420)
        if not row.changes:
            self.caption.setText(self.caption.text() + "\n(No values recorded for this entry.)")


class HistoryDialog(FitsScreen, QDialog):
    """Every change to one record (and its parts), newest first.

    Stays open beside the window (not modal) and follows changes made meanwhile.

    Args:
        ctx: The application context.
        table: The record's table in the audit trail ("schools").
        record_id: Its id.
        title: What the record is called ("Ashford Primary School").
    """

    def __init__(self, ctx: AppContext, table: str, record_id: int, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.table, self.record_id = ctx, table, record_id
        self.setWindowTitle(f"History of {title}")
        self.heading = QLabel(f"History of {kind_label(table)} {title}", self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # a name like <b>x</b> shows as typed
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.history = HistoryView(HISTORY_COLUMNS, self)
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.preferred_size = (860, 560)
        ctx.changed.connect(self._on_change)
        self.reload()

    def reload(self) -> None:
        """Read the record's history again."""
        rows = self.ctx.call(self.ctx.workspace.audit.history, self.table, self.record_id)
        rows = rows or []
        self.history.set_rows(rows)
        self.note.setText(self._note(rows))

    def rows(self) -> list[AuditRow]:
        """The entries shown, newest first."""
        return self.history.model.rows()

    def _note(self, rows: list[AuditRow]) -> str:
        count = f"{len(rows)} change{'s' if len(rows) != 1 else ''}. " if rows else "No changes recorded. "
        if any(r.action == "insert" and r.table == self.table for r in rows):
            return count
        # Imports and the demo add many records with one entry that names no single record.
        return (count + "The record was added with many others at once (an import or the demo) "
                "or before the audit trail began: see the Audit trail page.")

    def _on_change(self, _change: object) -> None:
        if self.isVisible():
            self.reload()


def open_history(ctx: AppContext, table: str, record_id: int, title: str, parent: QWidget) -> HistoryDialog:
    """Show a record's history beside the window and return the dialog (deleted when closed)."""
    dialog = HistoryDialog(ctx, table, record_id, title, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
