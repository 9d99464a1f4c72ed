import pytest

from tsa_desktop.domain.enums import Phase
from tsa_desktop.domain.errors import ConflictError, DeleteRefusedError, StaleRecordError, ValidationError

WILDERN = {"urn": "116451", "name": "Wildern School", "phase": "secondary", "postcode": "SO30 4EZ",
           "capacity_per_block": 6}


def test_create_list_and_get(workspace):
    created = workspace.schools.create(WILDERN)
    assert created.phase is Phase.SECONDARY and created.postcode == "SO30 4EZ"
    assert [s.name for s in workspace.schools.list()] == ["Wildern School"]
    assert workspace.schools.get(created.id).capacity_per_block == 6


def test_bad_input_changes_nothing(workspace):
    with pytest.raises(ValidationError) as info:
        workspace.schools.create({**WILDERN, "urn": "11645"})
    assert info.value.problems[0].field == "urn"
    assert workspace.schools.list() == []


def test_duplicate_urn_refused(workspace):
    workspace.schools.create(WILDERN)
    with pytest.raises(ConflictError, match="116451 is already used by Wildern School"):
        workspace.schools.create({**WILDERN, "name": "Another"})
    assert len(workspace.schools.list()) == 1


def test_edit_from_an_old_version_is_refused(workspace):
    school = workspace.schools.create(WILDERN)
    workspace.schools.update(school.id, {**WILDERN, "name": "Wildern"}, expected_version=school.version)
    with pytest.raises(StaleRecordError):
        workspace.schools.update(school.id, {**WILDERN, "name": "Lost edit"}, expected_version=school.version)
    assert workspace.schools.get(school.id).name == "Wildern"


def test_only_one_lead_school(workspace):
    a = workspace.schools.create({**WILDERN, "lead_school": "yes"})
    workspace.schools.create({"urn": "100001", "name": "South Farnham School", "phase": "primary", "lead_school": "yes"})
    assert not workspace.schools.get(a.id).is_lead_school


def test_delete_refused_while_mentors_and_placements_depend(small_demo):
    school = next(s for s in small_demo.schools.list() if s.placement_count and s.mentor_count)
    with pytest.raises(DeleteRefusedError) as info:
        small_demo.schools.delete(school.id)
    assert "mentors" in str(info.value) and "placement" in str(info.value)
    assert small_demo.schools.get(school.id).name == school.name


def test_delete_of_an_unused_school(workspace):
    school = workspace.schools.create(WILDERN)
    deleted = workspace.schools.delete(school.id)
    assert deleted.urn == "116451" and workspace.schools.list() == []


def test_providers(workspace):
    p = workspace.providers.create({"name": "University of Roehampton", "kind": "University", "code": "R48"})
    with pytest.raises(ConflictError):
        workspace.providers.create({"name": "university of roehampton", "kind": "university"})
    with pytest.raises(ValidationError, match="kind"):
        workspace.providers.create({"name": "X", "kind": "college"})
    workspace.providers.delete(p.id)
    assert workspace.providers.list() == []


def test_provider_with_allocations_cannot_be_deleted(small_demo):
    used = next(p for p in small_demo.providers.list() if p.allocation_count)
    with pytest.raises(DeleteRefusedError, match="allocation"):
        small_demo.providers.delete(used.id)


def test_read_only_workspace_refuses_changes(db_path, workspace):
    from tsa_desktop.services.base import ReadOnlyError
    from tsa_desktop.services.opening import open_workspace

    ro = open_workspace(db_path, read_only=True)
    with pytest.raises(ReadOnlyError):
        ro.schools.create(WILDERN)
    ro.close()


def test_settings_validated_all_or_nothing(workspace):
    with pytest.raises(ValidationError):
        workspace.alliance.save_settings({"min_distinct_schools": 4, "refresher_years": "soon"})
    assert workspace.alliance.setting("min_distinct_schools") == 3
    workspace.alliance.save_settings({"min_distinct_schools": "4", "allow_pair_and_share": "no"})
    assert workspace.alliance.settings()["min_distinct_schools"] == 4
    assert workspace.alliance.settings()["allow_pair_and_share"] is False
