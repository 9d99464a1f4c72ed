"""Reading each kind back out of the database as the records its import file holds.

Every export writes the import's columns, so that a file exported, edited and imported again
updates the same records, and one exported and imported unedited changes nothing. The readers
select plain columns with joins (MEASURED.md: loading ORM entities for lists is several times
slower).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import (
    InductionProgramme,
    InductionRegime,
    LabelledEnum,
    NqtStatus,
    Phase,
    PlacementStatus,
    ProviderKind,
    Route,
    Subject,
    TraineeStatus,
)
from tsa_desktop.domain.induction_schedule import plan_induction
from tsa_desktop.domain.journeys import TravelMode
from tsa_desktop.formats.schemas import (
    AllocationRecord,
    MentorRecord,
    NqtRecord,
    PlacementRecord,
    ProviderRecord,
    RegisterPlacement,
    SchoolRecord,
    TraineeRecord,
)
from tsa_desktop.services.transfer.links import urn_history


class _Codes:
    """Parses stored codes into enumerations, each code once (a list shares a few dozen)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[type, str], Any] = {}

    def __call__(self, kind: type[LabelledEnum], value: str | None) -> Any:
        if value is None:
            return None
        key = (kind, value)
        if key not in self._seen:
            self._seen[key] = kind.parse(value)
        return self._seen[key]


def _or_none(value: str | None) -> str | None:
    return value or None


def _in_year(stmt: Select, column: Any, year: str | None) -> Select:
    return stmt if year is None else stmt.where(column == year)


def schools(s: Session, _year: str | None) -> list[SchoolRecord]:
    """Every school, by name, with its status and previous URNs."""
    c = m.School
    parse = _Codes()
    previous: dict[int, list[str]] = defaultdict(list)
    for school_id, urn in s.execute(select(m.SchoolPreviousUrn.school_id, m.SchoolPreviousUrn.urn)
                                    .order_by(m.SchoolPreviousUrn.linked_on, m.SchoolPreviousUrn.id)):
        previous[school_id].append(urn)
    return [SchoolRecord(
        urn=r.urn, name=r.name, phase=parse(Phase, r.phase), type=_or_none(r.establishment_type),
        local_authority=_or_none(r.local_authority), address_line_1=_or_none(r.address_line_1),
        address_line_2=_or_none(r.address_line_2), town=_or_none(r.town), postcode=_or_none(r.postcode),
        easting=r.easting, northing=r.northing, lead_school=bool(r.is_lead_school),
        capacity_per_block=r.capacity_per_block, contact_name=_or_none(r.contact_name),
        contact_email=_or_none(r.contact_email), status=_or_none(r.establishment_status),
        previous_urns=tuple(previous[r.id]) or None,
    ) for r in s.execute(select(c).order_by(c.name, c.urn)).scalars()]


def providers(s: Session, _year: str | None) -> list[ProviderRecord]:
    """Every accredited provider, by name."""
    return [ProviderRecord(name=name, code=_or_none(code), kind=ProviderKind.parse(kind))
            for name, code, kind in s.execute(select(m.Provider.name, m.Provider.code, m.Provider.kind)
                                              .order_by(m.Provider.name))]


def allocations(s: Session, year: str | None) -> list[AllocationRecord]:
    """Allocations (of a year, or all), by year, route, phase and subject."""
    a = m.Allocation
    stmt = (select(m.AcademicYear.name, a.route, a.phase, a.subject, m.School.urn, a.places, m.Provider.name)
            .join(m.AcademicYear, m.AcademicYear.id == a.academic_year_id)
            .join(m.School, m.School.id == a.lead_school_id)
            .outerjoin(m.Provider, m.Provider.id == a.provider_id)
            .order_by(m.AcademicYear.name, a.route, a.phase, a.subject, m.School.urn))
    parse = _Codes()
    return [AllocationRecord(
        academic_year=y, route=parse(Route, route), phase=parse(Phase, phase), subject=parse(Subject, subject),
        lead_school_urn=urn, places=places, accredited_provider=provider,
    ) for y, route, phase, subject, urn, places, provider in s.execute(_in_year(stmt, m.AcademicYear.name, year))]


def trainees(s: Session, year: str | None) -> list[TraineeRecord]:
    """Trainees (of a year, or all), by trainee id; status_date is when their status began."""
    t, c = m.Trainee, m.TraineeStatusChange
    since = (select(c.trainee_id, func.max(c.changed_on).label("since"))
             .group_by(c.trainee_id).subquery())
    stmt = (select(t.trainee_id, t.trn, t.first_names, t.last_name, t.email, t.route, t.phase, t.subject,
                   m.AcademicYear.name, t.start_date, t.status, m.School.urn, t.home_postcode,
                   t.home_easting, t.home_northing, t.travel_mode, since.c.since)
            .join(m.AcademicYear, m.AcademicYear.id == t.academic_year_id)
            .outerjoin(since, since.c.trainee_id == t.id)
            .outerjoin(m.School, m.School.id == t.employing_school_id)
            .order_by(t.trainee_id))
    parse = _Codes()
    return [TraineeRecord(
        trainee_id=r[0], trn=r[1], first_names=r[2], last_name=r[3], email=_or_none(r[4]),
        route=parse(Route, r[5]), phase=parse(Phase, r[6]), subject=parse(Subject, r[7]), academic_year=r[8],
        start_date=r[9], status=parse(TraineeStatus, r[10]), employing_school_urn=r[11],
        home_postcode=_or_none(r[12]), home_easting=r[13], home_northing=r[14],
        travel_mode=parse(TravelMode, r[15] or "car"), status_date=r[16],
    ) for r in s.execute(_in_year(stmt, m.AcademicYear.name, year))]


def mentors(s: Session, _year: str | None) -> list[MentorRecord]:
    """Every mentor, by last and first name, with their subjects."""
    subjects: dict[int, list[str]] = defaultdict(list)
    for mentor_id, subject in s.execute(select(m.MentorSubject.mentor_id, m.MentorSubject.subject)
                                        .order_by(m.MentorSubject.mentor_id, m.MentorSubject.subject)):
        subjects[mentor_id].append(subject)
    t = m.Mentor
    stmt = (select(t.id, t.email, t.first_name, t.last_name, m.School.urn, t.phase, t.is_lead_mentor,
                   t.initial_training_date, t.refresher_date, t.max_trainees)
            .join(m.School, m.School.id == t.school_id)
            .order_by(t.last_name, t.first_name, t.email))
    parse = _Codes()
    return [MentorRecord(
        email=email, first_name=first, last_name=last, school_urn=urn, phase=parse(Phase, phase),
        subjects=tuple(parse(Subject, c) for c in subjects.get(mid, ())), lead_mentor=bool(lead),
        initial_training_date=trained, refresher_date=refresher, max_trainees=most,
    ) for mid, email, first, last, urn, phase, lead, trained, refresher, most in s.execute(stmt)]


def placements(s: Session, year: str | None) -> list[PlacementRecord]:
    """Placements (in the blocks of a year, or all), by year, trainee and block."""
    p, b = m.Placement, m.PlacementBlock
    stmt = (select(m.Trainee.trainee_id, m.AcademicYear.name, b.name, m.School.urn, m.Mentor.email, p.status)
            .join(m.Trainee, m.Trainee.id == p.trainee_id)
            .join(b, b.id == p.block_id)
            .join(m.AcademicYear, m.AcademicYear.id == b.academic_year_id)
            .join(m.School, m.School.id == p.school_id)
            .outerjoin(m.Mentor, m.Mentor.id == p.mentor_id)
            .order_by(m.AcademicYear.name, m.Trainee.trainee_id, b.position, b.start_date))
    parse = _Codes()
    return [PlacementRecord(trainee_id=tid, academic_year=y, block=block, school_urn=urn, mentor_email=email,
                            status=parse(PlacementStatus, status))
            for tid, y, block, urn, email, status in s.execute(_in_year(stmt, m.AcademicYear.name, year))]


def nqts(s: Session, year: str | None) -> list[NqtRecord]:
    """NQTs (of a year's cohort, or all), by last and first names."""
    n, tutor = m.Nqt, aliased(m.Mentor)
    stmt = (select(n.email, n.trn, n.first_names, n.last_name, m.AcademicYear.name, m.School.urn,
                   tutor.email, n.induction_tutor_email, n.appropriate_body, n.start_date, n.fte)
            .join(m.InductionCohort, m.InductionCohort.id == n.cohort_id)
            .join(m.AcademicYear, m.AcademicYear.id == m.InductionCohort.academic_year_id)
            .join(m.School, m.School.id == n.employing_school_id)
            .outerjoin(tutor, tutor.id == n.induction_tutor_id)
            .order_by(n.last_name, n.first_names, n.email))
    return [NqtRecord(
        email=email, trn=trn, first_names=first, last_name=last, academic_year=y, employing_school_urn=urn,
        induction_tutor_email=mentor_email or _or_none(tutor_email), appropriate_body=_or_none(body),
        start_date=start, fte=float(fte),
    ) for email, trn, first, last, y, urn, mentor_email, tutor_email, body, start, fte
        in s.execute(_in_year(stmt, m.AcademicYear.name, year))]


def ects(s: Session, year: str | None) -> list[NqtRecord]:
    """ECTs and NQTs (of a year's cohort, or all) with today's columns and what follows from them.

    terms_required and expected_end_date follow from the start date, FTE, reduction and
    extension under the record's regime; terms_counted and status are as recorded.
    """
    n, tutor, mentor = m.Nqt, aliased(m.Mentor), aliased(m.Mentor)
    stmt = (select(n, m.AcademicYear.name, m.School.urn, tutor.email, mentor.email)
            .join(m.InductionCohort, m.InductionCohort.id == n.cohort_id)
            .join(m.AcademicYear, m.AcademicYear.id == m.InductionCohort.academic_year_id)
            .join(m.School, m.School.id == n.employing_school_id)
            .outerjoin(tutor, tutor.id == n.induction_tutor_id)
            .outerjoin(mentor, mentor.id == n.mentor_id)
            .order_by(n.last_name, n.first_names, n.email))
    parse = _Codes()
    result = []
    for r, y, urn, tutor_email, mentor_email in s.execute(_in_year(stmt, m.AcademicYear.name, year)):
        regime = parse(InductionRegime, r.induction_regime or "ect")
        plan = plan_induction(r.start_date, float(r.fte), regime, float(r.reduced_terms or 0),
                              float(r.extension_terms or 0), r.left_date)
        result.append(NqtRecord(
            email=r.email, trn=r.trn, first_names=r.first_names, last_name=r.last_name, academic_year=y,
            employing_school_urn=urn, induction_tutor_email=tutor_email or _or_none(r.induction_tutor_email),
            appropriate_body=_or_none(r.appropriate_body), start_date=r.start_date, fte=float(r.fte),
            date_of_birth=r.date_of_birth, mentor_email=mentor_email,
            programme=parse(InductionProgramme, r.programme) if r.programme else None,
            reduced_terms=float(r.reduced_terms or 0), induction_regime=regime,
            terms_required=plan.terms_required, terms_counted=float(r.terms_counted or 0),
            expected_end_date=plan.expected_end_date, status=parse(NqtStatus, r.status)))
    return result


def register_placements(s: Session, year: str) -> list[RegisterPlacement]:
    """The year's trainees with the URNs of their placement schools in date order (not cancelled).

    A school that GIAS has since given a new URN is written with the URN it had when the
    placement began, as Register knows it.
    """
    p, b = m.Placement, m.PlacementBlock
    history = urn_history(s)
    stmt = (select(m.Trainee.id, m.Trainee.trainee_id, m.Trainee.trn, m.Trainee.start_date, m.School.urn,
                   m.School.id, b.start_date)
            .join(p, p.trainee_id == m.Trainee.id)
            .join(b, b.id == p.block_id)
            .join(m.AcademicYear, m.AcademicYear.id == b.academic_year_id)
            .join(m.School, m.School.id == p.school_id)
            .where(m.AcademicYear.name == year, p.status != PlacementStatus.CANCELLED.code)
            .order_by(m.Trainee.trainee_id, b.start_date, b.position))
    found: dict[int, tuple[str, str | None, Any, list[str]]] = {}
    for tid, code, trn, start, urn, school_id, began in s.execute(stmt):
        found.setdefault(tid, (code, trn, start, []))[3].append(_urn_then(urn, history.get(school_id), began))
    return [RegisterPlacement(trn=trn, start_date=start, urns=tuple(urns), trainee_id=code)
            for code, trn, start, urns in found.values()]


def _urn_then(urn: str, previous: list[tuple[str, Any]] | None, on: Any) -> str:
    """The URN a school had on a date: the first previous URN that stopped after it, else today's."""
    for old, stopped in previous or ():
        if stopped is not None and on is not None and on < stopped:
            return old
    return urn


#: Export kind -> reader of its records from the database.
READERS: dict[str, Callable[[Session, str | None], list[Any]]] = {
    "schools": schools, "providers": providers, "allocations": allocations, "trainees": trainees,
    "mentors": mentors, "placements": placements, "nqts": nqts, "ects": ects,
}

#: Kinds whose export can be cut to one academic year.
BY_YEAR = frozenset({"allocations", "trainees", "placements", "nqts", "ects", "register-placements"})
