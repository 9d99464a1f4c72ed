"""Each rotation rule, broken through the rotation service, shows in the grid and in the check.

The rules themselves are tested in tests/domain/test_rules.py; here each one is broken by a
real edit, and the grid kept up to date edit by edit must show exactly what a freshly loaded
grid shows.
"""

import datetime as dt

import pytest
from sqlalchemy import insert, update

from tests.services.rotations.support import TODAY, YEAR, build, execute
from tsa_desktop.db import models as m
from tsa_desktop.domain.rules import Severity
from tsa_desktop.services.rotations.grid import PlacementState
from tsa_desktop.services.rotations.edits import CellEdit

SCHOOLS = {"Near Academy": (1, "secondary"), "Mid Academy": (2, "secondary"), "Third Academy": (3, "secondary"),
           "Green Primary": (1, "primary"), "Far Academy": (40, "secondary")}
MENTORS = {"Ann Near": ("Near Academy", "secondary", "G1"), "Bob Mid": ("Mid Academy", "secondary", "G1"),
           "Cat Third": ("Third Academy", "secondary", "G1"), "Pip Green": ("Green Primary", "primary", "00"),
           "Dan Physics": ("Near Academy", "secondary", "F3"), "Fay Far": ("Far Academy", "secondary", "G1")}
TRAINEES = {"Amy Maths": ("secondary", "G1", "school_direct_tuition_fee"),
            "Ben Maths": ("secondary", "G1", "school_direct_tuition_fee"),
            "Sal Salaried": ("secondary", "G1", "school_direct_salaried")}


@pytest.fixture
def workspace(any_workspace):
    """Each test runs on SQLite, and on PostgreSQL when TSA_TEST_POSTGRES_URL names a server."""
    return any_workspace


@pytest.fixture
def tiny(workspace):
    t = build(workspace, SCHOOLS, MENTORS, TRAINEES)
    execute(workspace, update(m.Trainee).where(m.Trainee.id == t.trainees["Sal Salaried"])
            .values(employing_school_id=t.schools["Third Academy"]))
    return t


def _mentor(t, name, **values):
    return update(m.Mentor).where(m.Mentor.id == t.mentors[name]).values(**values)


def _cases(t):
    """code -> (severity, statements to run first, [(trainee, block number, school, mentor, extra)])."""
    autumn, spring, summer = t.blocks
    near, mid, third, far = (t.schools[n] for n in ("Near Academy", "Mid Academy", "Third Academy", "Far Academy"))
    ann, bob = t.mentors["Ann Near"], t.mentors["Bob Mid"]
    amy, ben, sal = t.trainees["Amy Maths"], t.trainees["Ben Maths"], t.trainees["Sal Salaried"]
    return {
        "phase_mismatch": (Severity.ERROR, [], [(amy, autumn, t.schools["Green Primary"], t.mentors["Pip Green"], {})]),
        "travel_too_far": (Severity.WARNING, [], [(amy, autumn, far, t.mentors["Fay Far"], {})]),
        "no_mentor": (Severity.WARNING, [], [(amy, autumn, near, None, {})]),
        "mentor_wrong_school": (Severity.ERROR, [], [(amy, autumn, near, bob, {})]),
        "subject_mismatch": (Severity.ERROR, [], [(amy, autumn, near, t.mentors["Dan Physics"], {})]),
        "mentor_inactive": (Severity.ERROR, [_mentor(t, "Ann Near", active=False)], [(amy, autumn, near, ann, {})]),
        "mentor_unavailable": (Severity.ERROR, [insert(m.MentorUnavailability).values(mentor_id=ann, block_id=autumn)],
                               [(amy, autumn, near, ann, {})]),
        "mentor_untrained": (Severity.ERROR, [_mentor(t, "Ann Near", initial_training_date=None)],
                             [(amy, autumn, near, ann, {})]),
        "refresher_overdue": (Severity.WARNING, [_mentor(t, "Ann Near", initial_training_date=dt.date(2020, 7, 1))],
                              [(amy, autumn, near, ann, {})]),
        "mentor_over_capacity": (Severity.ERROR, [], [(amy, autumn, near, ann, {}), (ben, autumn, near, ann, {})]),
        "school_over_capacity": (Severity.ERROR, [update(m.School).where(m.School.id == near).values(capacity_per_block=1)],
                                 [(amy, autumn, near, ann, {}), (ben, autumn, near, None, {})]),
        "distinct_schools": (Severity.ERROR, [], [(amy, b, near, ann, {}) for b in t.blocks]),
        "employing_school": (Severity.WARNING, [], [(sal, autumn, near, ann, {}), (sal, spring, mid, bob, {}),
                                                    (sal, summer, far, t.mentors["Fay Far"], {})]),
        "too_few_days": (Severity.WARNING, [insert(m.Setting).values(key="min_days_in_school", value="300")],
                         [(amy, autumn, near, ann, {}), (amy, spring, mid, bob, {}),
                          (amy, summer, third, t.mentors["Cat Third"], {})]),
        "pair_mismatch": (Severity.WARNING, [], [(ben, autumn, mid, bob, {}),
                                                 (amy, autumn, near, ann, {"paired_trainee_id": ben})]),
        "trainee_not_training": (Severity.WARNING, [update(m.Trainee).where(m.Trainee.id == amy).values(status="withdrawn")],
                                 [(amy, autumn, near, ann, {})]),
    }


CODES = ["phase_mismatch", "travel_too_far", "no_mentor", "mentor_wrong_school", "subject_mismatch",
         "mentor_inactive", "mentor_unavailable", "mentor_untrained", "refresher_overdue",
         "mentor_over_capacity", "school_over_capacity", "distinct_schools", "employing_school",
         "too_few_days", "pair_mismatch", "trainee_not_training"]


def shown(grid):
    """Every problem the grid shows: (trainee, block or None, code, severity, message)."""
    out = set()
    for t in grid.trainees:
        out |= {(t.id, None, p.code, p.severity, p.message) for p in grid.trainee_problems(t.id)}
        for b in grid.blocks:
            out |= {(t.id, b.id, p.code, p.severity, p.message) for p in grid.problems(t.id, b.id)}
    return out


@pytest.mark.parametrize("code", CODES)
def test_each_rule_broken_by_an_edit_shows_in_the_grid_and_the_check(workspace, tiny, code):
    severity, setup, edits = _cases(tiny)[code]
    if setup:
        execute(workspace, *setup)
    rot = workspace.rotations
    live = rot.grid(YEAR, today=TODAY)
    for trainee, block, school, mentor, extra in edits:
        change = rot.save_cell(trainee, block, CellEdit(school, mentor, **extra), live.cell(trainee, block))
        live.apply(change)
    fresh = rot.grid(YEAR, today=TODAY)
    assert shown(live) == shown(fresh)  # kept up to date edit by edit = judged afresh
    assert (code, severity) in {(c, s) for _t, _b, c, s, _m in shown(fresh)}
    report = rot.check(YEAR, today=TODAY)
    assert code in {p.code for p in report.problems}
    assert f"{severity}: " in "\n".join(str(p) for p in report.problems if p.code == code)


def test_the_cell_shows_the_edited_placements_problems_at_once_and_clears_them_on_undo(workspace, tiny):
    rot, amy, ben = workspace.rotations, tiny.trainees["Amy Maths"], tiny.trainees["Ben Maths"]
    autumn, near, ann = tiny.blocks[0], tiny.schools["Near Academy"], tiny.mentors["Ann Near"]
    grid = rot.grid(YEAR, today=TODAY)
    grid.apply(rot.save_cell(amy, autumn, CellEdit(near, ann), None))
    assert not {p.code for p in grid.problems(amy, autumn)} & {"mentor_over_capacity"}
    second = rot.save_cell(ben, autumn, CellEdit(near, ann), None)
    grid.apply(second)
    # Both of the mentor's trainees are marked, not only the one just placed.
    assert "mentor_over_capacity" in {p.code for p in grid.problems(ben, autumn)}
    assert "mentor_over_capacity" in {p.code for p in grid.problems(amy, autumn)}
    grid.apply(rot.apply_change(second.reversed()))
    assert "mentor_over_capacity" not in {p.code for p in grid.problems(amy, autumn)}
    assert grid.cell(ben, autumn) is None and grid.problems(ben, autumn) == []


def test_the_editor_preview_judges_a_placement_before_it_is_saved(workspace, tiny):
    grid = workspace.rotations.grid(YEAR, today=TODAY)
    amy, autumn = tiny.trainees["Amy Maths"], tiny.blocks[0]
    problems = grid.preview(PlacementState(None, amy, autumn, tiny.schools["Green Primary"], tiny.mentors["Pip Green"]))
    assert {p.code for p in problems} == {"phase_mismatch", "subject_mismatch"}
    assert any("Green Primary, a primary school" in p.message for p in problems)
    assert grid.cell(amy, autumn) is None  # nothing was saved
