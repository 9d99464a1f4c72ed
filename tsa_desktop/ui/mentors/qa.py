"""The Lead mentors & QA tab: lead mentors, the mentors each assures, the visit log, overdue visits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from tsa_desktop.domain.mentors import validate_qa_visit
from tsa_desktop.services.mentors.pool import LeadMentorRow
from tsa_desktop.services.mentors.qa import QaStatusRow, QaVisitRow
from tsa_desktop.ui.core.ops import CreateCommand, DeleteCommand, Op, UpdateCommand, push
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.mentors.dialogs import choose_dialog, qa_visit_dialog
from tsa_desktop.ui.mentors.models import LEAD_COLUMNS, QA_MENTEE_COLUMNS, QA_STATUS_COLUMNS, QA_VISIT_COLUMNS
from tsa_desktop.ui.mentors.base import MentorTab, lead_choices, mentor_choices, quick_resize
from tsa_desktop.ui.common.table_panel import TablePanel
from tsa_desktop.ui.core.changes import Area


class AssignLeadCommand(Op):
    """Give mentors a lead mentor; undo gives each back their previous one."""

    def __init__(self, ctx: AppContext, text: str, mentor_ids: Sequence[int], lead_id: int | None) -> None:
        super().__init__(ctx, text, Area.MENTORS)
        self.mentor_ids, self.lead_id = list(mentor_ids), lead_id
        self.before: dict[int, int | None] = {}

    def apply(self) -> None:
        self.before = self.ctx.workspace.mentors.assign_lead_mentor(self.mentor_ids, self.lead_id)

    def revert(self) -> None:
        self.ctx.workspace.mentors.restore_lead_mentors(self.before)


class QaTab(MentorTab):
    """Lead mentors at the top; below, the chosen one's mentors, the visit log and overdue visits."""

    def __init__(self, page) -> None:
        super().__init__(page)
        self.leads = TablePanel(LEAD_COLUMNS, "lead mentors", parent=self)
        self.designate_button = self.leads.add_button("Designate…", self.designate)
        self.undesignate_button = self.leads.add_button("Remove", self.undesignate, needs_row=True,
                                                        tooltip="Stop being a lead mentor")
        self.leads.selection_changed.connect(self._lead_changed)

        self.mentees = TablePanel(QA_MENTEE_COLUMNS, "mentors", parent=self)
        follows_lead = QWidget(self)  # no widget of its own: the filter follows the selected lead
        self.mentees.add_filter(follows_lead, self._of_lead)
        follows_lead.hide()
        record_mentee = self.mentees.add_button("Record visit…", lambda: self.record_visit(self.mentees.selected()),
                                                needs_row=True)
        self.move_button = self.mentees.add_button("Move to lead mentor…", self.move_mentor, needs_row=True)

        self.visits = TablePanel(QA_VISIT_COLUMNS, "visits", parent=self)
        self.all_visits = QCheckBox("All lead mentors", self)
        self.all_visits.toggled.connect(self.visits.apply_filters)
        self.visits.add_filter(self.all_visits, self._visit_of_lead)
        changes = [self.visits.add_button("Record visit…", lambda: self.record_visit(None)),
                   self.visits.add_button("Edit…", self.edit_visit, needs_row=True),
                   self.visits.add_button("Delete", self.delete_visit, needs_row=True)]
        self.visits.activated.connect(lambda _row: self.edit_visit())
        self.visits.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # a log reads newest first
        self.visits.add_history(self.ctx, "qa_visits",
                                label=lambda r: f"{r.mentor_name}, {r.visit_date:%d/%m/%Y}")

        self.overdue = TablePanel(QA_STATUS_COLUMNS, "overdue", sort_column=3, parent=self)
        record_overdue = self.overdue.add_button("Record visit…", lambda: self.record_visit(self.overdue.selected()),
                                                 needs_row=True)
        self.edit_buttons += [self.designate_button, self.undesignate_button, record_mentee, self.move_button,
                              *changes, record_overdue]
        quick_resize(self.leads.view, self.mentees.view, self.visits.view, self.overdue.view)

        self.right = QTabWidget(self)
        self.right.addTab(self.mentees, "Mentors assured")
        self.right.addTab(self.visits, "Visit log")
        self.right.addTab(self.overdue, "Overdue")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.leads)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([230, 450])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # --- loading ------------------------------------------------------------------------------------

    def load(self) -> None:
        ws = self.ctx.workspace
        leads = self.ctx.call(ws.mentors.lead_mentors, self.page.year(), rows=self.page.mentor_rows())
        if leads is not None:
            self.leads.set_rows(leads)
            if self.leads.selected() is None and leads:
                self.leads.select(lambda _r: True)
        statuses = self.ctx.call(ws.qa.statuses) or []
        self.mentees.set_rows(statuses)
        overdue = [r for r in statuses if r.state.overdue]
        self.overdue.set_rows(overdue)
        self.right.setTabText(2, f"Overdue ({len(overdue)})")
        visits = self.ctx.call(ws.qa.visits)
        if visits is not None:
            self.visits.set_rows(visits)

    def _lead(self) -> LeadMentorRow | None:
        return self.leads.selected()

    def _lead_changed(self) -> None:
        self.mentees.apply_filters()
        self.visits.apply_filters()
        lead = self._lead()
        self.right.setTabText(0, f"Mentors assured by {lead.mentor.name}" if lead else "Mentors assured")

    def _of_lead(self, row: QaStatusRow) -> bool:
        lead = self._lead()
        return lead is not None and row.lead_mentor_id == lead.id

    def _visit_of_lead(self, row: QaVisitRow) -> bool:
        lead = self._lead()
        return self.all_visits.isChecked() or (lead is not None and row.lead_mentor_id == lead.id)

    # --- lead mentors -------------------------------------------------------------------------------

    def designate(self) -> None:
        rows = self.page.mentor_rows()
        choices = mentor_choices([r for r in rows if not r.is_lead_mentor])
        by_id = {r.id: r for r in rows}
        service = self.ctx.workspace.mentors

        def submit(values: dict[str, Any]) -> bool:
            row = by_id[values["choice"]]
            return push(self.ctx, UpdateCommand(self.ctx, f"Designate {row.name} lead mentor", Area.MENTORS, "mentor",
                                                row.id, row.data(), replace(row.data(), is_lead_mentor=True),
                                                service.update, row.version), in_dialog=True)

        self.page.run_dialog(choose_dialog("Designate a lead mentor", "Mentor", choices, submit, parent=self))

    def undesignate(self) -> None:
        lead = self._lead()
        if lead is None or not self.ctx.messages.confirm(f"{lead.mentor.name} stops being a lead mentor?"):
            return
        row, service = lead.mentor, self.ctx.workspace.mentors
        push(self.ctx, UpdateCommand(self.ctx, f"Remove {row.name} as lead mentor", Area.MENTORS, "mentor", row.id,
                                     row.data(), replace(row.data(), is_lead_mentor=False), service.update,
                                     row.version))

    def move_mentor(self) -> None:
        row = self.mentees.selected()
        if row is None:
            return
        choices = [(i, label) for i, label in lead_choices(self.page.mentor_rows()) if i != row.mentor_id]

        def submit(values: dict[str, Any]) -> bool:
            return push(self.ctx, AssignLeadCommand(self.ctx, f"Move {row.mentor_name} to another lead mentor",
                                                    [row.mentor_id], values["choice"]), in_dialog=True)

        self.page.run_dialog(choose_dialog(f"Lead mentor for {row.mentor_name}", "Lead mentor", choices, submit,
                                           parent=self))

    # --- visits -------------------------------------------------------------------------------------

    def _visit_dialog(self, title: str, submit, values: dict[str, Any]):
        rows = self.page.mentor_rows()
        interval = int(self.ctx.call(self.ctx.workspace.alliance.setting, "qa_visit_interval_days") or 365)
        return qa_visit_dialog(title, submit, lead_choices(rows), mentor_choices(rows, active_only=False),
                               interval, values, self)

    def record_visit(self, status: QaStatusRow | None = None) -> None:
        """Log a visit; from a mentor's status row the mentor and their lead mentor are filled in."""
        service = self.ctx.workspace.qa
        lead = self._lead()
        values: dict[str, Any] = {"lead_mentor_id": lead.id} if lead else {}
        mentees = self.mentees.model.rows()
        if lead is not None and mentees:
            values["mentor_id"] = mentees[0].mentor_id  # the selected lead's first mentor listed
        if status is not None:
            values = {"lead_mentor_id": status.lead_mentor_id, "mentor_id": status.mentor_id}

        def submit(form: dict[str, Any]) -> bool:
            data = validate_qa_visit(form)
            return push(self.ctx, CreateCommand(self.ctx, "Record QA visit", Area.QA, "qa_visit", data,
                                                service.record, service.delete), in_dialog=True)

        self.page.run_dialog(self._visit_dialog("Record QA visit", submit, values))

    def edit_visit(self) -> None:
        row = self.visits.selected()
        if row is None:
            return
        service = self.ctx.workspace.qa
        values = {"lead_mentor_id": row.lead_mentor_id, "mentor_id": row.mentor_id, "visit_date": row.visit_date,
                  "focus": row.focus, "outcome": row.outcome.code, "notes": row.notes, "next_due": row.next_due}

        def submit(form: dict[str, Any]) -> bool:
            after = validate_qa_visit(form)
            return push(self.ctx, UpdateCommand(self.ctx, f"Edit QA visit of {row.mentor_name}", Area.QA, "qa_visit",
                                                row.id, row.data(), after, service.update, row.version),
                        in_dialog=True)

        self.page.run_dialog(self._visit_dialog(f"QA visit to {row.mentor_name}", submit, values))

    def delete_visit(self) -> None:
        row = self.visits.selected()
        if row is None or not self.ctx.messages.confirm(
                f"Delete the QA visit to {row.mentor_name} on {row.visit_date:%d/%m/%Y}?"):
            return
        service = self.ctx.workspace.qa
        push(self.ctx, DeleteCommand(self.ctx, f"Delete QA visit of {row.mentor_name}", Area.QA, "qa_visit", row.id,
                                     service.delete, service.record, lambda deleted: deleted.data()))
