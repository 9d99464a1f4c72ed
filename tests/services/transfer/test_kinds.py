"""Importing each kind: what it refers to is checked against the database, row by row."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import Subject, TraineeStatus
from tsa_desktop.domain.errors import ValidationError
from tests.services.transfer.helpers import import_samples, problems, snapshot, write

TRAINEE = ["trainee_id", "first_names", "last_name", "route", "phase", "subject", "academic_year", "status"]
PLACEMENT = ["trainee_id", "academic_year", "block", "school_urn", "mentor_email", "status"]


@pytest.fixture
def samples(workspace):
    import_samples(workspace)
    return workspace


def _refused(ws, kind, path) -> list[str]:
    before = snapshot(ws)
    with pytest.raises(ValidationError) as info:
        ws.transfer.import_file(kind, path)
    assert snapshot(ws) == before
    return problems(info.value)


# --- schools, providers, allocations ---------------------------------------------------------------


def test_one_lead_school(samples, tmp_path):
    path = write(tmp_path / "s.csv", ["urn", "name", "phase", "lead_school"],
                 ["990102", "Belleville Primary School", "primary", "yes"],
                 ["990103", "The Mead Community Primary School", "primary", "yes"])
    assert _refused(samples, "schools", path) == [
        "row 3, lead_school: only one school can be the lead school; row 2 (Belleville Primary School) says yes too"]
    path = write(tmp_path / "s.csv", ["urn", "name", "phase", "lead_school"],
                 ["990102", "Belleville Primary School", "primary", "yes"])
    report = samples.transfer.import_file("schools", path)
    assert report.updated == 1 and report.notes == ("South Farnham School (990101) is no longer the lead school: "
                                                 "Belleville Primary School (990102) is, as the file says",)
    assert [s.urn for s in samples.schools.list() if s.is_lead_school] == ["990102"]


def test_providers_match_ignoring_case_and_spacing(samples, tmp_path):
    path = write(tmp_path / "p.csv", ["name", "code", "kind"], ["kingston  university", "KIN", "university"],
                 ["University of Sussex", None, "university"])
    report = samples.transfer.import_file("providers", path)
    assert (report.added, report.updated) == (1, 1)
    assert {p.name for p in samples.providers.list()} == {
        "University of Roehampton", "kingston  university", "Surrey South Farnham SCITT", "University of Sussex"}


def test_allocations_check_school_provider_and_rules(samples, tmp_path):
    header = ["academic_year", "route", "phase", "subject", "lead_school_urn", "places", "accredited_provider"]
    path = write(tmp_path / "a.csv", header,
                 ["2025/26", "scitt", "primary", "00", "123123", 3, None],
                 ["2025/26", "scitt", "primary", "00", "990101", 3, "Nowhere University"],
                 ["2025/26", "scitt", "primary", "G1", "990101", 3, None],
                 ["2025/26", "school_direct_tuition_fee", "primary", "00", "990101", 0, None])
    found = _refused(samples, "allocations", path)
    assert found[0].startswith("row 2, lead_school_urn: no school has the URN 123123")
    assert found[1].startswith("row 3, accredited_provider: no accredited provider has this name")
    assert "known: Kingston University, Surrey South Farnham SCITT, University of Roehampton" in found[1]
    assert found[2].startswith("row 4, subject: Mathematics is a secondary subject")
    assert found[3].startswith("row 5, places: 2 trainees are recruited against this allocation")


def test_allocations_for_a_new_year_create_it_with_blocks(samples, tmp_path):
    path = write(tmp_path / "a.xlsx", ["academic_year", "route", "phase", "subject", "lead_school_urn", "places"],
                 ["2026/27", "scitt", "primary", "00", "990101", 12])
    report = samples.transfer.import_file("allocations", path)
    assert report.added == 1 and "2026/27 was added" in report.notes[0]
    assert [b.name for b in samples.mentors.blocks("2026/27")] == ["Autumn block A", "Spring block B", "Summer block C"]


# --- trainees --------------------------------------------------------------------------------------


def _history(ws, trainee_id):
    row = next(t for t in ws.trainees.list() if t.trainee_id == trainee_id)
    return [(h.status, h.note) for h in ws.trainees.history(row.id)]


def test_trainees_go_onto_their_allocation_and_status_changes_are_recorded(samples, tmp_path):
    path = write(tmp_path / "t.csv", TRAINEE,
                 ["TSA25-001", "Amelia", "Brampton", "school_direct_tuition_fee", "primary", "00", "2025/26", "withdrawn"],
                 ["TSA25-009", "Ffion", "Example", "scitt", "primary", "Primary with mathematics", "2025/26", None])
    report = samples.transfer.import_file("trainees", path)
    assert (report.added, report.updated) == (1, 1)
    assert _history(samples, "TSA25-001") == [(TraineeStatus.ENROLLED, "Imported from trainees.csv"),
                                              (TraineeStatus.WITHDRAWN, "Imported from t.csv")]
    assert _history(samples, "TSA25-009") == [(TraineeStatus.OFFERED, "Imported from t.csv")]
    new = next(t for t in samples.trainees.list() if t.trainee_id == "TSA25-009")
    allocation = next(a for a in samples.allocations.list("2025/26") if a.id == new.allocation_id)
    assert (allocation.route.code, allocation.subject, new.allocation_lead_school) == (
        "scitt", Subject.PRIMARY_MATHEMATICS, "South Farnham School")
    assert samples.transfer.import_file("trainees", path).unchanged == 2


def test_a_status_change_the_lifecycle_refuses(samples, tmp_path):
    path = write(tmp_path / "t.csv", TRAINEE,
                 ["TSA25-003", "Zoë", "Ellwood", "scitt", "primary", "03", "2025/26", "qts_awarded"])
    assert _refused(samples, "trainees", path) == [
        "row 2, status: a trainee who is Offered can become Enrolled, Deferred or Withdrawn, not QTS awarded"]


def test_recruiting_past_the_places_is_refused_row_by_row(samples, tmp_path):
    # The special SCITT allocation has one place, taken by TSA25-007.
    path = write(tmp_path / "t.csv", TRAINEE,
                 ["TSA25-020", "Ann", "Example", "scitt", "special", "00", "2025/26", "enrolled"],
                 ["TSA25-021", "Bea", "Example", "scitt", "special", "00", "2025/26", "withdrawn"])
    found = _refused(samples, "trainees", path)
    assert len(found) == 1 and found[0].startswith("row 2, route, phase, subject: the allocation 2025/26 SCITT, "
                                                   "Special, Primary (lead school Forest Way School) has 1 place;")
    assert "needs a reason" in found[0]


def test_several_allocations_for_one_kind_of_place(samples, tmp_path):
    header = ["academic_year", "route", "phase", "subject", "lead_school_urn", "places"]
    samples.transfer.import_file("allocations", write(tmp_path / "a.csv", header,
                                                      ["2025/26", "school_direct_salaried", "primary", "00", "990102", 5]))
    path = write(tmp_path / "t.csv", TRAINEE + ["employing_school_urn"],
                 ["TSA25-002", "Kofi", "Null", "school_direct_salaried", "primary", "00", "2025/26", None, "990101"],
                 ["TSA25-030", "Cai", "Example", "school_direct_salaried", "primary", "00", "2025/26", None, "990102"])
    samples.transfer.import_file("trainees", path)
    rows = {t.trainee_id: t.allocation_lead_school for t in samples.trainees.list()}
    assert rows["TSA25-002"] == "South Farnham School"        # stays where they were
    assert rows["TSA25-030"] == "Belleville Primary School"   # the employing school's allocation


# --- mentors ---------------------------------------------------------------------------------------


def test_mentor_subjects_are_replaced_and_lead_mentor_set(samples, tmp_path):
    header = ["email", "first_name", "last_name", "school_urn", "phase", "subjects", "lead_mentor"]
    path = write(tmp_path / "m.csv", header,
                 ["R.Whitlock@wildern.example.org", "Ravi", "Whitlock", "990201", "secondary", "F1; Physics", "yes"])
    before = samples.mentors.by_email("r.whitlock@wildern.example.org")
    report = samples.transfer.import_file("mentors", path)
    assert report.updated == 1
    after = samples.mentors.by_email("r.whitlock@wildern.example.org")
    assert set(after.subjects) == {Subject.CHEMISTRY, Subject.PHYSICS} and after.is_lead_mentor
    assert after.version == before.version + 1
    assert after.initial_training_date == before.initial_training_date  # column not in the file
    # Subjects alone changing still counts as a change; the same file again changes nothing.
    assert samples.transfer.import_file("mentors", path).unchanged == 1
    with samples.db.reading() as s:
        entries = s.execute(select(m.AuditEntry.table_name, m.AuditEntry.summary)
                            .where(m.AuditEntry.table_name.in_(("mentors", "mentor_subjects")),
                                   m.AuditEntry.summary.like("% m.csv%") | m.AuditEntry.summary.like("%at once"))).all()
    assert entries == [("mentors", "Imported mentors from m.csv: 0 added, 1 updated, 0 unchanged")]


def test_mentor_problems(samples, tmp_path):
    header = ["email", "first_name", "last_name", "school_urn", "phase", "refresher_date"]
    path = write(tmp_path / "m.csv", header,
                 ["new.mentor@school.example", "Nia", "Example", "100999", "primary", None],
                 ["t.lomax@belleville.example.org", "Tobias", "Lomax", "990102", "primary", "01/01/2020"],
                 ["other@school.example", "Oli", "Example", "990102", "primary", "01/01/2024"])
    found = _refused(samples, "mentors", path)
    assert found == [
        "row 2, school_urn: no school has the URN 100999; import or add the school first",
        "row 3, refresher_date: is before the initial training (20/09/2022)",
        "row 4, refresher_date: a refresher needs the initial training date too"]


# --- placements ------------------------------------------------------------------------------------


def test_placement_references_are_checked(samples, tmp_path):
    path = write(tmp_path / "p.csv", PLACEMENT,
                 ["TSA25-003", "2025/26", "autumn BLOCK a", "990102", "t.lomax@belleville.example.org", None],
                 ["TSA25-099", "2025/26", "Autumn block A", "990102", None, None],
                 ["TSA25-003", "2025/26", "Winter block", "990102", None, None],
                 ["TSA25-005", "2025/26", "Spring block B", "990202", "r.whitlock@wildern.example.org", None],
                 ["TSA25-005", "2024/25", "Spring block B", "990202", None, None],
                 ["TSA25-005", "2025/26", "Summer block C", "990202", "nobody@school.example", None])
    found = _refused(samples, "placements", path)
    assert found == [
        "row 3, trainee_id: no trainee has this id; import the trainees first",
        "row 4, block: 2025/26 has no placement block of this name; its blocks: Autumn block A, Spring block B, "
        "Summer block C",
        "row 5, mentor_email: Ravi Whitlock is a mentor at Wildern School (990201), not at the school of URN 990202",
        "row 6, academic_year: there is no academic year 2024/25 in this file; import its allocations and "
        "trainees first",
        "row 7, mentor_email: no mentor has this email; import the mentors first"]


def test_placements_match_block_names_ignoring_case_and_update(samples, tmp_path):
    path = write(tmp_path / "p.csv", PLACEMENT,
                 ["TSA25-001", "2025/26", "AUTUMN BLOCK A", "990102", None, "completed"])
    report = samples.transfer.import_file("placements", path)
    assert (report.added, report.updated) == (0, 1)
    with samples.db.reading() as s:
        mentor, status = s.execute(select(m.Placement.mentor_id, m.Placement.status)
                                   .join(m.Trainee, m.Trainee.id == m.Placement.trainee_id)
                                   .join(m.PlacementBlock)
                                   .where(m.Trainee.trainee_id == "TSA25-001",
                                          m.PlacementBlock.name == "Autumn block A")).one()
    assert (mentor, status) == (None, "completed")  # the empty mentor cell means no mentor


def test_a_placement_moving_school_without_a_mentor_column_keeps_no_stale_mentor(samples, tmp_path):
    path = write(tmp_path / "p.csv", ["trainee_id", "academic_year", "block", "school_urn"],
                 ["TSA25-001", "2025/26", "Autumn block A", "990103"])
    assert _refused(samples, "placements", path) == [
        "row 2, school_urn: the placement's mentor, Tobias Lomax, is at Belleville Primary School (990102); add a "
        "mentor_email column to change the mentor with the school"]


# --- NQTs ------------------------------------------------------------------------------------------


def test_nqts_join_the_cohort_and_tutors_match_the_pool(samples, tmp_path):
    header = ["email", "trn", "first_names", "last_name", "academic_year", "employing_school_urn",
              "induction_tutor_email", "start_date", "fte"]
    path = write(tmp_path / "n.csv", header,
                 ["grace.ashworth@southfarnham.example.org", "0123456", "Grace", "Ashworth", "2025/26", "990101",
                  "outside.tutor@hub.example", "01/09/2025", "100%"],
                 ["new.nqt@school.example", None, "Noor", "Example", "2026/27", "990102",
                  "T.Lomax@belleville.example.org", "02/09/2026", "0.5"])
    report = samples.transfer.import_file("nqts", path)
    assert (report.added, report.updated) == (1, 1)
    assert any("2026/27 induction cohort was started" in n for n in report.notes)
    assert any("1 induction tutor is not in the mentor pool" in n for n in report.notes)
    with samples.db.reading() as s:
        rows = {r.email: r for r in s.execute(select(m.Nqt.email, m.Nqt.induction_tutor_id,
                                                     m.Nqt.induction_tutor_email, m.Nqt.fte))}
        lomax = s.scalar(select(m.Mentor.id).where(m.Mentor.email == "t.lomax@belleville.example.org"))
    assert rows["grace.ashworth@southfarnham.example.org"][1:] == (None, "outside.tutor@hub.example", 1.0)
    assert rows["new.nqt@school.example"][1:] == (lomax, "", 0.5)
    assert samples.transfer.import_file("nqts", path).unchanged == 2


def test_nqt_problems(samples, tmp_path):
    header = ["email", "trn", "first_names", "last_name", "academic_year", "employing_school_urn", "start_date"]
    path = write(tmp_path / "n.csv", header,
                 ["a.nqt@school.example", "1123457", "Al", "Example", "2025/26", "990101", "01/09/2025"],
                 ["b.nqt@school.example", None, "Bo", "Example", "2025/26", "111111", "01/09/2026"])
    assert _refused(samples, "nqts", path) == [
        "row 2, trn: is also the TRN of the early career teacher yusuf.calloway@wildern.example.org",
        "row 3, employing_school_urn: no school has the URN 111111; import or add the school first",
        "row 3, start_date: is outside the induction year 2025/26 (1 September to 31 August)"]


def test_updating_an_nqt_bumps_the_version_once(samples, tmp_path):
    header = ["email", "first_names", "last_name", "academic_year", "employing_school_urn", "appropriate_body"]
    path = write(tmp_path / "n.csv", header,
                 ["ivy.draycott@southfields.example.org", "Ivy", "Draycott", "2025/26", "990203", "Another Body"])
    with samples.db.reading() as s:
        before = s.execute(select(m.Nqt.version, m.Nqt.fte).where(m.Nqt.email.like("ivy%"))).one()
    assert samples.transfer.import_file("nqts", path).updated == 1
    with samples.db.reading() as s:
        after = s.execute(select(m.Nqt.version, m.Nqt.fte, m.Nqt.appropriate_body)
                          .where(m.Nqt.email.like("ivy%"))).one()
    assert after == (before[0] + 1, before[1], "Another Body") and before[1] == 0.6


def test_a_new_start_date_moves_the_due_dates_of_assessments_not_done(samples, tmp_path):
    nqt = samples.induction.by_email("ivy.draycott@southfields.example.org")
    samples.induction.assessments.record(nqt.id, 2, {"notes": "planned with the tutor"})

    def due():
        with samples.db.reading() as s:
            return s.scalar(select(m.NqtAssessment.due_date).where(m.NqtAssessment.nqt_id == nqt.id))

    before = due()
    header = ["email", "first_names", "last_name", "academic_year", "employing_school_urn", "start_date"]
    path = write(tmp_path / "n.csv", header,
                 [nqt.email, "Ivy", "Draycott", "2025/26", "990203", "05/01/2026"])
    assert samples.transfer.import_file("nqts", path).updated == 1
    assert before is not None and due() > before


def test_a_trainee_with_placements_stays_in_their_year(samples, tmp_path):
    header = ["academic_year", "route", "phase", "subject", "lead_school_urn", "places"]
    samples.transfer.import_file("allocations", write(tmp_path / "a.csv", header,
                                                      ["2026/27", "school_direct_tuition_fee", "primary", "00",
                                                       "990101", 5]))
    path = write(tmp_path / "t.csv", TRAINEE,
                 ["TSA25-001", "Amelia", "Brampton", "school_direct_tuition_fee", "primary", "00", "2026/27", None],
                 ["TSA25-008", "Rhys", "NA", "school_direct_tuition_fee", "primary", "00", "2026/27", None])
    assert _refused(samples, "trainees", path) == [
        "row 2, academic_year: the trainee has placements in another academic year; remove them before "
        "moving the trainee to this year"]
