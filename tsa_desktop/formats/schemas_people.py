"""Import schemas for people and their placements: trainees, mentors, placements, NQTs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from tsa_desktop.domain.enums import Phase, PlacementStatus, Route, Subject, TraineeStatus
from tsa_desktop.domain.journeys import TravelMode
from tsa_desktop.domain.values import (
    check_one_line,
    parse_academic_year,
    parse_bool,
    parse_date,
    parse_easting,
    parse_email,
    parse_int,
    parse_northing,
    parse_postcode,
    parse_trn,
    parse_urn,
)
from tsa_desktop.formats.schemas_core import INVALID, Column, KeyedRecord, Schema
from tsa_desktop.formats.schemas_places import check_grid_pair
from tsa_desktop.formats.schemas_values import parse_subject, parse_subjects, parse_text

Report = Callable[[str, str, Any], None]


def _identifier(text: str) -> str:
    if len(text) > 40:
        raise ValueError("is longer than 40 characters")
    return check_one_line(text)


def _max_trainees(text: str) -> int:
    return parse_int(text, 1, 2)


# --------------------------------------------------------------------------------------------
# Trainees
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TraineeRecord(KeyedRecord):
    """A trainee, matched on ``trainee_id``.

    ``employing_school_urn`` is a reference the import service resolves; ``academic_year``
    is written ``2025/26``. ``None`` means empty or not in the file.
    """

    KEY = ("trainee_id",)

    row: int = 0
    trainee_id: str
    trn: str | None = None
    first_names: str
    last_name: str
    email: str | None = None
    route: Route
    phase: Phase
    subject: Subject
    academic_year: str
    start_date: dt.date | None = None
    status: TraineeStatus | None = None
    employing_school_urn: str | None = None
    home_postcode: str | None = None
    home_easting: int | None = None
    home_northing: int | None = None
    travel_mode: TravelMode | None = None
    status_date: dt.date | None = None


def _status_date_after_start(values: dict[str, Any], report: Report) -> None:
    start, since = values.get("start_date"), values.get("status_date")
    if start in (None, INVALID) or since in (None, INVALID):
        return
    if since < start:
        report("status_date", f"is before the start_date ({start:%d/%m/%Y}): a status cannot begin "
               "before the trainee started", since.isoformat())


def _salaried_need_employer(values: dict[str, Any], report: Report) -> None:
    route = values.get("route")
    if route in (None, INVALID) or not route.salaried:
        return
    if values.get("employing_school_urn") is None:
        report("employing_school_urn",
               f"is required for the route {route.code} ({route.label}): salaried trainees "
               "are employed by a school", None)


TRAINEES: Schema[TraineeRecord] = Schema(
    kind="trainees",
    record_type=TraineeRecord,
    columns=(
        Column("trainee_id", _identifier, required=True),
        Column("trn", parse_trn),
        Column("first_names", parse_text, required=True),
        Column("last_name", parse_text, required=True),
        Column("email", parse_email),
        Column("route", Route.parse, required=True),
        Column("phase", Phase.parse, required=True),
        Column("subject", parse_subject, required=True),
        Column("academic_year", parse_academic_year, required=True),
        Column("start_date", parse_date),
        Column("status", TraineeStatus.parse),
        Column("employing_school_urn", parse_urn),
        Column("home_postcode", parse_postcode),
        Column("home_easting", parse_easting),
        Column("home_northing", parse_northing),
        Column("travel_mode", TravelMode.parse),
        Column("status_date", parse_date),
    ),
    checks=(_salaried_need_employer, check_grid_pair("home_easting", "home_northing"),
            _status_date_after_start),
)


# --------------------------------------------------------------------------------------------
# Mentors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MentorRecord(KeyedRecord):
    """A mentor, matched on ``email`` (lower case). ``school_urn`` is a reference."""

    KEY = ("email",)

    row: int = 0
    email: str
    first_name: str
    last_name: str
    school_urn: str
    phase: Phase
    subjects: tuple[Subject, ...] | None = None
    lead_mentor: bool | None = None
    initial_training_date: dt.date | None = None
    refresher_date: dt.date | None = None
    max_trainees: int | None = None


def _refresher_after_training(values: dict[str, Any], report: Report) -> None:
    first, refresher = values.get("initial_training_date"), values.get("refresher_date")
    if first in (None, INVALID) or refresher in (None, INVALID):
        return
    if refresher < first:
        report("refresher_date",
               f"is before the initial_training_date ({first:%d/%m/%Y})", refresher.isoformat())


MENTORS: Schema[MentorRecord] = Schema(
    kind="mentors",
    record_type=MentorRecord,
    columns=(
        Column("email", parse_email, required=True),
        Column("first_name", parse_text, required=True),
        Column("last_name", parse_text, required=True),
        Column("school_urn", parse_urn, required=True),
        Column("phase", Phase.parse, required=True),
        Column("subjects", parse_subjects),
        Column("lead_mentor", parse_bool),
        Column("initial_training_date", parse_date),
        Column("refresher_date", parse_date),
        Column("max_trainees", _max_trainees),
    ),
    checks=(_refresher_after_training,),
)


# --------------------------------------------------------------------------------------------
# Placements
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PlacementRecord(KeyedRecord):
    """One trainee in one block at one school, matched on trainee, year and block name.

    ``trainee_id``, ``block`` (a block's name in that year, case ignored), ``school_urn`` and
    ``mentor_email`` are references the import service resolves.
    """

    KEY = ("trainee_id", "academic_year", "block")
    FOLDED = frozenset({"block"})

    row: int = 0
    trainee_id: str
    academic_year: str
    block: str
    school_urn: str
    mentor_email: str | None = None
    status: PlacementStatus | None = None


PLACEMENTS: Schema[PlacementRecord] = Schema(
    kind="placements",
    record_type=PlacementRecord,
    columns=(
        Column("trainee_id", _identifier, required=True),
        Column("academic_year", parse_academic_year, required=True),
        Column("block", parse_text, required=True),
        Column("school_urn", parse_urn, required=True),
        Column("mentor_email", parse_email),
        Column("status", PlacementStatus.parse),
    ),
)
