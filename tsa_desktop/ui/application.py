"""Start the window: the QApplication, the error hook, and the first database."""

from __future__ import annotations

import logging
import os
import sys
from typing import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from tsa_desktop import __version__
from tsa_desktop.services.workspace import open_workspace
from tsa_desktop.ui.messages import describe

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


def run_window(db: str | None, argv: Sequence[str]) -> int:
    """Open the window on ``db`` (or the default file) and run until it closes."""
    app = QApplication.instance() or QApplication(list(argv))
    app.setApplicationName("tsa-desktop")
    app.setApplicationVersion(__version__)
    _install_excepthook()
    workspace = None
    while workspace is None:
        try:
            workspace = open_workspace(db)
        except Exception as exc:
            log.info("could not open %s: %s", db, exc)
            QMessageBox.warning(None, "Cannot open the database", describe(exc) +
                                "\n\nChoose another file, or Cancel to quit.")
            db, _ = QFileDialog.getOpenFileName(None, "Open alliance database", "",
                                                "tsa-desktop databases (*.db *.sqlite);;All files (*)")
            if not db:
                return 2
    from tsa_desktop.ui.main_window import MainWindow

    window = MainWindow(workspace)
    if os.environ.get("TSA_DESKTOP_EXIT_AFTER_PAINT"):
        watcher = _ExitAfterFirstPaint(window)
        window.installEventFilter(watcher)
    window.show()
    return app.exec()
