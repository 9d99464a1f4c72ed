"""Getting started: what a new or empty file needs, in order, ticked as it is done.

Shown instead of the Schools page when a file has no schools yet, and from Help > Getting
started at any time. Each step says what it needs and imports a file of that kind (the usual
import dialog: checked first, all or nothing); the sample file shipped in resources/samples is
one click away, and so is the demo alliance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from tsa_desktop import paths
from tsa_desktop.ui.common.screen import FittingScrollArea
from tsa_desktop.ui.core.context import AppContext


@dataclass(frozen=True)
class Step:
    """One step of setting up a file.

    Attributes:
        kind: The import kind (and the sample file's name).
        title: What the step is called.
        needs: What the file must hold, in the user's words.
        page: The page that shows the records, by its navigation key.
        count: How many records of the kind the file holds, from the alliance's record counts
            (the step is done when any).
    """

    kind: str
    title: str
    needs: str
    page: str
    count: Callable[[dict[str, int]], int]


STEPS: tuple[Step, ...] = (
    Step("schools", "Schools",
         "The alliance's schools, by URN: a GIAS extract imports as it is downloaded.",
         "schools", lambda counts: counts["schools"]),
    Step("providers", "Accredited providers",
         "The universities or SCITT that recommend QTS: name, code and kind.",
         "schools", lambda counts: counts["providers"]),
    Step("allocations", "Allocations",
         "Places granted for each year, route, phase and subject, with the lead school's URN "
         "and the accredited provider (so schools and providers come first).",
         "allocations", lambda counts: counts["allocations"]),
    Step("mentors", "Mentors",
         "Each mentor by email, with their school's URN, phase, subjects and training dates.",
         "mentors", lambda counts: counts["mentors"]),
    Step("trainees", "Trainees",
         "Each trainee by their id: route, phase, subject, year and status; salaried trainees "
         "with their employing school's URN.",
         "trainees", lambda counts: counts["trainees"]),
)


def sample_file(kind: str) -> Path:
    """The sample file of a kind shipped with the program."""
    return paths.resources_dir() / "samples" / f"{kind}.csv"


class StartPage(QWidget):
    """The steps of setting up a file, each with its import and sample, ticked when done.

    Signals:
        show_page(str): the user asked for a page (by navigation key).
        demo_requested(): the user asked for the demo alliance.

    Attributes:
        import_dialog: The last import dialog opened (for tests).
    """

    show_page = Signal(str)
    demo_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.import_dialog = None
        self.counts: dict[str, int] = {}
        self.ticks: dict[str, QLabel] = {}
        self.import_buttons: dict[str, QPushButton] = {}
        self.sample_buttons: dict[str, QPushButton] = {}

        title = QLabel("<h2>Getting started</h2>", self)
        intro = QLabel(
            "Bring in the alliance's data in this order: each step needs the ones before it. "
            "Every import is checked first and brings in all of a file or nothing; the "
            "sample files show the columns each kind needs (Help > User guide has them all).",
            self)
        intro.setWordWrap(True)
        self.demo_button = QPushButton("Try the demo alliance…", self)
        self.demo_button.setToolTip("A made-up alliance in a new file, to try everything safely")
        self.demo_button.clicked.connect(self.demo_requested)

        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        grid.setVerticalSpacing(14)
        for row, step in enumerate(STEPS):
            tick = QLabel(self)
            tick.setMinimumWidth(28)
            tick.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            self.ticks[step.kind] = tick
            number = QLabel(f"<b>{row + 1}.</b>", self)
            number.setAlignment(Qt.AlignmentFlag.AlignTop)
            text = QLabel(f"<b>{escape(step.title)}</b><br>{escape(step.needs)}", self)
            text.setWordWrap(True)
            text.setObjectName(f"step_{step.kind}")
            importing = QPushButton("Import a file…", self)
            importing.clicked.connect(lambda _c=False, k=step.kind: self.import_kind(k))
            sample = QPushButton("Import the sample", self)
            sample.setToolTip(str(sample_file(step.kind)))
            sample.clicked.connect(lambda _c=False, k=step.kind: self.import_sample(k))
            show = QPushButton("Show", self)
            show.clicked.connect(lambda _c=False, p=step.page: self.show_page.emit(p))
            self.import_buttons[step.kind], self.sample_buttons[step.kind] = importing, sample
            buttons = QHBoxLayout()
            for button in (importing, sample, show):
                buttons.addWidget(button)
            grid.addWidget(tick, row, 0)
            grid.addWidget(number, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, row, 2)
            grid.addLayout(buttons, row, 3, Qt.AlignmentFlag.AlignTop)

        body = QWidget(self)
        inner = QVBoxLayout(body)
        inner.addWidget(title)
        inner.addWidget(intro)
        inner.addSpacing(8)
        inner.addLayout(grid)
        inner.addSpacing(12)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        inner.addWidget(line)
        demo_row = QHBoxLayout()
        demo_row.addWidget(QLabel("Just looking? Open a demo alliance instead:", self))
        demo_row.addWidget(self.demo_button)
        demo_row.addStretch(1)
        inner.addLayout(demo_row)
        inner.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(FittingScrollArea(body, self))
        may_import = ctx.may("import")
        for button in (*self.import_buttons.values(), *self.sample_buttons.values()):
            button.setVisible(may_import)
        # Focus starts on the first step (else the navigation list takes it and, having no current
        # page, jumps to its first one).
        self.setFocusProxy(self.sample_buttons[STEPS[0].kind] if may_import else self.demo_button)
        ctx.changed.connect(lambda _change: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Count each kind's records and tick the steps that are done."""
        counts = self.ctx.call(self.ctx.workspace.alliance.record_counts) or {}
        for step in STEPS:
            count = step.count(counts) if counts else 0
            self.counts[step.kind] = count
            tick = self.ticks[step.kind]
            if count:
                tick.setText("<span style='color:#2e7d32; font-size:15pt'>✓</span>")
                tick.setToolTip(f"{count:,} in this file")
            else:
                tick.setText("<span style='color:#9aa8b8; font-size:15pt'>○</span>")
                tick.setToolTip("Not done yet")

    def done(self) -> list[str]:
        """The kinds whose step is done."""
        return [kind for kind, count in self.counts.items() if count]

    def import_kind(self, kind: str, path: str | None = None):
        """Open the import dialog for a kind; with ``path``, that file is checked at once."""
        from tsa_desktop.ui.common.import_dialog import ImportDialog

        dialog = ImportDialog(self.ctx, kind, self)
        self.import_dialog = dialog
        if path:
            dialog.load(path)
        self.run_dialog(dialog)
        return dialog

    def import_sample(self, kind: str):
        """The import dialog with the sample file of a kind, checked and ready to import."""
        return self.import_kind(kind, str(sample_file(kind)))

    def run_dialog(self, dialog) -> int:
        """Show a modal dialog (through ``ctx.interaction``, which tests script)."""
        return self.ctx.interaction.run_dialog(dialog)
