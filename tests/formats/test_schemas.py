"""Import schemas: every rule has a failing case, every kind round-trips through export."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from tsa_desktop.domain.enums import (
    Phase,
    PlacementStatus,
    ProviderKind,
    Route,
    Subject,
    TraineeStatus,
)
from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.formats.schemas import (
    EXPORT_COLUMNS,
    EXPORT_KINDS,
    GIAS_SCHOOLS,
    KINDS,
    REGISTER_PLACEMENT_COLUMNS,
    REGISTER_PLACEMENTS_CSV_BOM,
    SCHEMAS,
    SCHOOLS,
    RegisterPlacement,
    export_rows,
    get_schema,
    parse_table,
    register_placement_row,
    register_placement_rows,
)
from tsa_desktop.formats.tabular import Table, read_table, write_table

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"
DOCS = ROOT / "resources" / "docs" / "import-formats.md"

SAMPLE_FILES = {
    "schools": "schools.csv",
    "providers": "providers.csv",
    "allocations": "allocations.csv",
    "trainees": "trainees.csv",
    "mentors": "mentors.csv",
    "placements": "placements.csv",
    "nqts": "nqts.csv",
    "ects": "ects.csv",
}

#: One good row per kind, as a person would type it.
GOOD = {
    "schools": {"urn": "100001", "name": "Wildern School", "phase": "Secondary"},
    "providers": {"name": "Kingston University", "kind": "University"},
    "allocations": {"academic_year": "2025/26", "route": "scitt", "phase": "primary",
                    "subject": "00", "lead_school_urn": "100001", "places": "10"},
    "trainees": {"trainee_id": "T1", "first_names": "Ann", "last_name": "Lee", "route": "scitt",
                 "phase": "primary", "subject": "00", "academic_year": "2025/26"},
    "mentors": {"email": "m@school.example.org", "first_name": "Mo", "last_name": "Ray",
                "school_urn": "100001", "phase": "secondary"},
    "placements": {"trainee_id": "T1", "academic_year": "2025/26", "block": "Autumn block A",
                   "school_urn": "100001"},
    "nqts": {"email": "n@school.example.org", "first_names": "Nia", "last_name": "Oak",
             "academic_year": "2025/26", "employing_school_urn": "100001"},
    "ects": {"email": "e@school.example.org", "first_names": "Eve", "last_name": "Ash",
             "employing_school_urn": "100001", "start_date": "01/09/2026", "programme": "school-led",
             "mentor_email": "m@school.example.org", "reduced_terms": "1.5", "date_of_birth": "02/03/2000"},
}


def table(*rows: dict[str, object], headers: list[str] | None = None) -> Table:
    """A table of rows given as dictionaries; the header is every key, in order of appearance."""
    names = headers or list(dict.fromkeys(k for r in rows for k in r))
    return Table.from_values(names, [[r.get(h) for h in names] for r in rows], source="test.csv")


def parse(kind: str, *rows: dict[str, object], headers: list[str] | None = None):
    return parse_table(kind, table(*rows, headers=headers))


def one(kind: str, /, **changes: object):
    """Parse the good row of a kind with some cells changed; (record or None, problems)."""
    row = {**GOOD[kind], **changes}
    result = parse(kind, row)
    return (result.records[0] if result.records else None), result.problems


def problem_text(problems) -> list[str]:
    return [str(p) for p in problems]


# --------------------------------------------------------------------------------------------
# The schemas themselves
# --------------------------------------------------------------------------------------------


def test_every_kind_has_a_schema_and_export_columns():
    assert set(SCHEMAS) == set(KINDS)
    assert set(EXPORT_COLUMNS) == set(EXPORT_KINDS)
    for kind in KINDS:
        assert EXPORT_COLUMNS[kind] == SCHEMAS[kind].column_names


@pytest.mark.parametrize("kind, key", [
    ("schools", ("urn",)),
    ("providers", ("name",)),
    ("allocations", ("academic_year", "route", "phase", "subject", "lead_school_urn")),
    ("trainees", ("trainee_id",)),
    ("mentors", ("email",)),
    ("placements", ("trainee_id", "academic_year", "block")),
    ("nqts", ("email",)),
])
def test_keys_are_those_of_the_interface(kind, key):
    assert SCHEMAS[kind].key == key
    assert set(key) <= set(SCHEMAS[kind].required_columns)


def test_columns_are_those_of_the_interface():
    assert EXPORT_COLUMNS["schools"] == (
        "urn", "name", "phase", "type", "local_authority", "address_line_1", "address_line_2",
        "town", "postcode", "easting", "northing", "lead_school", "capacity_per_block",
        "contact_name", "contact_email", "status", "previous_urns")
    assert EXPORT_COLUMNS["providers"] == ("name", "code", "kind")
    assert EXPORT_COLUMNS["allocations"] == (
        "academic_year", "route", "phase", "subject", "lead_school_urn", "places",
        "accredited_provider")
    assert EXPORT_COLUMNS["trainees"] == (
        "trainee_id", "trn", "first_names", "last_name", "email", "route", "phase", "subject",
        "academic_year", "start_date", "status", "employing_school_urn", "home_postcode",
        "home_easting", "home_northing", "travel_mode", "status_date")
    assert EXPORT_COLUMNS["mentors"] == (
        "email", "first_name", "last_name", "school_urn", "phase", "subjects", "lead_mentor",
        "initial_training_date", "refresher_date", "max_trainees")
    assert EXPORT_COLUMNS["placements"] == (
        "trainee_id", "academic_year", "block", "school_urn", "mentor_email", "status")
    assert EXPORT_COLUMNS["nqts"] == (
        "email", "trn", "first_names", "last_name", "academic_year", "employing_school_urn",
        "induction_tutor_email", "appropriate_body", "start_date", "fte")
    assert EXPORT_COLUMNS["register-placements"] == (
        "TRN", "Trainee ITT start date", "Placement 1 URN", "Placement 2 URN",
        "Placement 3 URN", "Placement 4 URN", "Placement 5 URN")


def test_unknown_kind_is_a_validation_error():
    with pytest.raises(ValidationError, match="unknown import kind; accepted: schools, providers"):
        get_schema("pupils")
    assert get_schema(" Trainees ") is SCHEMAS["trainees"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_good_row_of_each_kind_parses(kind):
    record, problems = one(kind)
    assert problems == []
    assert record.row == 2


# --------------------------------------------------------------------------------------------
# Sample files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_sample_files_import_without_problems(kind):
    result = parse_table(kind, read_table(SAMPLES / SAMPLE_FILES[kind]))
    assert result.problems == []
    assert result.ignored_columns == ()
    assert len(result.records) >= 3


def test_sample_xlsx_gives_the_same_trainees_as_the_csv():
    from_csv = parse_table("trainees", read_table(SAMPLES / "trainees.csv")).records
    from_xlsx = parse_table("trainees", read_table(SAMPLES / "trainees.xlsx")).records
    assert from_xlsx == from_csv
    assert from_xlsx[0].trn == "0712345"


def test_samples_refer_to_each_other():
    records = {k: parse_table(k, read_table(SAMPLES / f)).records for k, f in SAMPLE_FILES.items()}
    urns = {s.urn for s in records["schools"]}
    providers = {p.name for p in records["providers"]}
    trainees = {t.trainee_id for t in records["trainees"]}
    mentors = {m.email for m in records["mentors"]}
    assert {a.lead_school_urn for a in records["allocations"]} <= urns
    assert {a.accredited_provider for a in records["allocations"]} <= providers
    assert {t.employing_school_urn for t in records["trainees"]} - {None} <= urns
    assert {m.school_urn for m in records["mentors"]} <= urns
    assert {p.trainee_id for p in records["placements"]} <= trainees
    assert {p.school_urn for p in records["placements"]} <= urns
    assert {p.mentor_email for p in records["placements"]} - {None} <= mentors
    assert {n.employing_school_urn for n in records["nqts"]} <= urns
    assert {n.induction_tutor_email for n in records["nqts"]} <= mentors


def test_sample_names_are_kept_as_written():
    trainees = parse_table("trainees", read_table(SAMPLES / "trainees.csv")).records
    assert {t.last_name for t in trainees} >= {"Null", "NA"}
    assert "Zoë" in {t.first_names for t in trainees}


# --------------------------------------------------------------------------------------------
# Rules common to kinds
# --------------------------------------------------------------------------------------------


def test_missing_required_columns_are_named_with_the_columns_found():
    result = parse("trainees", {"Trainee ID": "T1", "First Names": "Ann", "surname": "Lee"})
    assert result.records == []
    assert problem_text(result.problems) == [
        "row 1, last_name, route, phase, subject, academic_year: missing required columns "
        "last_name, route, phase, subject, academic_year for trainees; "
        "columns found: Trainee ID, First Names, surname"
    ]
    assert result.ignored_columns == ("surname",)


def test_a_required_column_twice_is_refused():
    result = parse("providers", {"name": "A", "Name ": "B", "kind": "scitt"},
                   headers=["name", "Name ", "kind"])
    assert problem_text(result.problems) == [
        "row 1, name: the column appears 2 times (name, Name); keep one"]


def test_an_empty_required_cell_is_reported():
    record, problems = one("trainees", last_name=None, route="  ")
    assert record is None
    assert problem_text(problems) == ["row 2, last_name: is required", "row 2, route: is required"]


def test_every_problem_in_every_row_is_reported_in_row_order():
    result = parse(
        "trainees",
        {**GOOD["trainees"], "trainee_id": "T1", "trn": "12", "email": "x", "start_date": "31/02/2025"},
        {**GOOD["trainees"], "trainee_id": "T2"},
        {**GOOD["trainees"], "trainee_id": "T3", "route": "GTTP", "phase": "middle",
         "subject": "Astrology", "home_postcode": "XX1"},
    )
    assert [r.trainee_id for r in result.records] == ["T2"]
    assert [(p.row, p.field) for p in result.problems] == [
        (2, "trn"), (2, "email"), (2, "start_date"),
        (4, "route"), (4, "phase"), (4, "subject"), (4, "home_postcode"),
    ]
    with pytest.raises(ValidationError) as info:
        result.raise_if_problems()
    assert str(info.value).startswith("test.csv: 7 problems, nothing was changed:")


def test_headers_with_odd_case_spaces_and_underscores_are_understood():
    result = parse("mentors", {"E-mail": "x"}, headers=["E-mail"])
    assert result.problems  # a hyphen is not ignored: the column is missing
    result = parse("mentors", {"EMAIL": "A@B.org", "First Name": "Mo", "LAST_NAME": "Ray",
                               "School URN": "100001", "Phase": "Secondary",
                               "max_trainees ": "2"})
    assert result.problems == []
    assert result.records[0].email == "a@b.org"
    assert result.records[0].max_trainees == 2
    assert result.present_fields == {"email", "first_name", "last_name", "school_urn", "phase",
                                     "max_trainees"}


def test_problems_name_the_column_as_the_file_writes_it():
    result = parse("schools", {"URN": "12345", "Name": "X", "Phase": "primary"})
    assert problem_text(result.problems) == [
        "row 2, URN: must be six digits, e.g. 100001 (got '12345')"]


@pytest.mark.parametrize("kind, rows, message", [
    ("trainees", [{"trainee_id": "T1"}, {"trainee_id": "T2"}, {"trainee_id": "T1"}],
     "row 4, trainee_id: rows 2 and 4 have the same trainee_id; each may appear only once (got 'T1')"),
    ("schools", [{"urn": "100001"}, {"urn": "100001.0"}],
     "row 3, urn: rows 2 and 3 have the same urn; each may appear only once (got '100001')"),
    ("mentors", [{"email": "A@x.org"}, {"email": "a@X.org"}],
     "row 3, email: rows 2 and 3 have the same email; each may appear only once (got 'a@x.org')"),
    ("providers", [{"name": "Kingston  University"}, {"name": "kingston university"}],
     "row 3, name: rows 2 and 3 have the same name; each may appear only once "
     "(got 'kingston university')"),
    ("placements", [{"block": "Autumn block A"}, {"block": "autumn Block a"}],
     "row 3, trainee_id, academic_year, block: rows 2 and 3 have the same trainee_id, "
     "academic_year, block; each may appear only once (got 'T1 / 2025/26 / autumn Block a')"),
    ("allocations", [{"route": "scitt", "subject": "00"}, {"route": "SCITT", "subject": "Primary"}],
     "row 3, academic_year, route, phase, subject, lead_school_urn: rows 2 and 3 have the same "
     "academic_year, route, phase, subject, lead_school_urn; each may appear only once "
     "(got '2025/26 / scitt / primary / 00 / 100001')"),
    ("nqts", [{"email": "n@x.org"}, {"email": "N@x.org"}],
     "row 3, email: rows 2 and 3 have the same email; each may appear only once (got 'n@x.org')"),
])
def test_duplicate_keys_name_both_rows(kind, rows, message):
    result = parse(kind, *({**GOOD[kind], **r} for r in rows))
    assert problem_text(result.problems) == [message]
    assert len(result.records) == len(rows) - 1


def test_a_duplicate_key_is_reported_even_when_the_row_has_other_problems():
    result = parse("trainees", GOOD["trainees"], {**GOOD["trainees"], "start_date": "soon"})
    assert [p.field for p in result.problems] == ["start_date", "trainee_id"]


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, column, value, expected", [
    ("trainees", "route", "GTTP", "unknown route; accepted: school_direct_tuition_fee, "
                                  "school_direct_salaried, scitt, scitt_salaried"),
    ("trainees", "phase", "middle", "unknown phase; accepted: primary, secondary, special, "
                                    "nursery, all_through, 16_plus"),
    ("trainees", "subject", "Astrology", "unknown subject; accepted: 00, 01, 02"),
    ("trainees", "status", "graduated", "unknown trainee status; accepted: offered, enrolled"),
    ("trainees", "trn", "123456", "must be seven digits"),
    ("trainees", "email", "ann at school", "is not an email address"),
    ("trainees", "start_date", "2025-13-01", "must be a date"),
    ("trainees", "start_date", "04/13/2025", "must be a date"),
    ("trainees", "home_postcode", "12345", "is not a UK postcode"),
    ("trainees", "home_easting", "east", "must be a whole number"),
    ("trainees", "academic_year", "2025/27", "must be an academic year such as 2025/26"),
    ("trainees", "employing_school_urn", "10001", "must be six digits"),
    ("trainees", "trainee_id", "T" * 41, "is longer than 40 characters"),
    ("trainees", "last_name", "L" * 201, "is longer than 200 characters"),
    ("schools", "urn", "ABC123", "must be six digits"),
    ("schools", "lead_school", "perhaps", "must be yes or no"),
    ("schools", "capacity_per_block", "-1", "must be between 0 and 200"),
    ("schools", "contact_email", "office@", "is not an email address"),
    ("schools", "northing", "2000000", "must be between 0 and"),
    ("providers", "kind", "college", "unknown provider kind; accepted: university, scitt"),
    ("allocations", "places", "2.5", "must be a whole number"),
    ("allocations", "places", "1001", "must be between 0 and 1,000"),
    ("allocations", "lead_school_urn", "1234567", "must be six digits"),
    ("mentors", "max_trainees", "3", "must be between 1 and 2"),
    ("mentors", "max_trainees", "0", "must be between 1 and 2"),
    ("mentors", "subjects", "G1, F3", "unknown subject 'G1, F3'; separate subjects with ';', not ','"),
    ("mentors", "subjects", "G1;Astrology;Alchemy", "unknown subject 'Astrology', 'Alchemy'; accepted"),
    ("mentors", "initial_training_date", "yesterday", "must be a date"),
    ("placements", "status", "maybe", "unknown placement status; accepted: proposed"),
    ("placements", "mentor_email", "nobody", "is not an email address"),
    ("nqts", "fte", "0", "must be between 0.1 and 1.0"),
    ("nqts", "fte", "1.5", "must be between 0.1 and 1.0"),
    ("nqts", "fte", "half", "must be between 0.1 and 1.0"),
    ("nqts", "fte", "120%", "must be between 10 and 100"),
    ("nqts", "trn", "12345678", "must be seven digits"),
    ("trainees", "subject", "G1 Physics", "code G1 is Mathematics, not Physics"),
])
def test_bad_values_are_reported_with_row_column_and_what_is_accepted(kind, column, value, expected):
    record, problems = one(kind, **{column: value})
    assert record is None
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.row, problem.field) == (2, column)
    assert expected in problem.message
    assert problem.value == (value if len(value) <= 60 else value[:57] + "...")


def test_day_first_dates_are_never_read_month_first():
    record, problems = one("trainees", start_date="03/04/2025")
    assert problems == [] and record.start_date == dt.date(2025, 4, 3)
    record, _ = one("trainees", start_date="2025-04-03")
    assert record.start_date == dt.date(2025, 4, 3)
    record, _ = one("trainees", start_date="2025-04-03 00:00:00")
    assert record.start_date == dt.date(2025, 4, 3)


def test_null_and_na_are_names():
    result = parse("trainees", {**GOOD["trainees"], "first_names": "N/A", "last_name": "NULL"},
                   {**GOOD["trainees"], "trainee_id": "T2", "last_name": "NA", "email": None,
                    "first_names": "None"})
    assert result.problems == []
    assert [(r.first_names, r.last_name) for r in result.records] == [("N/A", "NULL"), ("None", "NA")]


def test_values_are_cleaned():
    record, problems = one(
        "trainees", trn="0012345", email="Ann.Lee@School.Example.ORG", route="School Direct (salaried)",
        phase="Secondary", subject="Maths", academic_year="2025-26", status="Enrolled",
        employing_school_urn="100001.0", home_postcode="gu10 3be", home_easting="484100",
        home_northing="141600")
    assert problems == []
    assert record.trn == "0012345"
    assert record.email == "ann.lee@school.example.org"
    assert record.route is Route.SCHOOL_DIRECT_SALARIED
    assert record.phase is Phase.SECONDARY and record.subject is Subject.MATHEMATICS
    assert record.academic_year == "2025/26" and record.status is TraineeStatus.ENROLLED
    assert record.employing_school_urn == "100001"
    assert (record.home_postcode, record.home_easting, record.home_northing) == ("GU10 3BE", 484100, 141600)


def test_trn_is_optional_for_trainees_and_nqts():
    for kind in ("trainees", "nqts"):
        record, problems = one(kind, trn=None)
        assert problems == [] and record.trn is None


@pytest.mark.parametrize("route", ["school_direct_salaried", "scitt_salaried",
                                   "pg_teaching_apprenticeship", "GTP"])
def test_salaried_routes_need_an_employing_school(route):
    record, problems = one("trainees", route=route, employing_school_urn=None)
    assert record is None
    assert [(p.row, p.field) for p in problems] == [(2, "employing_school_urn")]
    assert "is required for the route" in problems[0].message
    record, problems = one("trainees", route=route, employing_school_urn="100001")
    assert problems == [] and record.employing_school_urn == "100001"


def test_salaried_route_without_the_column_at_all():
    row = {k: v for k, v in GOOD["trainees"].items()}
    row["route"] = "School Direct (salaried)"
    result = parse("trainees", row)
    assert problem_text(result.problems) == [
        "row 2, employing_school_urn: is required for the route school_direct_salaried "
        "(School Direct (salaried)): salaried trainees are employed by a school"]


def test_fee_funded_routes_need_no_employer():
    record, problems = one("trainees", route="School Direct (fee-funded)")
    assert problems == [] and record.employing_school_urn is None


@pytest.mark.parametrize("kind, east, north", [
    ("schools", "easting", "northing"), ("trainees", "home_easting", "home_northing")])
def test_easting_and_northing_come_together(kind, east, north):
    _, problems = one(kind, **{east: "484100"})
    assert [(p.field, p.message) for p in problems] == [
        (north, "give both easting and northing, or neither")]
    _, problems = one(kind, **{north: "141600"})
    assert [p.field for p in problems] == [east]
    record, problems = one(kind, **{east: "484100", north: "141600"})
    assert problems == []


@pytest.mark.parametrize("value, expected", [("1", 1), ("2", 2), ("2.0", 2)])
def test_max_trainees_is_one_or_two(value, expected):
    record, problems = one("mentors", max_trainees=value)
    assert problems == [] and record.max_trainees == expected


@pytest.mark.parametrize("value, expected", [("0.1", 0.1), ("1", 1.0), ("0.6", 0.6), ("60%", 0.6)])
def test_fte_from_a_tenth_to_one(value, expected):
    record, problems = one("nqts", fte=value)
    assert problems == [] and record.fte == pytest.approx(expected)


def test_subjects_are_separated_by_semicolons():
    record, problems = one("mentors", subjects="G1; Physics ;;F3; Mathematics (G1)")
    assert problems == []
    assert record.subjects == (Subject.MATHEMATICS, Subject.PHYSICS)
    record, _ = one("mentors", subjects=None)
    assert record.subjects is None


def test_subject_codes_and_names_together():
    for text in ("G1 Mathematics", "G1 - Mathematics", "Mathematics (G1)", "G1", "maths"):
        record, problems = one("allocations", subject=text)
        assert problems == [] and record.subject is Subject.MATHEMATICS, text
    record, _ = one("allocations", subject="0")  # a spreadsheet's 00
    assert record.subject is Subject.PRIMARY


def test_refresher_cannot_be_before_initial_training():
    record, problems = one("mentors", initial_training_date="15/09/2024", refresher_date="01/09/2024")
    assert record is None
    assert problem_text(problems) == [
        "row 2, refresher_date: is before the initial_training_date (15/09/2024) (got '2024-09-01')"]


def test_yes_no_columns():
    record, _ = one("schools", lead_school="Yes", capacity_per_block="0")
    assert record.lead_school is True and record.capacity_per_block == 0
    record, _ = one("mentors", lead_mentor="n")
    assert record.lead_mentor is False


def test_enumerations_by_label_and_code():
    record, _ = one("providers", kind="SCITT", code="SSF")
    assert record.kind is ProviderKind.SCITT and record.code == "SSF"
    record, _ = one("placements", status="Confirmed", mentor_email="Mo@X.org")
    assert record.status is PlacementStatus.CONFIRMED and record.mentor_email == "mo@x.org"


def test_optional_columns_left_out_are_not_present_fields():
    result = parse("schools", GOOD["schools"])
    assert result.present_fields == {"urn", "name", "phase"}
    record = result.records[0]
    assert record.postcode is None and record.lead_school is None and record.status is None


def test_unknown_columns_are_ignored_and_listed():
    result = parse("providers", {**GOOD["providers"], "notes": "x", "Website": "y"})
    assert result.problems == []
    assert result.ignored_columns == ("notes", "Website")


def test_records_are_frozen_and_carry_their_row():
    result = parse("placements", GOOD["placements"], {**GOOD["placements"], "block": "Spring B"})
    record = result.records[1]
    assert record.row == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.block = "x"  # type: ignore[misc]
    assert record.key == ("T1", "2025/26", "spring b")


def test_parse_rows_gives_records_and_problems():
    records, problems = SCHEMAS["schools"].parse_rows(table(GOOD["schools"], {"urn": "x"}))
    assert [r.urn for r in records] == ["100001"]
    assert [(p.row, p.field) for p in problems] == [(3, "urn"), (3, "name"), (3, "phase")]


@pytest.mark.parametrize("kind", KINDS)
def test_fast_records_equal_records_made_by_init(kind):
    source = read_table(SAMPLES / SAMPLE_FILES[kind])
    for record in parse_table(kind, source).records:
        values = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
        made = type(record)(**values)
        assert made == record and hash(made) == hash(record)
        assert repr(made) == repr(record)
        assert vars(made) == vars(record)


# --------------------------------------------------------------------------------------------
# GIAS establishment extracts
# --------------------------------------------------------------------------------------------


def test_gias_extract_in_windows_1252_imports_as_downloaded():
    source = read_table(SAMPLES / "gias_extract_windows1252.csv")
    assert SCHOOLS.resolve(source) is GIAS_SCHOOLS
    result = parse_table("schools", source)
    assert result.problems == []
    by_urn = {s.urn: s for s in result.records}
    assert by_urn["990401"].name == "St Mary's C of E Primary School"
    assert by_urn["990402"].name == "St Mary\u2019s Catholic Infant School"
    assert by_urn["990403"].name == "Émile Ridge Primary School"
    assert by_urn["990403"].address_line_2 == "Fleet, Church Crookham"
    assert by_urn["990401"].address_line_2 == "Frensham"
    assert by_urn["990402"].address_line_2 is None
    assert by_urn["990405"].phase is Phase.SPECIAL
    assert by_urn["990405"].type == "Community special school"
    assert by_urn["990407"].status == "Closed"
    assert by_urn["990408"].phase is Phase.SECONDARY
    assert by_urn["990409"].phase is Phase.SIXTEEN_PLUS
    assert by_urn["990410"].phase is Phase.ALL_THROUGH
    assert by_urn["990403"].local_authority == "Hampshire"
    assert (by_urn["990403"].postcode, by_urn["990403"].easting) == ("GU52 6AA", 480100)
    assert "990406" not in by_urn
    assert [(p.row, p.field) for p in result.skipped] == [(7, "URN")]
    assert "Hazelwood House School" in result.skipped[0].message
    assert "PhaseOfEducation (code)" in result.ignored_columns
    assert result.present_fields == {
        "urn", "name", "phase", "type", "local_authority", "address_line_1", "address_line_2",
        "town", "postcode", "easting", "northing", "status"}
    assert by_urn["990401"].lead_school is None and by_urn["990401"].capacity_per_block is None


GIAS_HEADERS = ["URN", "EstablishmentName", "TypeOfEstablishment (name)", "PhaseOfEducation (name)"]


def test_gias_problems_name_gias_columns():
    result = parse("schools", {"URN": "12", "EstablishmentName": "A",
                               "TypeOfEstablishment (name)": "Academy converter",
                               "PhaseOfEducation (name)": "Middle school"})
    assert problem_text(result.problems) == [
        "row 2, URN: must be six digits, e.g. 100001 (got '12')",
        "row 2, PhaseOfEducation (name): unknown phase; accepted: primary, secondary, special, "
        "nursery, all_through, 16_plus (got 'Middle school')"]


def test_gias_missing_columns_are_listed():
    result = parse("schools", {"URN": "100001", "EstablishmentName": "A"})
    assert len(result.problems) == 1
    assert "missing required columns PhaseOfEducation (name), TypeOfEstablishment (name) " \
           "for a GIAS establishment extract" in result.problems[0].message


@pytest.mark.parametrize("kind, phase", [
    ("Foundation special school", Phase.SPECIAL), ("Academy special converter", Phase.SPECIAL),
    ("Further education", None), ("Pupil referral unit", None)])
def test_gias_not_applicable_phase(kind, phase):
    result = parse("schools", {"URN": "100001", "EstablishmentName": "Unit",
                               "TypeOfEstablishment (name)": kind,
                               "PhaseOfEducation (name)": "Not applicable"}, headers=GIAS_HEADERS)
    assert result.problems == []
    if phase is None:
        assert result.records == [] and len(result.skipped) == 1
        assert f"({kind})" in result.skipped[0].message
    else:
        assert result.records[0].phase is phase and result.skipped == []


def test_gias_duplicate_urns_are_reported():
    row = {"URN": "100001", "EstablishmentName": "A", "TypeOfEstablishment (name)": "x",
           "PhaseOfEducation (name)": "Primary"}
    result = parse("schools", row, row)
    assert problem_text(result.problems) == [
        "row 3, URN: rows 2 and 3 have the same URN; each may appear only once (got '100001')"]


# --------------------------------------------------------------------------------------------
# Export and round trips
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_export_then_import_gives_the_same_records(tmp_path, kind, suffix):
    records = parse_table(kind, read_table(SAMPLES / SAMPLE_FILES[kind])).records
    path = tmp_path / f"{kind}{suffix}"
    write_table(path, EXPORT_COLUMNS[kind], export_rows(kind, records))
    again = parse_table(kind, read_table(path))
    assert again.problems == []
    assert again.present_fields == {c.field for c in SCHEMAS[kind].columns}
    strip = lambda r: dataclasses.replace(r, row=0)  # noqa: E731
    assert [strip(r) for r in again.records] == [strip(r) for r in records]


def test_export_cells_use_codes_semicolons_yes_no_and_keep_dates():
    mentor = parse_table("mentors", read_table(SAMPLES / "mentors.csv")).records[0]
    row = dict(zip(EXPORT_COLUMNS["mentors"], export_rows("mentors", [mentor])[0]))
    assert row["phase"] == "primary"
    assert row["subjects"] == "00;03"
    assert row["lead_mentor"] == "yes"
    assert row["initial_training_date"] == dt.date(2021, 9, 15)


def test_export_of_gias_schools_writes_our_own_columns(tmp_path):
    records = parse_table("schools", read_table(SAMPLES / "gias_extract_windows1252.csv")).records
    path = tmp_path / "schools.csv"
    write_table(path, EXPORT_COLUMNS["schools"], export_rows("schools", records))
    again = parse_table("schools", read_table(path))
    assert again.problems == []
    assert [r.name for r in again.records] == [r.name for r in records]
    # GIAS's establishment status is one of our columns too, spelt as GIAS spells it.
    assert [r.status for r in again.records] == [r.status for r in records]
    assert "Closed" in {r.status for r in again.records}


def test_formula_like_text_survives_a_round_trip(tmp_path):
    record, problems = one("providers", name="=HYPERLINK(\"http://x\")", code="-1")
    assert problems == []
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"p{suffix}"
        write_table(path, EXPORT_COLUMNS["providers"], export_rows("providers", [record]))
        again = parse_table("providers", read_table(path)).records[0]
        assert (again.name, again.code) == (record.name, record.code)


# --------------------------------------------------------------------------------------------
# Register trainee teachers
# --------------------------------------------------------------------------------------------


def test_register_row_has_dd_mm_yyyy_and_distinct_urns_in_order():
    row = register_placement_row("0012345", dt.date(2025, 9, 1), ["100003", "100001", "100003", "100002"])
    assert row == ["0012345", "01/09/2025", "100003", "100001", "100002", "", ""]
    assert len(row) == len(REGISTER_PLACEMENT_COLUMNS)
    assert register_placement_row("1234567", None, []) == ["1234567", "", "", "", "", "", ""]


@pytest.mark.parametrize("trn, urns, message", [
    ("123", ["100001"], "TRN '123' must be seven digits"),
    ("1234567", ["12"], "placement URN '12' must be six digits"),
    ("1234567", [str(100001 + i) for i in range(6)], "has 6 placement schools; Register's file takes 5"),
])
def test_register_row_refuses_what_register_would(trn, urns, message):
    with pytest.raises(ValueError, match=message):
        register_placement_row(trn, None, urns)


def test_register_rows_leave_out_and_list_what_cannot_be_uploaded(tmp_path):
    rows, notes = register_placement_rows([
        RegisterPlacement("0012345", dt.date(2025, 9, 1), ["100001", "100002", "100001"], "T1"),
        RegisterPlacement(None, dt.date(2025, 9, 1), ["100001"], "T2"),
        RegisterPlacement("2345678", None, [], "T3"),
        RegisterPlacement("3456789", None, [str(100001 + i) for i in range(6)], "T4"),
    ])
    assert rows == [["0012345", "01/09/2025", "100001", "100002", "", "", ""]]
    assert [n.message.split(":")[0] for n in notes] == ["trainee T2 has no TRN", "trainee T4"]
    path = tmp_path / "register.csv"
    write_table(path, REGISTER_PLACEMENT_COLUMNS, rows, bom=REGISTER_PLACEMENTS_CSV_BOM)
    assert path.read_bytes().decode("utf-8").splitlines() == [
        "TRN,Trainee ITT start date,Placement 1 URN,Placement 2 URN,Placement 3 URN,"
        "Placement 4 URN,Placement 5 URN",
        "0012345,01/09/2025,100001,100002,,,",
    ]


# --------------------------------------------------------------------------------------------
# The user documentation
# --------------------------------------------------------------------------------------------


def test_the_user_documentation_names_every_column():
    text = DOCS.read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"### {kind}" in text
        for column in SCHEMAS[kind].columns:
            assert column.name in text, (kind, column.name)
    for column in GIAS_SCHOOLS.columns:
        assert f"`{column.name}`" in text
    assert ", ".join(REGISTER_PLACEMENT_COLUMNS) in text
