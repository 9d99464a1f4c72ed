"""The trainee service against a real database file: recruiting, allocations, the lifecycle."""

import datetime as dt

import pytest

from tsa_desktop.domain.allocations import Fill, OverAllocationError
from tsa_desktop.domain.enums import TraineeStatus
from tsa_desktop.domain.errors import ConflictError, DeleteRefusedError, StaleRecordError, ValidationError
from tsa_desktop.domain.trainees import AllocationChoiceError, NoMatchingAllocationError, StatusTransitionError

YEAR = "2026/27"
D = dt.date


@pytest.fixture
def alliance(workspace):
    """Two schools and two allocations: SCITT Physics (2 places), salaried Mathematics (1 place)."""
    lead = workspace.schools.create({"urn": "100001", "name": "Weydon School", "phase": "secondary",
                                     "lead_school": "yes"})
    other = workspace.schools.create({"urn": "100002", "name": "Farnham Heath School", "phase": "secondary"})
    physics = workspace.allocations.create({"academic_year": YEAR, "route": "scitt", "phase": "secondary",
                                            "subject": "F3", "lead_school_id": lead.id, "places": 2})
    maths = workspace.allocations.create({"academic_year": YEAR, "route": "school_direct_salaried",
                                          "phase": "secondary", "subject": "G1", "lead_school_id": lead.id,
                                          "places": 1})
    return workspace, lead, other, physics, maths


def _trainee(n, **extra):
    return {"trainee_id": f"T{n:04d}", "first_names": "Sam", "last_name": f"Example{n}", "route": "scitt",
            "phase": "secondary", "subject": "F3", "academic_year": YEAR, **extra}


def test_recruit_onto_the_one_matching_allocation(alliance):
    ws, _lead, _other, physics, _maths = alliance
    row = ws.trainees.create(_trainee(1), on=D(2026, 3, 2))
    assert row.allocation_id == physics.id and row.allocation_lead_school == "Weydon School"
    assert row.status is TraineeStatus.OFFERED and row.status_since == D(2026, 3, 2)
    assert [(h.status, h.changed_on) for h in ws.trainees.history(row.id)] == [(TraineeStatus.OFFERED, D(2026, 3, 2))]
    assert ws.trainees.list(YEAR) == [row]


def test_no_matching_allocation_is_refused_naming_what_is_missing(alliance):
    ws, *_ = alliance
    with pytest.raises(NoMatchingAllocationError, match="no 2026/27 allocation for SCITT, Secondary, History"):
        ws.trainees.create(_trainee(1, subject="History"))
    with pytest.raises(NoMatchingAllocationError, match="no 2027/28 allocation"):
        ws.trainees.create(_trainee(1, academic_year="2027/28"))
    assert ws.trainees.list() == []


def test_several_matches_need_the_user_to_pick(alliance):
    ws, _lead, other, physics, _maths = alliance
    second = ws.allocations.create({"academic_year": YEAR, "route": "scitt", "phase": "secondary",
                                    "subject": "F3", "lead_school_id": other.id, "places": 3})
    with pytest.raises(AllocationChoiceError) as info:
        ws.trainees.create(_trainee(1))
    assert {a.id for a in info.value.options} == {physics.id, second.id}
    row = ws.trainees.create(_trainee(1, allocation_id=second.id))
    assert row.allocation_id == second.id
    # An edit that keeps route, phase and subject keeps the trainee's allocation.
    edited = ws.trainees.update(row.id, _trainee(1, first_names="Sasha"), row.version)
    assert edited.allocation_id == second.id and edited.first_names == "Sasha"


def test_salaried_trainee_needs_an_employing_school(alliance):
    ws, lead, *_ = alliance
    maths = _trainee(1, route="school_direct_salaried", subject="G1")
    with pytest.raises(ValidationError, match=r"Employing school: is required for School Direct \(salaried\)"):
        ws.trainees.create(maths)
    row = ws.trainees.create({**maths, "employing_school_id": lead.id})
    assert row.employing_school == "Weydon School" and lead.id in row.school_ids


def test_over_allocation_refused_without_a_reason_and_kept_with_one(alliance):
    ws, _lead, _other, physics, _maths = alliance
    ws.trainees.create(_trainee(1))
    ws.trainees.create(_trainee(2))
    with pytest.raises(OverAllocationError) as info:
        ws.trainees.create(_trainee(3))
    assert info.value.allocation.id == physics.id and info.value.fill == Fill(2, 2)
    assert len(ws.trainees.list()) == 2
    reason = "Provider agreed a third place for an outstanding physicist"
    row = ws.trainees.create(_trainee(3, over_allocation_reason=reason))
    assert row.over_allocation_reason == reason
    after = ws.allocations.get(physics.id)
    assert after.fill == Fill(2, 3) and after.over_reasons == 1


def test_withdrawn_trainees_free_their_place(alliance):
    ws, *_ = alliance
    first = ws.trainees.create(_trainee(1))
    ws.trainees.create(_trainee(2))
    ws.trainees.change_status(first.id, {"status": "withdrawn", "changed_on": dt.date.today()})
    ws.trainees.create(_trainee(3))  # no reason needed: the place was freed
    # Re-offering the withdrawn trainee would now go over: it needs a reason too.
    with pytest.raises(OverAllocationError):
        ws.trainees.change_status(first.id, {"status": "offered"})
    back = ws.trainees.change_status(first.id, {"status": "offered", "over_allocation_reason": "Returned"})
    assert back.status is TraineeStatus.OFFERED and back.over_allocation_reason == "Returned"


def test_moving_to_a_full_allocation_needs_a_reason(alliance):
    ws, lead, _other, _physics, maths = alliance
    ws.trainees.create(_trainee(1, route="school_direct_salaried", subject="G1", employing_school_id=lead.id))
    mover = ws.trainees.create(_trainee(2))
    into_maths = _trainee(2, route="school_direct_salaried", subject="G1", employing_school_id=lead.id)
    with pytest.raises(OverAllocationError):
        ws.trainees.update(mover.id, into_maths, mover.version)
    assert ws.trainees.get(mover.id).subject.code == "F3"
    moved = ws.trainees.update(mover.id, {**into_maths, "over_allocation_reason": "Switched subject"}, mover.version)
    assert moved.allocation_id == maths.id


def _place(ws, trainee_id, *schools, status="confirmed"):
    from tsa_desktop.domain.enums import PlacementStatus
    from tsa_desktop.services.rotations.edits import CellEdit

    blocks = ws.blocks.list(YEAR)
    for block, school in zip(blocks, schools):
        current = ws.rotations.grid(YEAR).cell(trainee_id, block.id)
        ws.rotations.save_cell(trainee_id, block.id, CellEdit(school.id, status=PlacementStatus.parse(status)),
                               current)


def test_lifecycle_with_dates_and_refusals(alliance):
    ws, lead, other, *_ = alliance
    row = ws.trainees.create(_trainee(1), on=D(2026, 4, 1))
    _place(ws, row.id, lead, other)
    with pytest.raises(StatusTransitionError, match="Offered can become Enrolled, Deferred or Withdrawn, not QTS"):
        ws.trainees.change_status(row.id, {"status": "qts_awarded", "changed_on": "2027-07-01"})
    with pytest.raises(ValidationError, match="Date of the change: must be on or after 01/04/2026"):
        ws.trainees.change_status(row.id, {"status": "enrolled", "changed_on": "2026-03-01"})
    ws.trainees.change_status(row.id, {"status": "enrolled", "changed_on": "01/09/2026", "note": "Started"})
    done = ws.trainees.change_status(row.id, {"status": "QTS awarded", "changed_on": "2027-07-01"})
    assert done.status is TraineeStatus.QTS_AWARDED and done.status_since == D(2027, 7, 1)
    assert [(h.status.code, h.changed_on, h.note) for h in ws.trainees.history(row.id)] == [
        ("offered", D(2026, 4, 1), ""), ("enrolled", D(2026, 9, 1), "Started"), ("qts_awarded", D(2027, 7, 1), "")]
    with pytest.raises(StatusTransitionError, match="QTS awarded is final"):
        ws.trainees.change_status(row.id, {"status": "enrolled"})


def test_undo_status_change_restores_the_previous_status(alliance):
    ws, *_ = alliance
    row = ws.trainees.create(_trainee(1), on=D(2026, 4, 1))
    ws.trainees.change_status(row.id, {"status": "withdrawn", "changed_on": "2026-05-01"})
    back = ws.trainees.undo_status_change(row.id, TraineeStatus.WITHDRAWN)
    assert back.status is TraineeStatus.OFFERED and len(ws.trainees.history(row.id)) == 1
    with pytest.raises(ConflictError, match="changed since"):
        ws.trainees.undo_status_change(row.id, TraineeStatus.WITHDRAWN)


def test_stale_edit_and_duplicate_id_refused(alliance):
    ws, *_ = alliance
    row = ws.trainees.create(_trainee(1))
    ws.trainees.create(_trainee(2))
    ws.trainees.update(row.id, _trainee(1, last_name="Renamed"), row.version)
    with pytest.raises(StaleRecordError):
        ws.trainees.update(row.id, _trainee(1, last_name="Lost"), row.version)
    with pytest.raises(ConflictError, match="Trainee ID: T0002 is already used by Sam Example2"):
        ws.trainees.update(row.id, _trainee(2))
    assert ws.trainees.get(row.id).last_name == "Renamed"


def test_delete_and_restore_keep_the_history(alliance):
    ws, *_ = alliance
    row = ws.trainees.create(_trainee(1), on=D(2026, 4, 1))
    ws.trainees.change_status(row.id, {"status": "enrolled", "changed_on": "2026-09-01"})
    deleted = ws.trainees.delete(row.id)
    assert ws.trainees.list() == []
    back = ws.trainees.restore(deleted)
    assert back.trainee_id == "T0001" and back.status is TraineeStatus.ENROLLED
    assert [h.status.code for h in ws.trainees.history(back.id)] == ["offered", "enrolled"]


def test_trainee_with_placements_cannot_be_deleted(small_demo):
    placed = next(t for t in small_demo.trainees.list(YEAR) if t.placements)
    with pytest.raises(DeleteRefusedError, match="1 placement"):
        small_demo.trainees.delete(placed.id)
    assert small_demo.trainees.get(placed.id).trainee_id == placed.trainee_id


def test_list_shows_schools_placed_at_and_employer(small_demo):
    rows = small_demo.trainees.list(YEAR)
    assert len(rows) == 12 and small_demo.trainees.list("2025/26") == []
    placed = next(t for t in rows if t.placements)
    assert placed.placements[0].block == "Autumn block A"
    assert placed.placements[0].school_id in placed.school_ids


def test_qts_needs_two_placements_or_for_salaried_one_at_the_employer_and_one_elsewhere(alliance):
    """Register trainee teachers' own rule, checked when the status moves to QTS awarded."""
    ws, lead, other, *_ = alliance
    qts = {"status": "qts_awarded", "changed_on": "2027-07-01"}
    fee = ws.trainees.create(_trainee(1), on=D(2026, 4, 1))
    ws.trainees.change_status(fee.id, {"status": "enrolled", "changed_on": "2026-09-01"})
    _place(ws, fee.id, lead, other, status="proposed")
    with pytest.raises(ValidationError, match=r"needs at least two placements before QTS; Sam Example1 has 0 "
                                              r"confirmed or completed \(none\)"):
        ws.trainees.change_status(fee.id, qts)
    _place(ws, fee.id, lead, status="completed")
    with pytest.raises(ValidationError, match=r"Sam Example1 has 1 confirmed or completed \(Weydon School\)"):
        ws.trainees.change_status(fee.id, qts)
    assert ws.trainees.get(fee.id).status is TraineeStatus.ENROLLED  # nothing changed
    _place(ws, fee.id, lead, lead, status="confirmed")  # two placements, even at one school
    assert ws.trainees.change_status(fee.id, qts).status is TraineeStatus.QTS_AWARDED

    salaried = ws.trainees.create(_trainee(2, route="school_direct_salaried", subject="G1",
                                           employing_school_id=lead.id), on=D(2026, 4, 1))
    ws.trainees.change_status(salaried.id, {"status": "enrolled", "changed_on": "2026-09-01"})
    _place(ws, salaried.id, other, other)
    with pytest.raises(ValidationError, match="placement at the employing school, Weydon School, before QTS"):
        ws.trainees.change_status(salaried.id, qts)
    _place(ws, salaried.id, lead, lead)
    with pytest.raises(ValidationError, match="other than the employing school before QTS"):
        ws.trainees.change_status(salaried.id, qts)
    _place(ws, salaried.id, lead, other)
    assert ws.trainees.change_status(salaried.id, qts).status is TraineeStatus.QTS_AWARDED
