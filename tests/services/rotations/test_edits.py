"""Placement blocks and grid edits through the services: saved, refused, undone, redone."""

from dataclasses import replace

import pytest
from sqlalchemy import insert, select

from tests.services.rotations.support import TODAY, YEAR, build, execute, one_maths_trainee
from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.domain.errors import ConflictError, DeleteRefusedError, StaleRecordError, ValidationError
from tsa_desktop.services.rotations.edits import CellEdit


@pytest.fixture
def workspace(any_workspace):
    """Each test runs on SQLite, and on PostgreSQL when TSA_TEST_POSTGRES_URL names a server."""
    return any_workspace


def _placements(ws):
    with ws.db.reading() as s:
        return sorted((r.trainee_id, r.block_id, r.school_id, r.mentor_id, r.status, r.locked) for r in
                      s.execute(select(m.Placement)).scalars())


# -- blocks ---------------------------------------------------------------------------------------


def test_a_new_year_has_autumn_spring_and_summer_blocks_in_date_order(workspace):
    workspace.years.ensure(YEAR)
    blocks = workspace.blocks.list(YEAR)
    assert [b.name for b in blocks] == ["Autumn block A", "Spring block B", "Summer block C"]
    assert [b.position for b in blocks] == [1, 2, 3]
    assert all(b.start_date < b.end_date and not b.warnings for b in blocks)


def test_block_dates_are_checked_all_at_once(workspace):
    workspace.years.ensure(YEAR)
    with pytest.raises(ValidationError) as caught:
        workspace.blocks.add(YEAR, {"name": "", "start_date": "01/03/2027", "end_date": "2027-02-01",
                                    "days_in_school": 10})
    text = str(caught.value)
    assert "Name: is required" in text and "Last day: must be after the start (01/03/2027)" in text
    with pytest.raises(ValidationError, match="within the academic year 2026/27"):
        workspace.blocks.add(YEAR, {"name": "Late", "start_date": "2027-08-01", "end_date": "2027-09-30",
                                    "days_in_school": 5})
    with pytest.raises(ValidationError, match="more than the 5 weekdays"):
        workspace.blocks.add(YEAR, {"name": "Week", "start_date": "2027-07-05", "end_date": "2027-07-11",
                                    "days_in_school": 6})
    assert len(workspace.blocks.list(YEAR)) == 3


def test_an_overlapping_block_is_saved_with_a_warning_and_takes_its_place_in_date_order(workspace):
    workspace.years.ensure(YEAR)
    row = workspace.blocks.add(YEAR, {"name": "Enrichment", "start_date": "2027-03-01", "end_date": "2027-04-30",
                                      "days_in_school": 20})
    assert row.position == 3
    assert row.warnings == ("Enrichment overlaps Spring block B: a trainee cannot be in two schools at once",
                            "Enrichment overlaps Summer block C: a trainee cannot be in two schools at once")
    assert [b.name for b in workspace.blocks.list(YEAR)][-1] == "Summer block C"
    with pytest.raises(ConflictError, match="already has a block called enrichment"):
        workspace.blocks.add(YEAR, {"name": "enrichment", "start_date": "2027-07-01", "end_date": "2027-07-09",
                                    "days_in_school": 5})


def test_edit_a_block_refuses_a_stale_edit(workspace):
    workspace.years.ensure(YEAR)
    block = workspace.blocks.list(YEAR)[0]
    changed = workspace.blocks.update(block.id, {**block.data().__dict__, "days_in_school": 30}, block.data())
    assert changed.days_in_school == 30
    with pytest.raises(StaleRecordError):
        workspace.blocks.update(block.id, {**block.data().__dict__, "name": "Autumn"}, block.data())
    assert workspace.blocks.get(block.id).name == "Autumn block A"


def test_a_block_in_use_cannot_be_deleted_and_a_free_one_comes_back_with_its_unavailable_mentors(workspace):
    tiny = one_maths_trainee(workspace)
    autumn, spring = tiny.blocks[0], tiny.blocks[1]
    workspace.rotations.save_cell(tiny.trainees["Amy Maths"], autumn, CellEdit(tiny.schools["One Academy"]), None)
    with pytest.raises(DeleteRefusedError, match="1 placement use it"):
        workspace.blocks.delete(autumn)
    execute(workspace, insert(m.MentorUnavailability).values(mentor_id=tiny.mentors["Mentor Ann"], block_id=spring,
                                                             reason="maternity leave"))
    deleted = workspace.blocks.delete(spring)
    assert [b.name for b in workspace.blocks.list(YEAR)] == ["Autumn block A", "Summer block C"]
    back = workspace.blocks.restore(deleted)
    assert back.name == "Spring block B" and back.position == 2
    with workspace.db.reading() as s:
        assert s.execute(select(m.MentorUnavailability.mentor_id, m.MentorUnavailability.reason)
                         .where(m.MentorUnavailability.block_id == back.id)).all() == [
            (tiny.mentors["Mentor Ann"], "maternity leave")]


# -- cell edits -----------------------------------------------------------------------------------


@pytest.fixture
def tiny(workspace):
    return one_maths_trainee(workspace)


def test_fill_change_and_clear_a_cell_with_undo_and_redo(workspace, tiny):
    rot, amy, autumn = workspace.rotations, tiny.trainees["Amy Maths"], tiny.blocks[0]
    made = rot.save_cell(amy, autumn, CellEdit(tiny.schools["One Academy"], tiny.mentors["Mentor Ann"]), None)
    assert made.text == "Amy Maths, Autumn block A: One Academy"
    placed = made.steps[0].after
    assert placed.id is not None and _placements(workspace) == [
        (amy, autumn, tiny.schools["One Academy"], tiny.mentors["Mentor Ann"], "proposed", False)]
    moved = rot.save_cell(amy, autumn, CellEdit(tiny.schools["Two Academy"], tiny.mentors["Mentor Bob"],
                                                PlacementStatus.CONFIRMED, locked=True), placed)
    assert _placements(workspace)[0][2:] == (tiny.schools["Two Academy"], tiny.mentors["Mentor Bob"], "confirmed", True)
    rot.apply_change(moved.reversed())
    assert _placements(workspace)[0][2:] == (tiny.schools["One Academy"], tiny.mentors["Mentor Ann"], "proposed", False)
    cleared = rot.clear_cell(placed)
    assert _placements(workspace) == []
    rot.apply_change(cleared.reversed())
    with workspace.db.reading() as s:
        assert s.scalar(select(m.Placement.id)) == placed.id  # the same record, not a copy
    rot.apply_change(made.reversed())  # undo of the first fill: nothing left
    assert _placements(workspace) == []
    assert rot.apply_change(made).steps[0].after.id == placed.id  # redo puts the same id back


def test_an_edit_from_an_old_view_is_refused_and_nothing_changes(workspace, tiny):
    rot, amy, autumn = workspace.rotations, tiny.trainees["Amy Maths"], tiny.blocks[0]
    placed = rot.save_cell(amy, autumn, CellEdit(tiny.schools["One Academy"]), None).steps[0].after
    rot.save_cell(amy, autumn, CellEdit(tiny.schools["Two Academy"]), placed)
    before = _placements(workspace)
    with pytest.raises(StaleRecordError, match="Amy Maths in Autumn block A was changed by somebody else"):
        rot.save_cell(amy, autumn, CellEdit(tiny.schools["Three Academy"]), placed)
    with pytest.raises(StaleRecordError, match="placed Amy Maths in Autumn block A"):
        rot.save_cell(amy, autumn, CellEdit(tiny.schools["Three Academy"]), None)
    assert _placements(workspace) == before


def test_bad_references_are_named(workspace, tiny):
    amy, autumn = tiny.trainees["Amy Maths"], tiny.blocks[0]
    with pytest.raises(ValidationError) as caught:
        workspace.rotations.save_cell(amy, autumn, CellEdit(999, 998, paired_trainee_id=amy), None)
    text = str(caught.value)
    assert "School: is not a school" in text and "Mentor: is not a mentor" in text
    assert "Paired with: a trainee cannot be paired with themselves" in text
    assert _placements(workspace) == []


def test_swap_and_move_between_trainees_and_locked_placements_stay(workspace):
    tiny = build(workspace, {"One Academy": (1, "secondary"), "Two Academy": (2, "secondary")},
                 {"Mentor Ann": ("One Academy", "secondary", "G1"), "Mentor Bob": ("Two Academy", "secondary", "G1")},
                 {"Amy Maths": ("secondary", "G1", "scitt"), "Ben Maths": ("secondary", "G1", "scitt")})
    rot, autumn, spring = workspace.rotations, tiny.blocks[0], tiny.blocks[1]
    amy, ben = tiny.trainees["Amy Maths"], tiny.trainees["Ben Maths"]
    a = rot.save_cell(amy, autumn, CellEdit(tiny.schools["One Academy"], tiny.mentors["Mentor Ann"]), None).steps[0].after
    b = rot.save_cell(ben, autumn, CellEdit(tiny.schools["Two Academy"], tiny.mentors["Mentor Bob"]), None).steps[0].after
    swap = rot.swap(a, b)
    assert swap.text == "Swap Amy Maths and Ben Maths in Autumn block A"
    rows = {r[0]: r[2:4] for r in _placements(workspace)}
    assert rows[amy] == (tiny.schools["Two Academy"], tiny.mentors["Mentor Bob"])
    assert rows[ben] == (tiny.schools["One Academy"], tiny.mentors["Mentor Ann"])
    rot.apply_change(swap.reversed())
    assert {r[0]: r[2] for r in _placements(workspace)}[amy] == tiny.schools["One Academy"]
    move = rot.move(a, amy, spring)
    assert {(r[0], r[1]) for r in _placements(workspace)} == {(amy, spring), (ben, autumn)}
    assert move.steps[0].after.mentor_id is None  # a mentor is named per block
    rot.apply_change(move.reversed())
    locked = rot.save_cell(amy, autumn, CellEdit(a.school_id, a.mentor_id, locked=True), a).steps[0].after
    with pytest.raises(ConflictError, match="locked: unlock it"):
        rot.swap(locked, b)
    with pytest.raises(ValidationError, match="same block"):
        rot.swap(b, replace(locked, block_id=spring))


def test_a_cell_of_another_year_is_refused(workspace, tiny):
    workspace.years.ensure("2027/28")
    other = workspace.blocks.list("2027/28")[0]
    with pytest.raises(ValidationError, match="another academic year"):
        workspace.rotations.save_cell(tiny.trainees["Amy Maths"], other.id, CellEdit(tiny.schools["One Academy"]), None)


def test_grid_counts_and_distinct_schools(workspace, tiny):
    rot, amy = workspace.rotations, tiny.trainees["Amy Maths"]
    for block, school in zip(tiny.blocks, ("One Academy", "Two Academy", "One Academy")):
        rot.save_cell(amy, block, CellEdit(tiny.schools[school], None), None)
    grid = rot.grid(YEAR, today=TODAY)
    assert grid.distinct_schools(amy) == 2
    assert grid.summary().placed == 3 and grid.summary().slots == 3 and grid.summary().with_errors == 1
    # The repeated school's cells carry "too few schools"; the one in between does not.
    codes = [{p.code for p in grid.problems(amy, b)} for b in tiny.blocks]
    assert "distinct_schools" in codes[0] and "distinct_schools" in codes[2] and "distinct_schools" not in codes[1]
    assert [p.code for p in grid.trainee_problems(amy)] == ["distinct_schools"]
