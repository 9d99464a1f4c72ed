"""``tsa-desktop confirm`` and ``tsa-desktop hosting``, run as a user runs them."""

import pytest
from sqlalchemy import select

from tests.cli.test_rotations_cli import _file
from tests.services.rotations.support import YEAR, one_maths_trainee
from tsa_desktop.app import main
from tsa_desktop.db import models as m
from tsa_desktop.services.opening import open_workspace


def _statuses(path):
    ws = open_workspace(path)
    try:
        with ws.db.reading() as s:
            return sorted(s.scalars(select(m.Placement.status)))
    finally:
        ws.close()


def _urn(path, name):
    ws = open_workspace(path)
    try:
        with ws.db.reading() as s:
            return s.scalar(select(m.School.urn).where(m.School.name == name))
    finally:
        ws.close()


def test_plan_then_confirm_a_block_then_the_rest_of_the_year(tmp_path, capsys):
    db = _file(tmp_path, one_maths_trainee)
    assert main(["plan", "--db", db, "--year", YEAR, "--time-limit", "5", "--apply"]) == 0
    capsys.readouterr()
    assert main(["confirm", "--db", db, "--year", YEAR, "--block", "Autumn block A"]) == 0
    assert capsys.readouterr().out.strip() == f"{YEAR}: 1 placement confirmed"
    assert main(["confirm", "--db", db, "--year", YEAR]) == 0
    assert capsys.readouterr().out.strip() == f"{YEAR}: 2 placements confirmed, 1 already confirmed"
    assert _statuses(db) == ["confirmed"] * 3


def test_confirm_leaves_a_placement_at_a_school_not_hosting_and_exits_1(tmp_path, capsys):
    db = _file(tmp_path, one_maths_trainee)
    assert main(["plan", "--db", db, "--year", YEAR, "--time-limit", "5", "--apply"]) == 0
    capsys.readouterr()
    urn = _urn(db, "One Academy")
    assert main(["hosting", urn, "--db", db, "--year", YEAR, "--block", "Autumn block A", "--off",
                 "--reason", "staffing"]) == 0
    assert capsys.readouterr().out.strip() == ("One Academy: not hosting (staffing) in Autumn block A; "
                                               "1 placement there now breaks the rules: repair the plan to move it")
    assert main(["confirm", "--db", db, "--year", YEAR]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == ["not confirmed: Amy Maths, Autumn block A at One Academy: One Academy is not hosting in "
                     "Autumn block A (staffing): Amy Maths is placed there",
                     f"{YEAR}: 2 placements confirmed, 1 left proposed (rule errors)"]
    assert _statuses(db) == ["confirmed", "confirmed", "proposed"]
    assert main(["hosting", urn, "--db", db, "--year", YEAR, "--on"]) == 0
    assert capsys.readouterr().out.strip() == f"One Academy: hosting in {YEAR}"


def test_bad_input_exits_2_and_changes_nothing(tmp_path, capsys):
    db = _file(tmp_path, one_maths_trainee)
    assert main(["hosting", "123456", "--db", db, "--year", YEAR, "--off"]) == 2
    assert "There is no school with URN 123456" in capsys.readouterr().err
    assert main(["hosting", _urn(db, "One Academy"), "--db", db, "--year", YEAR, "--block", "Winter", "--on"]) == 2
    assert "has no placement block called 'Winter'" in capsys.readouterr().err
    assert main(["confirm", "--db", db, "--year", YEAR, "--school", "000000"]) == 2
    with pytest.raises(SystemExit) as caught:  # argparse: --on or --off is required
        main(["hosting", _urn(db, "One Academy"), "--db", db, "--year", YEAR])
    assert caught.value.code == 2


def test_plan_repair_prints_each_move_and_writes_only_with_apply(tmp_path, capsys):
    db = _file(tmp_path, one_maths_trainee)
    assert main(["plan", "--db", db, "--year", YEAR, "--time-limit", "5", "--apply"]) == 0
    assert main(["confirm", "--db", db, "--year", YEAR]) == 0
    capsys.readouterr()
    ws = open_workspace(db)
    try:
        with ws.db.reading() as s:
            row = s.execute(select(m.School.urn, m.School.name, m.PlacementBlock.name)
                            .join(m.Placement, m.Placement.school_id == m.School.id)
                            .join(m.PlacementBlock, m.PlacementBlock.id == m.Placement.block_id)
                            .order_by(m.PlacementBlock.position)).first()
    finally:
        ws.close()
    urn, school, block = row
    assert main(["hosting", urn, "--db", db, "--year", YEAR, "--block", block, "--off", "--reason", "staffing"]) == 0
    assert main(["check", "--db", db, "--year", YEAR]) == 1
    capsys.readouterr()
    assert main(["plan", "--repair", "--db", db, "--year", YEAR]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == f"Amy Maths: {block}: from {school} to Far Academy"
    assert lines[-1] == (f"{YEAR}: 1 placement broke the rules, 1 move (1 confirmed), 0 trainee-blocks unplaced; "
                         "not applied (use --apply to save it)")
    assert main(["check", "--db", db, "--year", YEAR]) == 1  # still broken: nothing was written
    assert main(["plan", "--repair", "--db", db, "--year", YEAR, "--apply"]) == 0
    capsys.readouterr()
    assert main(["check", "--db", db, "--year", YEAR]) == 0
