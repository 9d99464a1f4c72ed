"""The planner's progress: "Placed 2,410 of 2,463 - still improving" over a bar, with Stop and Cancel.

Stop ends the search and keeps the best plan found so far, shown as a proposal like any other;
Cancel throws the search away and changes nothing. The words come from the planner in plain
terms (placed of all trainee-blocks); its costs and bounds go to the log only.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from tsa_desktop.domain.progress import Progress
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.core.tasks import Task


class PlanProgressDialog(QDialog):
    """A modal window over the page while the planner works; closes itself when it is done.

    Args:
        title: What is being planned ("Planning the placements of 2026/27 (up to 30 s)").
        task: The planner's task (its progress, finish and failure signals).
    """

    def __init__(self, title: str, task: Task, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task = task
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        self.label = QLabel("Preparing the plan", self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setToolTip("Stop searching and show the best plan found so far")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop searching and change nothing")
        self.stop_button.clicked.connect(self.stop)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title, self))
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        task.progress.connect(self.show_progress)

    def show_progress(self, done: int, total: int, message: str) -> None:
        self.bar.setValue(int(100 * done / total) if total else 0)
        if message and not self.task.reporter.cancelled:
            self.label.setText(message)

    def stop(self) -> None:
        """Keep the best plan so far: the planner finishes at once and shows it."""
        self.task.reporter.stop()
        self.label.setText("Stopping: keeping the best plan found so far…")
        self.stop_button.setEnabled(False)

    def cancel(self) -> None:
        """Throw the search away."""
        self.task.cancel()
        self.label.setText("Cancelling: nothing will be changed…")
        self.stop_button.setEnabled(False)
        self.cancel_button.setEnabled(False)

    def reject(self) -> None:  # Escape or the window's close button: the same as Cancel
        if not self.task.done:
            self.cancel()
            return
        super().reject()


def run_planner(ctx: AppContext, work: Callable[[Progress], Any], title: str, parent: QWidget,
                on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]
                ) -> tuple[Task, PlanProgressDialog]:
    """Start the planner off the GUI thread under a :class:`PlanProgressDialog`."""
    task = ctx.tasks.start(work)
    dialog = PlanProgressDialog(title, task, parent)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        dialog.done(0)
        dialog.deleteLater()
        callback(value)

    task.finished.connect(lambda result: finish(on_done, result))
    task.failed.connect(lambda exc: finish(on_error, exc))
    dialog.show()
    return task, dialog
