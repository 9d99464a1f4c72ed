"""The induction programme: a cohort's sessions and each NQT's attendance at them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import AttendanceStatus, NqtStatus
from tsa_desktop.domain.errors import FieldProblem, NotFoundError, ValidationError
from tsa_desktop.domain.induction import AttendanceRate
from tsa_desktop.domain.induction_records import SessionData, validate_session
from tsa_desktop.services.base import Service, check_version


@dataclass(frozen=True)
class SessionRow:
    """A session of the programme, with how many NQTs were marked present of those recorded."""

    id: int
    version: int
    cohort_id: int
    session_date: dt.date
    topic: str
    venue: str
    leader: str
    present: int = 0
    recorded: int = 0

    def data(self) -> SessionData:
        return SessionData(self.cohort_id, self.session_date, self.topic, self.venue, self.leader)

    @property
    def attendance_text(self) -> str:
        """E.g. "31 of 36", or "" when nothing is recorded."""
        return f"{self.present} of {self.recorded}" if self.recorded else ""


@dataclass(frozen=True)
class SessionSnapshot:
    """A deleted session with its attendance marks, for undo."""

    data: SessionData
    marks: tuple[tuple[int, AttendanceStatus], ...] = ()


@dataclass(frozen=True)
class AttendanceRow:
    """One NQT's mark at one session (None: not recorded)."""

    nqt_id: int
    name: str
    sort_name: str
    school: str
    nqt_status: NqtStatus
    status: AttendanceStatus | None


def attendance_rates(s: Session, nqt_ids: Iterable[int]) -> dict[int, AttendanceRate]:
    """Each NQT's attendance over the sessions recorded for them."""
    ids = list(nqt_ids)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        stmt = (select(m.SessionAttendance.nqt_id, m.SessionAttendance.status, func.count())
                .where(m.SessionAttendance.nqt_id.in_(chunk))
                .group_by(m.SessionAttendance.nqt_id, m.SessionAttendance.status))
        for nqt_id, status, n in s.execute(stmt):
            counts[nqt_id][AttendanceStatus.parse(status).code] = n
    return {nqt_id: AttendanceRate(c.get("present", 0), c.get("absent", 0), c.get("apologies", 0))
            for nqt_id, c in counts.items()}


def _year_of_cohort(s: Session, cohort_id: int) -> str:
    year = s.scalar(select(m.AcademicYear.name).join(
        m.InductionCohort, m.InductionCohort.academic_year_id == m.AcademicYear.id)
        .where(m.InductionCohort.id == cohort_id))
    if year is None:
        raise NotFoundError("That induction cohort no longer exists; somebody may have deleted it.")
    return year


class ProgrammeService(Service):
    """Use cases for induction sessions and attendance."""

    def sessions(self, cohort_id: int) -> list[SessionRow]:
        """A cohort's sessions by date, with attendance counts."""
        present = func.sum(case((m.SessionAttendance.status == AttendanceStatus.PRESENT.code, 1), else_=0))
        counts = (select(m.SessionAttendance.session_id, present.label("present"), func.count().label("n"))
                  .group_by(m.SessionAttendance.session_id).subquery())
        stmt = (select(m.InductionSession, func.coalesce(counts.c.present, 0), func.coalesce(counts.c.n, 0))
                .outerjoin(counts, counts.c.session_id == m.InductionSession.id)
                .where(m.InductionSession.cohort_id == cohort_id)
                .order_by(m.InductionSession.session_date, m.InductionSession.id))
        with self._read() as s:
            return [_session_row(x, int(p), int(n)) for x, p, n in s.execute(stmt)]

    def create_session(self, raw: Mapping[str, Any] | SessionData) -> SessionRow:
        """Add a session to a cohort's programme.

        Raises:
            ValidationError: no date or topic, or a date outside the cohort's year.
        """
        with self._write() as s:
            data = self._validated(s, raw)
            session = m.InductionSession(cohort_id=data.cohort_id)
            _apply(session, data)
            s.add(session)
            s.flush()
            return _session_row(session)

    def update_session(self, session_id: int, raw: Mapping[str, Any] | SessionData,
                       expected_version: int | None = None) -> SessionRow:
        """Change a session's date, topic, venue or leader."""
        with self._write() as s:
            session = _load(s, session_id)
            check_version(session.version, expected_version, f"The session {session.topic}")
            data = self._validated(s, {**_as_dict(raw), "cohort_id": session.cohort_id})
            _apply(session, data)
            s.flush()
            return _session_row(session)

    def delete_session(self, session_id: int) -> SessionSnapshot:
        """Delete a session with its attendance; returns what :meth:`restore_session` needs."""
        with self._write() as s:
            session = _load(s, session_id)
            marks = tuple((a.nqt_id, AttendanceStatus.parse(a.status)) for a in s.scalars(
                select(m.SessionAttendance).where(m.SessionAttendance.session_id == session_id)))
            snapshot = SessionSnapshot(_session_row(session).data(), marks)
            s.delete(session)
            return snapshot

    def restore_session(self, snapshot: SessionSnapshot) -> SessionRow:
        """Bring back a deleted session and the attendance marked at it."""
        with self._write() as s:
            data = self._validated(s, snapshot.data)
            session = m.InductionSession(cohort_id=data.cohort_id)
            _apply(session, data)
            s.add(session)
            s.flush()
            existing = set(s.scalars(select(m.Nqt.id).where(m.Nqt.cohort_id == data.cohort_id)))
            for nqt_id, status in snapshot.marks:
                if nqt_id in existing:
                    s.add(m.SessionAttendance(session_id=session.id, nqt_id=nqt_id, status=status.code))
            s.flush()
            present = sum(1 for n, st in snapshot.marks if n in existing and st is AttendanceStatus.PRESENT)
            recorded = sum(1 for n, _ in snapshot.marks if n in existing)
            return _session_row(session, present, recorded)

    def attendance(self, session_id: int) -> list[AttendanceRow]:
        """Every NQT of the session's cohort with their mark at it, by name."""
        with self._read() as s:
            session = _load(s, session_id)
            marks = dict(s.execute(select(m.SessionAttendance.nqt_id, m.SessionAttendance.status)
                                   .where(m.SessionAttendance.session_id == session_id)).all())
            stmt = (select(m.Nqt, m.School.name).join(m.School, m.School.id == m.Nqt.employing_school_id)
                    .where(m.Nqt.cohort_id == session.cohort_id)
                    .order_by(m.Nqt.last_name, m.Nqt.first_names, m.Nqt.id))
            return [AttendanceRow(n.id, f"{n.first_names} {n.last_name}", f"{n.last_name} {n.first_names}",
                                  school, NqtStatus.parse(n.status),
                                  AttendanceStatus.parse(marks[n.id]) if n.id in marks else None)
                    for n, school in s.execute(stmt)]

    def set_attendance(self, session_id: int, marks: Mapping[int, AttendanceStatus | str | None],
                       today: dt.date | None = None) -> dict[int, AttendanceStatus | None]:
        """Mark NQTs present, absent or with apologies at a session (None clears a mark).

        Args:
            session_id: The session.
            marks: NQT id -> the new mark.
            today: Attendance cannot be recorded for a session that has not happened yet.

        Returns:
            The marks these NQTs had before, so that the change can be undone.

        Raises:
            ValidationError: the session is in the future, an NQT is not in its cohort, or a mark
            is not present, absent or apologies. Nothing is changed.
        """
        today = today or dt.date.today()
        with self._write() as s:
            session = _load(s, session_id)
            problems = []
            parsed: dict[int, AttendanceStatus | None] = {}
            if any(v is not None for v in marks.values()) and session.session_date > today:
                problems.append(FieldProblem(
                    "attendance", f"the session on {session.session_date:%d/%m/%Y} has not happened yet"))
            members = dict(s.execute(select(m.Nqt.id, m.Nqt.email).where(m.Nqt.cohort_id == session.cohort_id)).all())
            for nqt_id, value in marks.items():
                if nqt_id not in members:
                    problems.append(FieldProblem("nqt", "is not in this session's cohort", value=str(nqt_id)))
                    continue
                try:
                    parsed[nqt_id] = None if value is None else AttendanceStatus.parse(value)
                except ValueError as exc:
                    problems.append(FieldProblem("attendance", f"{members[nqt_id]}: {exc}", value=str(value)))
            if problems:
                raise ValidationError(problems, kind="session_attendance")
            existing = {a.nqt_id: a for a in s.scalars(select(m.SessionAttendance).where(
                m.SessionAttendance.session_id == session_id, m.SessionAttendance.nqt_id.in_(list(parsed))))}
            before = {nqt_id: (AttendanceStatus.parse(existing[nqt_id].status) if nqt_id in existing else None)
                      for nqt_id in parsed}
            for nqt_id, status in parsed.items():
                mark = existing.get(nqt_id)
                if status is None:
                    if mark is not None:
                        s.delete(mark)
                elif mark is None:
                    s.add(m.SessionAttendance(session_id=session_id, nqt_id=nqt_id, status=status.code))
                else:
                    mark.status = status.code
            return before

    def rates(self, cohort_id: int) -> dict[int, AttendanceRate]:
        """Each NQT of a cohort's attendance rate (NQTs with nothing recorded are left out)."""
        with self._read() as s:
            ids = list(s.scalars(select(m.Nqt.id).where(m.Nqt.cohort_id == cohort_id)))
            return attendance_rates(s, ids)

    @staticmethod
    def _validated(s: Session, raw: Mapping[str, Any] | SessionData) -> SessionData:
        values = _as_dict(raw)
        cohort_id = values.get("cohort_id")
        year = _year_of_cohort(s, int(cohort_id)) if cohort_id not in (None, "") else None
        return validate_session(values, year)


def _as_dict(raw: Mapping[str, Any] | SessionData) -> dict[str, Any]:
    if isinstance(raw, SessionData):
        return {"cohort_id": raw.cohort_id, "session_date": raw.session_date, "topic": raw.topic,
                "venue": raw.venue, "leader": raw.leader}
    return dict(raw)


def _load(s: Session, session_id: int) -> m.InductionSession:
    session = s.get(m.InductionSession, session_id)
    if session is None:
        raise NotFoundError("That session no longer exists; somebody may have deleted it.")
    return session


def _apply(session: m.InductionSession, data: SessionData) -> None:
    session.session_date, session.topic = data.session_date, data.topic
    session.venue, session.leader = data.venue, data.leader


def _session_row(x: m.InductionSession, present: int = 0, recorded: int = 0) -> SessionRow:
    return SessionRow(x.id, x.version, x.cohort_id, x.session_date, x.topic, x.venue or "", x.leader or "",
                      present, recorded)
