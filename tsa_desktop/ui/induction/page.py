"""Early career teachers: a cohort by academic year, summed up in words and figures, and four tabs.

The tabs are the early career teachers (each one's schedule by school term under the table;
"NQT" marks the records under the old regime), their reviews and assessments (overdue ones
highlighted), who is due what this half-term across cohorts, and the induction programme with
attendance. Every rule lives in the domain and services; this page only shows
rows and sends what the user typed to the services through undoable commands.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.domain.induction import CohortSummary
from tsa_desktop.domain.progress import Progress
from tsa_desktop.domain.values import academic_year_of
from tsa_desktop.services.induction.cohorts import CohortRow
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.induction.dialogs import cohort_dialog
from tsa_desktop.ui.induction.models import WARNING
from tsa_desktop.ui.common.page import Page
from tsa_desktop.ui.induction.assessments import AssessmentsTab
from tsa_desktop.ui.induction.nqts import NqtsTab
from tsa_desktop.ui.induction.programme import ProgrammeTab
from tsa_desktop.ui.core.changes import Area
from tsa_desktop.ui.induction.schedule import HalfTermTab

FILE_FILTER = "Spreadsheets (*.csv *.xlsx);;CSV (*.csv);;Excel workbook (*.xlsx)"


class SummaryView(QFrame):
    """The cohort in words (one sentence) and in figures (a row of tiles)."""

    TILES = (("nqts", "ECTs"), ("schools", "Schools"), ("las", "Local authorities"),
             ("part_time", "Part time"), ("overdue", "Assessments overdue"), ("attendance", "Attendance"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cohortSummary")
        self.setStyleSheet("QFrame#cohortSummary { background: palette(base); border: 1px solid palette(mid);"
                           " border-radius: 4px; }")
        self.sentence = QLabel(self)
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.figures: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(28)
        for column, (key, caption) in enumerate(self.TILES):
            figure = QLabel("–", self)
            figure.setStyleSheet("font-size: 17pt; font-weight: 600;")
            label = QLabel(caption, self)
            label.setStyleSheet("color: palette(dark);")
            grid.addWidget(figure, 0, column)
            grid.addWidget(label, 1, column)
            self.figures[key] = figure
        grid.setColumnStretch(len(self.TILES), 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sentence)
        layout.addLayout(grid)

    def show_summary(self, summary: CohortSummary | None, empty_text: str = "") -> None:
        """Show a cohort's summary, or ``empty_text`` when there is no cohort."""
        if summary is None:
            self.sentence.setText(empty_text)
            for figure in self.figures.values():
                figure.setText("–")
            return
        self.sentence.setText(summary.sentence())
        values = {
            "nqts": str(summary.nqts), "schools": str(summary.schools),
            "las": str(len(summary.local_authorities)), "part_time": str(summary.part_time),
            "overdue": str(summary.overdue),
            "attendance": f"{summary.attendance.percent}%" if summary.attendance.recorded else "–",
        }
        for key, text in values.items():
            self.figures[key].setText(text)
        colour = WARNING if summary.overdue else "palette(text)"
        self.figures["overdue"].setStyleSheet(f"font-size: 17pt; font-weight: 600; color: {colour};")
        self.figures["las"].setToolTip(", ".join(summary.local_authorities))


class InductionPage(Page):
    """The induction cohort of a year: ECTs, reviews and assessments, the half-term, the programme.

    Attributes:
        today: Returns today's date (tests fix it, so that "overdue" does not depend on the clock).
    """

    title = "Early career teachers"
    areas = (Area.NQTS, Area.INDUCTION, Area.SCHOOLS, Area.MENTORS, Area.TRAINEES, Area.YEARS)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.today: Callable[[], dt.date] = dt.date.today
        self.cohort_box = QComboBox(self)
        self.cohort_box.setMinimumContentsLength(18)
        self.cohort_box.setAccessibleName("Induction cohort")
        self.cohort_box.currentIndexChanged.connect(lambda _i: self._load())
        self.new_cohort_button = QPushButton("New cohort…", self)
        self.new_cohort_button.clicked.connect(self.new_cohort)
        self.summary = SummaryView(self)

        self.nqts = NqtsTab(self)
        self.assessments = AssessmentsTab(self)
        self.half_term = HalfTermTab(self)
        self.programme = ProgrammeTab(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.nqts, "ECTs")
        self.tabs.addTab(self.assessments, "Reviews && assessments")
        self.tabs.addTab(self.half_term, "This half-term")
        self.tabs.addTab(self.programme, "Programme && attendance")

        top = QHBoxLayout()
        heading = QLabel("<b>Early career teachers</b>", self)
        heading.setStyleSheet("font-size: 13pt;")
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(QLabel("Cohort:", self))
        top.addWidget(self.cohort_box)
        top.addWidget(self.new_cohort_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

    # --- the cohort -----------------------------------------------------------------------------

    def cohort(self) -> CohortRow | None:
        """The cohort chosen, or None in a file without one."""
        return self.cohort_box.currentData()

    def cohort_id(self) -> int | None:
        cohort = self.cohort()
        return cohort.id if cohort else None

    def cohort_year(self) -> str:
        """The chosen cohort's year, or this academic year without a cohort (new ECTs go there)."""
        cohort = self.cohort()
        return cohort.year if cohort else academic_year_of(self.today())

    def choose_cohort(self, year: str) -> bool:
        """Show the cohort of a year; False if there is none."""
        for index in range(self.cohort_box.count()):
            if self.cohort_box.itemData(index).year == year:
                self.cohort_box.setCurrentIndex(index)
                return True
        return False

    def reload(self) -> None:
        cohorts = self.ctx.call(self.ctx.workspace.induction.cohorts)
        if cohorts is None:
            return
        current = self.cohort()
        wanted = current.year if current else academic_year_of(self.today())
        self.cohort_box.blockSignals(True)
        self.cohort_box.clear()
        for cohort in cohorts:
            self.cohort_box.addItem(f"{cohort.year}  ({cohort.nqt_count} ECT{'s' if cohort.nqt_count != 1 else ''})",
                                    cohort)
        years = [c.year for c in cohorts]
        self.cohort_box.setCurrentIndex(years.index(wanted) if wanted in years else (0 if cohorts else -1))
        self.cohort_box.blockSignals(False)
        self._load()

    def _load(self) -> None:
        cohort_id, today = self.cohort_id(), self.today()
        ws = self.ctx.workspace
        if cohort_id is None:
            self.summary.show_summary(None, "There is no induction cohort yet. Add an early career teacher (or "
                                            "take the trainee-to-ECT step) and the cohort of their year starts, "
                                            "or start one with New cohort….")
            nqts = []
        else:
            nqts = self.ctx.call(ws.induction.nqts, cohort_id, today) or []
            self.summary.show_summary(self.ctx.call(ws.induction.summary, cohort_id, today, nqts))
        self.nqts.show_rows(nqts)
        self.assessments.load(cohort_id, today)
        self.half_term.load(cohort_id, today)
        self.programme.load(cohort_id, nqts)
        self.new_cohort_button.setVisible(self.may("edit"))

    def new_cohort(self) -> None:
        service = self.ctx.workspace.induction
        next_year = academic_year_of(self.today() + dt.timedelta(days=366))

        def submit(values: dict) -> bool:
            row = service.create_cohort(values.get("academic_year") or "", values.get("name") or "")
            self.ctx.notify(Area.INDUCTION)
            self.choose_cohort(row.year)
            return True

        self.run_dialog(cohort_dialog(submit, next_year, parent=self))

    # --- files ----------------------------------------------------------------------------------

    def choose_open_file(self, title: str) -> str:
        """Ask for a file to import."""
        return self.ctx.interaction.open_file(self, title, "", FILE_FILTER)

    def choose_save_file(self, title: str, suggested: str) -> str:
        """Ask where to export to."""
        return self.ctx.interaction.save_file(self, title, suggested, FILE_FILTER)

    def run_file_task(self, work: Callable[[Progress], Any], title: str, area: Area | None,
                      done_text: Callable[[Any], str]) -> None:
        """Run an import or export off the GUI thread, then say what it did (or why not)."""
        def done(result: Any) -> None:
            if area:
                self.ctx.notify(area)
            self.ctx.messages.info(done_text(result), title=title)

        self.ctx.tasks.start_with_dialog(work, title, self, on_done=done,
                                         on_error=lambda exc: self.ctx.messages.error(exc, title=f"{title}: not done"))
