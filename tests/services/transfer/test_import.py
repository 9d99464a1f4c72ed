"""Importing files: the rules every kind shares, against a real database file.

All or nothing, every problem named by row, column and reason, the same file twice changing
nothing, identifiers and names kept as written, GIAS extracts as downloaded.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import CancelledError, DomainError, ValidationError
from tsa_desktop.domain.progress import Progress
from tests.services.transfer.helpers import SAMPLES, import_samples, problems, snapshot, write, write_csv_text

TRAINEE_HEADER = ["trainee_id", "trn", "first_names", "last_name", "route", "phase", "subject",
                  "academic_year", "start_date", "employing_school_urn"]


def test_the_samples_import_in_order_and_a_second_time_change_nothing(workspace):
    reports = import_samples(workspace)
    assert {k: (r.added, r.updated, r.unchanged) for k, r in reports.items()} == {
        "schools": (12, 0, 0), "providers": (3, 0, 0), "allocations": (8, 0, 0), "trainees": (8, 0, 0),
        "mentors": (12, 0, 0), "placements": (10, 0, 0), "nqts": (4, 0, 0)}
    assert reports["trainees"].summary() == "imported trainees from trainees.csv: 8 added, 0 updated, 0 unchanged"
    before = snapshot(workspace)
    again = import_samples(workspace)
    assert all(r.added == r.updated == 0 and r.unchanged == r.rows for r in again.values())
    assert snapshot(workspace) == before  # not even a version moved


def test_identifiers_names_and_dates_are_kept_as_written(workspace):
    import_samples(workspace)
    trainees = {t.trainee_id: t for t in workspace.trainees.list()}
    assert trainees["TSA25-001"].trn == "0712345"  # leading zero kept
    assert trainees["TSA25-002"].last_name == "Null" and trainees["TSA25-008"].last_name == "NA"
    assert trainees["TSA25-003"].first_names == "Zoë"
    assert trainees["TSA25-006"].start_date == dt.date(2025, 9, 3)  # 03/09/2025 is 3 September
    assert trainees["TSA25-002"].employing_school == "South Farnham School"


def test_a_date_is_never_read_month_first(workspace):
    import_samples(workspace)
    path = write(workspace.db.path.parent / "t.csv", TRAINEE_HEADER,
                 ["TSA25-001", "0712345", "Amelia", "Brampton", "school_direct_tuition_fee", "primary", "00",
                  "2025/26", "03/04/2026", None],
                 ["TSA25-004", None, "Łukasz", "Marsden", "School Direct (fee-funded)", "secondary", "G1",
                  "2025/26", "04/13/2026", None])
    with pytest.raises(ValidationError) as info:
        workspace.transfer.import_file("trainees", path)
    assert [(p.row, p.field) for p in info.value.problems] == [(3, "start_date")]
    assert "day first" in info.value.problems[0].message and info.value.problems[0].value == "04/13/2026"
    assert next(t for t in workspace.trainees.list() if t.trainee_id == "TSA25-001").start_date == dt.date(2025, 9, 1)


def test_a_bad_file_changes_nothing_and_names_every_problem(workspace):
    import_samples(workspace)
    before = snapshot(workspace)
    path = write(workspace.db.path.parent / "bad.csv", TRAINEE_HEADER,
                 ["TSA25-001", "0712345", "Amelia", "Brampton", "school_direct_tuition_fee", "primary", "00",
                  "2025/26", "01/09/2025", None],                                      # fine: an update
                 ["N-1", None, "Ana", "Example", "school_direct_salaried", "primary", "00", "2025/26", None,
                  "999999"],                                                            # unknown school
                 ["N-2", None, "Bo", "Example", "teach first", "primary", "00", "2025/26", None, None],
                 ["N-3", None, "Cy", "Example", "scitt", "secondary", "V1", "2025/26", None, None],  # no allocation
                 ["N-4", None, "Di", "Example", "scitt", "primary", "00", "2031/32", None, None],    # no such year
                 ["N-2", None, "Ed", "Example", "scitt", "primary", "00", "2025/26", None, None])    # key twice
    with pytest.raises(ValidationError) as info:
        workspace.transfer.import_file("trainees", path)
    found = problems(info.value)
    assert [line.split(":")[0] for line in found] == [
        "row 3, employing_school_urn", "row 4, route", "row 5, route, phase, subject",
        "row 6, academic_year", "row 7, trainee_id"]
    assert "no school has the URN 999999" in found[0]
    assert "accepted: school_direct_tuition_fee" in found[1]            # the accepted values
    assert "no 2025/26 allocation for SCITT, Secondary, History" in found[2]
    assert "no academic year 2031/32" in found[3]
    assert "rows 4 and 7" in found[4]
    assert str(info.value).startswith(f"{path}: 5 problems, nothing was changed")
    assert snapshot(workspace) == before


def test_columns_left_out_keep_what_is_stored_and_empty_cells_clear(workspace):
    import_samples(workspace)
    path = write(workspace.db.path.parent / "t.csv",
                 ["trainee_id", "first_names", "last_name", "route", "phase", "subject", "academic_year",
                  "home_postcode"],
                 ["TSA25-001", "Amelia", "Brampton-Hale", "school_direct_tuition_fee", "primary", "00", "2025/26",
                  None])
    before = next(t for t in workspace.trainees.list() if t.trainee_id == "TSA25-001")
    report = workspace.transfer.import_file("trainees", path)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    after = next(t for t in workspace.trainees.list() if t.trainee_id == "TSA25-001")
    assert after.last_name == "Brampton-Hale" and after.home_postcode == ""  # in the file: changed
    assert (after.trn, after.email, after.start_date, after.home_easting) == (
        before.trn, before.email, before.start_date, before.home_easting)  # not in the file: kept
    assert after.version == before.version + 1


def test_a_gias_extract_imports_as_downloaded(workspace):
    report = workspace.transfer.import_file("schools", SAMPLES / "gias_extract_windows1252.csv")
    assert report.added == 9 and len(report.skipped) == 1 and "Hazelwood House" in report.skipped[0].message
    names = {s.name for s in workspace.schools.list()}
    assert {"St Mary’s Catholic Infant School", "Émile Ridge Primary School", "Renée Hartley Academy"} <= names
    emile = workspace.schools.by_urn("990403")
    assert (emile.local_authority, emile.address_line_2, emile.town) == ("Hampshire", "Fleet, Church Crookham", "Fleet")
    assert workspace.transfer.import_file("schools", SAMPLES / "gias_extract_windows1252.csv").unchanged == 9


def test_a_gias_extract_leaves_what_it_does_not_have(workspace):
    import_samples(workspace)
    path = write_csv_text(workspace.db.path.parent / "gias.csv",
                          "URN,EstablishmentName,PhaseOfEducation (name),TypeOfEstablishment (name),Postcode\r\n"
                          "990101,South Farnham School,Primary,Academy converter,GU9 8DY\r\n", "cp1252")
    report = workspace.transfer.import_file("schools", path)
    assert (report.updated, report.unchanged) == (0, 1)
    school = workspace.schools.by_urn("990101")
    assert school.is_lead_school and school.capacity_per_block == 6 and school.contact_name == "Harriet Quarry"


def test_urns_keep_leading_zeros_and_xlsx_reads_like_csv(workspace, tmp_path):
    path = write(tmp_path / "schools.xlsx", ["urn", "name", "phase"], ["012345", "Zero Lane Primary", "primary"])
    workspace.transfer.import_file("schools", path)
    assert workspace.schools.by_urn("012345").name == "Zero Lane Primary"
    import_samples(workspace)
    report = workspace.transfer.import_file("trainees", SAMPLES / "trainees.xlsx")
    assert report.unchanged == 8 and report.added == report.updated == 0


def test_dry_run_counts_without_writing(workspace):
    before = snapshot(workspace)
    report = workspace.transfer.import_file("schools", SAMPLES / "schools.csv", dry_run=True)
    assert report.dry_run and report.added == 12
    assert report.summary() == "checked schools from schools.csv: 12 added, 0 updated, 0 unchanged"
    assert snapshot(workspace) == before


class _CancelWhileSaving(Progress):
    def report(self, done, total, message=""):
        if done >= 2:
            self.cancel()


def test_cancelling_before_the_commit_changes_nothing(workspace):
    before = snapshot(workspace)
    with pytest.raises(CancelledError):
        workspace.transfer.import_file("schools", SAMPLES / "schools.csv", progress=_CancelWhileSaving())
    assert snapshot(workspace) == before


def test_progress_is_reported_to_the_end(workspace):
    seen = []

    class Recorder(Progress):
        def report(self, done, total, message=""):
            seen.append((done, total))

    workspace.transfer.import_file("schools", SAMPLES / "schools.csv", progress=Recorder())
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)


def test_one_audit_entry_describes_the_import(workspace):
    import_samples(workspace)
    with workspace.db.reading() as s:
        entries = s.execute(select(m.AuditEntry.table_name, m.AuditEntry.action, m.AuditEntry.summary)
                            .where(m.AuditEntry.action == "import")).all()
    assert ("trainees", "import", "Imported trainees from trainees.csv: 8 added, 0 updated, 0 unchanged") in entries
    assert len([e for e in entries if e[0] == "trainees"]) == 1


def test_unknown_kind_lists_the_kinds(workspace):
    with pytest.raises(ValidationError, match="accepted: schools, providers, allocations, trainees, mentors, "
                                              "placements, nqts"):
        workspace.transfer.import_file("pupils", SAMPLES / "schools.csv")


def test_a_file_that_cannot_be_read_is_named(workspace, tmp_path):
    with pytest.raises(ValidationError, match="missing.csv: file: no such file"):
        workspace.transfer.import_file("schools", tmp_path / "missing.csv")
    wrong = write(tmp_path / "mentors.csv", ["email", "first_name"], ["a@b.example", "Al"])
    with pytest.raises(ValidationError, match="missing required columns last_name, school_urn, phase"):
        workspace.transfer.import_file("mentors", wrong)


def test_preview_shows_the_first_rows_and_every_problem(workspace):
    preview = workspace.transfer.preview("trainees", SAMPLES / "trainees.csv", limit=3)
    assert preview.headers[:3] == ("trainee_id", "trn", "first_names")
    assert [n for n, _cells in preview.rows] == [2, 3, 4] and preview.total_rows == 8
    assert preview.rows[0][1][1] == "0712345"
    assert not preview.ok and {p.field for p in preview.problems} >= {"academic_year"}
    import_samples(workspace)
    preview = workspace.transfer.preview("trainees", SAMPLES / "trainees.csv")
    assert preview.ok and preview.report.unchanged == 8


def test_preview_of_an_unreadable_file_is_a_problem_not_an_error(workspace, tmp_path):
    preview = workspace.transfer.preview("schools", tmp_path / "nothing.xlsx")
    assert not preview.ok and preview.headers == () and "no such file" in preview.problems[0].message


class _Allowed:
    """Stands in for a signed-in user's permissions (services/users.py): only some actions."""

    sees_everything = True
    mentor_id = None

    def __init__(self, *actions):
        self.actions = set(actions)

    def can(self, action):
        return action in self.actions

    def require(self, action):
        if action not in self.actions:
            raise DomainError(f"may not {action}")

    def require_write(self, service):
        self.require(getattr(type(service), "permission", "edit"))


def test_import_and_export_need_their_permissions(workspace, tmp_path):
    workspace.db.permissions = _Allowed("export")
    try:
        with pytest.raises(DomainError, match="may not import"):
            workspace.transfer.import_file("schools", SAMPLES / "schools.csv")
        with pytest.raises(DomainError, match="may not import"):
            workspace.transfer.preview("schools", SAMPLES / "schools.csv")
        assert workspace.transfer.export_file("schools", tmp_path / "s.csv").rows == 0
        workspace.db.permissions = _Allowed("import")
        assert workspace.transfer.import_file("schools", SAMPLES / "schools.csv").added == 12
        with pytest.raises(DomainError, match="may not export"):
            workspace.transfer.export_file("schools", tmp_path / "s.csv")
    finally:
        workspace.db.permissions = None


def test_the_garbage_collector_pauses_only_while_imports_run(workspace, tmp_path):
    import gc
    import threading

    from tsa_desktop.services.transfer.base import paused_gc

    assert gc.isenabled()
    with pytest.raises(ValidationError):
        workspace.transfer.import_file("schools", tmp_path / "missing.csv")
    assert gc.isenabled()  # back on after a refused file too
    inside, release = threading.Event(), threading.Event()

    def other_import():
        with paused_gc():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other_import)
    thread.start()
    inside.wait(10)
    with paused_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other import still runs
    release.set()
    thread.join(10)
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
