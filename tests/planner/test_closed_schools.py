"""A school GIAS lists as closed is never planned."""

from __future__ import annotations

from dataclasses import replace

from tsa_desktop.planner import plan_rotations

from tests.planner.world import World


def test_the_planner_passes_over_a_closed_school_and_says_why_when_nothing_is_left():
    w = World(blocks=1)
    near = w.school("Near Academy", 1)
    far = w.school("Far Academy", 9)
    w.mentor(near)
    w.mentor(far)
    zoe = w.trainee("Zoe", km=0)
    w.schools[:] = [replace(s, closed=True) if s.id == near else s for s in w.schools]
    [only] = plan_rotations(w.problem(), time_limit=10).assignments
    assert (only.trainee_id, only.school_id) == (zoe, far)
    w.schools[:] = [replace(s, closed=True) for s in w.schools]
    plan = plan_rotations(w.problem(), time_limit=10)
    assert plan.assignments == () and [u.reason for u in plan.unplaced] == [
        "no school in the alliance takes secondary trainees"]
