"""The mentor pool: counts, add/edit/delete, training flags, lead mentors, load."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import Phase, Subject
from tsa_desktop.domain.errors import ConflictError, DeleteRefusedError, NotFoundError, ValidationError
from tsa_desktop.domain.mentors import TrainingState

from tests.conftest import DEMO_YEAR

TODAY = dt.date(2026, 11, 23)


def _school(ws, phase="secondary"):
    return next(s for s in ws.schools.list() if s.phase.code == phase)


def _new(ws, email, **changes):
    school = _school(ws)
    raw = {"email": email, "first_name": "Test", "last_name": email.split("@")[0].title(),
           "school_id": school.id, "phase": "secondary", "subjects": "Physics",
           "initial_training_date": "2026-01-05", "initial_training_hours": 12}
    raw.update(changes)
    return ws.mentors.create(raw)


# --- the pool -------------------------------------------------------------------------------------


def test_pool_counts_by_phase_match_the_alliance(alliance_demo):
    pool = alliance_demo.mentors.pool(DEMO_YEAR, TODAY)
    assert [(c.label, c.mentors) for c in pool.by_phase] == [("Primary", 43), ("Secondary", 168), ("Special", 5)]
    assert pool.total == 216
    assert pool.summary().startswith("216 mentors: 43 primary, 168 secondary, 5 special (")
    with alliance_demo.db.reading() as s:
        per_school = Counter(s.scalars(select(m.School.name).join(m.Mentor, m.Mentor.school_id == m.School.id)))
        maths = s.scalar(select(func.count()).select_from(m.MentorSubject).where(m.MentorSubject.subject == "G1"))
        active = s.scalar(select(func.count()).select_from(m.Mentor).where(m.Mentor.active.is_(True)))
    assert {c.label: c.mentors for c in pool.by_school} == dict(per_school)
    assert next(c for c in pool.by_subject if c.label == "Mathematics").mentors == maths
    assert pool.active == active == sum(c.active for c in pool.by_phase)


def test_pool_places_per_block_count_active_trained_mentors_and_pair_and_share(small_demo):
    ws = small_demo
    before = {c.label: c for c in ws.mentors.pool(DEMO_YEAR, TODAY).by_phase}["Secondary"]
    _new(ws, "pair@x.sch.uk", max_trainees=2)
    _new(ws, "untrained@x.sch.uk", initial_training_date="", initial_training_hours="")
    _new(ws, "gone@x.sch.uk", active=False)
    after = {c.label: c for c in ws.mentors.pool(DEMO_YEAR, TODAY).by_phase}["Secondary"]
    assert after.mentors == before.mentors + 3 and after.active == before.active + 2
    assert after.places_per_block == before.places_per_block + 2
    assert after.training_flagged == before.training_flagged + 1
    ws.alliance.save_settings({"allow_pair_and_share": "no"})
    no_pairs = {c.label: c for c in ws.mentors.pool(DEMO_YEAR, TODAY).by_phase}["Secondary"]
    pairs = sum(1 for r in ws.mentors.list(DEMO_YEAR, TODAY) if r.phase is Phase.SECONDARY and r.active
                and r.max_trainees == 2 and r.training.state is not TrainingState.NEVER_TRAINED)
    assert pairs >= 1 and no_pairs.places_per_block == after.places_per_block - pairs


# --- create, update, delete -----------------------------------------------------------------------


def test_create_and_read_back(small_demo):
    ws = small_demo
    block = ws.mentors.blocks(DEMO_YEAR, TODAY)[1]
    row = _new(ws, "New.Mentor@Oak.sch.uk", subjects="Maths; Physics", phone="01632 960000",
               unavailable_block_ids=[block.id])
    got = ws.mentors.by_email("new.mentor@oak.sch.uk", DEMO_YEAR, TODAY)
    assert got.id == row.id and got.email == "new.mentor@oak.sch.uk"
    assert set(got.subjects) == {Subject.MATHEMATICS, Subject.PHYSICS}
    assert got.unavailable_blocks == (block.name,) and got.availability == f"Not in {block.name}"
    assert got.training.state is TrainingState.CURRENT
    assert got.load.total == 0 and got.capacity == 1


def test_update_changes_subjects_availability_and_keeps_the_rest(small_demo):
    ws = small_demo
    row = _new(ws, "edit@x.sch.uk", subjects="Physics; Chemistry")
    blocks = ws.mentors.blocks(DEMO_YEAR, TODAY)
    changed = replace(row.data(), subjects=(Subject.CHEMISTRY, Subject.BIOLOGY), max_trainees=2,
                      unavailable_block_ids=frozenset({blocks[0].id, blocks[2].id}))
    after = ws.mentors.update(row.id, changed, row.version)
    assert set(after.subjects) == {Subject.CHEMISTRY, Subject.BIOLOGY} and after.max_trainees == 2
    assert after.unavailable_blocks == (blocks[0].name, blocks[2].name)
    again = ws.mentors.update(row.id, replace(after.data(), unavailable_block_ids=frozenset()), after.version)
    assert again.unavailable_blocks == () and again.version == after.version + 1


def test_bad_input_names_each_field_and_changes_nothing(small_demo):
    ws = small_demo
    existing = ws.mentors.list(DEMO_YEAR, TODAY)[0]
    before = ws.mentors.list(DEMO_YEAR, TODAY)
    with pytest.raises(ValidationError) as caught:
        ws.mentors.create({"email": existing.email.upper(), "first_name": "Copy", "last_name": "Cat",
                           "school_id": 9999, "phase": "secondary", "lead_mentor_id": existing.id
                           if not existing.is_lead_mentor else None})
    text = str(caught.value)
    assert "School: no such school" in text and "school_id" not in text and f"is already {existing.name}'s" in text
    assert ws.mentors.list(DEMO_YEAR, TODAY) == before


def test_stale_edit_refused(small_demo):
    ws = small_demo
    row = _new(ws, "stale@x.sch.uk")
    ws.mentors.update(row.id, replace(row.data(), phone="1"), row.version)
    with pytest.raises(ConflictError, match="changed by somebody else"):
        ws.mentors.update(row.id, replace(row.data(), phone="2"), row.version)


def test_delete_refused_while_placements_refer_and_allowed_otherwise(small_demo):
    ws = small_demo
    busy = next(r for r in ws.mentors.list(DEMO_YEAR, TODAY) if r.load.placements)
    with pytest.raises(DeleteRefusedError, match=r"1 placement.*Untick 'Active'"):
        ws.mentors.delete(busy.id)
    lonely = _new(ws, "lonely@x.sch.uk", unavailable_block_ids=[ws.mentors.blocks(DEMO_YEAR, TODAY)[0].id])
    deleted = ws.mentors.delete(lonely.id)
    with pytest.raises(NotFoundError):
        ws.mentors.get(lonely.id)
    back = ws.mentors.create(deleted.data())  # what undo does
    assert back.email == "lonely@x.sch.uk" and back.unavailable_blocks == lonely.unavailable_blocks


def test_unknown_email_and_bad_email(small_demo):
    with pytest.raises(NotFoundError, match="No mentor has the email nobody@x.org"):
        small_demo.mentors.by_email("Nobody@x.org")
    with pytest.raises(ValidationError, match="mentor email: is not an email address"):
        small_demo.mentors.by_email("nobody")


# --- training flags -------------------------------------------------------------------------------


def test_training_lists_never_trained_and_overdue_with_their_assignments(small_demo):
    ws = small_demo
    never = _new(ws, "never@x.sch.uk", initial_training_date="", initial_training_hours="")
    overdue = _new(ws, "overdue@x.sch.uk", initial_training_date="2023-06-01")
    soon = _new(ws, "soon@x.sch.uk", initial_training_date="2024-12-10")
    fine = _new(ws, "fine@x.sch.uk", initial_training_date="2026-06-01")
    gone = _new(ws, "gone@x.sch.uk", initial_training_date="", initial_training_hours="", active=False)
    # Name the overdue mentor on a placement: the list says whom they are assigned.
    with ws.db.transaction() as s:
        placement = s.scalars(select(m.Placement)).first()
        placement.mentor_id = overdue.id
        trainee = s.get(m.Trainee, placement.trainee_id)
        who = f"{trainee.first_names} {trainee.last_name}"
    rows = {r.id: r for r in ws.mentors.training(DEMO_YEAR, TODAY)}
    assert rows[never.id].mentor.training.state is TrainingState.NEVER_TRAINED
    assert rows[overdue.id].mentor.training.state is TrainingState.REFRESHER_OVERDUE
    assert rows[overdue.id].mentor.training.refresher_due == dt.date(2025, 6, 1)
    assert [a.trainee_name for a in rows[overdue.id].assignments] == [who]
    assert who in rows[overdue.id].assigned and "Autumn block A" in rows[overdue.id].assigned
    assert rows[soon.id].mentor.training.state is TrainingState.REFRESHER_DUE_SOON
    assert fine.id not in rows and gone.id not in rows
    strict = {r.id for r in ws.mentors.training(DEMO_YEAR, TODAY, include_due_soon=False)}
    assert never.id in strict and overdue.id in strict and soon.id not in strict
    # The never-trained come first.
    order = [r.mentor.training.state for r in ws.mentors.training(DEMO_YEAR, TODAY)]
    assert order == sorted(order, key=list(TrainingState).index)


def test_refresher_setting_changes_who_is_overdue(small_demo):
    ws = small_demo
    row = _new(ws, "three@x.sch.uk", initial_training_date="2024-06-01")
    assert ws.mentors.get(row.id, DEMO_YEAR, TODAY).training.state is TrainingState.REFRESHER_OVERDUE
    ws.alliance.save_settings({"refresher_years": 3})
    assert ws.mentors.get(row.id, DEMO_YEAR, TODAY).training.state is TrainingState.CURRENT


# --- lead mentors ---------------------------------------------------------------------------------


def test_designate_and_assign_lead_mentors(small_demo):
    ws = small_demo
    lead = _new(ws, "lead@x.sch.uk", is_lead_mentor=True)
    a, b = _new(ws, "a@x.sch.uk"), _new(ws, "b@x.sch.uk", lead_mentor_id=lead.id)
    assert ws.mentors.get(b.id).lead_mentor_name == lead.name
    before = ws.mentors.assign_lead_mentor([a.id, b.id], lead.id)
    assert before == {a.id: None, b.id: lead.id}
    assert {r.id for r in ws.mentors.mentees(lead.id)} == {a.id, b.id}
    row = next(r for r in ws.mentors.lead_mentors(DEMO_YEAR, TODAY) if r.id == lead.id)
    assert row.mentees == 2 and row.overdue == 2  # never visited: due now
    ws.mentors.restore_lead_mentors(before)
    assert ws.mentors.get(a.id).lead_mentor_id is None


def test_lead_mentor_rules(small_demo):
    ws = small_demo
    plain = _new(ws, "plain@x.sch.uk")
    with pytest.raises(ValidationError, match="Quality-assured by: is not a lead mentor"):
        _new(ws, "c@x.sch.uk", lead_mentor_id=plain.id)
    with pytest.raises(ValidationError, match="Quality-assured by: is not a lead mentor"):
        ws.mentors.assign_lead_mentor([plain.id], plain.id)
    lead = _new(ws, "lead2@x.sch.uk", is_lead_mentor=True)
    with pytest.raises(ValidationError, match="cannot be their own lead mentor"):
        ws.mentors.update(lead.id, replace(lead.data(), lead_mentor_id=lead.id))
    _new(ws, "d@x.sch.uk", lead_mentor_id=lead.id)
    with pytest.raises(ValidationError, match="Lead mentor: .* quality-assures 1 mentor; give them"):
        ws.mentors.update(lead.id, replace(lead.data(), is_lead_mentor=False))


# --- load -----------------------------------------------------------------------------------------


def test_load_counts_the_years_placements_mentored_ects_and_tutees(alliance_demo):
    ws = alliance_demo
    rows = ws.mentors.list(DEMO_YEAR, TODAY)
    with ws.db.reading() as s:
        placed = Counter(s.scalars(select(m.Placement.mentor_id).where(m.Placement.mentor_id.is_not(None))))
        tutors = Counter(s.scalars(select(m.Nqt.induction_tutor_id).where(m.Nqt.induction_tutor_id.is_not(None))))
        mentored = Counter(s.scalars(select(m.Nqt.mentor_id).where(m.Nqt.mentor_id.is_not(None))))
    assert sum(mentored.values()) > 0  # the demo's ECTs have mentors from the pool
    for r in rows:
        assert r.load.placements == placed.get(r.id, 0)
        assert r.load.nqts == tutors.get(r.id, 0) and r.load.ects == mentored.get(r.id, 0)
        assert r.load.total == placed.get(r.id, 0) + tutors.get(r.id, 0) + mentored.get(r.id, 0)
    tutor = next(r for r in rows if r.load.nqts)
    assert "induction tutor to" in tutor.load_summary
    # Another year has no placements or tutees for anybody, only the ECTs still in induction.
    ws.years.ensure("2027/28")
    assert all(r.load.total == r.load.ects for r in ws.mentors.list("2027/28", TODAY))


def test_an_ects_mentor_carries_them_with_the_trainees_for_both_years(small_demo):
    ws = small_demo
    ect = next(r for r in ws.induction.nqts() if r.fte == 1.0 and r.start_date == dt.date(2026, 9, 1))
    mentor = next(r for r in ws.mentors.list(DEMO_YEAR, TODAY) if r.load.ects == 0 and r.capacity == 1)
    ws.induction.update(ect.id, {**ect.data().__dict__, "status": "in_progress", "mentor_id": mentor.id})
    now = ws.mentors.get(mentor.id, DEMO_YEAR, TODAY)
    assert now.load.ects == 1 and now.load.total == now.load.placements + 1 + now.load.nqts
    assert "mentor to 1 ECT" in now.load_summary
    assert all(now.load.free_places(b) == 0 for b in now.load.trainees_by_block)  # one a block, taken
    ws.years.ensure("2027/28")
    ws.years.ensure("2028/29")
    assert ws.mentors.get(mentor.id, "2027/28", TODAY).load.ects == 1  # year two of induction
    assert ws.mentors.get(mentor.id, "2028/29", TODAY).load.ects == 0
    with pytest.raises(NotFoundError, match="no academic year 2030/31"):
        ws.mentors.list("2030/31", TODAY)


def test_mentor_phase_is_kept_as_a_phase(small_demo):
    row = _new(small_demo, "phase@x.sch.uk", phase="Special")
    assert small_demo.mentors.get(row.id).phase is Phase.SPECIAL


def test_a_mentor_of_ects_cannot_be_deleted(small_demo):
    ws = small_demo
    ect = ws.induction.nqts()[0]
    mentor = _new(ws, "ect.mentor@x.sch.uk")
    ws.induction.update(ect.id, {**ect.data().__dict__, "status": ect.status.code, "mentor_id": mentor.id})
    with pytest.raises(DeleteRefusedError, match="1 early career teacher they mentor"):
        ws.mentors.delete(mentor.id)
