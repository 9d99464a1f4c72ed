"""``tsa-desktop check`` and ``tsa-desktop plan``: output and exit codes, run in-process."""

from sqlalchemy import func, select

from tests.services.rotations.support import YEAR, build, one_maths_trainee
from tsa_desktop.app import main
from tsa_desktop.db import models as m
from tsa_desktop.services.rotations.edits import CellEdit
from tsa_desktop.services.opening import open_workspace


def _file(tmp_path, make):
    path = tmp_path / "alliance.db"
    ws = open_workspace(path)
    try:
        make(ws)
    finally:
        ws.close()
    return str(path)


def _count(path) -> int:
    ws = open_workspace(path)
    try:
        with ws.db.reading() as s:
            return s.scalar(select(func.count()).select_from(m.Placement))
    finally:
        ws.close()


def test_check_lists_each_problem_and_exits_1_on_errors(tmp_path, capsys):
    def make(ws):
        tiny = one_maths_trainee(ws)
        ws.rotations.save_cell(tiny.trainees["Amy Maths"], tiny.blocks[0], CellEdit(tiny.schools["One Academy"]), None)

    db = _file(tmp_path, make)
    assert main(["check", "--db", db, "--year", YEAR]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert "warning: Amy Maths has no mentor named yet at One Academy in Autumn block A" in lines
    assert any(line.startswith("error: Amy Maths is placed in 1 different school(s) (One Academy)") for line in lines)
    assert lines[-1] == f"{YEAR}: 1 error, 2 warnings for 1 trainees"
    assert all(line.startswith(("error: ", "warning: ")) for line in lines[:-1])


def test_plan_changes_nothing_without_apply_and_then_check_passes(tmp_path, capsys):
    db = _file(tmp_path, one_maths_trainee)
    assert main(["plan", "--db", db, "--year", YEAR, "--time-limit", "5"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"{YEAR}: placed 3, unplaced 0, optimal; 3 new, 0 changed;")
    assert out.endswith("not applied (use --apply to save it)")
    assert _count(db) == 0
    assert main(["plan", "--db", db, "--year", YEAR, "--time-limit", "5", "--apply"]) == 0
    assert capsys.readouterr().out.strip().endswith("; applied")
    assert _count(db) == 3
    assert main(["check", "--db", db, "--year", YEAR]) == 0
    assert capsys.readouterr().out.strip().endswith(f"{YEAR}: 0 errors, 0 warnings for 1 trainees")


def test_plan_exits_1_naming_who_stays_unplaced_and_why(tmp_path, capsys):
    db = _file(tmp_path, lambda ws: build(
        ws, {"One Academy": (1, "secondary")}, {"Mentor Ann": ("One Academy", "secondary", "G1")},
        {"Pat Physics": ("secondary", "F3", "scitt")}))
    assert main(["plan", "--db", db, "--year", YEAR, "--time-limit", "5", "--apply"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("unplaced: Pat Physics, Autumn block A: no secondary physics mentor")
    assert lines[-1].startswith(f"{YEAR}: placed 0, unplaced 3 (3 × no secondary physics mentor")
    assert lines[-1].endswith("nothing to change")


def test_bad_input_exits_2_with_the_problem_on_stderr(tmp_path, capsys):
    db = _file(tmp_path, one_maths_trainee)
    assert main(["check", "--db", db, "--year", "2019/20"]) == 2
    assert "There is no academic year 2019/20 in this file (years: 2026/27)" in capsys.readouterr().err
    assert main(["plan", "--db", db, "--year", YEAR, "--time-limit", "0"]) == 2
    assert "--time-limit: must be between 1 and 3600 seconds" in capsys.readouterr().err
    assert main(["check", "--db", str(tmp_path / "missing.db")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert _count(db) == 0
