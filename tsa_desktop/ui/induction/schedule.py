"""The schedule: one ECT's school terms with their reviews and assessments, and the half-term view.

:class:`SchedulePane` sits under the ECTs table and follows the selection; :class:`HalfTermTab`
lists who is due what in the current half-term across every cohort (an ECT in year two belongs
to last year's cohort), overdue ones first.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from tsa_desktop.domain.induction import AssessmentState
from tsa_desktop.services.induction.cohorts import NqtRow
from tsa_desktop.services.induction.schedule import DueItem, ScheduleLine
from tsa_desktop.ui.common.table_panel import TablePanel
from tsa_desktop.ui.induction.models import (
    DUE_COLUMNS,
    DUE_SOON_BACKGROUND,
    OVERDUE_BACKGROUND,
    SCHEDULE_COLUMNS,
    RowShadingDelegate,
)

if TYPE_CHECKING:
    from tsa_desktop.ui.induction.host import InductionHost


def _shade_state(state: str | None) -> str | None:
    if state == AssessmentState.OVERDUE:
        return OVERDUE_BACKGROUND
    if state == AssessmentState.DUE_SOON:
        return DUE_SOON_BACKGROUND
    return None


def _line_shade(line: object) -> str | None:
    assert isinstance(line, ScheduleLine)
    return _shade_state(line.assessment.state if line.assessment is not None else None)


def _item_shade(item: object) -> str | None:
    assert isinstance(item, DueItem)
    return _shade_state(item.state)


def describe(row: NqtRow) -> str:
    """One line about an ECT's induction above their schedule."""
    end = f"expected to end {row.expected_end_date:%d/%m/%Y}" if row.expected_end_date else (
        f"left on {row.left_date:%d/%m/%Y}" if row.left_date else "no start date yet")
    regime = ("an NQT under the old rules (three terms)" if row.kind_label == "NQT"
              else "an early career teacher (six school terms, pro rata)")
    parts = [f"<b>{escape(row.name)}</b>: {regime}, {row.terms_text} terms, {end}"]
    if row.timetable_reduction:
        parts.append(f"Timetable reduction now {row.timetable_reduction}%")
    if row.due_this_term:
        parts.append("Due this term: " + "; ".join(row.due_this_term))
    text = ". ".join(parts) + "."
    for warning in row.warnings:
        text += f"<br><span style='color:#b03a2e'>{escape(warning)}</span>"
    return text


class SchedulePane(QWidget):
    """The selected ECT's induction term by term."""

    def __init__(self, page: InductionHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page, self.ctx = page, page.ctx
        self.heading = QLabel("Choose an early career teacher to see their schedule.", self)
        self.heading.setWordWrap(True)
        self.panel = TablePanel(SCHEDULE_COLUMNS, "school terms", parent=self)
        self.panel.view.setItemDelegate(RowShadingDelegate(_line_shade, self.panel.view))
        self.panel.search.hide()  # a dozen rows at most: nothing to search
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.panel, 1)

    def show_for(self, row: NqtRow | None, today: dt.date) -> None:
        """Show one person's schedule, or nothing."""
        if row is None:
            self.heading.setText("Choose an early career teacher to see their schedule.")
            self.panel.set_rows([])
            return
        schedule = self.ctx.call(self.ctx.workspace.induction.schedule.of, row.id, today)
        if schedule is None:
            return
        self.heading.setText(describe(schedule.person))
        self.panel.set_rows(list(schedule.lines))


class HalfTermTab(QWidget):
    """Who is due what this half-term, across every cohort (or only the chosen one)."""

    def __init__(self, page: InductionHost) -> None:
        super().__init__(page)
        self.page, self.ctx = page, page.ctx
        self.sentence = QLabel(self)
        self.sentence.setWordWrap(True)
        self.only_cohort = QCheckBox("Only this cohort", self)
        self.only_cohort.setToolTip("Early career teachers in their second year belong to last year's cohort")
        self.only_cohort.toggled.connect(lambda _on: self.load(self.page.cohort_id(), self.page.today()))
        self.panel = TablePanel(DUE_COLUMNS, "reviews and assessments", parent=self)
        self.panel.view.setItemDelegate(RowShadingDelegate(_item_shade, self.panel.view))
        self.panel.filters.addWidget(self.only_cohort)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sentence)
        layout.addWidget(self.panel, 1)

    def load(self, cohort_id: int | None, today: dt.date) -> None:
        """Read the half-term of ``today``: overdue items first, then those due, by date."""
        wanted = cohort_id if self.only_cohort.isChecked() else None
        if self.only_cohort.isChecked() and cohort_id is None:
            self.sentence.setText("")
            self.panel.set_rows([])
            return
        view = self.ctx.call(self.ctx.workspace.induction.schedule.due_this_half_term, today, wanted)
        if view is None:
            return
        self.sentence.setText(view.sentence())
        self.panel.set_rows([*view.overdue, *view.due])
