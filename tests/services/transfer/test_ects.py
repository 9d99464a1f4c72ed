"""The ects kind: the same records as nqts, with today's induction columns in and out."""

import csv
import datetime as dt

import pytest
from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import ValidationError

from tests.services.transfer.helpers import SAMPLES, import_samples, problems, snapshot, write

D = dt.date


@pytest.fixture
def samples(workspace):
    import_samples(workspace)
    return workspace


def _read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_the_sample_imports_with_mentors_programme_reduction_and_years_from_start_dates(samples):
    report = samples.transfer.import_file("ects", SAMPLES / "ects.csv")
    assert (report.added, report.updated) == (4, 0)
    with samples.db.reading() as s:
        rows = {r.email.split("@")[0]: r for r in s.execute(
            select(m.Nqt.email, m.Nqt.induction_regime, m.Nqt.programme, m.Nqt.reduced_terms,
                   m.Nqt.date_of_birth, m.Mentor.email.label("mentor"), m.AcademicYear.name.label("year"))
            .join(m.Mentor, m.Mentor.id == m.Nqt.mentor_id)
            .join(m.InductionCohort, m.InductionCohort.id == m.Nqt.cohort_id)
            .join(m.AcademicYear, m.AcademicYear.id == m.InductionCohort.academic_year_id)
            .where(m.Nqt.email.in_([r["email"] for r in _read(SAMPLES / "ects.csv")])))}
    amara = rows["amara.okafor"]
    assert (amara.induction_regime, amara.programme, amara.mentor, amara.year, amara.date_of_birth) == (
        "ect", "provider_led", "k.stanway@fairlawn.example.org", "2025/26", D(2001, 3, 14))
    assert rows["chloe.sandhu"].reduced_terms == 2 and rows["dev.marlow"].programme == "provider_led"
    assert samples.transfer.import_file("ects", SAMPLES / "ects.csv").unchanged == 4


def test_export_adds_regime_terms_expected_end_and_status_and_reads_back_unchanged(samples, tmp_path):
    samples.transfer.import_file("ects", SAMPLES / "ects.csv")
    samples.transfer.export_file("ects", tmp_path / "ects.csv")
    rows = {r["email"]: r for r in _read(tmp_path / "ects.csv")}
    assert list(next(iter(rows.values())))[-5:] == [
        "induction_regime", "terms_required", "terms_counted", "expected_end_date", "status"]
    amara, ben = rows["amara.okafor@fairlawn.example.org"], rows["ben.hartley@woodroffe.example.org"]
    assert (amara["induction_regime"], amara["terms_required"], amara["expected_end_date"], amara["status"]) == (
        "ect", "6.0", "2027-07-21", "in_progress")
    assert ben["expected_end_date"] == "2029-07-20"  # 0.5 FTE: twelve school terms
    chloe = rows["chloe.sandhu@tudorgrange.example.org"]
    assert (chloe["terms_required"], chloe["expected_end_date"]) == ("4.0", "2027-03-25")
    dev = rows["dev.marlow@hounsdown.example.org"]
    assert dev["expected_end_date"] == "2028-12-19"  # 0.4 of spring 2026 at 0.8 FTE counts 0.3, then 0.8 a term
    assert rows["grace.ashworth@southfarnham.example.org"]["induction_regime"] == "ect"  # nqts records too
    before = snapshot(samples)
    report = samples.transfer.import_file("ects", tmp_path / "ects.csv")
    assert report.updated == 0 and snapshot(samples) == before
    # the nqts export keeps its own columns
    samples.transfer.export_file("nqts", tmp_path / "nqts.csv")
    assert list(_read(tmp_path / "nqts.csv")[0])[-1] == "fte"


def test_an_nqt_under_the_old_regime_by_its_start_date(samples, tmp_path):
    header = ["email", "first_names", "last_name", "employing_school_urn", "start_date"]
    path = write(tmp_path / "old.csv", header,
                 ["old.nqt@school.example", "Olu", "Example", "990101", "01/09/2020"])
    samples.transfer.import_file("ects", path)
    samples.transfer.export_file("ects", tmp_path / "out.csv", year="2020/21")
    (row,) = _read(tmp_path / "out.csv")
    assert (row["academic_year"], row["induction_regime"], row["terms_required"], row["expected_end_date"]) == (
        "2020/21", "nqt", "3.0", "2021-07-21")


def test_ect_problems_are_named_and_nothing_is_imported(samples, tmp_path):
    header = ["email", "first_names", "last_name", "academic_year", "employing_school_urn", "start_date",
              "mentor_email", "programme", "reduced_terms", "date_of_birth"]
    path = write(tmp_path / "bad.csv", header,
                 ["a@school.example", "Al", "Example", "", "990101", "", "", "", "", ""],
                 ["b@school.example", "Bo", "Example", "", "990101", "01/09/2026", "nobody@pool.example", "", "", ""],
                 ["c@school.example", "Cy", "Example", "", "990101", "01/09/2026", "", "", "6", ""],
                 ["d@school.example", "Di", "Example", "", "990101", "01/09/2026", "", "", "", "01/01/2015"],
                 ["e@school.example", "Ed", "Example", "", "990101", "01/09/2026", "", "online", "", ""])
    before = snapshot(samples)
    with pytest.raises(ValidationError) as info:
        samples.transfer.import_file("ects", path)
    assert problems(info.value) == [
        "row 2, academic_year: give the academic year or the start date (the year is taken from it)",
        "row 3, mentor_email: is not in the mentor pool; import or add the mentor first (the ECT's mentor "
        "comes from the pool)",
        "row 4, reduced_terms: must leave at least one term to serve: at most 5 terms can be taken off",
        "row 5, date_of_birth: would make them younger than 18 when induction starts",
        "row 6, programme: unknown induction programme; accepted: provider_led, school_led",
    ]
    assert snapshot(samples) == before


def test_one_person_as_tutor_and_mentor_is_noted_not_refused(samples, tmp_path):
    header = ["email", "first_names", "last_name", "employing_school_urn", "start_date", "induction_tutor_email",
              "mentor_email"]
    path = write(tmp_path / "both.csv", header,
                 ["e@school.example", "Ed", "Example", "990102", "01/09/2026", "t.lomax@belleville.example.org",
                  "t.lomax@belleville.example.org"])
    report = samples.transfer.import_file("ects", path)
    assert report.added == 1
    assert any("same person as induction tutor and mentor" in n for n in report.notes)
