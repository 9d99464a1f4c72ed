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
from tsa_desktop.ui.core.table_model import ROW_ROLE, Column

WARNING = "#b03a2e"
OVERDUE_BACKGROUND = "#fbe3e0"
DUE_SOON_BACKGROUND = "#fdf3d8"
DONE = "#1e7b45"


def _attendance_colour(rate: float | None) -> str | None:
    return WARNING if rate is not None and rate < LOW_ATTENDANCE else None


NQT_COLUMNS: tuple[Column[NqtRow], ...] = (
    Column("Name", lambda r: r.name, sort_key=lambda r: r.sort_name, tooltip=lambda r: r.email),
    Column("TRN", lambda r: r.trn),
    Column("School", lambda r: r.school_name, tooltip=lambda r: f"URN {r.school_urn}"),
    Column("Local authority", lambda r: r.local_authority),
    Column("FTE", lambda r: r.fte, numeric=True),
    Column("Terms", lambda r: r.terms_text, sort_key=lambda r: r.terms_counted,
           tooltip=lambda r: f"{r.terms_remaining:g} still to count" if r.terms_remaining else "All counted"),
    Column("Status", lambda r: r.status),
    Column("Next assessment", lambda r: r.next_due, tooltip=lambda r: r.next_assessment or None),
    Column("Overdue", lambda r: r.overdue or None, sort_key=lambda r: r.overdue, numeric=True,
           colour=lambda r: WARNING if r.overdue else None),
    Column("Attendance", lambda r: f"{r.attendance.percent}%" if r.attendance.recorded else "",
           sort_key=lambda r: r.attendance.rate, tooltip=lambda r: r.attendance.text(), numeric=True,
           colour=lambda r: _attendance_colour(r.attendance.rate)),
    Column("Induction tutor", lambda r: r.tutor,
           tooltip=lambda r: (r.tutor_email or None) if r.induction_tutor_id is None
           else f"{r.tutor_email} (mentor pool)"),
    Column("Start", lambda r: r.start_date),
    Column("Appropriate body", lambda r: r.appropriate_body),
)


def _state_colour(r: AssessmentRow) -> str | None:
    if r.state == AssessmentState.OVERDUE:
        return WARNING
    return DONE if r.state == AssessmentState.DONE else None


ASSESSMENT_COLUMNS: tuple[Column[AssessmentRow], ...] = (
    Column("NQT", lambda r: r.nqt_name, sort_key=lambda r: (r.nqt_sort_name.casefold(), r.term),
           tooltip=lambda r: r.email),
    Column("School", lambda r: r.school),
    Column("Term", lambda r: r.term, numeric=True),
    Column("Assessment", lambda r: r.kind),
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
    Column("NQT", lambda r: r.name, sort_key=lambda r: r.sort_name),
    Column("School", lambda r: r.school),
    Column("Attendance", lambda r: r.status.label if r.status else "Not recorded",
           sort_key=lambda r: r.status.label if r.status else "~",
           colour=lambda r: WARNING if r.status is not None and r.status.code == "absent" else None),
)


RATE_COLUMNS: tuple[Column[NqtRow], ...] = (
    Column("NQT", lambda r: r.name, sort_key=lambda r: r.sort_name, tooltip=lambda r: r.school_name),
    Column("Present", lambda r: r.attendance.present, numeric=True),
    Column("Apologies", lambda r: r.attendance.apologies, numeric=True),
    Column("Absent", lambda r: r.attendance.absent, numeric=True),
    Column("Rate", lambda r: f"{r.attendance.percent}%" if r.attendance.recorded else "",
           sort_key=lambda r: r.attendance.rate, numeric=True,
           colour=lambda r: _attendance_colour(r.attendance.rate)),
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
