"""Repair: after a school closes or a mentor leaves, the fewest moves, then journeys; one undo step."""

from dataclasses import replace

from sqlalchemy import select, update

from tests.services.rotations.support import TODAY, YEAR, build, execute
from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.services.letters.scope import LetterScope
from tsa_desktop.services.rotations.edits import CellEdit


def _chain(ws):
    """Amy (maths) in Autumn at Xe School, confirmed; the only other maths mentor free in Autumn is
    Yan at Wye School, who has Ben (physics), proposed; Ben could go to Zed School (physics only)."""
    schools = {"Xe School": (1, "secondary"), "Wye School": (2, "secondary"), "Zed School": (9, "secondary"),
               "Pea School": (3, "secondary"), "Queue School": (4, "secondary")}
    mentors = {"Xav Ex": ("Xe School", "secondary", "G1"), "Yan Wye": ("Wye School", "secondary", "G1;F3"),
               "Zoe Zed": ("Zed School", "secondary", "F3"), "Pam Pea": ("Pea School", "secondary", "G1;F3"),
               "Quin Queue": ("Queue School", "secondary", "G1;F3")}
    tiny = build(ws, schools, mentors, {"Amy Maths": ("secondary", "G1", "school_direct_tuition_fee"),
                                        "Ben Physics": ("secondary", "F3", "school_direct_tuition_fee")})
    a, b, c = tiny.blocks
    place = [("Amy Maths", a, "Xe School", "Xav Ex"), ("Amy Maths", b, "Pea School", "Pam Pea"),
             ("Amy Maths", c, "Queue School", "Quin Queue"), ("Ben Physics", a, "Wye School", "Yan Wye"),
             ("Ben Physics", b, "Queue School", "Quin Queue"), ("Ben Physics", c, "Pea School", "Pam Pea")]
    for trainee, block, school, mentor in place:
        status = PlacementStatus.CONFIRMED if trainee == "Amy Maths" else PlacementStatus.PROPOSED
        ws.rotations.save_cell(tiny.trainees[trainee], block,
                               CellEdit(tiny.schools[school], tiny.mentors[mentor], status), None)
    return tiny


def _where(ws):
    with ws.db.reading() as s:
        return {(r.trainee_id, r.block_id): (r.school_id, r.mentor_id, r.status) for r in s.scalars(select(m.Placement))}


def test_a_closed_school_moves_one_chain_and_nothing_else(workspace):
    tiny = _chain(workspace)
    execute(workspace, update(m.School).where(m.School.id == tiny.schools["Xe School"])
            .values(establishment_status="Closed"))
    before = _where(workspace)
    repair = workspace.repair.propose(YEAR, time_limit=5, today=TODAY)
    assert [str(mv) for mv in repair.moves] == ["Amy Maths: Autumn block A: from Xe School to Wye School",
                                                "Ben Physics: Autumn block A: from Wye School to Zed School"]
    assert not repair.stuck and not repair.unplaced
    assert repair.summary() == f"{YEAR}: 1 placement broke the rules, 2 moves (1 confirmed), 0 trainee-blocks unplaced"
    assert _where(workspace) == before  # nothing written yet
    applied = workspace.repair.apply(repair)
    after = _where(workspace)
    amy, ben, autumn = tiny.trainees["Amy Maths"], tiny.trainees["Ben Physics"], tiny.blocks[0]
    assert after[(amy, autumn)] == (tiny.schools["Wye School"], tiny.mentors["Yan Wye"], "proposed")
    assert after[(ben, autumn)][:2] == (tiny.schools["Zed School"], tiny.mentors["Zoe Zed"])
    assert {k for k in after if after[k] != before[k]} == {(amy, autumn), (ben, autumn)}
    assert not workspace.rotations.check(YEAR, TODAY).has_errors
    workspace.repair.revert(applied)
    assert _where(workspace) == before


def test_a_mentor_who_leaves_is_replaced_at_the_same_school_when_possible(workspace):
    tiny = _chain(workspace)
    execute(workspace, update(m.Mentor).where(m.Mentor.id == tiny.mentors["Quin Queue"]).values(active=False))
    with workspace.db.transaction() as s:
        nia = m.Mentor(email="new@example.org", first_name="Nia", last_name="New", phase="secondary",
                       school_id=tiny.schools["Queue School"], max_trainees=1, active=True,
                       initial_training_date=TODAY)
        nia.subjects = [m.MentorSubject(subject="G1"), m.MentorSubject(subject="F3")]
        s.add(nia)
    repair = workspace.repair.propose(YEAR, time_limit=5, today=TODAY)
    assert [str(mv) for mv in repair.moves] == [
        "Ben Physics: Spring block B: at Queue School, mentor Quin Queue to Nia New",
        "Amy Maths: Summer block C: at Queue School, mentor Quin Queue to Nia New"]
    assert repair.school_moves == 0


def test_letters_of_a_moved_confirmed_placement_go_out_of_date(workspace):
    tiny = _chain(workspace)
    workspace.alliance.save_profile(replace(workspace.alliance.profile(), name="Test Alliance",
                                            contact_name="Pat Lead", contact_email="pat@example.org"))
    letters = workspace.letters
    scope = LetterScope(year=YEAR, to="trainees")
    batch = letters.prepare(scope, today=TODAY)
    letters.mark_produced(batch)
    assert all(str(item.status).startswith("Up to date") for item in letters.listing(scope, today=TODAY).letters)
    execute(workspace, update(m.School).where(m.School.id == tiny.schools["Xe School"])
            .values(establishment_status="Closed"))
    workspace.repair.apply(workspace.repair.propose(YEAR, time_limit=5, today=TODAY))
    states = {item.key.record_id: str(item.status) for item in letters.listing(scope, today=TODAY).letters}
    assert states[tiny.trainees["Amy Maths"]].startswith("Out of date")
