"""File > New demo alliance: choose a size and a file, then create it off the GUI thread."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QSpinBox

from tsa_desktop import paths
from tsa_desktop.domain.progress import Progress
from tsa_desktop.ui.common.screen import FitsScreen

SIZES = (("small", "Small (6 schools, 12 trainees)"),
         ("alliance", "Alliance (24 schools, 121 trainees, 216 mentors)"),
         ("large", "Large (150 schools, 1,000 trainees)"))


def create_demo_file(path: str, size: str, seed: int, progress: Progress) -> str:
    """Create a demo alliance in a new file (runs on a worker thread)."""
    from tsa_desktop.services.demo.builder import DemoService
    from tsa_desktop.services.opening import open_workspace

    progress.report(0, 1, "Creating the demo alliance…")
    ws = open_workspace(path)
    try:
        summary = DemoService(ws.db).create(size, seed=seed, force=True)
    finally:
        ws.close()
    progress.report(1, 1)
    return str(summary)


class DemoDialog(FitsScreen, QDialog):
    """Asks for the size and seed, then for the file."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("New demo alliance")
        self.size_box = QComboBox(self)
        for code, label in SIZES:
            self.size_box.addItem(label, code)
        self.size_box.setCurrentIndex(1)
        self.seed = QSpinBox(self)
        self.seed.setRange(1, 1_000_000)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Size", self.size_box)
        form.addRow("Seed", self.seed)
        form.addRow(buttons)

    def create(self, path: str | None = None) -> None:
        """Ask for the file (unless given) and create the demo in it."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Save the demo alliance as",
                                                  str(paths.data_dir() / "demo.db"),
                                                  "tsa-desktop databases (*.db)")
        if not path:
            return
        size, seed = self.size_box.currentData(), self.seed.value()
        window = self.window_
        window.ctx.tasks.start_with_dialog(
            lambda progress: create_demo_file(path, size, seed, progress), "Creating the demo alliance",
            window, on_done=lambda summary: (window.open_path(path), window.statusBar().showMessage(summary, 8000)),
            on_error=window.messages.error)
        self.accept()
