"""Rotation rules: every rule with a case that breaks it and a case that passes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tsa_desktop.domain.enums import Phase, PlacementStatus, Route, Subject, TraineeStatus
from tsa_desktop.domain.journeys import TravelMode
from tsa_desktop.domain.rules import (
    BlockInfo,
    MentorInfo,
    PlacementInfo,
    RotationIndex,
    RotationSnapshot,
    RuleSettings,
    SchoolInfo,
    Severity,
    TraineeInfo,
    check_placement,
    check_rotations,
    has_errors,
    refresher_due,
)
from tsa_desktop.domain.values import GridRef

TODAY = dt.date(2025, 10, 1)
TRAINED = dt.date(2025, 7, 1)

BLOCKS = (
    BlockInfo(1, "Autumn", dt.date(2025, 9, 8), dt.date(2025, 12, 12), 40, 1),
    BlockInfo(2, "Spring", dt.date(2026, 1, 5), dt.date(2026, 3, 27), 40, 2),
    BlockInfo(3, "Summer", dt.date(2026, 4, 13), dt.date(2026, 7, 10), 40, 3),
)
SCHOOLS = (
    SchoolInfo(10, "Hill School", Phase.SECONDARY, GridRef(500_000, 200_000), 4),
    SchoolInfo(20, "Vale Academy", Phase.SECONDARY, GridRef(505_000, 200_000), 4),
    SchoolInfo(30, "Moor College", Phase.SECONDARY, GridRef(510_000, 200_000), 4),
    SchoolInfo(40, "Brook Primary", Phase.PRIMARY, GridRef(500_000, 201_000), 4),
)
PHYSICS = frozenset({Subject.PHYSICS})
MENTORS = (
    MentorInfo(100, "Ann Hill", 10, Phase.SECONDARY, PHYSICS, 2, trained=TRAINED),
    MentorInfo(200, "Ben Vale", 20, Phase.SECONDARY, PHYSICS, 1, trained=TRAINED),
    MentorInfo(300, "Cat Moor", 30, Phase.SECONDARY, PHYSICS, 1, trained=TRAINED),
    MentorInfo(400, "Dan Brook", 40, Phase.PRIMARY, frozenset(), 1, trained=TRAINED),
)
ZOE = TraineeInfo(1, "Zoe Physics", Phase.SECONDARY, Subject.PHYSICS, Route.SCHOOL_DIRECT_SALARIED,
                  employing_school_id=10, home=GridRef(502_000, 200_000))
ROTATION = (
    PlacementInfo(1001, 1, 1, 10, 100),
    PlacementInfo(1002, 1, 2, 20, 200),
    PlacementInfo(1003, 1, 3, 30, 300),
)


def snapshot(trainees=(ZOE,), placements=ROTATION, mentors=MENTORS, schools=SCHOOLS,
             **settings) -> RotationSnapshot:
    return RotationSnapshot(tuple(trainees), BLOCKS, tuple(schools), tuple(mentors),
                            tuple(placements), RuleSettings(**settings))


def codes(problems) -> set[str]:
    return {p.code for p in problems}


def with_placement(index: int, **changes) -> tuple[PlacementInfo, ...]:
    rows = list(ROTATION)
    rows[index] = replace(rows[index], **changes)
    return tuple(rows)


def with_mentor(mentor_id: int, **changes) -> tuple[MentorInfo, ...]:
    return tuple(replace(m, **changes) if m.id == mentor_id else m for m in MENTORS)


def test_a_good_rotation_has_no_problems():
    assert check_rotations(snapshot(), TODAY) == []


# -- distinct schools ---------------------------------------------------------------------------

def test_two_blocks_at_one_school_break_the_distinct_schools_rule():
    problems = check_rotations(snapshot(placements=with_placement(2, school_id=20, mentor_id=200,
                                                                  block_id=3)), TODAY)
    distinct = [p for p in problems if p.code == "distinct_schools"]
    assert len(distinct) == 1 and distinct[0].severity is Severity.ERROR
    assert "Zoe Physics" in distinct[0].message and "2 different" in distinct[0].message


def test_distinct_schools_rule_follows_the_setting():
    placements = with_placement(2, school_id=20, mentor_id=200)
    assert "distinct_schools" not in codes(check_rotations(snapshot(placements=placements,
                                                                    min_distinct_schools=2), TODAY))


def test_an_unplaced_block_is_named_in_the_distinct_schools_error():
    problems = check_rotations(snapshot(placements=ROTATION[:2]), TODAY)
    [distinct] = [p for p in problems if p.code == "distinct_schools"]
    assert "not yet placed in Summer" in distinct.message


def test_a_withdrawn_trainee_needs_no_rotation_but_is_warned_about_leftover_placements():
    gone = replace(ZOE, status=TraineeStatus.WITHDRAWN)
    problems = check_rotations(snapshot(trainees=[gone], placements=ROTATION[:1]), TODAY)
    assert codes(problems) == {"trainee_not_training"}
    assert check_rotations(snapshot(trainees=[gone], placements=()), TODAY) == []


# -- one placement per block ------------------------------------------------------------------

def test_two_placements_in_one_block_are_an_error():
    extra = PlacementInfo(1004, 1, 1, 20, 200)
    problems = check_rotations(snapshot(placements=ROTATION + (extra,)), TODAY)
    dup = [p for p in problems if p.code == "duplicate_block"]
    assert len(dup) == 1 and dup[0].block_id == 1 and dup[0].severity is Severity.ERROR


def test_a_cancelled_placement_is_ignored():
    extra = PlacementInfo(1004, 1, 1, 40, 400, status=PlacementStatus.CANCELLED)
    assert check_rotations(snapshot(placements=ROTATION + (extra,)), TODAY) == []


# -- phase and subject ------------------------------------------------------------------------

def test_a_secondary_trainee_in_a_primary_school_is_a_phase_error():
    problems = check_rotations(snapshot(placements=with_placement(0, school_id=40, mentor_id=400)),
                               TODAY)
    phase = [p for p in problems if p.code == "phase_mismatch"]
    assert phase and all(p.severity is Severity.ERROR for p in phase)
    assert any("Brook Primary" in p.message for p in phase)


def test_a_secondary_trainee_may_go_to_a_special_school():
    special = SchoolInfo(50, "Oak Special", Phase.SPECIAL, GridRef(501_000, 200_000), 2)
    mentor = MentorInfo(500, "Eve Oak", 50, Phase.SPECIAL, PHYSICS, trained=TRAINED)
    problems = check_rotations(snapshot(schools=SCHOOLS + (special,), mentors=MENTORS + (mentor,),
                                        placements=with_placement(0, school_id=50, mentor_id=500)),
                               TODAY)
    assert "phase_mismatch" not in codes(problems)
    # Zoe's employer is Hill School, which is no longer in her rotation.
    assert codes(problems) == {"employing_school"}


def test_a_mentor_who_does_not_teach_the_subject_is_an_error():
    mentors = with_mentor(200, subjects=frozenset({Subject.CHEMISTRY}))
    problems = check_rotations(snapshot(mentors=mentors), TODAY)
    [subject] = [p for p in problems if p.code == "subject_mismatch"]
    assert subject.block_id == 2 and "Ben Vale" in subject.message and "physics" in subject.message


def test_a_primary_trainee_needs_no_subject_match():
    pria = TraineeInfo(2, "Pria Primary", Phase.PRIMARY, Subject.PRIMARY_MATHEMATICS,
                       Route.SCITT, home=GridRef(500_000, 201_000))
    placement = PlacementInfo(2001, 2, 1, 40, 400)
    problems = check_rotations(snapshot(trainees=[pria], placements=[placement],
                                        min_distinct_schools=1, min_days_in_school=0), TODAY)
    assert problems == []


# -- the mentor --------------------------------------------------------------------------------

def test_a_mentor_from_another_school_is_an_error():
    problems = check_rotations(snapshot(placements=with_placement(1, mentor_id=300)), TODAY)
    [wrong] = [p for p in problems if p.code == "mentor_wrong_school"]
    assert "Moor College" in wrong.message and "Vale Academy" in wrong.message


def test_a_mentor_takes_one_trainee_unless_pair_and_share():
    ian = TraineeInfo(2, "Ian Second", Phase.SECONDARY, Subject.PHYSICS, Route.SCITT)
    ian_rotation = (PlacementInfo(2001, 2, 1, 20, 200), PlacementInfo(2002, 2, 2, 30, 300),
                    PlacementInfo(2003, 2, 3, 10, 100))
    # Ian follows Zoe's schools in the same blocks: every mentor has both of them.
    clash = (PlacementInfo(2001, 2, 1, 10, 100), PlacementInfo(2002, 2, 2, 20, 200),
             PlacementInfo(2003, 2, 3, 30, 300))
    good = check_rotations(snapshot(trainees=[ZOE, ian], placements=ROTATION + ian_rotation), TODAY)
    assert "mentor_over_capacity" not in codes(good)
    bad = check_rotations(snapshot(trainees=[ZOE, ian], placements=ROTATION + clash), TODAY)
    over = [p for p in bad if p.code == "mentor_over_capacity"]
    # Ben Vale (max 1) twice in Spring; Cat Moor (max 1) twice in Summer.
    assert {p.block_id for p in over} == {2, 3}
    assert all("limit is 1" in p.message for p in over)
    # Ann Hill (max 2) twice in Autumn is pair and share: allowed, unless the setting is off.
    assert not any(p.block_id == 1 for p in over)
    off = check_rotations(snapshot(trainees=[ZOE, ian], placements=ROTATION + clash,
                                   allow_pair_and_share=False), TODAY)
    assert {p.block_id for p in off if p.code == "mentor_over_capacity"} == {1, 2, 3}


def test_a_school_over_its_capacity_is_an_error():
    schools = tuple(replace(s, capacity_per_block=0) if s.id == 20 else s for s in SCHOOLS)
    problems = check_rotations(snapshot(schools=schools), TODAY)
    [over] = [p for p in problems if p.code == "school_over_capacity"]
    assert over.block_id == 2 and "Vale Academy" in over.message
    unlimited = tuple(replace(s, capacity_per_block=None) for s in SCHOOLS)
    assert check_rotations(snapshot(schools=unlimited), TODAY) == []


@pytest.mark.parametrize("changes, code", [
    ({"unavailable_block_ids": frozenset({2})}, "mentor_unavailable"),
    ({"active": False}, "mentor_inactive"),
    ({"trained": None}, "mentor_untrained"),
])
def test_mentor_errors(changes, code):
    problems = check_rotations(snapshot(mentors=with_mentor(200, **changes)), TODAY)
    [problem] = problems
    assert problem.code == code and problem.severity is Severity.ERROR
    assert problem.block_id == 2 and problem.placement_id == 1002 and "Ben Vale" in problem.message


def test_a_mentor_unavailable_in_another_block_is_fine():
    assert check_rotations(snapshot(mentors=with_mentor(200, unavailable_block_ids=frozenset({1}))),
                           TODAY) == []


def test_refresher_overdue_is_a_warning_and_a_refresher_resets_it():
    old = dt.date(2022, 6, 1)
    problems = check_rotations(snapshot(mentors=with_mentor(300, trained=old)), TODAY)
    [late] = problems
    assert late.code == "refresher_overdue" and late.severity is Severity.WARNING
    assert "2024-06-01" in late.message
    refreshed = with_mentor(300, trained=old, refresher=dt.date(2024, 9, 1))
    assert check_rotations(snapshot(mentors=refreshed), TODAY) == []
    assert check_rotations(snapshot(mentors=with_mentor(300, trained=old), refresher_years=5),
                           TODAY) == []


def test_refresher_due_handles_29_february():
    mentor = replace(MENTORS[0], trained=dt.date(2024, 2, 29))
    assert refresher_due(mentor, 1) == dt.date(2025, 2, 28)


def test_a_placement_with_no_mentor_is_a_warning():
    problems = check_rotations(snapshot(placements=with_placement(0, mentor_id=None)), TODAY)
    [none] = problems
    assert none.code == "no_mentor" and none.severity is Severity.WARNING
    assert not has_errors(problems)


# -- the trainee's year ---------------------------------------------------------------------

def test_a_salaried_trainee_away_from_their_employer_is_warned():
    problems = check_rotations(snapshot(trainees=[replace(ZOE, employing_school_id=40)]), TODAY)
    [warn] = problems
    assert warn.code == "employing_school" and warn.severity is Severity.WARNING
    assert "Brook Primary" in warn.message
    fee = replace(ZOE, route=Route.SCHOOL_DIRECT_TUITION_FEE, employing_school_id=40)
    assert check_rotations(snapshot(trainees=[fee]), TODAY) == []


def test_too_few_days_in_school_is_a_warning():
    problems = check_rotations(snapshot(min_days_in_school=121), TODAY)
    [few] = problems
    assert few.code == "too_few_days" and few.severity is Severity.WARNING and "120 days" in few.message


def test_travel_over_the_limit_is_a_warning_only_when_both_places_are_known():
    far = replace(ZOE, home=GridRef(400_000, 200_000))  # 100 km west of Hill School
    problems = check_rotations(snapshot(trainees=[far]), TODAY)
    assert codes(problems) == {"travel_too_far"} and len(problems) == 3
    assert all(p.severity is Severity.WARNING for p in problems)
    assert "about 200 min by car from home (estimate, 100.0 km; the limit is 45 min)" in problems[0].message
    assert check_rotations(snapshot(trainees=[far], max_minutes_car=0), TODAY) == []
    # Public transport has its own limit; kilometres can be a limit too.
    by_bus = replace(far, travel_mode=TravelMode.PUBLIC_TRANSPORT)
    assert codes(check_rotations(snapshot(trainees=[by_bus], max_minutes_car=0), TODAY)) == {"travel_too_far"}
    assert check_rotations(snapshot(trainees=[by_bus], max_minutes_public_transport=500), TODAY) == []
    km_only = check_rotations(snapshot(trainees=[far], max_minutes_car=0, max_travel_km=50), TODAY)
    assert "100.0 km from home (the limit is 50 km" in km_only[0].message
    assert check_rotations(snapshot(trainees=[replace(ZOE, home=None)]), TODAY) == []
    nowhere = tuple(replace(s, location=None) for s in SCHOOLS)
    assert check_rotations(snapshot(trainees=[far], schools=nowhere), TODAY) == []


def test_unknown_references_are_errors():
    stray = PlacementInfo(9, 99, 1, 10, 100)
    problems = check_rotations(snapshot(placements=ROTATION + (stray,)), TODAY)
    assert "unknown_reference" in codes(problems) and has_errors(problems)


def test_a_pair_must_share_a_mentor():
    ian = TraineeInfo(2, "Ian Second", Phase.SECONDARY, Subject.PHYSICS, Route.SCITT)
    ian_rot = (PlacementInfo(2001, 2, 1, 10, 100, paired_trainee_id=1),
               PlacementInfo(2002, 2, 2, 30, 300), PlacementInfo(2003, 2, 3, 20, 200))
    zoe_rot = with_placement(0, paired_trainee_id=2)
    assert check_rotations(snapshot(trainees=[ZOE, ian], placements=zoe_rot + ian_rot), TODAY) == []
    wrong = (replace(ian_rot[0], school_id=20, mentor_id=200, block_id=1),) + ian_rot[1:]
    problems = check_rotations(snapshot(trainees=[ZOE, ian], placements=zoe_rot + wrong), TODAY)
    assert "pair_mismatch" in codes(problems)


# -- check_placement -------------------------------------------------------------------------

def test_check_placement_passes_a_good_edit_and_replaces_the_edited_placement():
    snap = snapshot(placements=ROTATION[:2] + (PlacementInfo(1003, 1, 3, 30, None),))
    edited = PlacementInfo(1003, 1, 3, 30, 300)
    assert check_placement(snap, edited, TODAY) == []


def test_check_placement_sees_a_duplicate_for_a_new_placement():
    snap = snapshot()
    problems = check_placement(snap, PlacementInfo(None, 1, 3, 30, 300), TODAY)
    assert "duplicate_block" in codes(problems)


def test_check_placement_counts_mentor_and_school_capacity():
    ian = TraineeInfo(2, "Ian Second", Phase.SECONDARY, Subject.PHYSICS, Route.SCITT)
    schools = tuple(replace(s, capacity_per_block=1) if s.id == 30 else s for s in SCHOOLS)
    index = RotationIndex(snapshot(trainees=[ZOE, ian], schools=schools))
    assert codes(check_placement(index, PlacementInfo(None, 2, 1, 10, 100), TODAY)) == set()
    over = check_placement(index, PlacementInfo(None, 2, 2, 20, 200), TODAY)
    assert codes(over) == {"mentor_over_capacity"}
    full = check_placement(index, PlacementInfo(None, 2, 3, 30, 300), TODAY)
    assert codes(full) == {"mentor_over_capacity", "school_over_capacity"}


def test_check_placement_flags_a_rotation_that_can_no_longer_reach_three_schools():
    snap = snapshot(placements=ROTATION[:2])
    # Summer at Vale Academy again: two schools with no block left.
    problems = check_placement(snap, PlacementInfo(None, 1, 3, 20, 200), TODAY)
    assert "distinct_schools" in codes(problems) and has_errors(problems)
    snap2 = snapshot(placements=ROTATION[:1])
    assert check_placement(snap2, PlacementInfo(None, 1, 2, 20, 200), TODAY) == []
    # Spring at Hill School again leaves one open block: at most two schools.
    stuck = check_placement(snap2, PlacementInfo(None, 1, 2, 10, 100), TODAY)
    assert "distinct_schools" in codes(stuck)
    assert check_placement(snapshot(placements=()), PlacementInfo(None, 1, 1, 10, 100), TODAY) == []


def test_check_placement_warns_when_the_last_block_misses_the_employer():
    snap = snapshot(trainees=[replace(ZOE, employing_school_id=20)],
                    placements=(ROTATION[0], ROTATION[2]))
    problems = check_placement(snap, PlacementInfo(None, 1, 2, 20, 200), TODAY)
    assert problems == []
    snap = snapshot(trainees=[replace(ZOE, employing_school_id=40)],
                    placements=(ROTATION[0], ROTATION[2]))
    problems = check_placement(snap, PlacementInfo(None, 1, 2, 20, 200), TODAY)
    assert codes(problems) == {"employing_school"}


def test_check_placement_reports_the_placements_own_rule_breaks():
    snap = snapshot(placements=ROTATION[:2], mentors=with_mentor(300, active=False))
    problems = check_placement(snap, PlacementInfo(None, 1, 3, 30, 300), TODAY)
    assert codes(problems) == {"mentor_inactive"}


def test_the_snapshot_index_is_built_once():
    snap = snapshot()
    assert snap.index() is snap.index()


def test_settings_from_stored_text():
    settings = RuleSettings.from_mapping({"max_travel_km": "10", "allow_pair_and_share": "no"})
    assert settings.max_travel_km == 10.0 and settings.allow_pair_and_share is False
    assert settings.min_distinct_schools == 3


def test_a_placement_at_a_closed_school_is_an_error_until_its_block_is_over():
    closed = tuple(replace(s, closed=True) if i == 0 else s for i, s in enumerate(SCHOOLS))
    problems = check_rotations(snapshot(schools=closed), TODAY)
    errors = [p for p in problems if p.code == "school_closed"]
    assert errors and all(p.severity is Severity.ERROR and "which is closed, according to GIAS" in p.message
                          for p in errors)
    after_the_year = max(b.end for b in BLOCKS) + dt.timedelta(days=1)
    assert not [p for p in check_rotations(snapshot(schools=closed), after_the_year) if p.code == "school_closed"]
