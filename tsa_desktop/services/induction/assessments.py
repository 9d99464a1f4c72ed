"""The reviews and assessments of each ECT (or NQT), as their regime schedules them.

An ECT has a progress review at the end of each school term of induction, the formal assessment
at the end of year one and the final assessment (stored by school term of induction, 1, 2, ...);
an NQT two progress reviews and the final assessment (terms 1, 2 and 3). Anyone who leaves part
way has an interim assessment (term 0). Every scheduled one exists whether or not a row is stored:
until something is recorded, it exists only as the rules schedule it (its due date counted from
the start date, FTE, reduction, extension and leaving day). Recording a date or outcome stores
it; clearing it goes back to the schedule. So records added by an import or the demo need no
assessment rows to be listed, due or overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import AssessmentKind, AssessmentOutcome, InductionRegime, NqtStatus
from tsa_desktop.domain.errors import NotFoundError, ValidationError
from tsa_desktop.domain.induction import (
    AssessmentData,
    AssessmentState,
    assessment_state,
    status_after_final,
    validate_assessment,
)
from tsa_desktop.domain.induction_schedule import InductionPlan, plan_induction
from tsa_desktop.domain.school_terms import SchoolTerm
from tsa_desktop.services.base import Service, check_version


@dataclass(frozen=True)
class NqtBrief:
    """What an assessment row needs to know about its ECT or NQT."""

    id: int
    name: str
    sort_name: str
    email: str
    trn: str | None
    school: str
    start_date: dt.date | None
    fte: float
    extension_terms: float
    status: NqtStatus
    cohort_id: int
    plan: InductionPlan

    @classmethod
    def of(cls, nqt: m.Nqt, school: str) -> "NqtBrief":
        return cls(nqt.id, f"{nqt.first_names} {nqt.last_name}", f"{nqt.last_name} {nqt.first_names}",
                   nqt.email, nqt.trn, school, nqt.start_date, float(nqt.fte),
                   float(nqt.extension_terms or 0), NqtStatus.parse(nqt.status), nqt.cohort_id,
                   plan_of(nqt))


def plan_of(nqt: m.Nqt) -> InductionPlan:
    """The schedule of a stored record, under the regime stored with it."""
    return plan_induction(nqt.start_date, float(nqt.fte), InductionRegime.parse(nqt.induction_regime or "ect"),
                          float(nqt.reduced_terms or 0), float(nqt.extension_terms or 0), nqt.left_date)


@dataclass(frozen=True)
class AssessmentRow:
    """One assessment of one NQT, stored (``id`` set) or as scheduled (``id`` None)."""

    id: int | None
    version: int | None
    nqt_id: int
    nqt_name: str
    nqt_sort_name: str
    email: str
    trn: str | None
    school: str
    nqt_status: NqtStatus
    term: int
    kind: AssessmentKind
    due_date: dt.date | None
    completed_date: dt.date | None
    outcome: AssessmentOutcome | None
    notes: str
    state: str
    school_term: SchoolTerm | None = None
    regime: InductionRegime = InductionRegime.ECT

    @property
    def label(self) -> str:
        """E.g. "Progress review (Autumn 2026)"; for an NQT "Progress review (term 1)"."""
        if self.regime is InductionRegime.NQT or self.school_term is None:
            return f"{self.kind.label} (term {self.term})" if self.term else self.kind.label
        return f"{self.kind.label} ({self.school_term.name})"

    @property
    def overdue(self) -> bool:
        return self.state == AssessmentState.OVERDUE

    def data(self) -> AssessmentData | None:
        """What is recorded, or None for an assessment that is only scheduled (undo clears it)."""
        if self.id is None:
            return None
        return AssessmentData(self.due_date, self.completed_date, self.outcome, self.notes)


def stored_assessments(s: Session, nqt_ids: Iterable[int]) -> dict[int, dict[int, m.NqtAssessment]]:
    """Stored assessments by NQT id and term."""
    ids = list(nqt_ids)
    found: dict[int, dict[int, m.NqtAssessment]] = {}
    # SQLite allows a limited number of bound parameters: read in slices.
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for a in s.scalars(select(m.NqtAssessment).where(m.NqtAssessment.nqt_id.in_(chunk))):
            found.setdefault(a.nqt_id, {})[a.term] = a
    return found


def assessment_rows_for(s: Session, nqts: Iterable[NqtBrief], today: dt.date) -> dict[int, list[AssessmentRow]]:
    """Each person's scheduled reviews and assessments, stored ones merged over the schedule.

    A stored assessment the schedule no longer has (the start date or FTE changed after it was
    recorded as done) is still listed, after the scheduled ones, so nothing recorded is hidden.
    """
    briefs = list(nqts)
    stored = stored_assessments(s, [b.id for b in briefs])
    result: dict[int, list[AssessmentRow]] = {}
    for b in briefs:
        own = dict(stored.get(b.id, {}))
        rows = []
        planned_list = [(p.term, p.kind, p.due_date, p.school_term) for p in b.plan.checkpoints]
        planned_list += [(term, AssessmentKind.parse(a.kind), a.due_date, None)
                         for term, a in sorted(own.items()) if b.plan.checkpoint(term) is None]
        for term, kind, planned_due, school_term in planned_list:
            a = own.get(term)
            due = (a.due_date if a is not None and a.due_date is not None else planned_due)
            completed = a.completed_date if a is not None else None
            # A leaver's interim assessment is still expected after they have gone.
            status = NqtStatus.IN_PROGRESS if kind is AssessmentKind.INTERIM_ASSESSMENT else b.status
            rows.append(AssessmentRow(
                id=a.id if a is not None else None, version=a.version if a is not None else None,
                nqt_id=b.id, nqt_name=b.name, nqt_sort_name=b.sort_name, email=b.email, trn=b.trn,
                school=b.school, nqt_status=b.status, term=term, kind=kind,
                due_date=due, completed_date=completed,
                outcome=AssessmentOutcome.parse(a.outcome) if a is not None and a.outcome else None,
                notes=a.notes if a is not None else "",
                state=assessment_state(due, completed, today, status),
                school_term=school_term, regime=b.plan.regime,
            ))
        result[b.id] = rows
    return result


def refresh_due_dates(s: Session, nqt: m.Nqt) -> None:
    """Move the due dates of a person's stored, not yet completed assessments to the schedule.

    Called when the start date, FTE, reduction, extension or leaving day changes; a due date typed
    by hand on an assessment that is not done yet is replaced by the new schedule's.
    """
    plan = plan_of(nqt)
    for a in stored_assessments(s, [nqt.id]).get(nqt.id, {}).values():
        if a.completed_date is None:
            planned = plan.checkpoint(a.term)
            a.due_date = planned.due_date if planned is not None else None
            if planned is not None:
                a.kind = planned.kind.code


def scheduled_kind(s: Session, nqt: m.Nqt, term: int) -> AssessmentKind:
    """The kind of a person's review or assessment ``term``, as scheduled or as stored.

    Raises:
        ValidationError: nothing is scheduled or stored for that term.
    """
    planned = plan_of(nqt).checkpoint(term)
    if planned is not None:
        return planned.kind
    stored = stored_assessments(s, [nqt.id]).get(nqt.id, {}).get(term)
    if stored is not None:
        return AssessmentKind.parse(stored.kind)
    raise ValidationError.single("term", f"no review or assessment is scheduled for term {term}", term,
                                 kind="nqt_assessments")


def load_briefs(s: Session, cohort_id: int | None = None, nqt_id: int | None = None) -> list[NqtBrief]:
    """NqtBriefs of a cohort (or all NQTs, or one), by name."""
    stmt = (select(m.Nqt, m.School.name).join(m.School, m.School.id == m.Nqt.employing_school_id)
            .order_by(m.Nqt.last_name, m.Nqt.first_names, m.Nqt.id))
    if cohort_id is not None:
        stmt = stmt.where(m.Nqt.cohort_id == cohort_id)
    if nqt_id is not None:
        stmt = stmt.where(m.Nqt.id == nqt_id)
    return [NqtBrief.of(nqt, school) for nqt, school in s.execute(stmt)]


class AssessmentService(Service):
    """Use cases for the termly assessments."""

    def list(self, cohort_id: int | None = None, today: dt.date | None = None) -> list[AssessmentRow]:
        """Every assessment of a cohort's NQTs (three each), by NQT name and term."""
        today = today or dt.date.today()
        with self._read() as s:
            by_nqt = assessment_rows_for(s, load_briefs(s, cohort_id), today)
        return [row for rows in by_nqt.values() for row in rows]

    def overdue(self, cohort_id: int | None = None, today: dt.date | None = None) -> list[AssessmentRow]:
        """The assessments of active NQTs that were due before today and are not completed."""
        return [a for a in self.list(cohort_id, today) if a.overdue]

    def get(self, nqt_id: int, term: int, today: dt.date | None = None) -> AssessmentRow:
        """One assessment of one person.

        Raises:
            NotFoundError: the person was deleted, or nothing is scheduled for that term.
        """
        with self._read() as s:
            briefs = load_briefs(s, nqt_id=nqt_id)
            if not briefs:
                raise NotFoundError("That early career teacher no longer exists; somebody may have deleted them.")
            rows = assessment_rows_for(s, briefs, today or dt.date.today())[nqt_id]
        found = next((r for r in rows if r.term == term), None)
        if found is None:
            raise NotFoundError(f"No review or assessment is scheduled for term {term} of {briefs[0].name}.")
        return found

    def record(self, nqt_id: int, term: int, raw: Mapping[str, Any] | AssessmentData | None,
               expected_version: int | None = None, today: dt.date | None = None) -> AssessmentRow:
        """Record (or with ``raw`` None, clear) an assessment's due date, completion and outcome.

        The final assessment's pass or fail becomes the NQT's status (passed or failed); clearing
        it puts them back in induction.

        Args:
            nqt_id: The ECT or NQT.
            term: The key of the review or assessment (see the module's docstring).
            raw: The fields as typed (validated here), already-validated data, or None to clear.
            expected_version: The version the edit started from; a newer one refuses the save.
            today: For the "not in the future" rule; defaults to today.

        Raises:
            ValidationError: a field is wrong. NotFoundError, StaleRecordError.
        """
        today = today or dt.date.today()
        with self._write() as s:
            nqt = s.get(m.Nqt, nqt_id)
            if nqt is None:
                raise NotFoundError("That early career teacher no longer exists; somebody may have deleted them.")
            kind = scheduled_kind(s, nqt, term)
            stored = stored_assessments(s, [nqt_id]).get(nqt_id, {}).get(term)
            if stored is not None:
                check_version(stored.version, expected_version,
                              f"The {kind.label.lower()} of {nqt.first_names} {nqt.last_name}")
            if raw is None:
                data = None
            elif isinstance(raw, AssessmentData):
                data = raw
            else:
                data = validate_assessment(raw, kind, today, nqt.start_date)
            apply_assessment(s, nqt, term, data, stored)
        return self.get(nqt_id, term, today)


def apply_assessment(s: Session, nqt: m.Nqt, term: int, data: AssessmentData | None,
                     stored: m.NqtAssessment | None) -> None:
    """Store (or clear) one assessment and let the final one decide the person's status."""
    kind = scheduled_kind(s, nqt, term)
    if data is None:
        if stored is not None:
            s.delete(stored)
    else:
        if stored is None:
            stored = m.NqtAssessment(nqt_id=nqt.id, term=term, kind=kind.code)
            s.add(stored)
        planned = plan_of(nqt).checkpoint(term)
        stored.kind = kind.code
        stored.due_date = data.due_date or (planned.due_date if planned is not None else None)
        stored.completed_date = data.completed_date
        stored.outcome = data.outcome.code if data.outcome else None
        stored.notes = data.notes
    if kind is AssessmentKind.FINAL_ASSESSMENT:
        outcome = data.outcome if data is not None else None
        nqt.status = status_after_final(NqtStatus.parse(nqt.status), outcome,
                                         float(nqt.extension_terms or 0)).code
    s.flush()
