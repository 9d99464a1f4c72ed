"""The Training tab: mentors never trained or with a refresher overdue, and where they are assigned."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout

from tsa_desktop.domain.mentors import TrainingState, validate_mentor
from tsa_desktop.services.mentors.pool import TrainingRow
from tsa_desktop.ui.core.ops import UpdateCommand, push
from tsa_desktop.ui.mentors.dialogs import training_dialog
from tsa_desktop.ui.mentors.models import TRAINING_COLUMNS
from tsa_desktop.ui.mentors.base import MentorTab, quick_resize
from tsa_desktop.ui.common.table_panel import TablePanel
from tsa_desktop.ui.core.changes import Area


class TrainingTab(MentorTab):
    """Who needs mentor training, with the trainees each is assigned this year."""

    def __init__(self, page) -> None:
        super().__init__(page)
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.panel = TablePanel(TRAINING_COLUMNS, "mentors", sort_column=2, parent=self)
        self.which = QComboBox(self)
        self.which.addItems(["Never trained or refresher overdue", "Also refreshers due soon"])
        self.which.currentIndexChanged.connect(self.panel.apply_filters)
        self.panel.add_filter(self.which, self._wanted)
        self.record_button = self.panel.add_button("Record training…", self.record_training, needs_row=True)
        self.view_button = self.panel.add_button("Mentor's view", self.open_view, needs_row=True)
        self.panel.activated.connect(lambda _row: self.record_training())
        self.edit_buttons.append(self.record_button)
        self.panel.add_history(self.ctx, "mentors", record_id=lambda r: r.mentor.id, label=lambda r: r.mentor.name)
        quick_resize(self.panel.view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.panel, 1)

    def load(self) -> None:
        ws = self.ctx.workspace
        years = self.ctx.call(ws.alliance.setting, "refresher_years") or 2
        self.explain.setText(
            f"Mentors who never had mentor training may not be assigned a trainee: the rotation check "
            f"reports it as an error. A refresher falls due {years} years after the last training; "
            f"an overdue one is a warning. Placements already naming these mentors are listed in "
            f"“Assigned this year” for {self.page.year() or 'the year'}.")
        rows = self.ctx.call(ws.mentors.training, self.page.year())
        if rows is not None:
            self.panel.set_rows(rows)

    def _wanted(self, row: TrainingRow) -> bool:
        return self.which.currentIndex() == 1 or row.mentor.training.state is not TrainingState.REFRESHER_DUE_SOON

    def record_training(self) -> None:
        row = self.panel.selected()
        if row is None:
            return
        mentor = row.mentor
        service = self.ctx.workspace.mentors
        years = int(self.ctx.call(self.ctx.workspace.alliance.setting, "refresher_years") or 2)

        def submit(values: dict[str, Any]) -> bool:
            after = validate_mentor({**asdict(mentor.data()), **values})
            return push(self.ctx, UpdateCommand(self.ctx, f"Record training of {mentor.name}", Area.MENTORS,
                                                "mentor", mentor.id, mentor.data(), after, service.update,
                                                mentor.version), in_dialog=True)

        self.page.run_dialog(training_dialog(mentor, submit, years, self))

    def open_view(self) -> None:
        row = self.panel.selected()
        if row is not None:
            self.page.show_mentor(row.id)
