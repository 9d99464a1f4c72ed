"""What pages have in common: reloading when their data changes, only while shown."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QWidget

from tsa_desktop.ui.context import AppContext


class Page(QWidget):
    """A page of the main window.

    Subclasses set ``areas`` (the data they show) and implement :meth:`reload`. A page that is
    hidden when its data changes reloads the next time it is shown, not before.
    """

    title = ""
    areas: tuple[str, ...] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        ctx.data_changed.connect(self._on_data_changed)

    def reload(self) -> None:
        """Read the data from the services again."""

    def run_dialog(self, dialog: QDialog) -> int:
        """Show a modal dialog. Tests replace this to fill in and accept the dialog."""
        return dialog.exec()

    def _on_data_changed(self, area: str) -> None:
        if area == "*" or area in self.areas:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def refresh(self) -> None:
        """Reload now if the data changed since the last load."""
        if self._stale:
            self._stale = False
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
