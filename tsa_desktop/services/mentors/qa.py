"""Lead mentors' quality-assurance visits: the log, and which mentors are due or overdue a visit."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from tsa_desktop.db import models as m
from tsa_desktop.db.engine import Database
from tsa_desktop.domain.enums import QaOutcome
from tsa_desktop.domain.errors import FieldProblem, NotFoundError, ValidationError
from tsa_desktop.domain.mentors import (
    QaState,
    QaVisitData,
    QaVisitInfo,
    default_next_due,
    qa_interval,
    qa_status,
    validate_qa_visit,
)
from tsa_desktop.services.reference.alliance import AllianceService
from tsa_desktop.services.base import Service, check_version


@dataclass(frozen=True)
class QaVisitRow:
    """One visit in the log."""

    id: int
    lead_mentor_id: int
    lead_mentor_name: str
    mentor_id: int
    mentor_name: str
    school_name: str
    visit_date: dt.date
    focus: str
    outcome: QaOutcome
    notes: str
    next_due: dt.date | None
    version: int

    def data(self) -> QaVisitData:
        """The editable fields, e.g. to undo an edit or a delete."""
        return QaVisitData(self.lead_mentor_id, self.mentor_id, self.visit_date, self.outcome,
                           self.focus, self.notes, self.next_due)


@dataclass(frozen=True)
class QaStatusRow:
    """Where one active mentor with a lead mentor stands with QA visits."""

    mentor_id: int
    mentor_name: str
    mentor_sort_name: str
    school_name: str
    lead_mentor_id: int
    lead_mentor_name: str
    state: QaState
    last_visit: dt.date | None
    last_outcome: QaOutcome | None
    next_due: dt.date | None
    days_overdue: int | None

    @property
    def id(self) -> int:
        return self.mentor_id


_Lead = aliased(m.Mentor)


class QaService(Service):
    """Use cases for the QA visit log.

    Args:
        db: The open database.
        alliance: The alliance's settings (the interval between QA visits).
    """

    def __init__(self, db: Database, alliance: AllianceService) -> None:
        super().__init__(db)
        self._alliance = alliance

    def visits(self, lead_mentor_id: int | None = None, mentor_id: int | None = None) -> list[QaVisitRow]:
        """Visits, newest first; only one lead mentor's or one mentor's when given."""
        stmt = self._select().order_by(m.QaVisit.visit_date.desc(), m.QaVisit.id.desc())
        if lead_mentor_id is not None:
            stmt = stmt.where(m.QaVisit.lead_mentor_id == lead_mentor_id)
        if mentor_id is not None:
            stmt = stmt.where(m.QaVisit.mentor_id == mentor_id)
        with self._read() as s:
            return [_row(*found) for found in s.execute(stmt)]

    def get(self, visit_id: int) -> QaVisitRow:
        """One visit. Raises NotFoundError when it was deleted meanwhile."""
        with self._read() as s:
            found = s.execute(self._select().where(m.QaVisit.id == visit_id)).first()
            if found is None:
                raise NotFoundError("That QA visit no longer exists; somebody may have deleted it.")
            return _row(*found)

    def record(self, raw: dict | QaVisitData, today: dt.date | None = None) -> QaVisitRow:
        """Log a visit. Without a next-due date, one is worked out from the interval setting.

        Raises:
            ValidationError: a field is wrong, the visitor is not a lead mentor, or the mentor
                does not exist.
        """
        data = raw if isinstance(raw, QaVisitData) else validate_qa_visit(raw, today)
        interval = qa_interval(self._alliance.settings())
        with self._write() as s:
            self._check(s, data)
            visit = m.QaVisit()
            _apply(visit, data, interval)
            s.add(visit)
            s.flush()
            new_id = visit.id
        return self.get(new_id)

    def update(self, visit_id: int, raw: dict | QaVisitData, expected_version: int | None = None,
               today: dt.date | None = None) -> QaVisitRow:
        """Change a logged visit."""
        data = raw if isinstance(raw, QaVisitData) else validate_qa_visit(raw, today)
        interval = qa_interval(self._alliance.settings())
        with self._write() as s:
            visit = s.get(m.QaVisit, visit_id)
            if visit is None:
                raise NotFoundError("That QA visit no longer exists; somebody may have deleted it.")
            check_version(visit.version, expected_version, f"The visit of {visit.visit_date:%d/%m/%Y}")
            self._check(s, data)
            _apply(visit, data, interval)
        return self.get(visit_id)

    def delete(self, visit_id: int) -> QaVisitRow:
        """Delete a visit; returns it so that the delete can be undone."""
        row = self.get(visit_id)
        with self._write() as s:
            visit = s.get(m.QaVisit, visit_id)
            if visit is not None:
                s.delete(visit)
        return row

    def statuses(self, today: dt.date | None = None, lead_mentor_id: int | None = None) -> list[QaStatusRow]:
        """Every active mentor who has a lead mentor, with their QA state; most overdue first."""
        today = today or dt.date.today()
        interval = qa_interval(self._alliance.settings())
        stmt = (select(m.Mentor, m.School.name, _Lead.first_name + " " + _Lead.last_name)
                .join(m.School, m.School.id == m.Mentor.school_id)
                .join(_Lead, _Lead.id == m.Mentor.lead_mentor_id)
                .where(m.Mentor.active.is_(True)))
        if lead_mentor_id is not None:
            stmt = stmt.where(m.Mentor.lead_mentor_id == lead_mentor_id)
        with self._read() as s:
            found = s.execute(stmt).all()
            visits: dict[int, list[QaVisitInfo]] = defaultdict(list)
            for mid, day, outcome, due in s.execute(select(m.QaVisit.mentor_id, m.QaVisit.visit_date,
                                                           m.QaVisit.outcome, m.QaVisit.next_due)):
                visits[mid].append(QaVisitInfo(mid, day, QaOutcome.parse(outcome), due))
            found = [(mt.id, f"{mt.first_name} {mt.last_name}", f"{mt.last_name}, {mt.first_name}",
                      mt.lead_mentor_id, school, lead_name) for mt, school, lead_name in found]
        rows = []
        for mentor_id, name, sort_name, lead_id, school, lead_name in found:
            status = qa_status(True, visits.get(mentor_id, ()), interval, today)
            last = status.last_visit
            rows.append(QaStatusRow(
                mentor_id, name, sort_name, school, lead_id, lead_name, status.state, last.visit_date if last else None,
                last.outcome if last else None, status.next_due, status.days_overdue(today)))
        order = {state: i for i, state in enumerate(QaState)}
        rows.sort(key=lambda r: (order[r.state], r.next_due or dt.date.min, r.mentor_sort_name.casefold()))
        return rows

    def overdue(self, today: dt.date | None = None, lead_mentor_id: int | None = None) -> list[QaStatusRow]:
        """Mentors whose QA visit is overdue, or who have never had one."""
        return [r for r in self.statuses(today, lead_mentor_id) if r.state.overdue]

    # --- internals ----------------------------------------------------------------------------------

    @staticmethod
    def _select():
        return (select(m.QaVisit, _Lead.first_name + " " + _Lead.last_name,
                       m.Mentor.first_name + " " + m.Mentor.last_name, m.School.name)
                .join(_Lead, _Lead.id == m.QaVisit.lead_mentor_id)
                .join(m.Mentor, m.Mentor.id == m.QaVisit.mentor_id)
                .join(m.School, m.School.id == m.Mentor.school_id))

    @staticmethod
    def _check(s: Session, data: QaVisitData) -> None:
        problems = []
        lead = s.get(m.Mentor, data.lead_mentor_id)
        if lead is None:
            problems.append(FieldProblem("lead_mentor_id", "no such mentor; they may have been deleted"))
        elif not lead.is_lead_mentor:
            problems.append(FieldProblem("lead_mentor_id", f"{lead.first_name} {lead.last_name} "
                                         "is not a lead mentor"))
        if s.get(m.Mentor, data.mentor_id) is None:
            problems.append(FieldProblem("mentor_id", "no such mentor; they may have been deleted"))
        if problems:
            raise ValidationError(problems, kind="qa_visits")


def _apply(visit: m.QaVisit, data: QaVisitData, interval: int) -> None:
    visit.lead_mentor_id, visit.mentor_id = data.lead_mentor_id, data.mentor_id
    visit.visit_date, visit.outcome = data.visit_date, data.outcome.code
    visit.focus, visit.notes = data.focus, data.notes
    # Stored, not recomputed: the log shows the date agreed at the visit even if the setting changes.
    visit.next_due = data.next_due or default_next_due(data.visit_date, data.outcome, interval)


def _row(visit: m.QaVisit, lead_name: str, mentor_name: str, school: str) -> QaVisitRow:
    return QaVisitRow(visit.id, visit.lead_mentor_id, lead_name, visit.mentor_id, mentor_name, school,
                      visit.visit_date, visit.focus, QaOutcome.parse(visit.outcome), visit.notes,
                      visit.next_due, visit.version)
