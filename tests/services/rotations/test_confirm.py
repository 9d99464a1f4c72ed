"""Confirm, lock and unlock in bulk: one write, one undo step, rule errors left proposed."""

import pytest
from sqlalchemy import select, update

from tests.services.rotations.support import TODAY, YEAR, build, execute
from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import NotFoundError
from tsa_desktop.services.rotations.confirm import Scope
from tsa_desktop.services.rotations.edits import CellEdit


def _two_trainees(ws):
    schools = {"One Academy": (1, "secondary"), "Two Academy": (2, "secondary"), "Three Academy": (3, "secondary")}
    mentors = {}
    for school in schools:
        for who in ("Ann", "Bob"):
            mentors[f"{who} {school.split()[0]}"] = (school, "secondary", "G1")
    tiny = build(ws, schools, mentors, {"Amy Maths": ("secondary", "G1", "school_direct_tuition_fee"),
                                        "Ben Maths": ("secondary", "G1", "school_direct_tuition_fee")})
    names = list(schools)
    for i, (trainee, mentor_of) in enumerate((("Amy Maths", "Ann"), ("Ben Maths", "Bob"))):
        for b, block in enumerate(tiny.blocks):
            school = names[(b + i) % 3]
            ws.rotations.save_cell(tiny.trainees[trainee], block,
                                   CellEdit(tiny.schools[school], tiny.mentors[f"{mentor_of} {school.split()[0]}"]), None)
    return tiny


def _statuses(ws):
    with ws.db.reading() as s:
        return sorted((r.trainee_id, r.block_id, r.status, r.locked) for r in s.scalars(select(m.Placement)))


def _audit_count(ws):
    with ws.db.reading() as s:
        return len(list(s.scalars(select(m.AuditEntry.id).where(m.AuditEntry.table_name == "placements"))))


def test_confirm_the_whole_year_in_one_write_and_undo_it_in_one(workspace):
    tiny = _two_trainees(workspace)
    before = _statuses(workspace)
    audit = _audit_count(workspace)
    result = workspace.confirming.confirm(YEAR, today=TODAY)
    assert result.done == 6 and not result.left
    assert result.summary == f"{YEAR}: 6 placements confirmed"
    assert {st for _, _, st, _ in _statuses(workspace)} == {"confirmed"}
    assert _audit_count(workspace) == audit + 6  # one entry a placement, under one summary
    workspace.rotations.apply_change(result.change.reversed())
    assert _statuses(workspace) == before
    again = workspace.confirming.confirm(YEAR, Scope(block="autumn block a"), today=TODAY)
    assert again.done == 2
    assert [r[2] for r in _statuses(workspace) if r[1] == tiny.blocks[0]] == ["confirmed", "confirmed"]
    assert workspace.confirming.confirm(YEAR, Scope(block="Autumn block A"), today=TODAY).already == 2


def test_a_placement_with_a_rule_error_is_listed_and_left_proposed(workspace):
    tiny = _two_trainees(workspace)
    # Ann at One Academy leaves: Amy's placement with her is now a rule error.
    execute(workspace, update(m.Mentor).where(m.Mentor.id == tiny.mentors["Ann One"]).values(active=False))
    result = workspace.confirming.confirm(YEAR, today=TODAY)
    assert result.done == 5
    [left] = result.left
    assert str(left) == ("Amy Maths, Autumn block A at One Academy: Amy Maths's mentor Ann One in Autumn "
                         "block A is no longer active")
    statuses = {(t, b): st for t, b, st, _ in _statuses(workspace)}
    assert statuses[(tiny.trainees["Amy Maths"], tiny.blocks[0])] == "proposed"


def test_scope_by_school_trainee_and_selection_and_unknown_names(workspace):
    tiny = _two_trainees(workspace)
    with workspace.db.reading() as s:
        urn = s.scalar(select(m.School.urn).where(m.School.id == tiny.schools["Two Academy"]))
        ref = s.scalar(select(m.Trainee.trainee_id).where(m.Trainee.id == tiny.trainees["Ben Maths"]))
        ids = list(s.scalars(select(m.Placement.id).order_by(m.Placement.id)))
    assert workspace.confirming.confirm(YEAR, Scope(school=urn), today=TODAY).done == 2
    assert workspace.confirming.confirm(YEAR, Scope(trainee=ref), today=TODAY).done == 2  # one was at Two
    assert workspace.confirming.set_locked(YEAR, True, Scope(placement_ids=frozenset(ids[:2])), today=TODAY).done == 2
    assert sum(locked for *_, locked in _statuses(workspace)) == 2
    assert workspace.confirming.set_locked(YEAR, False, today=TODAY).done == 2
    for scope, words in ((Scope(block="Winter"), "has no placement block called 'Winter'"),
                         (Scope(school="999999"), "no school with URN 999999"),
                         (Scope(trainee="T999"), "no trainee with ID T999")):
        with pytest.raises(NotFoundError, match=words):
            workspace.confirming.confirm(YEAR, scope, today=TODAY)
