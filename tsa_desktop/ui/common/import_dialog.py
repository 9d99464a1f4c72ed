"""Importing a file in the window: preview it, see every problem, then import it off the GUI thread.

The dialog asks for a file, has the transfer service check it without importing (a dry run that
reads the whole file and checks every row against the database), and shows the first rows and
every problem by row, column and reason. Import stays disabled while there is any problem: an
import is all or nothing. The import itself runs on a worker thread with a progress bar; it
cannot be undone, and the dialog says so.

:func:`export_with_dialog` is the matching step for exports: ask where, write off the GUI thread,
say what was written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.ui.core.changes import Area
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.common.screen import FitsScreen, fit_columns
from tsa_desktop.ui.core.table_model import Column, RowTableModel
from tsa_desktop.ui.common.tables import read_only_table

IMPORT_FILTER = "Spreadsheets (*.csv *.xlsx);;CSV files (*.csv);;Excel workbooks (*.xlsx)"
EXPORT_FILTERS = {"Excel workbook (*.xlsx)": ".xlsx", "CSV file (*.csv)": ".csv"}

#: The data areas an import of each kind changes.
AREAS: dict[str, tuple[Area, ...]] = {
    "schools": (Area.SCHOOLS,),
    "providers": (Area.PROVIDERS,),
    "allocations": (Area.ALLOCATIONS, Area.YEARS),
    "trainees": (Area.TRAINEES, Area.YEARS),
    "mentors": (Area.MENTORS,),
    "placements": (Area.PLACEMENTS,),
    "nqts": (Area.NQTS, Area.INDUCTION, Area.YEARS, Area.MENTORS),
    "ects": (Area.NQTS, Area.INDUCTION, Area.YEARS, Area.MENTORS),  # the same records as nqts
}

PROBLEM_COLUMNS: tuple[Column[FieldProblem], ...] = (
    Column("Row", lambda p: p.row, numeric=True),
    Column("Column", lambda p: p.field),
    Column("Problem", lambda p: p.message, tooltip=lambda p: p.message),
    Column("Value", lambda p: p.value),
)

_ERROR_COLOUR = "#c0392b"


class PreviewModel(QAbstractTableModel):
    """The first rows of a file, as read: the file's headers, and its row numbers down the side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers: tuple[str, ...] = ()
        self._rows: tuple[tuple[int, tuple[str | None, ...]], ...] = ()

    def set_table(self, headers: tuple[str, ...], rows: tuple[tuple[int, tuple[str | None, ...]], ...]) -> None:
        """Show these headers and rows (row number, cells)."""
        self.beginResetModel()
        self._headers, self._rows = headers, rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        if not (0 <= index.row() < len(self._rows) and 0 <= index.column() < len(self._headers)):
            return None
        cells = self._rows[index.row()][1]
        value = cells[index.column()] if index.column() < len(cells) else None
        return "" if value is None else value

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(self._rows[section][0])
        return None


class ImportDialog(FitsScreen, QDialog):
    """Choose a file of one kind, preview it, see its problems, and import it.

    Args:
        ctx: The window's context.
        kind: schools, providers, allocations, trainees, mentors, placements or nqts.

    Attributes:
        preview: The last file checked (None before one is chosen).
        report: What the import did, once it is done.
    """

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.preview: Any = None
        self.report: Any = None
        self.setWindowTitle(f"Import {kind}")
        self.preferred_size = (980, 640)

        from tsa_desktop.formats.schemas import get_schema  # the schemas wait until an import is asked for

        key = ", ".join(get_schema(kind).key)
        self.intro = QLabel(
            f"Choose a CSV or Excel file of {kind}. Rows are matched on {key}: a row already here "
            "is updated, any other is added; columns left out of the file keep what is stored. "
            "<b>All or nothing:</b> a file with any problem imports nothing. <b>An import cannot be "
            "undone</b> (Undo does not take it back): make a backup first if unsure.", self)
        self.intro.setWordWrap(True)

        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("No file chosen")
        self.choose_button = QPushButton("Choose file…", self)
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.preview_model = PreviewModel(self)
        self.preview_view = _table(self.preview_model, self)
        self.problems_label = QLabel(self)
        self.problems_label.setStyleSheet(f"color: {_ERROR_COLOUR};")
        self.problems_model = RowTableModel(PROBLEM_COLUMNS, self)
        self.problems_view = _table(self.problems_model, self)
        self.problems_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # A problem is a sentence: wrapped in full, never cut off at the column's edge.
        self.problems_view.setWordWrap(True)
        self.problems_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        problems_box = QWidget(self)
        problems_layout = QVBoxLayout(problems_box)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        problems_layout.addWidget(self.problems_label)
        problems_layout.addWidget(self.problems_view)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.preview_view)
        splitter.addWidget(problems_box)
        self.splitter = splitter

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(file_row)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self._show_problems([])

    # --- choosing and checking the file -------------------------------------------------------------

    def ask_for_file(self) -> str:
        """The file to import, asked for with the system's file dialog."""
        return self.ctx.interaction.open_file(self, f"Import {self.kind}", "", IMPORT_FILTER)

    def choose_file(self) -> None:
        """Ask for a file and check it."""
        path = self.ask_for_file()
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Check ``path`` off the GUI thread, then show its first rows and every problem."""
        self.path_edit.setText(path)
        self.import_button.setEnabled(False)
        self.summary.setText("Checking the file…")
        service = self.ctx.workspace.transfer
        kind = self.kind
        self.ctx.tasks.start_with_dialog(
            lambda _progress: service.preview(kind, path), f"Checking {Path(path).name}", self,
            on_done=self.show_preview, on_error=self._check_failed)

    def show_preview(self, preview: Any) -> None:
        """Show a checked file: its rows, what importing would do, or its problems."""
        self.preview = preview
        self.preview_model.set_table(preview.headers, preview.rows)
        fit_columns(self.preview_view)
        self._show_problems(list(preview.problems))
        shown = len(preview.rows)
        rows = f"{preview.total_rows:,} row{'' if preview.total_rows == 1 else 's'}"
        if shown < preview.total_rows:
            rows += f" (the first {shown:,} shown)"
        if preview.ok:
            report = preview.report
            text = (f"{rows}. Importing will add {report.added:,}, update {report.updated:,} and leave "
                    f"{report.unchanged:,} unchanged.")
            details = report.details()
            if details:
                text += "\n" + "\n".join(details)
        else:
            text = f"{rows}. Nothing can be imported until every problem below is fixed in the file."
        self.summary.setText(text)
        self.import_button.setEnabled(preview.ok)

    def _show_problems(self, problems: list[FieldProblem]) -> None:
        self.problems_model.set_rows(problems)
        self.problems_view.setVisible(bool(problems))
        n = len(problems)
        self.problems_label.setText(f"{n} problem{'' if n == 1 else 's'}: each with its row, column and "
                                    "what is wrong" if n else "")
        self.problems_label.setVisible(bool(problems))
        if problems:
            fit_columns(self.problems_view)
            self.problems_view.resizeRowsToContents()
            # The problems are what the user has to read: give them most of the height.
            total = sum(self.splitter.sizes()) or 400
            self.splitter.setSizes([total // 3, total - total // 3])

    def _check_failed(self, exc: BaseException) -> None:
        self.summary.setText("The file could not be checked.")
        self.ctx.messages.error(exc, title="File not checked")

    # --- importing ----------------------------------------------------------------------------------

    def start_import(self) -> None:
        """Import the checked file off the GUI thread, with a progress bar that can cancel it."""
        if self.preview is None or not self.preview.ok:
            return
        path, kind = self.preview.source, self.kind
        service = self.ctx.workspace.transfer
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.ctx.tasks.start_with_dialog(
            lambda progress: service.import_file(kind, path, progress), f"Importing {kind}", self,
            on_done=self._imported, on_error=self._import_failed)

    def _imported(self, report: Any) -> None:
        self.report = report
        # Undo steps recorded before the import could write over what it brought in.
        self.ctx.undo_stack.clear()
        self.ctx.notify(*AREAS[self.kind])
        text = report.summary()
        details = report.details()
        self.ctx.messages.info("\n".join([text[:1].upper() + text[1:], *details]), title="Imported")
        self.accept()

    def _import_failed(self, exc: BaseException) -> None:
        self.choose_button.setEnabled(True)
        if isinstance(exc, ValidationError) and exc.problems and exc.problems[0].row is not None:
            # The file or the data changed since it was checked: show what is wrong now.
            self._show_problems(list(exc.problems))
            self.summary.setText("Nothing was imported: the file has problems now (it or the data may "
                                 "have changed since it was checked). Fix them and choose the file again.")
            return
        self.import_button.setEnabled(self.preview is not None and self.preview.ok)
        self.ctx.messages.error(exc, title="Not imported")


def _table(model: QAbstractTableModel, parent: QWidget) -> QTableView:
    return read_only_table(model, parent, row_numbers=True, row_height=22)


# --- exporting ---------------------------------------------------------------------------------------


def ask_export_path(ctx: AppContext, parent: QWidget | None, kind: str, year: str | None) -> str:
    """Ask where to export, offering .xlsx and .csv (register-placements: .csv only)."""
    suffix = f" {year.replace('/', '-')}" if year else ""
    if kind == "register-placements":
        filters = {"CSV file (*.csv)": ".csv"}
    else:
        filters = EXPORT_FILTERS
    default = next(iter(filters.values()))
    path = ctx.interaction.save_file(parent, f"Export {kind}", f"{kind}{suffix}{default}", ";;".join(filters))
    if path and Path(path).suffix.lower() not in (".csv", ".xlsx"):
        path += default
    return path


def export_with_dialog(ctx: AppContext, kind: str, parent: QWidget | None, year: str | None = None,
                       path: str | None = None) -> Any:
    """Export one kind to a file chosen by the user, off the GUI thread, and say what was written.

    Args:
        ctx: The window's context.
        kind: An export kind (the import kinds, or register-placements).
        parent: The window the dialogs belong to.
        year: Only this academic year (None: every year; register-placements: the current one).
        path: The file, when already known; otherwise the user is asked.

    Returns:
        The running task, or None when the user chose no file.
    """
    path = path or ask_export_path(ctx, parent, kind, year)
    if not path:
        return None
    service = ctx.workspace.transfer

    def done(report: Any) -> None:
        text = report.summary()
        ctx.messages.info("\n".join([text[:1].upper() + text[1:], *report.details()]), title="Exported")

    return ctx.tasks.start_with_dialog(
        lambda _progress: service.export_file(kind, path, year=year), f"Exporting {kind}", parent,
        on_done=done, on_error=lambda exc: ctx.messages.error(exc, title="Not exported"))
