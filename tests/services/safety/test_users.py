"""Sign-in and roles through the users service, over real files (and PostgreSQL when configured)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.services.transfer.helpers import snapshot, write
from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import Role
from tsa_desktop.domain.errors import ConflictError, NotFoundError, StaleRecordError, ValidationError
from tsa_desktop.services.letters.producing import LetterScope
from tsa_desktop.services.safety.users import (
    MIN_PASSWORD,
    WRITING_ACTIONS,
    PermissionDeniedError,
    Permissions,
    SignInError,
    SignInRequiredError,
)

LEAD_PASSWORD = "correct horse battery"
OFFICE_PASSWORD = "office staple paper"
MENTOR_PASSWORD = "mentor tea and biscuits"


def test_a_file_opened_read_only_offers_nothing_that_writes(tmp_path):
    from tsa_desktop.services.opening import open_workspace

    path = tmp_path / "alliance.db"
    open_workspace(path, backup_dir=tmp_path / "backups").close()
    ws = open_workspace(path, read_only=True, backup_dir=tmp_path / "backups")
    try:
        assert ws.read_only
        assert not any(ws.permissions.can(action) for action in WRITING_ACTIONS)
        assert ws.permissions.can("export") and ws.permissions.can("view_all") and ws.permissions.can("restore")
    finally:
        ws.close()


def test_read_only_keeps_the_role_and_only_takes_writing_away():
    office = Permissions.for_user(Role.OFFICE, "office", None)
    assert office.read_only().username == "office" and office.read_only().role is Role.OFFICE
    assert office.can("import") and not office.read_only().can("import")
    assert office.read_only().can("letters") and office.read_only().can("export")


# --- passwords and signing in ---------------------------------------------------------------------


def _stored_hashes(ws) -> dict[str, str]:
    users = m.User.__table__
    with ws.db.reading() as s:  # Core: the row filter does not hide users from this check
        return dict(s.connection().execute(select(users.c.username, users.c.password_hash)).all())


def _placed_mentor(ws) -> tuple[str, set[int], set[int]]:
    """A mentor with a placement: their email, and the ids of their own trainees and NQTs."""
    with ws.db.reading() as s:
        mentor_id = s.scalar(select(m.Placement.mentor_id).where(m.Placement.mentor_id.is_not(None))
                             .order_by(m.Placement.id))
        email = s.get(m.Mentor, mentor_id).email
        trainees = set(s.scalars(select(m.Placement.trainee_id).where(m.Placement.mentor_id == mentor_id)))
        nqts = set(s.scalars(select(m.Nqt.id).where(m.Nqt.induction_tutor_id == mentor_id)))
    return email, trainees, nqts


def test_the_stored_password_is_an_argon2_hash_never_the_password(workspace):
    workspace.users.enable_sign_in("lead", LEAD_PASSWORD)
    workspace.users.create("office", OFFICE_PASSWORD, "office")
    stored = _stored_hashes(workspace)
    assert set(stored) == {"lead", "office"}
    assert all(h.startswith("$argon2id$") for h in stored.values())
    assert LEAD_PASSWORD not in stored["lead"] and OFFICE_PASSWORD not in stored["office"]
    assert stored["lead"] != stored["office"]
    # the audit trail never holds a hash either
    entries = workspace.audit.recent(table="users")
    assert entries and not any("$argon2" in e.summary or "$argon2" in e.details for e in entries)


def test_the_same_password_gives_a_different_hash_each_time(workspace):
    workspace.users.enable_sign_in("lead", LEAD_PASSWORD)
    first = _stored_hashes(workspace)["lead"]
    lead = next(u for u in workspace.users.list() if u.username == "lead")
    workspace.users.set_password(lead.id, LEAD_PASSWORD)
    second = _stored_hashes(workspace)["lead"]
    assert second.startswith("$argon2") and second != first  # salted
    assert workspace.users.sign_in("lead", LEAD_PASSWORD).username == "lead"


def test_a_wrong_password_and_an_unknown_name_fail_alike_and_change_nothing(workspace):
    workspace.users.enable_sign_in("lead", LEAD_PASSWORD)
    workspace.users.create("office", OFFICE_PASSWORD, "office")
    hashes, before = _stored_hashes(workspace), workspace.permissions
    with pytest.raises(SignInError) as wrong:
        workspace.users.sign_in("office", "not the password")
    with pytest.raises(SignInError) as unknown:
        workspace.users.sign_in("nobody", "not the password")
    assert str(wrong.value) == str(unknown.value)
    assert "office" not in str(wrong.value) and "nobody" not in str(unknown.value)
    assert workspace.permissions == before and workspace.permissions.username == "lead"
    assert workspace.db.user == "lead"
    assert _stored_hashes(workspace) == hashes


def test_sign_in_ignores_the_case_and_spaces_of_the_name(workspace):
    workspace.users.enable_sign_in("Jo Bloggs", LEAD_PASSWORD)
    workspace.users.sign_out()
    assert workspace.users.sign_in("  jo bloggs ", LEAD_PASSWORD).username == "Jo Bloggs"


def test_a_turned_off_user_cannot_sign_in(workspace):
    workspace.users.enable_sign_in("lead", LEAD_PASSWORD)
    office = workspace.users.create("office", OFFICE_PASSWORD, "office")
    workspace.users.update(office.id, active=False)
    with pytest.raises(SignInError, match="turned off"):
        workspace.users.sign_in("office", OFFICE_PASSWORD)
    assert workspace.permissions.username == "lead" and workspace.db.user == "lead"
    workspace.users.update(office.id, active=True)
    assert workspace.users.sign_in("office", OFFICE_PASSWORD).role is Role.OFFICE


def test_signing_out_shows_and_allows_nothing_until_the_next_sign_in(small_demo):
    small_demo.users.enable_sign_in("lead", LEAD_PASSWORD)
    small_demo.users.sign_out()
    assert small_demo.permissions.signed_in_required
    assert small_demo.trainees.list() == [] and small_demo.induction.nqts() == []
    school = small_demo.schools.list()[0]
    with pytest.raises(PermissionDeniedError, match="Sign in first"):
        small_demo.schools.update(school.id, {**school.data().__dict__, "name": "Renamed"}, school.version)
    small_demo.users.sign_in("lead", LEAD_PASSWORD)
    assert len(small_demo.trainees.list()) == 12


def test_a_password_shorter_than_the_minimum_is_refused_naming_the_field(workspace):
    short = "x" * (MIN_PASSWORD - 1)
    with pytest.raises(ValidationError) as info:
        workspace.users.enable_sign_in("lead", short)
    assert [p.field for p in info.value.problems] == ["password"]
    assert str(MIN_PASSWORD) in str(info.value)
    assert not workspace.users.sign_in_enabled()

    workspace.users.enable_sign_in("lead", LEAD_PASSWORD)
    lead = workspace.users.list()[0]
    for attempt in (lambda: workspace.users.create("office", short, "office"),
                    lambda: workspace.users.set_password(lead.id, short),
                    lambda: workspace.users.change_password(LEAD_PASSWORD, short)):
        with pytest.raises(ValidationError) as info:
            attempt()
        assert [p.field for p in info.value.problems] == ["password"]
    assert [u.username for u in workspace.users.list()] == ["lead"]
    assert workspace.users.sign_in("lead", LEAD_PASSWORD).username == "lead"


def test_changing_your_own_password_needs_the_old_one(workspace):
    workspace.users.enable_sign_in("lead", LEAD_PASSWORD)
    before = _stored_hashes(workspace)
    with pytest.raises(SignInError):
        workspace.users.change_password("not the password", "a brand new password")
    assert _stored_hashes(workspace) == before
    workspace.users.change_password(LEAD_PASSWORD, "a brand new password")
    with pytest.raises(SignInError):
        workspace.users.sign_in("lead", LEAD_PASSWORD)
    assert workspace.users.sign_in("lead", "a brand new password").username == "lead"


# --- roles --------------------------------------------------------------------------------------------


def test_office_may_import_export_and_produce_letters_but_not_edit(small_demo, tmp_path):
    small_demo.users.enable_sign_in("lead", LEAD_PASSWORD)
    small_demo.users.create("office", OFFICE_PASSWORD, Role.OFFICE)
    small_demo.users.sign_in("office", OFFICE_PASSWORD)
    school = small_demo.schools.list()[0]
    before = snapshot(small_demo)

    with pytest.raises(PermissionDeniedError, match="office signed in as Office may not change records"):
        small_demo.schools.update(school.id, {**school.data().__dict__, "name": "Renamed"}, school.version)
    with pytest.raises(PermissionDeniedError):
        small_demo.schools.delete(school.id)
    with pytest.raises(PermissionDeniedError):
        small_demo.users.create("another", OFFICE_PASSWORD, "office")
    with pytest.raises(PermissionDeniedError):
        small_demo.retention.anonymise()
    assert snapshot(small_demo) == before

    assert small_demo.transfer.export_file("schools", tmp_path / "schools.csv").rows == len(small_demo.schools.list())
    source = write(tmp_path / "new.csv", ["urn", "name", "phase"], ["654321", "Imported By The Office", "primary"])
    assert small_demo.transfer.import_file("schools", source).added == 1
    assert small_demo.schools.by_urn("654321").name == "Imported By The Office"
    batch = small_demo.letters.prepare(LetterScope(year="2026/27"))
    result = small_demo.letters.produce(batch, tmp_path / "letters.pdf", per_letter=False)
    assert result.recorded and (tmp_path / "letters.pdf").stat().st_size > 0
    assert isinstance(small_demo.audit.history("schools", school.id), list)  # a record's history: yes
    with pytest.raises(PermissionDeniedError):
        small_demo.audit.recent()  # the whole trail: the ITT lead's


def test_a_mentor_sees_only_their_own_trainees_and_nqts_and_changes_nothing(small_demo):
    email, own_trainees, own_nqts = _placed_mentor(small_demo)
    assert own_trainees and own_nqts  # the demo gives this mentor both
    all_trainees, all_nqts = small_demo.trainees.list(), small_demo.induction.nqts()
    assert len(all_trainees) > len(own_trainees) and len(all_nqts) > len(own_nqts)
    small_demo.users.enable_sign_in("lead", LEAD_PASSWORD)
    small_demo.users.create("mentor", MENTOR_PASSWORD, Role.MENTOR, mentor_email=email)
    small_demo.users.sign_in("mentor", MENTOR_PASSWORD)
    before = snapshot(small_demo)

    assert {t.id for t in small_demo.trainees.list()} == own_trainees
    assert {n.id for n in small_demo.induction.nqts()} == own_nqts
    other_trainee = next(t for t in all_trainees if t.id not in own_trainees)
    other_nqt = next(n for n in all_nqts if n.id not in own_nqts)
    assert small_demo.trainees.list("2026/27") and other_trainee.id not in {
        t.id for t in small_demo.trainees.list("2026/27")}
    with pytest.raises(NotFoundError):  # not theirs to see
        small_demo.trainees.get(other_trainee.id)
    with pytest.raises(NotFoundError):
        small_demo.induction.get(other_nqt.id)
    # other mentors are listed (to find a colleague), but not with anybody else's trainees
    mine = small_demo.mentor_view.view(email, "2026/27")
    assert {p.trainee_id for p in mine.placements} == own_trainees
    for row in small_demo.mentors.list("2026/27"):
        if row.email != email:
            assert small_demo.mentor_view.view(row.id, "2026/27").placements == ()
    with pytest.raises(PermissionDeniedError):
        small_demo.audit.recent()
    with pytest.raises(PermissionDeniedError):
        small_demo.users.list()

    own = small_demo.trainees.get(next(iter(own_trainees)))
    with pytest.raises(PermissionDeniedError, match="may not change records"):
        small_demo.trainees.update(own.id, {**own.data().__dict__, "last_name": "Changed"}, own.version)
    with pytest.raises(PermissionDeniedError):
        small_demo.transfer.export_file("trainees", "unused.csv")
    assert snapshot(small_demo) == before


def test_a_mentor_user_must_name_a_mentor_of_the_file(small_demo):
    small_demo.users.enable_sign_in("lead", LEAD_PASSWORD)
    with pytest.raises(ValidationError) as info:
        small_demo.users.create("mentor", MENTOR_PASSWORD, Role.MENTOR)
    assert [p.field for p in info.value.problems] == ["mentor_email"]
    with pytest.raises(ValidationError) as info:
        small_demo.users.create("mentor", MENTOR_PASSWORD, Role.MENTOR, mentor_email="nobody@example.org")
    assert [p.field for p in info.value.problems] == ["mentor_email"]
    assert [u.username for u in small_demo.users.list()] == ["lead"]


def test_the_first_user_must_be_an_itt_lead(workspace):
    with pytest.raises(ValidationError) as info:
        workspace.users.create("office", OFFICE_PASSWORD, Role.OFFICE)
    assert [p.field for p in info.value.problems] == ["role"]
    assert not workspace.users.sign_in_enabled()


def test_the_last_itt_lead_cannot_be_deleted_demoted_or_turned_off(workspace):
    workspace.users.enable_sign_in("lead", LEAD_PASSWORD)
    office = workspace.users.create("office", OFFICE_PASSWORD, Role.OFFICE)
    lead = next(u for u in workspace.users.list() if u.username == "lead")
    for attempt in (lambda: workspace.users.delete(lead.id),
                    lambda: workspace.users.update(lead.id, role=Role.OFFICE),
                    lambda: workspace.users.update(lead.id, active=False)):
        with pytest.raises(ConflictError, match="no ITT lead"):
            attempt()
    assert {(u.username, u.role, u.active) for u in workspace.users.list()} == {
        ("lead", Role.ITT_LEAD, True), ("office", Role.OFFICE, True)}

    # with a second lead, the first may go
    workspace.users.update(office.id, role=Role.ITT_LEAD)
    workspace.users.update(lead.id, role=Role.OFFICE)
    assert {(u.username, u.role) for u in workspace.users.list()} == {
        ("lead", Role.OFFICE), ("office", Role.ITT_LEAD)}


def test_a_user_changed_from_an_old_version_is_refused(workspace):
    workspace.users.enable_sign_in("lead", LEAD_PASSWORD)
    office = workspace.users.create("office", OFFICE_PASSWORD, Role.OFFICE)
    workspace.users.update(office.id, active=False, expected_version=office.version)
    with pytest.raises(StaleRecordError):
        workspace.users.update(office.id, active=True, expected_version=office.version)


# --- opening a file with sign-in ------------------------------------------------------------------


def _file_with_users(tmp_path):
    from tsa_desktop.services.opening import open_workspace

    path = tmp_path / "signed.db"
    ws = open_workspace(path, backup_dir=tmp_path / "backups")
    ws.users.enable_sign_in("lead", LEAD_PASSWORD)
    ws.users.create("office", OFFICE_PASSWORD, Role.OFFICE)
    ws.close()
    return path


def test_opening_a_file_with_sign_in_needs_a_name_and_password(tmp_path, monkeypatch):
    from tsa_desktop.services.opening import open_workspace

    monkeypatch.delenv("TSA_DESKTOP_USER", raising=False)
    monkeypatch.delenv("TSA_DESKTOP_PASSWORD", raising=False)
    path = _file_with_users(tmp_path)
    with pytest.raises(SignInRequiredError, match="TSA_DESKTOP_USER"):
        open_workspace(path, backup_dir=tmp_path / "backups")
    with pytest.raises(SignInError):
        open_workspace(path, backup_dir=tmp_path / "backups", user="office", password="wrong password")
    # a refused opening left no lock behind: the next one opens the file for editing
    ws = open_workspace(path, backup_dir=tmp_path / "backups", user="office", password=OFFICE_PASSWORD)
    try:
        assert ws.permissions.role is Role.OFFICE and ws.db.user == "office" and ws.lock is not None
    finally:
        ws.close()
    ws = open_workspace(path, backup_dir=tmp_path / "backups", require_sign_in=False)
    try:
        assert ws.permissions.signed_in_required and not ws.permissions.can("export")
    finally:
        ws.close()


def test_scripts_sign_in_with_the_environment(tmp_path, monkeypatch):
    from tsa_desktop.services.opening import open_workspace

    path = _file_with_users(tmp_path)
    monkeypatch.setenv("TSA_DESKTOP_USER", "lead")
    monkeypatch.setenv("TSA_DESKTOP_PASSWORD", LEAD_PASSWORD)
    ws = open_workspace(path, backup_dir=tmp_path / "backups")
    try:
        assert ws.permissions.role is Role.ITT_LEAD and ws.permissions.username == "lead"
        assert ws.db.user == "lead"
        ws.schools.create({"urn": "100001", "name": "Weydon School", "phase": "secondary"})
        assert ws.audit.recent(table="schools")[0].user == "lead"
    finally:
        ws.close()
    monkeypatch.setenv("TSA_DESKTOP_PASSWORD", "wrong password")
    with pytest.raises(SignInError):
        open_workspace(path, backup_dir=tmp_path / "backups")


def test_sign_in_counts_users_past_the_row_filter(small_demo):
    email, _trainees, _nqts = _placed_mentor(small_demo)
    small_demo.users.enable_sign_in("lead", LEAD_PASSWORD)
    small_demo.users.create("mentor", MENTOR_PASSWORD, Role.MENTOR, mentor_email=email)
    small_demo.users.sign_in("mentor", MENTOR_PASSWORD)
    assert small_demo.users.sign_in_enabled()  # the mentor cannot read the users table, yet
    with small_demo.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(m.User)) == 0  # hidden from a mentor
    small_demo.users.sign_out()
    assert small_demo.permissions.signed_in_required
    assert small_demo.users.sign_in("lead", LEAD_PASSWORD).role is Role.ITT_LEAD


def test_a_new_file_records_and_filters_even_if_sqlalchemy_mistakes_its_factory(tmp_path, monkeypatch):
    """SQLAlchemy's event registry knows a session factory by its id(): one made where a dead one
    was is taken to have its listeners already. The audit trail and a mentor's row filter must be
    installed all the same (otherwise changes go unrecorded and a mentor sees every trainee)."""
    from sqlalchemy import event

    from tsa_desktop.services.demo.builder import DemoService
    from tsa_desktop.services.opening import open_workspace

    monkeypatch.setattr(event, "contains", lambda *_args, **_kw: True)  # "already listening"
    ws = open_workspace(tmp_path / "alliance.db", backup_dir=tmp_path / "backups")
    try:
        DemoService(ws.db).create("small", seed=1, year="2026/27")
        count = ws.audit.count()
        ws.schools.create({"urn": "999999", "name": "Zebra Academy", "phase": "primary"})
        assert ws.audit.count() == count + 1
        email, own_trainees, _own_nqts = _placed_mentor(ws)
        ws.users.enable_sign_in("lead", LEAD_PASSWORD)
        ws.users.create("mentor", MENTOR_PASSWORD, Role.MENTOR, mentor_email=email)
        ws.users.sign_in("mentor", MENTOR_PASSWORD)
        assert {t.id for t in ws.trainees.list()} == own_trainees
    finally:
        ws.close()
