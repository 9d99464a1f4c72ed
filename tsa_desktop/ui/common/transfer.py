"""Import… and Export… buttons for a page: the one way the window imports and exports a kind.

Import opens :class:`~tsa_desktop.ui.common.import_dialog.ImportDialog`: the file is checked
first, its rows and every problem (row, column, reason) are shown, and only a file without any
problem can be imported (INTERFACES.md: all or nothing). Export goes through
:func:`~tsa_desktop.ui.common.import_dialog.export_with_dialog`. The buttons are hidden from a
signed-in user without the import or export permission.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QBoxLayout, QPushButton, QWidget

from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.common.import_dialog import ImportDialog, ask_export_path, export_with_dialog

class TransferButtons:
    """An Import… and an Export… button for one kind of record (INTERFACES.md kinds).

    Args:
        ctx: The window's context.
        parent: The page (or tab of a page) the buttons and dialogs belong to.
        kind: ``schools``, ``providers``, ``allocations``, ``trainees``, ``mentors``, ``nqts``...
        year: The year the page shows (exports are of that year); None, or returning None, for all.
        what: How the tooltips name the records ("accredited providers"; default: the kind).
        import_tip, export_tip: Tooltips that say more than the default ones.

    Attributes:
        import_button, export_button: The buttons, to place in the page's layout.
        dialog: The import dialog last opened (None before), kept until the next one opens.
    """

    def __init__(self, ctx: AppContext, parent: QWidget, kind: str,
                 year: Callable[[], str | None] | None = None, what: str | None = None,
                 import_tip: str | None = None, export_tip: str | None = None) -> None:
        self.ctx, self.parent, self.kind = ctx, parent, kind
        self._year = year or (lambda: None)
        self.dialog: ImportDialog | None = None
        what = what or kind
        self.import_button = QPushButton("Import…", parent)
        self.import_button.setObjectName(f"import_{kind}")
        self.import_button.setToolTip(import_tip or (
            f"Add or update {what} from a CSV or Excel file: see every problem first, then import "
            "(all or nothing)"))
        self.import_button.clicked.connect(lambda: self.import_file())
        self.export_button = QPushButton("Export…", parent)
        self.export_button.setObjectName(f"export_{kind}")
        self.export_button.setToolTip(export_tip or (
            f"Save the {what} of the year shown to a CSV or Excel file" if year is not None
            else f"Save all {what} to a CSV or Excel file"))
        self.export_button.clicked.connect(lambda: self.export_file())
        self.refresh()

    def refresh(self) -> None:
        """Offer each button only to somebody with the permission."""
        self.import_button.setVisible(self.ctx.may("import"))
        self.export_button.setVisible(self.ctx.may("export"))

    def add_to(self, layout: QBoxLayout, index: int | None = None) -> None:
        """Place both buttons in ``layout`` (at ``index``, else at its end)."""
        for offset, button in enumerate((self.import_button, self.export_button)):
            if index is None:
                layout.addWidget(button)
            else:
                layout.insertWidget(index + offset, button)

    # --- import ---------------------------------------------------------------------------------------

    def import_file(self, path: str | None = None) -> ImportDialog:
        """Open the import dialog (checking ``path`` at once when given); pages reload after.

        Returns:
            The dialog.
        """
        if self.dialog is not None:
            self.dialog.deleteLater()  # the last one was closed; it is not needed any more
        self.dialog = dialog = ImportDialog(self.ctx, self.kind, self.parent)
        if path:
            dialog.load(path)
        self.ctx.interaction.run_dialog(dialog)
        return dialog

    # --- export ---------------------------------------------------------------------------------------

    def ask_save_path(self) -> str:
        """The file to export to, asked for with the system's dialog."""
        return ask_export_path(self.ctx, self.parent, self.kind, self._year())

    def export_file(self, path: str | None = None) -> Any:
        """Export (the page's year of) the kind off the GUI thread, then say what was written.

        Returns:
            The running task, or None when no file was chosen.
        """
        path = path or self.ask_save_path()
        if not path:
            return None
        return export_with_dialog(self.ctx, self.kind, self.parent, year=self._year(), path=path)
