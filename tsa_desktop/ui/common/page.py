"""What pages have in common: reloading when their data changes, only while shown."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QWidget

from tsa_desktop.ui.core.changes import Area, Change
from tsa_desktop.ui.core.context import AppContext


class Page(QWidget):
    """A page of the main window.

    Subclasses set ``areas`` (the data they show) and implement :meth:`reload`. A page that is
    hidden when its data changes reloads the next time it is shown, not before.
    """

    title = ""
    areas: tuple[Area, ...] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        ctx.changed.connect(self._on_change)

    def reload(self) -> None:
        """Read the data from the services again."""

    def may(self, action: str) -> bool:
        """Whether the person using the file may ``action`` ("edit", "letters"...; see
        ``services.users.ACTIONS``); everything on a file without sign-in, nothing that writes on
        a read-only one."""
        return self.ctx.may(action)

    def offer_only_if(self, action: str, *widgets: QWidget) -> bool:
        """Hide ``widgets`` unless the person may ``action``; says whether they may.

        The services refuse what the role does not allow whatever the window shows; this only
        keeps pages from offering it. Pages are built anew when somebody else signs in.
        """
        allowed = self.may(action)
        if not allowed:
            for widget in widgets:
                widget.hide()
        return allowed

    def run_dialog(self, dialog: QDialog) -> int:
        """Show a modal dialog (through ``ctx.interaction``, which tests script)."""
        return self.ctx.interaction.run_dialog(dialog)

    def _on_change(self, change: Change) -> None:
        if change.touches(self.areas):
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
