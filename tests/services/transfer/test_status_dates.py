"""The dates in the file: a trainee's status began on status_date, else start_date; never on the
day of the import."""

from __future__ import annotations

import datetime as dt

import pytest

from tsa_desktop.services.rotations.confirm import Scope

from tests.services.transfer.helpers import import_samples, write
from tsa_desktop.domain.errors import ValidationError

HEADER = ["trainee_id", "first_names", "last_name", "route", "phase", "subject", "academic_year",
          "start_date", "status", "status_date"]


def _since(ws, trainee_id):
    return next(r for r in ws.trainees.list() if r.trainee_id == trainee_id)


def test_imported_trainees_are_dated_by_the_file_never_by_the_day_of_import(workspace):
    import_samples(workspace)
    rows = {r.trainee_id: r for r in workspace.trainees.list()}
    assert rows["TSA25-001"].status_since == dt.date(2025, 9, 1)   # the start date
    assert rows["TSA25-006"].status_since == dt.date(2025, 9, 3)
    assert all(r.status_since != dt.date.today() for r in rows.values())


def test_a_status_date_in_the_past_is_taken_and_export_then_import_changes_nothing(workspace, tmp_path):
    import_samples(workspace)
    path = write(tmp_path / "qts.csv", HEADER,
                 ["TSA25-001", "Amelia", "Brampton", "school_direct_tuition_fee", "primary", "00", "2025/26",
                  "01/09/2025", "qts_awarded", "10/07/2026"],
                 ["TSA25-004", "Łukasz", "Marsden", "School Direct (fee-funded)", "secondary", "G1", "2025/26",
                  "01/09/2025", "enrolled", "15/09/2025"])
    report = workspace.transfer.import_file("trainees", path)
    assert report.updated == 2
    qts = _since(workspace, "TSA25-001")
    assert qts.status.code == "qts_awarded" and qts.status_since == dt.date(2026, 7, 10)
    assert _since(workspace, "TSA25-004").status_since == dt.date(2025, 9, 15)  # the date corrected
    assert not workspace.transfer.import_file("trainees", path).changed
    out = tmp_path / "trainees.csv"
    workspace.transfer.export_file("trainees", out)
    assert not workspace.transfer.import_file("trainees", out).changed


def test_a_status_date_before_the_start_date_names_the_row(workspace, tmp_path):
    import_samples(workspace)
    path = write(tmp_path / "early.csv", HEADER,
                 ["TSA25-001", "Amelia", "Brampton", "school_direct_tuition_fee", "primary", "00", "2025/26",
                  "01/09/2025", "withdrawn", "01/08/2025"])
    with pytest.raises(ValidationError) as info:
        workspace.transfer.import_file("trainees", path)
    assert [(p.row, p.field) for p in info.value.problems] == [(2, "status_date")]


def test_a_status_change_in_the_window_may_be_dated_in_the_past_but_not_before_the_start(workspace):
    import_samples(workspace)
    row = _since(workspace, "TSA25-001")
    with pytest.raises(ValidationError, match="the trainee's start date"):
        workspace.trainees.change_status(row.id, {"status": "withdrawn", "changed_on": "2025-08-31"})
    # Register's own rule before QTS: the trainee's placements are confirmed first.
    confirmed = workspace.confirming.confirm("2025/26", Scope(trainee="TSA25-001"))
    assert confirmed.change.steps and not confirmed.left
    changed = workspace.trainees.change_status(row.id, {"status": "qts_awarded", "changed_on": "2026-07-10"})
    assert changed.status_since == dt.date(2026, 7, 10)


def test_a_new_trainee_without_dates_begins_on_the_first_day_of_their_year(workspace, tmp_path):
    import_samples(workspace)
    path = write(tmp_path / "new.csv", HEADER[:-1],
                 ["TSA25-009", "Ada", "Quill", "scitt", "primary", "00", "2025/26", "", "offered"])
    workspace.transfer.import_file("trainees", path)
    year_start = workspace.years.get("2025/26").start_date
    assert _since(workspace, "TSA25-009").status_since == year_start != dt.date.today()


def test_trainees_from_registers_bulk_create_file(workspace):
    from tests.services.transfer.helpers import SAMPLES

    import_samples(workspace)
    report = workspace.transfer.import_file("trainees", SAMPLES / "register_bulk_trainees.csv")
    assert report.added == 3 and "placement_1_urn" in report.ignored_columns
    rows = {r.trainee_id: r for r in workspace.trainees.list()}
    hana, tomasz, mei = rows["TSA25-101"], rows["TSA25-102"], rows["TSA25-103"]
    assert (hana.route.code, hana.phase.code, hana.subject.code, hana.academic_year) == (
        "school_direct_tuition_fee", "primary", "00", "2025/26")
    assert (tomasz.route.code, tomasz.phase.code, tomasz.subject.code, tomasz.start_date) == (
        "school_direct_salaried", "secondary", "F3", dt.date(2025, 9, 8))
    assert tomasz.employing_school.startswith("Wildern") and mei.subject.code == "G1"
    assert hana.status_since == dt.date(2025, 9, 1)
    assert not workspace.transfer.import_file("trainees", SAMPLES / "register_bulk_trainees.csv").changed


def test_a_register_file_with_a_route_not_planned_here_names_the_row(workspace, tmp_path):
    import_samples(workspace)
    path = write(tmp_path / "register.csv", ["provider_trainee_id", "first_names", "last_name", "training_route",
                                             "course_subject_1", "itt_start_date"],
                 ["T1", "Ann", "Lee", "18", "100511", "01/09/2025"],
                 ["T2", "Bo", "Lee", "03", "100425", "01/09/2025"])
    with pytest.raises(ValidationError) as info:
        workspace.transfer.import_file("trainees", path)
    assert [(p.row, p.field) for p in info.value.problems] == [(2, "training_route"), (3, "employing_school_urn")]
