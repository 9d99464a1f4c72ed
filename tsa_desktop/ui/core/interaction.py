"""Every question the window asks a person, behind one protocol that tests script.

Pages never call QFileDialog, QMessageBox.question or ``dialog.exec()`` themselves: they ask
``ctx.interaction``. The window uses :class:`QtInteraction`; tests use a scripted one
(tests/ui/conftest.py) that answers from a list and fails when asked something unexpected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget


class Interaction(Protocol):
    """The questions the window may ask."""

    def run_dialog(self, dialog: QDialog) -> int:
        """Show a modal dialog; returns QDialog.DialogCode (Accepted or Rejected)."""
        ...

    def open_file(self, parent: QWidget | None, title: str, folder: str = "", filters: str = "") -> str:
        """The file to read, or "" when the person cancelled."""
        ...

    def save_file(self, parent: QWidget | None, title: str, suggested: str = "", filters: str = "") -> str:
        """The file to write, or "" when the person cancelled."""
        ...

    def choose_folder(self, parent: QWidget | None, title: str, folder: str = "") -> str:
        """A folder, or "" when the person cancelled."""
        ...

    def confirm(self, parent: QWidget | None, title: str, text: str, yes: str = "Yes", no: str = "Cancel") -> bool:
        """Ask a yes/no question; True for yes."""
        ...

    def choose(self, parent: QWidget | None, title: str, text: str, choices: list[tuple[str, str]]) -> str | None:
        """Ask which of ``choices`` ((key, button text) pairs, the first the default) to take;
        None for Cancel."""
        ...

    def get_text(self, parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
        """Ask for a line of text; None when the person cancelled."""
        ...

    def open_document(self, path: Path) -> bool:
        """Open a file in the program the computer uses for it; False when it could not."""
        ...


class QtInteraction:
    """The real questions: Qt's dialogs."""

    def run_dialog(self, dialog: QDialog) -> int:
        return dialog.exec()

    def open_file(self, parent: QWidget | None, title: str, folder: str = "", filters: str = "") -> str:
        return QFileDialog.getOpenFileName(parent, title, folder, filters)[0]

    def save_file(self, parent: QWidget | None, title: str, suggested: str = "", filters: str = "") -> str:
        return QFileDialog.getSaveFileName(parent, title, suggested, filters)[0]

    def choose_folder(self, parent: QWidget | None, title: str, folder: str = "") -> str:
        return QFileDialog.getExistingDirectory(parent, title, folder)

    def confirm(self, parent: QWidget | None, title: str, text: str, yes: str = "Yes", no: str = "Cancel") -> bool:
        return self.choose(parent, title, text, [("yes", yes)], cancel=no) == "yes"

    def choose(self, parent: QWidget | None, title: str, text: str, choices: list[tuple[str, str]],
               cancel: str = "Cancel") -> str | None:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
        buttons = {box.addButton(label, QMessageBox.ButtonRole.AcceptRole): key for key, label in choices}
        box.setEscapeButton(box.addButton(cancel, QMessageBox.ButtonRole.RejectRole))
        if buttons:
            box.setDefaultButton(next(iter(buttons)))
        box.exec()
        return buttons.get(box.clickedButton())

    def get_text(self, parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, text=text)
        return value if ok else None

    def open_document(self, path: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
