"""The Reviews & assessments tab: each ECT's termly reviews and formal assessments (an NQT's three
assessments), overdue ones highlighted."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from tsa_desktop.domain.induction import AssessmentState
from tsa_desktop.services.induction.assessments import AssessmentRow
from tsa_desktop.ui.core.ops import push
from tsa_desktop.ui.induction.dialogs import assessment_dialog
from tsa_desktop.ui.induction.models import ASSESSMENT_COLUMNS, RowShadingDelegate, assessment_background
from tsa_desktop.ui.induction.commands import AREA, RecordAssessmentCommand
from tsa_desktop.ui.common.table_panel import TablePanel

if TYPE_CHECKING:
    from tsa_desktop.ui.induction.host import InductionHost

#: The "Show" filter: label -> which states it keeps (None: all).
SHOW = (
    ("All assessments", None),
    ("Overdue", {AssessmentState.OVERDUE}),
    ("Still to do", {AssessmentState.OVERDUE, AssessmentState.DUE_SOON, AssessmentState.UPCOMING,
                     AssessmentState.UNSCHEDULED}),
    ("Done", {AssessmentState.DONE}),
)

STATE_COLUMN = next(i for i, c in enumerate(ASSESSMENT_COLUMNS) if c.title == "State")


class AssessmentsTab(QWidget):
    """Progress reviews and final assessments of the cohort, most urgent first."""

    def __init__(self, page: InductionHost) -> None:
        super().__init__(page)
        self.page, self.ctx = page, page.ctx
        self.panel = TablePanel(ASSESSMENT_COLUMNS, "assessments", sort_column=STATE_COLUMN, parent=self)
        self.shading = RowShadingDelegate(assessment_background, self.panel.view)
        self.panel.view.setItemDelegate(self.shading)
        # Fitting columns to every row of a large cohort costs most of a reload: 100 rows tell.
        self.panel.view.horizontalHeader().setResizeContentsPrecision(100)
        self.show_filter = QComboBox(self)
        for label, _states in SHOW:
            self.show_filter.addItem(label)
        self.show_filter.currentIndexChanged.connect(self.panel.apply_filters)
        self.panel.add_filter(self.show_filter, self._shown)
        self.record_button = self.panel.add_button("Record…", self.record, needs_row=True,
                                                   tooltip="Record the date and outcome of the assessment")
        self.import_button = self.panel.add_button("Import outcomes…", lambda: self.import_outcomes(),
                                                   tooltip="Record outcomes from a CSV or Excel file "
                                                           "(email, term, completed, outcome); all or nothing")
        self.export_button = self.panel.add_button("Export outcomes…", lambda: self.export_outcomes(),
                                                   tooltip="Save every assessment of this cohort to a file")
        self.panel.activated.connect(lambda _row: self.record() if self.page.may("edit") else None)
        # A scheduled assessment has no record yet: the teacher's history holds all of theirs.
        self.panel.add_history(self.ctx, "nqts", record_id=lambda r: r.nqt_id, label=lambda r: r.nqt_name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)

    def _shown(self, row: AssessmentRow) -> bool:
        states = SHOW[self.show_filter.currentIndex()][1]
        return states is None or row.state in states

    def load(self, cohort_id: int | None, today: dt.date) -> None:
        rows = [] if cohort_id is None else self.ctx.call(
            self.ctx.workspace.induction.assessments.list, cohort_id, today)
        self.panel.set_rows(rows or [], keep=self._keep())
        self.import_button.setEnabled(cohort_id is not None)
        self.export_button.setEnabled(cohort_id is not None)
        self.record_button.setVisible(self.page.may("edit"))
        self.import_button.setVisible(self.page.may("import"))
        self.export_button.setVisible(self.page.may("export"))

    def _keep(self):
        current = self.panel.selected()
        if current is None:
            return None
        return lambda r, k=(current.nqt_id, current.term): (r.nqt_id, r.term) == k

    def overdue_rows(self) -> list[AssessmentRow]:
        return [r for r in self.panel.model.all_rows() if r.overdue]

    def record(self) -> None:
        row = self.panel.selected()
        if row is None:
            return
        service = self.ctx.workspace.induction.assessments
        values = {"due_date": row.due_date, "completed_date": row.completed_date,
                  "outcome": row.outcome.code if row.outcome else None, "notes": row.notes}
        # Before the first save an assessment is only scheduled: undo clears it again.
        before = row.data()

        def submit(typed: dict) -> bool:
            return push(self.ctx, RecordAssessmentCommand(
                self.ctx, f"Record {row.kind.label.lower()} for {row.nqt_name}", service, row.nqt_id, row.term,
                before, typed, row.version, self.page.today()), in_dialog=True)

        dialog = assessment_dialog(f"{row.label}: {row.nqt_name}", row.kind, submit, values, parent=self)
        self.page.run_dialog(dialog)

    def import_outcomes(self, path: str | None = None) -> None:
        service = self.ctx.workspace.induction.outcomes
        path = path or self.page.choose_open_file("Import outcomes")
        if not path:
            return
        today = self.page.today()
        self.page.run_file_task(lambda progress: service.import_file(path, progress, today), "Import outcomes",
                                AREA, lambda report: f"Imported {path}: {report}.")

    def export_outcomes(self, path: str | None = None) -> None:
        service = self.ctx.workspace.induction.outcomes
        year = self.page.cohort_year()
        path = path or self.page.choose_save_file("Export outcomes", f"induction outcomes {year.replace('/', '-')}.xlsx")
        if not path:
            return
        today = self.page.today()
        self.page.run_file_task(lambda _progress: service.export(path, year, today), "Export outcomes", None,
                                lambda n: f"Saved {n} assessments of the {year} cohort to {path}.")
