"""The allocation service against a real database file."""

import pytest

from tsa_desktop.domain.allocations import Fill
from tsa_desktop.domain.enums import Route, Subject
from tsa_desktop.domain.errors import ConflictError, DeleteRefusedError, StaleRecordError, ValidationError

YEAR = "2026/27"


@pytest.fixture
def alliance(workspace):
    """Two schools, a provider and a Physics allocation of two places, in an empty file."""
    lead = workspace.schools.create({"urn": "100001", "name": "Weydon School", "phase": "secondary",
                                     "lead_school": "yes"})
    other = workspace.schools.create({"urn": "100002", "name": "Farnham Heath School", "phase": "secondary"})
    provider = workspace.providers.create({"name": "Alliance SCITT", "kind": "scitt"})
    physics = workspace.allocations.create({
        "academic_year": YEAR, "route": "scitt", "phase": "secondary", "subject": "F3",
        "lead_school_id": lead.id, "provider_id": provider.id, "places": 2})
    return workspace, lead, other, provider, physics


def _trainee(n, **extra):
    return {"trainee_id": f"T{n:04d}", "first_names": "Sam", "last_name": f"Example{n}", "route": "scitt",
            "phase": "secondary", "subject": "F3", "academic_year": YEAR, **extra}


def test_create_makes_the_year_and_lists_with_names(alliance):
    ws, lead, _other, provider, physics = alliance
    assert [y.name for y in ws.years.list()] == [YEAR]
    assert physics.lead_school == "Weydon School" and physics.provider == "Alliance SCITT"
    assert physics.fill == Fill(2, 0) and physics.route is Route.SCITT
    assert ws.allocations.list(YEAR) == [physics] and ws.allocations.list("2025/26") == []


def test_recruited_counts_everybody_but_the_withdrawn(alliance):
    ws, *_rest, physics = alliance
    first = ws.trainees.create(_trainee(1), status="enrolled")
    ws.trainees.create(_trainee(2), status="deferred")
    assert ws.allocations.get(physics.id).recruited == 2
    ws.trainees.change_status(first.id, {"status": "withdrawn"})
    assert ws.allocations.get(physics.id).fill == Fill(2, 1)


def test_demo_recruitment_matches_the_trainees(small_demo):
    trainees = small_demo.trainees.list(YEAR)
    for row in small_demo.allocations.list(YEAR):
        counted = [t for t in trainees if t.allocation_id == row.id and t.status.code != "withdrawn"]
        assert row.recruited == len(counted)


def test_bad_input_names_the_field_and_changes_nothing(alliance):
    ws, lead, *_ = alliance
    before = ws.allocations.list()
    with pytest.raises(ValidationError) as info:
        ws.allocations.create({"academic_year": YEAR, "route": "scitt", "phase": "primary", "subject": "F3",
                               "lead_school_id": lead.id, "places": "lots"})
    assert sorted(p.field for p in info.value.problems) == ["places", "subject"]
    with pytest.raises(ValidationError, match="Lead school: that school no longer exists"):
        ws.allocations.create({"academic_year": YEAR, "route": "scitt", "phase": "secondary",
                               "subject": "F1", "lead_school_id": 999, "places": 2})
    assert ws.allocations.list() == before


def test_duplicate_refused(alliance):
    ws, lead, *_ = alliance
    with pytest.raises(ConflictError, match="already an allocation 2026/27 SCITT, Secondary, Physics"):
        ws.allocations.create({"academic_year": YEAR, "route": "scitt", "phase": "secondary", "subject": "F3",
                               "lead_school_id": lead.id, "places": 5})
    assert len(ws.allocations.list()) == 1


def test_update_refuses_cuts_below_recruitment_and_stale_edits(alliance):
    ws, *_rest, physics = alliance
    ws.trainees.create(_trainee(1))
    ws.trainees.create(_trainee(2))
    data = physics.data()
    with pytest.raises(ValidationError, match="Places: 2 trainees are recruited against this allocation"):
        ws.allocations.update(physics.id, {**_raw(data), "places": 1}, physics.version)
    grown = ws.allocations.update(physics.id, {**_raw(data), "places": 4}, physics.version)
    assert grown.places == 4 and grown.recruited == 2
    with pytest.raises(StaleRecordError):
        ws.allocations.update(physics.id, {**_raw(data), "places": 9}, physics.version)
    assert ws.allocations.get(physics.id).places == 4


def test_subject_cannot_change_under_its_trainees(alliance):
    ws, *_rest, physics = alliance
    ws.trainees.create(_trainee(1))
    with pytest.raises(ValidationError, match="1 trainee belong to this allocation"):
        ws.allocations.update(physics.id, {**_raw(physics.data()), "subject": "F1"})
    assert ws.allocations.get(physics.id).subject is Subject.PHYSICS


def test_delete_refused_while_trainees_belong_then_allowed(alliance):
    ws, *_rest, physics = alliance
    trainee = ws.trainees.create(_trainee(1))
    with pytest.raises(DeleteRefusedError, match="1 trainee belongs to it"):
        ws.allocations.delete(physics.id)
    ws.trainees.delete(trainee.id)
    deleted = ws.allocations.delete(physics.id)
    assert ws.allocations.list() == [] and deleted.places == 2
    again = ws.allocations.create(deleted.data())
    assert (again.places, again.provider, again.subject) == (2, "Alliance SCITT", Subject.PHYSICS)


def test_matching_finds_the_allocations_for_a_trainee(alliance):
    ws, lead, other, _provider, physics = alliance
    second = ws.allocations.create({**_raw(physics.data()), "lead_school_id": other.id})
    assert {a.id for a in ws.allocations.matching(YEAR, "scitt", "secondary", "Physics")} == {physics.id, second.id}
    assert ws.allocations.matching(YEAR, "scitt", "secondary", "History") == []


def _raw(data):
    return {"academic_year": data.academic_year, "route": data.route.code, "phase": data.phase.code,
            "subject": data.subject.code, "lead_school_id": data.lead_school_id,
            "provider_id": data.provider_id, "places": data.places}
