"""What makes an NQT's record and an induction session valid, for dialogs and services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from tsa_desktop.domain.enums import NqtStatus
from tsa_desktop.domain.induction import parse_fte, parse_terms, terms_required
from tsa_desktop.domain.validation import Collector, text_or_empty
from tsa_desktop.domain.values import (
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
    """An NQT's editable fields, validated.

    The induction tutor is a mentor of the pool (``induction_tutor_id``) or a person named here
    (``induction_tutor_name`` and, optionally, ``induction_tutor_email``), never both.
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
    year = c.required("academic_year", raw.get("academic_year"), parse_academic_year)
    school = c.required("employing_school_id", raw.get("employing_school_id"), _parse_id)
    trn = c.optional("trn", raw.get("trn"), parse_trn)
    tutor_id = c.optional("induction_tutor_id", raw.get("induction_tutor_id"), _parse_id)
    tutor_name = text_or_empty(raw.get("induction_tutor_name"))
    tutor_email = c.optional("induction_tutor_email", raw.get("induction_tutor_email"), parse_email, "")
    start = c.optional("start_date", raw.get("start_date"), parse_date)
    fte = c.optional("fte", raw.get("fte"), parse_fte, 1.0)
    counted = c.optional("terms_counted", raw.get("terms_counted"), parse_terms, 0.0)
    extension = c.optional("extension_terms", raw.get("extension_terms"), parse_terms, 0.0)
    status = c.optional("status", raw.get("status"), NqtStatus.parse, NqtStatus.IN_PROGRESS)

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
    if counted is not None and extension is not None and counted > terms_required(extension):
        c.add("terms_counted", f"is more than the {terms_required(extension):g} terms required", counted)
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
