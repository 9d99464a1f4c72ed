"""Columns of the induction tables, and a delegate that shades rows needing attention."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QStyleOptionViewItem, QStyledItemDelegate, QWidget

from tsa_desktop.domain.induction import LOW_ATTENDANCE, AssessmentState
from tsa_desktop.services.induction.cohorts import NqtRow
from tsa_desktop.services.induction.assessments import AssessmentRow
from tsa_desktop.services.induction.programme import AttendanceRow, SessionRow
from tsa_desktop.services.induction.schedule import DueItem, ScheduleLine
from tsa_desktop.ui.core.table_model import ROW_ROLE, Column

WARNING = "#b03a2e"
OVERDUE_BACKGROUND = "#fbe3e0"
DUE_SOON_BACKGROUND = "#fdf3d8"
DONE = "#1e7b45"


def _attendance_colour(rate: float | None) -> str | None:
    return WARNING if rate is not None and rate < LOW_ATTENDANCE else None


def _terms_tip(r: NqtRow) -> str:
    base = "six school terms" if r.kind_label == "ECT" else "three terms (started before September 2021)"
    parts = [f"Induction of {base}"]
    if r.reduced_terms:
        parts.append(f"reduced by {r.reduced_terms:g} for previous experience")
    if r.extension_terms:
        parts.append(f"extended by {r.extension_terms:g}")
    still = f"{r.terms_remaining:g} still to count" if r.terms_remaining else "all counted"
    return ", ".join(parts) + f"; {still}."


def _due_text(r: NqtRow) -> str:
    return "; ".join(r.due_this_term)


def _due_tip(r: NqtRow) -> str | None:
    if r.overdue_items:
        return "Overdue: " + "; ".join(r.overdue_items)
    return r.next_assessment and f"Next: {r.next_assessment}" or None


def _mentor_tip(r: NqtRow) -> str | None:
    if r.warnings:
        return " ".join(r.warnings)
    return r.mentor_email or "No mentor chosen yet"


def _school_tip(r: NqtRow) -> str:
    """Where they teach, and who supports the induction (the table leaves these out for room)."""
    lines = [f"URN {r.school_urn}, {r.local_authority}"]
    if r.programme_label:
        lines.append(f"Programme: {r.programme_label}")
    if r.appropriate_body:
        lines.append(f"Appropriate body: {r.appropriate_body}")
    return "\n".join(lines)


NQT_COLUMNS: tuple[Column[NqtRow], ...] = (
    Column("Name", lambda r: r.name, sort_key=lambda r: r.sort_name, tooltip=lambda r: r.email),
    Column("", lambda r: r.kind_label,
           tooltip=lambda r: "An NQT: induction started before 1 September 2021 (three terms)"
           if r.kind_label == "NQT" else "An early career teacher (two-year induction)"),
    Column("TRN", lambda r: r.trn),
    Column("School", lambda r: r.school_name, tooltip=_school_tip),
    Column("FTE", lambda r: r.fte, numeric=True),
    Column("Terms", lambda r: r.terms_text, sort_key=lambda r: r.terms_counted, tooltip=_terms_tip),
    Column("Expected end", lambda r: r.expected_end_date,
           tooltip=lambda r: "The last day of the school term in which induction is expected to end"),
    Column("Due this term", _due_text, tooltip=_due_tip,
           colour=lambda r: WARNING if r.overdue_items else None),
    Column("Overdue", lambda r: r.overdue or None, sort_key=lambda r: r.overdue, numeric=True,
           colour=lambda r: WARNING if r.overdue else None),
    Column("Status", lambda r: r.status),
    Column("Mentor", lambda r: r.mentor, tooltip=_mentor_tip, colour=lambda r: WARNING if r.warnings else None),
    Column("Induction tutor", lambda r: r.tutor,
           tooltip=lambda r: (r.tutor_email or None) if r.induction_tutor_id is None
           else f"{r.tutor_email} (mentor pool)"),
    Column("Timetable", lambda r: f"{r.timetable_reduction}%" if r.timetable_reduction else "",
           sort_key=lambda r: r.timetable_reduction, numeric=True,
           tooltip=lambda r: "Timetable reduction now: 10% in year one, 5% in year two"),
    Column("Attendance", lambda r: f"{r.attendance.percent}%" if r.attendance.recorded else "",
           sort_key=lambda r: r.attendance.rate, tooltip=lambda r: r.attendance.text(), numeric=True,
           colour=lambda r: _attendance_colour(r.attendance.rate)),
    Column("Start", lambda r: r.start_date),
)


def _state_colour(r: AssessmentRow) -> str | None:
    if r.state == AssessmentState.OVERDUE:
        return WARNING
    return DONE if r.state == AssessmentState.DONE else None


ASSESSMENT_COLUMNS: tuple[Column[AssessmentRow], ...] = (
    Column("Teacher", lambda r: r.nqt_name, sort_key=lambda r: (r.nqt_sort_name.casefold(), r.due_date.toordinal() if r.due_date else r.term),
           tooltip=lambda r: r.email),
    Column("School", lambda r: r.school),
    Column("Term", lambda r: r.school_term.name if r.school_term else (f"Term {r.term}" if r.term else ""),
           sort_key=lambda r: r.due_date, tooltip=lambda r: f"Term {r.term} of induction" if r.term else None),
    Column("Review or assessment", lambda r: r.kind,
           tooltip=lambda r: "A formal assessment" if r.kind.formal else "A progress review (no formal assessment)"),
    Column("Due", lambda r: r.due_date),
    Column("Completed", lambda r: r.completed_date),
    Column("Outcome", lambda r: r.outcome, tooltip=lambda r: r.notes or None),
    Column("State", lambda r: r.state,
           sort_key=lambda r: (AssessmentState.ORDER.index(r.state), r.due_date.toordinal() if r.due_date else 0),
           colour=_state_colour),
)


SESSION_COLUMNS: tuple[Column[SessionRow], ...] = (
    Column("Date", lambda r: r.session_date),
    Column("Topic", lambda r: r.topic),
    Column("Present", lambda r: r.attendance_text, sort_key=lambda r: r.present, numeric=True,
           tooltip=lambda r: None if r.recorded else "Attendance not recorded yet"),
    Column("Venue", lambda r: r.venue),
    Column("Led by", lambda r: r.leader),
)


MARK_COLUMNS: tuple[Column[AttendanceRow], ...] = (
    Column("Teacher", lambda r: r.name, sort_key=lambda r: r.sort_name),
    Column("School", lambda r: r.school),
    Column("Attendance", lambda r: r.status.label if r.status else "Not recorded",
           sort_key=lambda r: r.status.label if r.status else "~",
           colour=lambda r: WARNING if r.status is not None and r.status.code == "absent" else None),
)


RATE_COLUMNS: tuple[Column[NqtRow], ...] = (
    Column("Teacher", lambda r: r.name, sort_key=lambda r: r.sort_name, tooltip=lambda r: r.school_name),
    Column("Present", lambda r: r.attendance.present, numeric=True),
    Column("Apologies", lambda r: r.attendance.apologies, numeric=True),
    Column("Absent", lambda r: r.attendance.absent, numeric=True),
    Column("Rate", lambda r: f"{r.attendance.percent}%" if r.attendance.recorded else "",
           sort_key=lambda r: r.attendance.rate, numeric=True,
           colour=lambda r: _attendance_colour(r.attendance.rate)),
)


def _line_state(r: ScheduleLine) -> str:
    return r.assessment.state if r.assessment is not None else ""


SCHEDULE_COLUMNS: tuple[Column[ScheduleLine], ...] = (
    Column("School term", lambda r: r.term, sort_key=lambda r: r.number,
           tooltip=lambda r: f"Served {r.start:%d/%m/%Y} to {r.end:%d/%m/%Y}"
           + (f" ({r.share:g} of the term)" if r.share < 1 else "")),
    Column("Year", lambda r: r.year, numeric=True),
    Column("Terms counted", lambda r: r.counted, numeric=True),
    Column("Timetable", lambda r: f"{r.timetable_reduction}%", sort_key=lambda r: r.timetable_reduction,
           numeric=True),
    Column("Review or assessment", lambda r: r.assessment.kind if r.assessment else ""),
    Column("Due", lambda r: r.assessment.due_date if r.assessment else None),
    Column("Completed", lambda r: r.assessment.completed_date if r.assessment else None),
    Column("Outcome", lambda r: r.assessment.outcome if r.assessment else None),
    Column("State", _line_state, colour=lambda r: _state_colour(r.assessment) if r.assessment else None),
)


DUE_COLUMNS: tuple[Column[DueItem], ...] = (
    Column("Due", lambda r: r.due_date),
    Column("Teacher", lambda r: r.name, sort_key=lambda r: r.sort_name),
    Column("", lambda r: r.kind_label),
    Column("School", lambda r: r.school),
    Column("Review or assessment", lambda r: r.what),
    Column("State", lambda r: r.state, colour=lambda r: WARNING if r.state == AssessmentState.OVERDUE else None),
    Column("Induction tutor", lambda r: r.tutor),
    Column("Mentor", lambda r: r.mentor),
)


def assessment_background(row: AssessmentRow) -> str | None:
    """Overdue assessments are shaded red, those due within a fortnight amber."""
    if row.state == AssessmentState.OVERDUE:
        return OVERDUE_BACKGROUND
    if row.state == AssessmentState.DUE_SOON:
        return DUE_SOON_BACKGROUND
    return None


class RowShadingDelegate(QStyledItemDelegate):
    """Paints a whole row's background in a colour chosen from its row object.

    A delegate rather than a model role, so that any :class:`RowTableModel` (and the
    :class:`TablePanel` that owns one) can shade rows without being replaced.

    Args:
        shade: Row object -> a colour name, or None for the normal background.
    """

    def __init__(self, shade: Callable[[object], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shade = shade

    def colour_for(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        row = index.data(ROW_ROLE)
        return self._shade(row) if row is not None else None

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        colour = self.colour_for(index)
        if colour:
            option.backgroundBrush = QBrush(QColor(colour))
