"""The outcomes file: export, and the import rules (all or nothing, keys, blanks keep values)."""

import csv
import datetime as dt

import pytest

from tsa_desktop.domain.enums import AssessmentOutcome, NqtStatus
from tsa_desktop.domain.errors import CancelledError, ValidationError
from tsa_desktop.domain.progress import Progress
from tsa_desktop.services.induction.outcomes import OUTCOME_COLUMNS

from tests.services.induction.support import clear_induction_records

D = dt.date
TODAY = D(2027, 8, 1)


@pytest.fixture(autouse=True)
def _bare_cohort(request):
    """Start from the demo cohort without its dated records (see induction_support)."""
    for name in ("small_demo", "alliance_demo"):
        if name in request.fixturenames:
            clear_induction_records(request.getfixturevalue(name))


def _write(path, rows, header=OUTCOME_COLUMNS):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_export_has_a_row_per_nqt_and_term(small_demo, tmp_path):
    ws = small_demo
    nqt = ws.induction.nqts()[0]
    ws.induction.assessments.record(nqt.id, 1, {"completed_date": "15/12/2026", "outcome": "on track"}, today=TODAY)
    n = ws.induction.outcomes.export(tmp_path / "outcomes.csv", year="2026/27", today=TODAY)
    rows = _read(tmp_path / "outcomes.csv")
    scheduled = sum(p.plan.school_terms for p in ws.induction.nqts())  # an ECT's review each school term
    assert n == len(rows) == scheduled > 6 * 5 and list(rows[0]) == list(OUTCOME_COLUMNS)
    mine = next(r for r in rows if r["email"] == nqt.email and r["term"] == "1")
    assert mine == {"email": nqt.email, "trn": nqt.trn, "name": nqt.name, "school": nqt.school_name, "term": "1",
                    "kind": "progress_review", "due": "2026-12-18", "completed": "2026-12-15",
                    "outcome": "on_track"}


def _scheduled(ws):
    return sum(p.plan.school_terms for p in ws.induction.nqts())


def test_export_xlsx_and_unknown_year(small_demo, tmp_path):
    assert small_demo.induction.outcomes.export(tmp_path / "o.xlsx", today=TODAY) == _scheduled(small_demo)
    assert (tmp_path / "o.xlsx").stat().st_size > 0
    with pytest.raises(ValidationError, match="no induction cohort for 2030/31"):
        small_demo.induction.outcomes.export(tmp_path / "x.csv", year="2030/31")


def test_export_then_import_changes_nothing(small_demo, tmp_path):
    ws = small_demo
    ws.induction.outcomes.export(tmp_path / "o.csv", today=TODAY)
    report = ws.induction.outcomes.import_file(tmp_path / "o.csv", today=TODAY)
    n = _scheduled(ws)
    assert (report.rows, report.changed, report.unchanged) == (n, 0, n)


def test_import_records_outcomes_and_the_final_pass(small_demo, tmp_path):
    ws = small_demo
    nqt = next(r for r in ws.induction.nqts() if r.fte == 1.0)
    path = _write(tmp_path / "returned.csv", [
        [nqt.email.upper(), nqt.trn, "", "", "1", "Progress review", "", "16/12/2026", "On track"],
        [nqt.email, "", "", "", "3", "formal assessment", "", "2027-07-20", "on track"],
        [nqt.email, "", "", "", "6", "", "", "2028-07-20", "pass"],
    ])
    later = D(2028, 8, 1)
    report = ws.induction.outcomes.import_file(path, today=later)
    assert (report.changed, report.unchanged) == (3, 0)
    assert ws.induction.assessments.get(nqt.id, 1).outcome is AssessmentOutcome.ON_TRACK
    assert ws.induction.assessments.get(nqt.id, 3).kind.code == "midpoint_assessment"
    assert ws.induction.get(nqt.id).status is NqtStatus.PASSED
    again = ws.induction.outcomes.import_file(path, today=later)
    assert (again.changed, again.unchanged) == (0, 3)


def test_empty_cells_keep_what_is_recorded(small_demo, tmp_path):
    ws = small_demo
    nqt = ws.induction.nqts()[0]
    ws.induction.assessments.record(nqt.id, 1, {"completed_date": "15/12/2026", "outcome": "not on track",
                                                "notes": "support plan"}, today=TODAY)
    path = _write(tmp_path / "blank.csv", [[nqt.email, "", "", "", "1", "", "", "", ""]])
    assert ws.induction.outcomes.import_file(path, today=TODAY).unchanged == 1
    kept = ws.induction.assessments.get(nqt.id, 1)
    assert kept.outcome is AssessmentOutcome.NOT_ON_TRACK and kept.notes == "support plan"


def test_a_file_with_any_bad_row_imports_nothing_and_names_every_problem(small_demo, tmp_path):
    ws = small_demo
    a, b, c = ws.induction.nqts()[:3]
    path = _write(tmp_path / "bad.csv", [
        [a.email, "", "", "", "1", "", "", "15/12/2026", "on track"],          # row 2: fine
        ["nobody@nqt.example", "", "", "", "1", "", "", "", ""],             # row 3: unknown email
        [b.email, "9999999", "", "", "2", "", "", "", ""],                   # row 4: wrong TRN
        [c.email, "", "", "", "1", "final assessment", "", "", ""],          # row 5: kind vs term
        [b.email, "", "", "", "1", "", "", "", "pass"],                      # row 6: review can't pass
        [a.email, "", "", "", "1", "", "", "", ""],                          # row 7: duplicate key
        [b.email, "", "", "", "40", "", "", "", ""],                         # row 8: term
        [c.email, "", "", "", "2", "", "", "12/13/2026", "on track"],        # row 9: month first
    ])
    with pytest.raises(ValidationError) as info:
        ws.induction.outcomes.import_file(path, today=TODAY)
    found = {(p.row, p.field) for p in info.value.problems}
    assert found == {(3, "email"), (4, "trn"), (5, "kind"), (6, "outcome"), (6, "completed"), (7, "term"),
                     (8, "term"), (9, "completed")}
    message = str(info.value)
    assert str(path) in message and "row 3, email: no early career teacher (or NQT) has this email" in message
    assert "row 5, kind: term 1 ends in the progress review" in message and "no review or assessment for term 40" in message
    assert "row 7, term:" in message and "also on row 2" in message
    assert ws.induction.assessments.get(a.id, 1).completed_date is None  # row 2 was not imported either


def test_a_file_without_the_key_columns_is_refused(small_demo, tmp_path):
    path = _write(tmp_path / "nokey.csv", [["x@y.example", "pass"]], header=("email", "outcome"))
    with pytest.raises(ValidationError, match="has no column 'term'"):
        small_demo.induction.outcomes.import_file(path, today=TODAY)


def test_a_cancelled_import_changes_nothing(small_demo, tmp_path):
    ws = small_demo
    nqt = ws.induction.nqts()[0]
    path = _write(tmp_path / "o.csv", [[nqt.email, "", "", "", "1", "", "", "15/12/2026", "on track"]])
    progress = Progress()
    progress.cancel()
    with pytest.raises(CancelledError):
        ws.induction.outcomes.import_file(path, progress, today=TODAY)
    assert ws.induction.assessments.get(nqt.id, 1).completed_date is None
