"""The Pool tab: counts by phase, subject and school, and every mentor, with add, edit, import."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.domain.enums import Phase
from tsa_desktop.domain.mentors import validate_mentor
from tsa_desktop.services.mentors.pool import MentorPool, MentorRow, pool_counts
from tsa_desktop.ui.core.ops import CreateCommand, DeleteCommand, UpdateCommand, push
from tsa_desktop.ui.mentors.dialogs import mentor_dialog, mentor_input
from tsa_desktop.ui.mentors.models import MENTOR_COLUMNS, POOL_COUNT_COLUMNS
from tsa_desktop.ui.core.table_model import RowTableModel
from tsa_desktop.ui.mentors.base import MentorTab, lead_choices, quick_resize
from tsa_desktop.ui.common.table_panel import TablePanel
from tsa_desktop.ui.common.transfer import TransferButtons
from tsa_desktop.ui.core.changes import Area

#: What the "Show" filter offers: label and the rows it keeps.
SHOW = (
    ("All mentors", lambda r: True),
    ("Active only", lambda r: r.active),
    ("Training flagged", lambda r: r.active and r.training.flagged),
    ("Lead mentors", lambda r: r.is_lead_mentor),
    ("Not active", lambda r: not r.active),
)


class PoolTab(MentorTab):
    """The mentor pool: counts at the top, the mentors below."""

    def __init__(self, page) -> None:
        super().__init__(page)
        self._pool: MentorPool | None = None
        self.summary = QLabel(self)
        self.summary.setObjectName("pool_summary")
        self.summary.setStyleSheet("font-size: 11pt;")
        self.count_by = QComboBox(self)
        self.count_by.addItems(["By phase", "By subject", "By school"])
        self.count_by.currentIndexChanged.connect(self._show_counts)
        self.counts = RowTableModel(POOL_COUNT_COLUMNS, self)
        self.counts_view = QTableView(self)
        self.counts_view.setModel(self.counts)
        self.counts_view.verticalHeader().setVisible(False)
        self.counts_view.verticalHeader().setDefaultSectionSize(22)
        self.counts_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.counts_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.panel = TablePanel(MENTOR_COLUMNS, "mentors", parent=self, key_columns=(0, 1))
        self.phase_filter = QComboBox(self)
        self.phase_filter.addItem("All phases", None)
        for phase in Phase:
            self.phase_filter.addItem(phase.label, phase)
        self.school_filter = QComboBox(self)
        self.school_filter.addItem("All schools", None)
        self.show_filter = QComboBox(self)
        for text, _keep in SHOW:
            self.show_filter.addItem(text)
        for box, predicate in ((self.phase_filter, self._phase_ok), (self.school_filter, self._school_ok),
                               (self.show_filter, self._show_ok)):
            box.currentIndexChanged.connect(self.panel.apply_filters)
            self.panel.add_filter(box, predicate)
        self.add_button = self.panel.add_button("Add mentor…", self.add_mentor)
        self.edit_button = self.panel.add_button("Edit…", self.edit_mentor, needs_row=True)
        self.delete_button = self.panel.add_button("Delete", self.delete_mentor, needs_row=True)
        self.view_button = self.panel.add_button("Mentor's view", self.open_view, needs_row=True,
                                                 tooltip="Show this mentor's trainees for the year")
        # Every mentor, whatever the year: the mentors file has no year.
        self.transfer = TransferButtons(self.ctx, self, "mentors")
        self.transfer.add_to(self.panel.buttons, self.panel.buttons.count() - 2)
        self.import_button, self.export_button = self.transfer.import_button, self.transfer.export_button
        self.panel.activated.connect(lambda _row: self.edit_mentor())
        # A mentor's history includes their subjects, unavailability and QA visits.
        self.panel.add_history(self.ctx, "mentors")
        self.edit_buttons += [self.add_button, self.edit_button, self.delete_button]
        quick_resize(self.panel.view)

        counts_box = QWidget(self)
        counts_layout = QVBoxLayout(counts_box)
        counts_layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(QLabel("Count:", self))
        head.addWidget(self.count_by)
        counts_layout.addLayout(head)
        counts_layout.addWidget(self.counts_view)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(counts_box)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([150, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # --- loading ------------------------------------------------------------------------------------

    def load(self) -> None:
        rows = self.page.mentor_rows()
        self._fill_schools(rows)
        self.panel.set_rows(rows)
        self._pool = pool_counts(rows)
        self.summary.setText(self._pool.summary())
        self._show_counts()
        self.transfer.refresh()

    def _show_counts(self) -> None:
        if self._pool is None:
            return
        pool = self._pool
        self.counts.set_rows((pool.by_phase, pool.by_subject, pool.by_school)[self.count_by.currentIndex()])

    def _fill_schools(self, rows: list[MentorRow]) -> None:
        current = self.school_filter.currentData()
        self.school_filter.blockSignals(True)
        self.school_filter.clear()
        self.school_filter.addItem("All schools", None)
        for school_id, name in sorted({(r.school_id, r.school_name) for r in rows}, key=lambda x: x[1].casefold()):
            self.school_filter.addItem(name, school_id)
        self.school_filter.setCurrentIndex(max(0, self.school_filter.findData(current)))
        self.school_filter.blockSignals(False)

    def _phase_ok(self, row: MentorRow) -> bool:
        wanted = self.phase_filter.currentData()
        return wanted is None or row.phase is wanted

    def _school_ok(self, row: MentorRow) -> bool:
        wanted = self.school_filter.currentData()
        return wanted is None or row.school_id == wanted

    def _show_ok(self, row: MentorRow) -> bool:
        return SHOW[max(0, self.show_filter.currentIndex())][1](row)

    # --- editing ------------------------------------------------------------------------------------

    def _dialog_choices(self) -> tuple[list, list, list]:
        ws = self.ctx.workspace
        schools = [(s.id, s.name) for s in self.ctx.call(ws.schools.list) or []]
        blocks = [(b.id, b.name) for b in self.ctx.call(ws.mentors.blocks, self.page.year()) or []]
        return schools, lead_choices(self.page.mentor_rows()), blocks

    def add_mentor(self) -> None:
        service = self.ctx.workspace.mentors
        schools, leads, blocks = self._dialog_choices()

        def submit(values: dict[str, Any]) -> bool:
            data = validate_mentor(mentor_input(values, blocks))
            return push(self.ctx, CreateCommand(self.ctx, f"Add mentor {data.first_name} {data.last_name}",
                                                Area.MENTORS, "mentor", data, service.create, service.delete),
                        in_dialog=True)

        self.page.run_dialog(mentor_dialog("Add mentor", submit, schools, leads, blocks, parent=self))

    def edit_mentor(self, row: MentorRow | None = None) -> None:
        row = row or self.panel.selected()
        if row is None:
            return
        service = self.ctx.workspace.mentors
        schools, leads, blocks = self._dialog_choices()
        leads = [(i, label) for i, label in leads if i != row.id]

        def submit(values: dict[str, Any]) -> bool:
            after = validate_mentor(mentor_input(values, blocks, row.unavailable_block_ids))
            return push(self.ctx, UpdateCommand(self.ctx, f"Edit mentor {after.first_name} {after.last_name}",
                                                Area.MENTORS, "mentor", row.id, row.data(), after,
                                                service.update, row.version), in_dialog=True)

        self.page.run_dialog(mentor_dialog(f"Edit {row.name}", submit, schools, leads, blocks, row, self))

    def delete_mentor(self) -> None:
        row = self.panel.selected()
        if row is None or not self.ctx.messages.confirm(f"Delete {row.name} ({row.email})?"):
            return
        service = self.ctx.workspace.mentors
        push(self.ctx, DeleteCommand(self.ctx, f"Delete mentor {row.name}", Area.MENTORS, "mentor", row.id,
                                     service.delete, service.create, lambda deleted: deleted.data()))

    def open_view(self) -> None:
        row = self.panel.selected()
        if row is not None:
            self.page.show_mentor(row.id)
