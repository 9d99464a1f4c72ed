"""The automatic planner through the planning service: known best answers, reasons, locks, undo."""

import pytest
from sqlalchemy import select

from tests.services.rotations.support import TODAY, YEAR, build, one_maths_trainee
from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.domain.errors import CancelledError, StaleRecordError, ValidationError
from tsa_desktop.domain.progress import Progress
from tsa_desktop.planner import PlanStatus
from tsa_desktop.services.rotations.edits import CellEdit


@pytest.fixture
def workspace(any_workspace):
    """Each test runs on SQLite, and on PostgreSQL when TSA_TEST_POSTGRES_URL names a server."""
    return any_workspace


def _rows(ws):
    with ws.db.reading() as s:
        return sorted((p.id, p.trainee_id, p.block_id, p.school_id, p.mentor_id, p.status, p.locked)
                      for p in s.scalars(select(m.Placement)))


def test_one_trainee_goes_to_the_three_nearest_schools_and_the_plan_is_optimal(workspace):
    tiny = one_maths_trainee(workspace)
    proposal = workspace.planning.propose(YEAR, time_limit=10, today=TODAY)
    assert proposal.status is PlanStatus.OPTIMAL and proposal.gap == 0 and proposal.complete
    assert len(proposal.new) == 3 and not proposal.changed and not proposal.unplaced
    assert {p.school for p in proposal.new} == {"One Academy", "Two Academy", "Three Academy"}
    assert proposal.travel_km == pytest.approx(6.0)
    assert proposal.objective <= proposal.greedy_objective
    assert proposal.summary() == f"{YEAR}: placed 3, unplaced 0, optimal"
    assert _rows(workspace) == []  # proposing writes nothing
    assert all(p.mentor_id == tiny.mentors[n] for p, n in
               zip(sorted(proposal.new, key=lambda p: p.km), ("Mentor Ann", "Mentor Bob", "Mentor Cat")))


def test_a_trainee_nobody_can_mentor_stays_unplaced_with_the_reason(workspace):
    build(workspace, {"One Academy": (1, "secondary")}, {"Mentor Ann": ("One Academy", "secondary", "G1")},
          {"Pat Physics": ("secondary", "F3", "scitt")})
    proposal = workspace.planning.propose(YEAR, time_limit=5, today=TODAY)
    assert not proposal.complete and len(proposal.unplaced) == 3 and not proposal.new
    assert all("no secondary physics mentor" in u.reason for u in proposal.unplaced)
    assert proposal.summary().startswith(f"{YEAR}: placed 0, unplaced 3 (3 × no secondary physics mentor")
    assert not proposal.change.steps


def test_locked_placements_are_kept_and_unlocked_proposals_replanned(workspace):
    tiny = build(workspace, {"One Academy": (1, "secondary"), "Two Academy": (2, "secondary"),
                             "Three Academy": (3, "secondary"), "Far Academy": (10, "secondary")},
                 {f"Mentor {n}": (s, "secondary", "G1") for n, s in
                  zip(("Ann", "Bob", "Cat", "Dan"), ("One Academy", "Two Academy", "Three Academy", "Far Academy"))},
                 {"Amy Maths": ("secondary", "G1", "scitt"), "Ben Maths": ("secondary", "G1", "scitt")})
    rot = workspace.rotations
    amy, ben = tiny.trainees["Amy Maths"], tiny.trainees["Ben Maths"]
    autumn = tiny.blocks[0]
    locked = rot.save_cell(amy, autumn, CellEdit(tiny.schools["Far Academy"], tiny.mentors["Mentor Dan"],
                                                 locked=True), None).steps[0].after
    loose = rot.save_cell(ben, autumn, CellEdit(tiny.schools["Far Academy"], None), None).steps[0].after
    proposal = workspace.planning.propose(YEAR, time_limit=10, today=TODAY)
    assert proposal.complete
    touched = {st.before.id for st in proposal.change.steps if st.before is not None}
    assert locked.id not in touched
    assert [c.before for c in proposal.changed] == ["Far Academy — no mentor yet"]
    assert proposal.changed[0].school != "Far Academy"
    applied = workspace.planning.apply_proposal(proposal)
    with workspace.db.reading() as s:
        kept = s.get(m.Placement, locked.id)
        assert (kept.school_id, kept.mentor_id, kept.locked) == (tiny.schools["Far Academy"], tiny.mentors["Mentor Dan"], True)
        assert s.get(m.Placement, loose.id).school_id != tiny.schools["Far Academy"]
    assert len(_rows(workspace)) == 6
    assert applied.steps and all(st.after.id is not None for st in applied.steps)


def test_apply_then_revert_gives_back_the_year_as_it_was(workspace):
    tiny = one_maths_trainee(workspace)
    amy, autumn = tiny.trainees["Amy Maths"], tiny.blocks[0]
    workspace.rotations.save_cell(amy, autumn, CellEdit(tiny.schools["Far Academy"], tiny.mentors["Mentor Dan"]), None)
    before = _rows(workspace)
    proposal = workspace.planning.propose(YEAR, time_limit=10, today=TODAY)
    applied = workspace.planning.apply_proposal(proposal)
    assert len(_rows(workspace)) == 3 and _rows(workspace) != before
    workspace.planning.revert_proposal(applied)
    assert _rows(workspace) == before
    workspace.rotations.apply_change(applied)  # redo
    assert sorted(r[3] for r in _rows(workspace)) == sorted(tiny.schools[n] for n in
                                                            ("One Academy", "Two Academy", "Three Academy"))


def test_a_plan_made_before_somebody_changed_the_year_is_not_applied(workspace):
    tiny = one_maths_trainee(workspace)
    amy, autumn = tiny.trainees["Amy Maths"], tiny.blocks[0]
    proposal = workspace.planning.propose(YEAR, time_limit=5, today=TODAY)
    workspace.rotations.save_cell(amy, autumn, CellEdit(tiny.schools["Far Academy"]), None)
    before = _rows(workspace)
    with pytest.raises(StaleRecordError, match="Somebody else has meanwhile placed Amy Maths in Autumn block A"):
        workspace.planning.apply_proposal(proposal)
    assert _rows(workspace) == before


def test_time_limit_and_cancel(workspace):
    one_maths_trainee(workspace)
    with pytest.raises(ValidationError, match="time limit: must be between 1 and"):
        workspace.planning.propose(YEAR, time_limit=0)
    progress = Progress()
    progress.cancel()
    with pytest.raises(CancelledError):
        workspace.planning.propose(YEAR, time_limit=5, progress=progress)
    assert _rows(workspace) == []


def test_the_alliance_demo_is_planned_completely_without_rule_errors(alliance_demo):
    year = "2026/27"
    before = alliance_demo.rotations.grid(year).summary()
    proposal = alliance_demo.planning.propose(year, time_limit=10)
    assert proposal.complete and proposal.placed + before.placed == before.slots
    assert all(st.after.status is PlacementStatus.PROPOSED for st in proposal.change.steps)
    alliance_demo.planning.apply_proposal(proposal)
    report = alliance_demo.rotations.check(year)
    assert report.errors == 0, [str(p) for p in report.problems if p.severity.value == "error"][:5]


def test_stop_keeps_the_best_plan_so_far_and_cancel_discards_it(workspace):
    import pytest

    from tsa_desktop.domain.errors import CancelledError
    from tsa_desktop.domain.progress import Progress
    from tests.services.rotations.support import TODAY, YEAR, one_maths_trainee

    one_maths_trainee(workspace)
    stopped = Progress()
    stopped.stop()
    proposal = workspace.planning.propose(YEAR, time_limit=600, progress=stopped, today=TODAY)
    assert proposal.placed == 3 and proposal.wall_time < 60
    assert proposal.plain_quality in ("the best possible plan",) or proposal.plain_quality.startswith("journeys at most")
    cancelled = Progress()
    cancelled.cancel()
    with pytest.raises(CancelledError):
        workspace.planning.propose(YEAR, time_limit=600, progress=cancelled, today=TODAY)
