"""``tsa-desktop import`` and ``export`` as a script uses them: one line on stdout, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tsa_desktop.app import main
from tsa_desktop.services.opening import open_workspace

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
KINDS = ("schools", "providers", "allocations", "trainees", "mentors", "placements", "nqts")


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "alliance.db")


def test_import_prints_one_line_and_a_second_import_changes_nothing(db, capsys):
    for kind in KINDS:
        assert main(["import", kind, str(SAMPLES / f"{kind}.csv"), "--db", db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[3] == "imported trainees from trainees.csv: 8 added, 0 updated, 0 unchanged"
    assert len(out) == len(KINDS)
    assert main(["import", "trainees", str(SAMPLES / "trainees.xlsx"), "--db", db]) == 0
    assert capsys.readouterr().out == "imported trainees from trainees.xlsx: 0 added, 0 updated, 8 unchanged\n"


def test_a_bad_file_exits_2_with_every_problem_and_changes_nothing(db, tmp_path, capsys):
    assert main(["import", "schools", str(SAMPLES / "schools.csv"), "--db", db]) == 0
    bad = tmp_path / "mentors.csv"
    bad.write_text("email,first_name,last_name,school_urn,phase,subjects\n"
                   "a@school.example,Al,Example,990101,primary,00\n"
                   "b@school.example,Bo,Example,123456,primary,00\n"
                   "c@school.example,Cy,Example,990101,infant,Sums\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "mentors", str(bad), "--db", db]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0] == f"tsa-desktop import: {bad}: 3 problems, nothing was changed"
    assert lines[1].startswith(f"{bad}: row 3, school_urn: no school has the URN 123456")
    assert lines[2].startswith(f"{bad}: row 4, phase: unknown phase; accepted: primary")
    assert lines[3].startswith(f"{bad}: row 4, subjects: unknown subject 'Sums'")
    ws = open_workspace(db)
    try:
        assert ws.mentors.list() == []  # row 2 was fine, but the file is all or nothing
    finally:
        ws.close()


def test_unknown_kind_is_an_argparse_error_listing_the_kinds(db, capsys):
    with pytest.raises(SystemExit) as info:
        main(["import", "pupils", "x.csv", "--db", db])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'pupils'" in err and "'schools', 'providers', 'allocations'" in err
    with pytest.raises(SystemExit):
        main(["export", "pupils", "x.csv", "--db", db])
    assert "'register-placements'" in capsys.readouterr().err


def test_export_by_ending_and_register_placements(db, tmp_path, capsys):
    assert main(["demo", "--db", db, "--size", "small", "--year", "2026/27"]) == 0
    capsys.readouterr()
    assert main(["export", "trainees", str(tmp_path / "t.xlsx"), "--year", "2026/27", "--db", db]) == 0
    assert capsys.readouterr().out == "exported trainees to t.xlsx: 12 rows\n"
    assert main(["import", "trainees", str(tmp_path / "t.xlsx"), "--db", db]) == 0
    assert capsys.readouterr().out == "imported trainees from t.xlsx: 0 added, 0 updated, 12 unchanged\n"
    assert main(["export", "register-placements", str(tmp_path / "r.csv"), "--year", "2026/27", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("exported register-placements to r.csv: ")
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").startswith("TRN,Trainee ITT start date,Placement 1 URN")


def test_register_placements_with_trainees_left_out_exits_1(db, tmp_path, capsys):
    for kind in KINDS:
        main(["import", kind, str(SAMPLES / f"{kind}.csv"), "--db", db])
    capsys.readouterr()
    assert main(["export", "register-placements", str(tmp_path / "r.csv"), "--year", "2025/26", "--db", db]) == 1
    captured = capsys.readouterr()
    assert captured.out == "exported register-placements to r.csv: 3 rows; 1 trainee left out\n"
    assert "left out: trainee TSA25-007 has no TRN" in captured.err


def test_export_to_a_file_type_it_cannot_write(db, tmp_path, capsys):
    assert main(["demo", "--db", db, "--size", "small"]) == 0
    assert main(["export", "schools", str(tmp_path / "s.ods"), "--db", db]) == 2
    assert "use a .csv or .xlsx file" in capsys.readouterr().err


def test_import_and_export_ects_on_the_command_line(db, tmp_path, capsys):
    for kind in KINDS:
        assert main(["import", kind, str(SAMPLES / f"{kind}.csv"), "--db", db]) == 0
    capsys.readouterr()
    assert main(["import", "ects", str(SAMPLES / "ects.csv"), "--db", db]) == 0
    assert capsys.readouterr().out == "imported ects from ects.csv: 4 added, 0 updated, 0 unchanged\n"
    out = tmp_path / "ects.csv"
    assert main(["export", "ects", str(out), "--db", db, "--year", "2025/26"]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].endswith("induction_regime,terms_required,terms_counted,expected_end_date,status")
    assert len(lines) == 1 + 8  # the four nqts and the four ects: one set of records
    assert any(line.startswith("ben.hartley@woodroffe.example.org,") and ",ect,6.0,0.0,2029-07-20,in_progress"
               in line for line in lines)
