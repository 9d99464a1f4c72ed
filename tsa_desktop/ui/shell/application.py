"""Start the window: the QApplication, the error hook, and the first database."""

from __future__ import annotations

import logging
import os
import sys
from typing import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tsa_desktop import __version__
from tsa_desktop.ui.core.messages import describe

log = logging.getLogger(__name__)


def _install_excepthook() -> None:
    """An error nobody caught is logged and shown as a short message, never a traceback."""

    def hook(kind, value, tb) -> None:
        log.error("uncaught error", exc_info=(kind, value, tb))
        if QApplication.instance() is not None:
            QMessageBox.warning(None, "tsa-desktop", describe(value))

    sys.excepthook = hook


class _ExitAfterFirstPaint(QObject):
    """For bench/startup.py: quit once the window has really been painted."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False


class _OpenAfterFirstPaint(QObject):
    """Opens the database once the window frame is on screen.

    Importing SQLAlchemy and opening the file take longer than Qt needs to show the window, so
    the window is painted first (with "Opening…") and the file opened straight after.

    Args:
        window: The main window, shown without a workspace.
        db: The file or URL to open; None for the default file.
        exit_after: For the start-up benchmark: "frame" quits after the first paint, "data"
            after the first paint with the database's pages shown.
    """

    def __init__(self, window, db: str | None, exit_after: str) -> None:
        super().__init__(window)
        self.window, self.db, self.exit_after = window, db, exit_after
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._done:
            self._done = True
            QTimer.singleShot(0, self.exit_after == "frame" and QApplication.quit or self.open)
        return False

    def open(self) -> None:
        db = self.db
        while not self.window.open_path(db):
            db, _ = QFileDialog.getOpenFileName(self.window, "Open alliance database (or Cancel to quit)", "",
                                                "tsa-desktop databases (*.db *.sqlite);;All files (*)")
            if not db:
                QApplication.exit(2)
                return
        if self.exit_after == "data":
            self.window.installEventFilter(_ExitAfterFirstPaint(self.window))
            self.window.update()


def run_window(db: str | None, argv: Sequence[str]) -> int:
    """Open the window on ``db`` (or the default file) and run until it closes.

    Environment: ``TSA_DESKTOP_EXIT_AFTER_PAINT`` = ``frame`` (or ``1``) or ``data`` quits after
    the first paint of the window or of its data; for bench/startup.py.
    """
    app = QApplication.instance() or QApplication(list(argv))
    app.setApplicationName("tsa-desktop")
    app.setApplicationVersion(__version__)
    from tsa_desktop.ui.shell.icon import app_icon

    app.setWindowIcon(app_icon())  # every window and dialog, and the taskbar
    _install_excepthook()
    from tsa_desktop.ui.shell.main_window import MainWindow

    window = MainWindow(None)
    mode = os.environ.get("TSA_DESKTOP_EXIT_AFTER_PAINT", "")
    window.installEventFilter(_OpenAfterFirstPaint(window, db, "frame" if mode == "1" else mode))
    window.show()
    return app.exec()
