"""Import… and Export… buttons for a page, over the workspace's transfer service.

The file formats and the import itself belong to ``ws.transfer`` (INTERFACES.md: all or nothing,
every problem named by row and column). These buttons only ask for a file and run the work off
the GUI thread; they are hidden while the program has no transfer service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from tsa_desktop.ui.context import AppContext

log = logging.getLogger(__name__)

FILE_FILTER = "Spreadsheets (*.csv *.xlsx);;CSV (*.csv);;Excel workbook (*.xlsx)"


def transfer_service(ctx: AppContext) -> Any | None:
    """The workspace's import/export service, or None where this version has none."""
    try:
        return getattr(ctx.workspace, "transfer", None)
    except Exception:  # a half-installed module must not take the page down with it
        log.exception("the transfer service could not be loaded")
        return None


def report_text(report: Any, fallback: str) -> str:
    """What an import or export says it did: its summary line, then any details."""
    if report is None:
        return fallback
    summary = getattr(report, "summary", None)
    text = summary() if callable(summary) else str(report)
    details = getattr(report, "details", None)
    lines = list(details()) if callable(details) else []
    return "\n".join([text[:1].upper() + text[1:], *lines])


class TransferButtons:
    """An Import… and an Export… button for one kind of record (INTERFACES.md kinds).

    Args:
        ctx: The window's context.
        parent: The page the buttons and dialogs belong to.
        kind: ``allocations``, ``trainees``...
        year: The year the page shows (exports are of that year; None for all).
        area: The data area an import changes, so that pages reload.

    Attributes:
        import_button, export_button: The buttons, to place in the page's layout.
    """

    def __init__(self, ctx: AppContext, parent: QWidget, kind: str, year: Callable[[], str | None],
                 area: str = "*") -> None:
        self.ctx, self.parent, self.kind, self._year, self.area = ctx, parent, kind, year, area
        self.import_button = QPushButton("Import…", parent)
        self.import_button.setToolTip(f"Add or update {kind} from a CSV or Excel file (all or nothing)")
        self.import_button.clicked.connect(lambda: self.import_file())
        self.export_button = QPushButton("Export…", parent)
        self.export_button.setToolTip(f"Save the {kind} shown to a CSV or Excel file")
        self.export_button.clicked.connect(lambda: self.export_file())
        self.refresh()

    @property
    def available(self) -> bool:
        return transfer_service(self.ctx) is not None

    def refresh(self) -> None:
        """Show the buttons only when the workspace can import and export."""
        shown = self.available
        self.import_button.setVisible(shown)
        self.export_button.setVisible(shown)

    def ask_open_path(self) -> str:
        """The file to import (tests replace this)."""
        path, _ = QFileDialog.getOpenFileName(self.parent, f"Import {self.kind}", "", FILE_FILTER)
        return path

    def ask_save_path(self) -> str:
        """The file to export to (tests replace this)."""
        year = (self._year() or "all years").replace("/", "-")
        path, _ = QFileDialog.getSaveFileName(self.parent, f"Export {self.kind}", f"{self.kind} {year}.xlsx",
                                              FILE_FILTER)
        return path

    def import_file(self, path: str | None = None) -> None:
        """Import a file off the GUI thread with a progress dialog; pages reload when it is done."""
        service = transfer_service(self.ctx)
        path = path or self.ask_open_path()
        if service is None or not path:
            return
        kind = self.kind

        def done(result: Any) -> None:
            self.ctx.data_changed.emit(self.area)
            self.ctx.messages.info(report_text(result, f"Imported {path}."), title="Imported")

        self.ctx.tasks.start_with_dialog(lambda progress: service.import_file(kind, path, progress),
                                         f"Importing {kind}", self.parent, on_done=done,
                                         on_error=lambda exc: self.ctx.messages.error(exc, title="Not imported"))

    def export_file(self, path: str | None = None) -> None:
        """Export the page's year off the GUI thread; says where the file went."""
        service = transfer_service(self.ctx)
        path = path or self.ask_save_path()
        if service is None or not path:
            return
        kind, year = self.kind, self._year()

        def done(result: Any) -> None:
            self.ctx.messages.info(report_text(result, f"Saved {path}."), title="Exported")

        self.ctx.tasks.start_with_dialog(lambda _progress: service.export_file(kind, path, year=year),
                                         f"Exporting {kind}", self.parent, on_done=done,
                                         on_error=lambda exc: self.ctx.messages.error(exc, title="Not exported"))
