"""File > Postcode directory…: what directory this computer has, and loading a new one.

The directory (the ONS Postcode Directory CSV or Code-Point Open .zip, as downloaded) is kept once
per computer; loading one also locates the open file's trainees and schools that have a postcode
but no grid reference. The work runs off the GUI thread with a progress dialog that can cancel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from tsa_desktop.ui.core.changes import Area
from tsa_desktop.ui.core.context import may

if TYPE_CHECKING:
    from tsa_desktop.ui.shell.safety import SafetyHost

FILE_FILTER = "Postcode directories (*.csv *.zip);;All files (*)"
EXPLANATION = (
    "Trainees' homes and schools are placed on the map from their postcodes, with a postcode "
    "directory: the ONS Postcode Directory (a CSV) or Ordnance Survey's Code-Point Open (a .zip), "
    "both free downloads. It is kept once on this computer for every alliance file; each file keeps "
    "the places found for it.")


class PostcodeDialog(QDialog):
    """Shows the loaded directory (file, kind, when, how many postcodes) and loads another."""

    def __init__(self, window: SafetyHost) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Postcode directory")
        self.setMinimumWidth(560)
        intro = QLabel(EXPLANATION, self)
        intro.setWordWrap(True)
        self.file_label = QLabel(self)
        self.kind_label = QLabel(self)
        self.loaded_label = QLabel(self)
        self.count_label = QLabel(self)
        form = QFormLayout()
        form.addRow("File", self.file_label)
        form.addRow("Kind", self.kind_label)
        form.addRow("Loaded", self.loaded_label)
        form.addRow("Postcodes", self.count_label)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.not_found = QPlainTextEdit(self)
        self.not_found.setReadOnly(True)
        self.not_found.setMaximumHeight(140)
        self.not_found.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.load_button = QPushButton("Load a file…", self)
        self.load_button.setToolTip("Read an ONS Postcode Directory CSV or a Code-Point Open .zip")
        buttons.addButton(self.load_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.load_button.clicked.connect(lambda: self.load())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.not_found)
        layout.addWidget(buttons)
        ctx = window.ctx
        self.load_button.setEnabled(ctx is not None and may(ctx.workspace, "import"))
        self.refresh()

    def refresh(self) -> None:
        """Show what is loaded on this computer."""
        ctx = self.window_.ctx
        info = ctx.workspace.locations.info() if ctx is not None else None
        if info is None:
            self.file_label.setText("None loaded on this computer")
            for label in (self.kind_label, self.loaded_label, self.count_label):
                label.setText("—")
            return
        self.file_label.setText(info.file_name)
        self.kind_label.setText(info.kind)
        self.loaded_label.setText(f"{info.loaded_at:%d/%m/%Y %H:%M}")
        self.count_label.setText(f"{info.postcodes:,}")

    def ask_file(self) -> str:
        """Ask for the file."""
        return self.window_.interaction.open_file(self, "Load a postcode directory", "", FILE_FILTER)

    def load(self, path: str | None = None) -> None:
        """Load a directory file (asked for unless given) and locate the open file's places."""
        ctx = self.window_.ctx
        if ctx is None:
            return
        path = path or self.ask_file()
        if not path:
            return
        service = ctx.workspace.locations
        self.load_button.setEnabled(False)
        self.result_label.setText("Loading…")
        ctx.tasks.start_with_dialog(
            lambda progress: service.load_directory(path, progress), "Loading the postcode directory",
            self, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, report: Any) -> None:
        self.load_button.setEnabled(True)
        self.refresh()
        located = report.located
        text = f"Loaded {report.info.postcodes:,} postcodes from {report.info.file_name}. "
        if located.directory_loaded:
            text += (f"Located {located.trainees:,} trainee{'' if located.trainees == 1 else 's'} and "
                     f"{located.schools:,} school{'' if located.schools == 1 else 's'} of this file.")
        self.result_label.setText(text)
        if located.not_found:
            count = len(located.not_found)
            self.result_label.setText(text + f" {count:,} postcode{' was' if count == 1 else 's were'} not "
                                             "found (journeys to and from them are unknown):")
            self.not_found.setPlainText("\n".join(located.not_found))
            self.not_found.show()
        else:
            self.not_found.hide()
        ctx = self.window_.ctx
        if ctx is not None and (located.trainees or located.schools):
            ctx.notify(Area.TRAINEES, Area.SCHOOLS, Area.PLACEMENTS)

    def _failed(self, exc: BaseException) -> None:
        self.load_button.setEnabled(True)
        self.result_label.setText("")
        self.window_.messages.error(exc)
