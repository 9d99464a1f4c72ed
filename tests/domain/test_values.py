import datetime as dt

import pytest

from tsa_desktop.domain import values as v
from tsa_desktop.domain.enums import Phase, Route, Subject, TraineeStatus, TRAINEE_TRANSITIONS


@pytest.mark.parametrize("text,expected", [("100001", "100001"), (" 012345 ", "012345"), ("123456.0", "123456")])
def test_urn_accepts_six_digits_and_keeps_leading_zeros(text, expected):
    assert v.parse_urn(text) == expected


@pytest.mark.parametrize("text", ["12345", "1234567", "12a456", ""])
def test_urn_rejects_anything_else(text):
    with pytest.raises(ValueError, match="six digits"):
        v.parse_urn(text)


@pytest.mark.parametrize("text,expected", [("gu9 8ql", "GU9 8QL"), ("SW1A1AA", "SW1A 1AA"), ("m1 1ae", "M1 1AE")])
def test_postcode_normalised(text, expected):
    assert v.parse_postcode(text) == expected


@pytest.mark.parametrize("text", ["GU9", "12345", "GU9 8Q", "QQQ 111"])
def test_postcode_rejected(text):
    with pytest.raises(ValueError, match="postcode"):
        v.parse_postcode(text)


def test_dates_are_iso_or_day_first_never_month_first():
    assert v.parse_date("2025-09-01") == dt.date(2025, 9, 1)
    assert v.parse_date("03/04/2025") == dt.date(2025, 4, 3)
    assert v.parse_date("2025-09-01 00:00:00") == dt.date(2025, 9, 1)
    with pytest.raises(ValueError):
        v.parse_date("12/31/2025")  # month first is never accepted


@pytest.mark.parametrize("text,expected", [("2025/26", "2025/26"), ("2025-26", "2025/26"), ("2025/2026", "2025/26"),
                                           ("1999/00", "1999/00")])
def test_academic_year(text, expected):
    assert v.parse_academic_year(text) == expected


@pytest.mark.parametrize("text", ["2025/27", "2025", "25/26"])
def test_academic_year_rejected(text):
    with pytest.raises(ValueError):
        v.parse_academic_year(text)


def test_academic_year_of_a_date():
    assert v.academic_year_of(dt.date(2026, 8, 31)) == "2025/26"
    assert v.academic_year_of(dt.date(2026, 9, 1)) == "2026/27"


def test_trn_seven_digits_kept_as_text():
    assert v.parse_trn("0012345") == "0012345"
    with pytest.raises(ValueError):
        v.parse_trn("12345")


def test_routes_accept_codes_and_usual_labels():
    assert Route.parse("School Direct (salaried)") is Route.SCHOOL_DIRECT_SALARIED
    assert Route.parse("school_direct_tuition_fee") is Route.SCHOOL_DIRECT_TUITION_FEE
    assert Route.parse("School Direct (fee-funded)") is Route.SCHOOL_DIRECT_TUITION_FEE
    assert Route.SCHOOL_DIRECT_SALARIED.salaried and not Route.SCITT.salaried
    with pytest.raises(ValueError, match="accepted: school_direct_tuition_fee"):
        Route.parse("GTPX")


def test_subjects_accept_dfe_codes_names_and_spreadsheet_numbers():
    assert Subject.parse("G1") is Subject.MATHEMATICS
    assert Subject.parse("physics") is Subject.PHYSICS
    assert Subject.parse(0) is Subject.PRIMARY
    assert Subject.PRIMARY.is_primary and not Subject.PHYSICS.is_primary


def test_phases_and_gias_special():
    assert Phase.parse("16_plus") is Phase.SIXTEEN_PLUS
    assert Phase.parse_gias("Not applicable", "Community special school") is Phase.SPECIAL


def test_qts_awarded_is_final_and_withdrawn_does_not_count():
    assert TRAINEE_TRANSITIONS[TraineeStatus.QTS_AWARDED] == frozenset()
    assert not TraineeStatus.WITHDRAWN.counts_against_allocation
    assert TraineeStatus.DEFERRED.counts_against_allocation


def test_range_messages_read_as_numbers_people_write():
    with pytest.raises(ValueError, match="between 0 and 1,300,000"):
        v.parse_northing("2000000")
    with pytest.raises(ValueError, match="between 0.1 and 1"):
        v.parse_float("1.5", 0.1, 1.0)


@pytest.mark.parametrize("text, reason", [
    ("Ann\x00e", "a NUL byte"), ("Ann\x1be", r"control character \(code 27\)"), ("Ann\ne", "line break"),
    ("Ann\r\ne", "line break"), ("Ann\u2028e", "line break"), ("Ann\te", "tab"),
])
def test_a_name_is_one_line_of_characters_a_spreadsheet_keeps(text, reason):
    from tsa_desktop.domain.values import parse_name

    with pytest.raises(ValueError, match=reason):
        parse_name(text)


def test_names_keep_accents_other_scripts_and_no_break_spaces():
    from tsa_desktop.domain.values import parse_name

    for name in ("Zoë Łukasz", "Ольга", "O'Neil-Smith", "Anne\u00a0Marie", "NULL"):
        assert parse_name(f" {name} ") == name
