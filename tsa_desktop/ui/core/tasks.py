"""Long work (planner, imports, letters, demo) off the GUI thread, with progress and cancel.

The work is a plain function taking a :class:`~tsa_desktop.domain.progress.Progress`; it must not
touch widgets. Its result or error comes back on the GUI thread through queued signals.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from tsa_desktop.domain.progress import Progress

log = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class QtProgress(Progress):
    """A Progress that forwards reports to the GUI thread as signals."""

    def __init__(self, signals: _Signals) -> None:
        super().__init__()
        self._signals = signals

    def report(self, done: int, total: int, message: str = "") -> None:
        self._signals.progress.emit(done, total, message)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _Signals, progress: QtProgress) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work, self._signals, self._progress = work, signals, progress

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except BaseException as exc:  # everything goes back to the GUI thread to be shown
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


class Task(QObject):
    """One piece of long work under way.

    Signals:
        finished(object): the work's return value.
        failed(object): the exception it raised (a CancelledError after cancel()).
        progress(int, int, str): done, total, message.
    """

    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _Signals()
        self._signals.progress.connect(self.progress, Qt.ConnectionType.QueuedConnection)
        self._signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self.reporter = QtProgress(self._signals)
        self.done = False

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self.reporter.cancel()

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        self.done = True
        self.finished.emit(result)

    @Slot(object)
    def _on_failed(self, exc: object) -> None:
        self.done = True
        self.failed.emit(exc)


class TaskRunner(QObject):
    """Starts tasks on a thread pool and, for the window, shows a progress dialog."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._running: set[Task] = set()

    def start(self, work: Callable[[Progress], Any]) -> Task:
        """Run ``work(progress)`` on the pool; connect to the returned Task's signals."""
        task = Task(self)
        self._running.add(task)
        task.finished.connect(lambda _r, t=task: self._running.discard(t))
        task.failed.connect(lambda _e, t=task: self._running.discard(t))
        self._pool.start(_Job(work, task._signals, task.reporter))
        return task

    def start_with_dialog(self, work: Callable[[Progress], Any], title: str, parent: QWidget | None,
                          on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> Task:
        """Run work with a modal progress dialog that can cancel it."""
        dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        task = self.start(work)
        dialog.canceled.connect(task.cancel)

        def on_progress(done: int, total: int, message: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
            if message:
                dialog.setLabelText(message)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            dialog.canceled.disconnect(task.cancel)
            dialog.close()
            dialog.deleteLater()
            callback(value)

        task.progress.connect(on_progress)
        task.finished.connect(lambda r: finish(on_done, r))
        task.failed.connect(lambda e: finish(on_error, e))
        return task

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for every job (used when closing the window, and by tests)."""
        return self._pool.waitForDone(msecs)
