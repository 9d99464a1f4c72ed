"""Trainees from Register trainee teachers' bulk-create CSV, where an office has that file.

Register's "bulk add trainees" file names its columns in its own words and writes HESA codes:
``provider_trainee_id``, ``first_names``, ``last_name``, ``email``, ``training_route`` (a HESA
code such as 02 or 03), ``course_subject_1`` (a HECoS code such as 100425), ``itt_start_date``,
``trainee_start_date``, ``employing_school_urn``, ... It is read as a trainees file: the id is
the provider's own, the route and subject are translated from their codes (our own codes and
labels are accepted too), the phase follows the subject (primary teaching is primary, any other
subject secondary) and the academic year is the one the ITT start date falls in. Register's
other columns (personal details, degrees, funding, placements without dates) are not used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from tsa_desktop.domain.enums import Phase, Route, Subject
from tsa_desktop.domain.values import (
    academic_year_of,
    parse_date,
    parse_email,
    parse_urn,
)
from tsa_desktop.formats.schemas_core import INVALID, Column, ParseResult, Schema
from tsa_desktop.formats.schemas_people import TraineeRecord, _identifier
from tsa_desktop.formats.schemas_values import parse_text
from tsa_desktop.formats.tabular import Table

Report = Callable[[str, str, Any], None]

#: HESA training route codes (Register's ``training_route``) of the routes this program plans.
HESA_ROUTES: dict[str, Route] = {
    "02": Route.SCHOOL_DIRECT_TUITION_FEE,
    "03": Route.SCHOOL_DIRECT_SALARIED,
    "10": Route.PG_TEACHING_APPRENTICESHIP,
    "12": Route.PROVIDER_LED_POSTGRAD,
    "16": Route.ASSESSMENT_ONLY,
}

#: HECoS subject codes (Register's ``course_subject_1``) and the subject they are here.
HECOS_SUBJECTS: dict[str, Subject] = {
    "100511": Subject.PRIMARY, "100403": Subject.MATHEMATICS, "100425": Subject.PHYSICS,
    "100417": Subject.CHEMISTRY, "100346": Subject.BIOLOGY, "100390": Subject.SCIENCE,
    "100320": Subject.ENGLISH, "100302": Subject.HISTORY, "100409": Subject.GEOGRAPHY,
    "100321": Subject.FRENCH, "100323": Subject.GERMAN, "100332": Subject.SPANISH,
    "100326": Subject.ITALIAN, "101169": Subject.JAPANESE, "101165": Subject.MANDARIN,
    "100330": Subject.RUSSIAN, "100329": Subject.MODERN_LANGUAGES_OTHER, "100366": Subject.COMPUTING,
    "101361": Subject.ART_AND_DESIGN, "100642": Subject.MUSIC, "100339": Subject.RELIGIOUS_EDUCATION,
    "100048": Subject.DESIGN_TECHNOLOGY, "100050": Subject.DESIGN_TECHNOLOGY, "100069": Subject.DRAMA,
    "100068": Subject.DANCE, "100079": Subject.BUSINESS_STUDIES, "100078": Subject.BUSINESS_STUDIES,
    "100450": Subject.ECONOMICS, "100497": Subject.PSYCHOLOGY, "100337": Subject.PHILOSOPHY,
    "100471": Subject.SOCIAL_SCIENCES, "100476": Subject.HEALTH_SOCIAL_CARE,
    "100444": Subject.COMMUNICATION_MEDIA, "100300": Subject.CLASSICS,
    "100433": Subject.PHYSICAL_EDUCATION, "101109": Subject.ESOL,
}


def parse_register_route(text: str) -> Route:
    """A HESA training route code, or one of our route codes or labels."""
    code = text.strip().strip("'\"")
    if code.isdigit():
        found = HESA_ROUTES.get(code.zfill(2))
        if found is None:
            raise ValueError(f"HESA training route {code} is not one this program plans trainees on; "
                             f"accepted: {', '.join(f'{k} ({r.label})' for k, r in HESA_ROUTES.items())}")
        return found
    return Route.parse(text)


def parse_register_subject(text: str) -> Subject:
    """A HECoS subject code, or one of our subject codes or names."""
    code = text.strip().strip("'\"")
    if len(code) == 6 and code.isdigit():
        found = HECOS_SUBJECTS.get(code)
        if found is None:
            raise ValueError(f"HECoS subject {code} is not a subject this program places trainees in; "
                             "give the subject's name instead")
        return found
    return Subject.parse(text)


def _derive(values: dict[str, Any], report: Report) -> None:
    subject = values.get("subject")
    values["phase"] = INVALID if subject in (None, INVALID) else (
        Phase.PRIMARY if subject.is_primary else Phase.SECONDARY)
    itt_start = values.pop("itt_start_date", None)
    trainee_start = values.pop("trainee_start_date", None)
    values["academic_year"] = INVALID if itt_start in (None, INVALID) else academic_year_of(itt_start)
    start = trainee_start if trainee_start not in (None, INVALID) else itt_start
    values["start_date"] = None if start is INVALID else start
    route = values.get("route")
    if route not in (None, INVALID) and route.salaried and values.get("employing_school_urn") is None:
        report("employing_school_urn", f"is required for the route {route.code} ({route.label}): salaried "
               "trainees are employed by a school", None)


class _RegisterSchema(Schema[TraineeRecord]):
    """The phase, academic year and start date are worked out from other columns: the file
    supplies them as far as an import is concerned."""

    def _parse(self, table: Table) -> ParseResult[TraineeRecord]:
        result = super()._parse(table)
        worked_out = {"phase", "academic_year", "start_date"} if table.has("itt_start_date") else set()
        return dataclasses.replace(result, present_fields=result.present_fields | worked_out)


#: Register trainee teachers' bulk-create CSV, read as trainees.
REGISTER_TRAINEES: Schema[TraineeRecord] = _RegisterSchema(
    kind="trainees",
    title="a Register trainee teachers bulk-create file",
    record_type=TraineeRecord,
    columns=(
        Column("provider_trainee_id", _identifier, required=True, attr="trainee_id"),
        Column("first_names", parse_text, required=True),
        Column("last_name", parse_text, required=True),
        Column("email", parse_email),
        Column("training_route", parse_register_route, required=True, attr="route"),
        Column("course_subject_1", parse_register_subject, required=True, attr="subject"),
        Column("itt_start_date", parse_date, required=True),
        Column("trainee_start_date", parse_date),
        Column("employing_school_urn", parse_urn),
    ),
    checks=(_derive,),
    derived={"itt_start_date": "academic_year", "trainee_start_date": "start_date"},
    export=False,
)


def is_register_file(table: Table) -> bool:
    """True for Register's bulk-create file: it names trainees by provider_trainee_id."""
    return table.has("provider_trainee_id") and table.has("training_route") and not table.has("trainee_id")
