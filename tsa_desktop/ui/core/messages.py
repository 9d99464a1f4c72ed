"""Showing messages and errors to the user, never a traceback.

Pages and dialogs report through a :class:`Messages` object so tests can record what would have
been shown instead of blocking on a modal box.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from tsa_desktop import paths
from tsa_desktop.domain.errors import DomainError

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> str:
    """The text to show for an error: its own words for a DomainError, an apology otherwise."""
    if isinstance(exc, DomainError):
        return str(exc)
    return (f"Something went wrong ({type(exc).__name__}). Nothing you saved before is lost. "
            f"The details were written to {paths.log_file()}")


class Messages:
    """Modal message boxes, parented to the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def error(self, exc: BaseException, title: str = "Not done") -> None:
        """Show an error; unexpected ones are logged with their traceback first."""
        if not isinstance(exc, DomainError):
            log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        QMessageBox.warning(self.parent, title, describe(exc))

    def info(self, text: str, title: str = "tsa-desktop") -> None:
        QMessageBox.information(self.parent, title, text)

    def confirm(self, text: str, title: str = "Are you sure?") -> bool:
        answer = QMessageBox.question(self.parent, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes


class RecordingMessages(Messages):
    """Records messages instead of showing them (for tests and scripted runs).

    Attributes:
        shown: (kind, text) pairs in order.
        answer: What :meth:`confirm` returns.
    """

    def __init__(self, answer: bool = True) -> None:
        super().__init__(None)
        self.shown: list[tuple[str, str]] = []
        self.answer = answer

    def error(self, exc: BaseException, title: str = "Not done") -> None:
        if not isinstance(exc, DomainError):
            log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        self.shown.append(("error", describe(exc)))

    def info(self, text: str, title: str = "tsa-desktop") -> None:
        self.shown.append(("info", text))

    def confirm(self, text: str, title: str = "Are you sure?") -> bool:
        self.shown.append(("confirm", text))
        return self.answer
