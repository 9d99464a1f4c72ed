"""What makes an ECT's or NQT's record and an induction session valid, for dialogs and services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from tsa_desktop.domain.enums import InductionProgramme, InductionRegime, NqtStatus
from tsa_desktop.domain.induction import parse_fte, parse_terms
from tsa_desktop.domain.induction_schedule import (
    InductionPlan,
    plan_induction,
    reduction_problem,
    regime_for,
    terms_required,
)
from tsa_desktop.domain.validation import Collector, text_or_empty
from tsa_desktop.domain.values import (
    academic_year_of,
    academic_year_start,
    parse_academic_year,
    parse_date,
    parse_email,
    parse_int,
    parse_name,
    parse_trn,
)


@dataclass(frozen=True)
class NqtData:
    """An ECT's (or NQT's) editable fields, validated.

    The induction tutor is a mentor of the pool (``induction_tutor_id``) or a person named here
    (``induction_tutor_name`` and, optionally, ``induction_tutor_email``), never both. The ECT's
    mentor (``mentor_id``) is a mentor of the pool and should not be the induction tutor. The
    regime is not edited: it follows the start date (:attr:`regime`).
    """

    email: str
    first_names: str
    last_name: str
    academic_year: str
    employing_school_id: int
    trn: str | None = None
    induction_tutor_id: int | None = None
    induction_tutor_name: str = ""
    induction_tutor_email: str = ""
    appropriate_body: str = ""
    start_date: dt.date | None = None
    fte: float = 1.0
    terms_counted: float = 0.0
    extension_terms: float = 0.0
    status: NqtStatus = NqtStatus.IN_PROGRESS
    trainee_id: int | None = None
    date_of_birth: dt.date | None = None
    mentor_id: int | None = None
    programme: InductionProgramme | None = None
    reduced_terms: float = 0.0
    left_date: dt.date | None = None

    @property
    def regime(self) -> InductionRegime:
        """NQT for an induction started before 1 September 2021, else ECT."""
        return regime_for(self.start_date)

    def plan(self) -> InductionPlan:
        """The schedule of reviews and assessments by school term."""
        return plan_induction(self.start_date, self.fte, self.regime, self.reduced_terms,
                              self.extension_terms, self.left_date)


def role_warnings(tutor_id: int | None, mentor_id: int | None, name: str = "") -> list[str]:
    """Warnings about the roles: the induction tutor and the ECT's mentor should be two people."""
    if tutor_id is not None and tutor_id == mentor_id:
        who = f"{name}: " if name else ""
        return [f"{who}the induction tutor is also the ECT's mentor; the two roles should be held "
                "by two different people."]
    return []


def order_appropriate_bodies(names: Iterable[str]) -> list[str]:
    """Appropriate bodies as a list to choose from: teaching school hubs first, then the others,
    each alphabetically, every name once (ignoring case and spaces at the ends)."""
    seen: dict[str, str] = {}
    for name in names:
        clean = " ".join(str(name or "").split())
        if clean and clean.casefold() not in seen:
            seen[clean.casefold()] = clean
    return sorted(seen.values(), key=lambda n: ("teaching school hub" not in n.casefold(), n.casefold()))


def _parse_id(value: object) -> int:
    return parse_int(value, 1)


def validate_nqt(raw: Mapping[str, Any], row: int | None = None) -> NqtData:
    """Check an NQT's fields as typed in the dialog.

    Raises:
        ValidationError: naming every field that is wrong.
    """
    c = Collector(row, kind="nqts")
    email = c.required("email", raw.get("email"), parse_email)
    first = c.required("first_names", raw.get("first_names"), lambda v: parse_name(v, "first names"))
    last = c.required("last_name", raw.get("last_name"), lambda v: parse_name(v, "last name"))
    start = c.optional("start_date", raw.get("start_date"), parse_date)
    if text_or_empty(raw.get("academic_year")) == "" and start is not None:
        year = academic_year_of(start)  # an ECT's year follows their start date
    else:
        year = c.required("academic_year", raw.get("academic_year"), parse_academic_year)
    school = c.required("employing_school_id", raw.get("employing_school_id"), _parse_id)
    trn = c.optional("trn", raw.get("trn"), parse_trn)
    tutor_id = c.optional("induction_tutor_id", raw.get("induction_tutor_id"), _parse_id)
    tutor_name = text_or_empty(raw.get("induction_tutor_name"))
    tutor_email = c.optional("induction_tutor_email", raw.get("induction_tutor_email"), parse_email, "")
    fte = c.optional("fte", raw.get("fte"), parse_fte, 1.0)
    counted = c.optional("terms_counted", raw.get("terms_counted"), parse_terms, 0.0)
    extension = c.optional("extension_terms", raw.get("extension_terms"), parse_terms, 0.0)
    status = c.optional("status", raw.get("status"), NqtStatus.parse, NqtStatus.IN_PROGRESS)
    birth = c.optional("date_of_birth", raw.get("date_of_birth"), parse_date)
    mentor = c.optional("mentor_id", raw.get("mentor_id"), _parse_id)
    programme = c.optional("programme", raw.get("programme"), InductionProgramme.parse)
    reduced = c.optional("reduced_terms", raw.get("reduced_terms"), parse_terms, 0.0)
    left = c.optional("left_date", raw.get("left_date"), parse_date)
    regime = regime_for(start)
    if reduced and (problem := reduction_problem(regime, reduced)):
        c.add("reduced_terms", problem, reduced)
        reduced = None
    if birth is not None and start is not None and birth > start.replace(year=start.year - 18, day=min(start.day, 28)):
        c.add("date_of_birth", "would make them younger than 18 when induction starts",
              birth.strftime("%d/%m/%Y"))
    if left is not None and start is not None and left < start:
        c.add("left_date", f"is before induction started ({start:%d/%m/%Y})", left.strftime("%d/%m/%Y"))
    if left is not None and status is not None and status is not NqtStatus.LEFT:
        c.add("left_date", "give a leaving day only for someone who has left (status: Left the alliance)",
              left.strftime("%d/%m/%Y"))

    if tutor_id is not None and (tutor_name or tutor_email):
        c.add("induction_tutor_name", "choose a mentor from the pool or name a tutor, not both")
    elif tutor_email and not tutor_name:
        c.add("induction_tutor_name", "give the tutor's name with their email")
    if len(tutor_name) > 200:
        c.add("induction_tutor_name", "is longer than 200 characters")
    if len(text_or_empty(raw.get("appropriate_body"))) > 200:
        c.add("appropriate_body", "is longer than 200 characters")
    if year is not None and start is not None:
        first_day = dt.date(academic_year_start(year), 9, 1)
        last_day = dt.date(academic_year_start(year) + 1, 8, 31)
        if not first_day <= start <= last_day:
            c.add("start_date", f"is outside the cohort's year {year}", start.strftime("%d/%m/%Y"))
    if counted is not None and extension is not None and reduced is not None:
        required = terms_required(regime, reduced, extension)
        if counted > required:
            c.add("terms_counted", f"is more than the {required:g} terms required", counted)
    if status is NqtStatus.EXTENDED and extension == 0:
        c.add("extension_terms", "an extended induction needs the extension's terms, e.g. 1")
    trainee = c.optional("trainee_id", raw.get("trainee_id"), _parse_id)
    c.raise_if_any()
    return NqtData(
        email=email, first_names=first, last_name=last, academic_year=year, employing_school_id=school,
        trn=trn, induction_tutor_id=tutor_id, induction_tutor_name=tutor_name,
        induction_tutor_email=tutor_email or "", appropriate_body=text_or_empty(raw.get("appropriate_body")),
        start_date=start, fte=fte if fte is not None else 1.0,
        terms_counted=counted if counted is not None else 0.0,
        extension_terms=extension if extension is not None else 0.0, status=status, trainee_id=trainee,
        date_of_birth=birth, mentor_id=mentor, programme=programme,
        reduced_terms=reduced if reduced is not None else 0.0, left_date=left,
    )


# --- induction programme sessions ------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    """A session of the induction programme, validated."""

    cohort_id: int
    session_date: dt.date
    topic: str
    venue: str = ""
    leader: str = ""


def validate_session(raw: Mapping[str, Any], year: str | None = None) -> SessionData:
    """Check a session: a date (within the cohort's year, when given) and a topic.

    Raises:
        ValidationError: naming every field that is wrong.
    """
    c = Collector(kind="induction_sessions")
    cohort = c.required("cohort_id", raw.get("cohort_id"), _parse_id)
    day = c.required("session_date", raw.get("session_date"), parse_date)
    topic = c.required("topic", raw.get("topic"), lambda v: parse_name(v, "topic"))
    for name in ("venue", "leader"):
        if len(text_or_empty(raw.get(name))) > 200:
            c.add(name, "is longer than 200 characters")
    if year is not None and day is not None:
        start = academic_year_start(year)
        if not dt.date(start, 9, 1) <= day <= dt.date(start + 1, 8, 31):
            c.add("session_date", f"is outside the cohort's year {year}", day.strftime("%d/%m/%Y"))
    c.raise_if_any()
    return SessionData(cohort, day, topic, text_or_empty(raw.get("venue")), text_or_empty(raw.get("leader")))
