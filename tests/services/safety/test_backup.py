"""Sign-in and roles, the audit trail, retention and backup/restore through the services, on
SQLite and on PostgreSQL (any_db, any_small_demo): what resources/docs/data-safety.md promises."""

import datetime as dt

import pytest

from tests.conftest import DEMO_YEAR
from tsa_desktop.domain.enums import Role
from tsa_desktop.services.safety.users import PermissionDeniedError, SignInError, SignInRequiredError
from tsa_desktop.services.opening import open_workspace

LEAD, OFFICE, MENTOR = ("Lee Lead", "lead password one"), ("Olu Office", "office password one"), \
    ("Mo Mentor", "mentor password one")


def _mentor_with_trainees(ws):
    return next(m for m in ws.mentors.list(DEMO_YEAR) if m.load.placements > 0)


@pytest.fixture
def with_sign_in(any_db):
    """The small demo with sign-in on: an ITT lead, an office user and a mentor user."""
    from tsa_desktop.services.demo.builder import DemoService

    ws = open_workspace(any_db)
    DemoService(ws.db).create("small", seed=1, year=DEMO_YEAR)
    mentor = _mentor_with_trainees(ws)
    ws.users.enable_sign_in(*LEAD)
    ws.users.create(*OFFICE, Role.OFFICE)
    ws.users.create(*MENTOR, Role.MENTOR, mentor_email=mentor.email)
    ws.close()
    return any_db, mentor


def test_a_file_with_sign_in_asks_for_it(with_sign_in):
    target, _ = with_sign_in
    with pytest.raises(SignInRequiredError):
        open_workspace(target)
    with pytest.raises(SignInError):
        open_workspace(target, user=LEAD[0], password="not the password")
    ws = open_workspace(target, user=LEAD[0].upper(), password=LEAD[1])  # names ignore case
    try:
        assert ws.permissions.role is Role.ITT_LEAD and ws.db.user == LEAD[0]
        assert [u.username for u in ws.users.list()] == [LEAD[0], MENTOR[0], OFFICE[0]]
        entries = ws.audit.recent(search="sign-in refused")
        assert entries and "Lee Lead" in entries[0].summary  # the failed attempt is in the trail
    finally:
        ws.close()


def test_office_may_import_and_back_up_but_not_edit(with_sign_in, tmp_path):
    target, _ = with_sign_in
    ws = open_workspace(target, user=OFFICE[0], password=OFFICE[1])
    try:
        perms = ws.permissions
        assert all(perms.can(a) for a in ("view_all", "import", "export", "letters", "backup", "view_history"))
        assert not any(perms.can(a) for a in ("edit", "restore", "retention", "manage_users", "view_audit"))
        school = ws.schools.list()[0]
        with pytest.raises(PermissionDeniedError, match="may not change records"):
            ws.schools.update(school.id, school.data(), expected_version=school.version)
        with pytest.raises(PermissionDeniedError):
            ws.users.list()
        assert ws.safety.backup_to(tmp_path / "office-copy.db").size > 0
        assert len(ws.trainees.list(DEMO_YEAR)) == 12  # sees everything
    finally:
        ws.close()


def test_a_mentor_sees_only_their_own_trainees_and_changes_nothing(with_sign_in):
    target, mentor = with_sign_in
    ws = open_workspace(target, user=MENTOR[0], password=MENTOR[1])
    try:
        trainees = ws.trainees.list(DEMO_YEAR)
        assert 0 < len(trainees) < 12
        assert ws.audit.count() == 0  # the audit trail and the users are hidden from a mentor
        with pytest.raises(PermissionDeniedError):
            ws.audit.recent()
        school = ws.schools.list()[0]
        with pytest.raises(PermissionDeniedError):
            ws.schools.update(school.id, school.data(), expected_version=school.version)
    finally:
        ws.close()


def test_every_change_is_in_the_audit_trail_with_who_and_what(any_small_demo):
    ws = any_small_demo
    school = ws.schools.list()[0]
    ws.schools.update(school.id, {**_school_fields(school), "name": "Renamed School"},
                      expected_version=school.version)
    history = ws.audit.history("schools", school.id)
    assert history[0].action == "update" and history[0].user == ws.db.user
    assert any(c.field == "name" and c.before == school.name and c.after == "Renamed School"
               for c in history[0].changes)
    assert ws.audit.recent(search="renamed")[0].id == history[0].id  # the search ignores case
    assert ws.audit.recent(search="RENAMED SCHOOL")[0].id == history[0].id


def test_retention_anonymises_old_trainees_and_clears_their_history(any_small_demo):
    ws = any_small_demo
    trainee = ws.trainees.list(DEMO_YEAR)[0]
    ws.trainees.update(trainee.id, {**_trainee_fields(trainee), "phone": "01234 567890"},
                       expected_version=trainee.version)
    later = dt.date(2040, 1, 1)
    due = ws.retention.preview(later)
    assert len(due.trainees) == 12 and len(due.nqts) == 6
    done = ws.retention.anonymise(later)
    assert done.count == due.count
    after = ws.trainees.get(trainee.id)
    assert (after.first_names, after.last_name, after.email, after.phone) == ("Anonymised", "trainee", "", "")
    assert after.trainee_id == f"ANON-{trainee.id}"
    assert after.phase == trainee.phase and after.subject == trainee.subject  # what is reported on stays
    old_values = [c for e in ws.audit.history("trainees", trainee.id) for c in e.changes
                  if c.field in ("phone", "first_names")]
    assert all(trainee.first_names not in str(c) and "01234 567890" not in str(c) for c in old_values)
    assert ws.audit.recent(search="anonymised")[0].action == "anonymise"
    assert ws.retention.preview(later).count == 0


def test_a_backup_made_in_the_program_restores_what_it_held(any_db, tmp_path):
    from tsa_desktop.services.demo.builder import DemoService

    ws = open_workspace(any_db)
    DemoService(ws.db).create("small", seed=1, year=DEMO_YEAR)
    school = ws.schools.list()[0]
    copy = tmp_path / "copy.db"
    assert ws.safety.backup_to(copy).path == copy
    ws.schools.update(school.id, {**_school_fields(school), "name": "Changed after the backup"},
                      expected_version=school.version)
    report = ws.safety.restore(copy)  # closes the workspace first
    assert report.counts["schools"] == 6 and report.safety_copy is not None and report.safety_copy.exists()
    ws = open_workspace(any_db)
    try:
        assert ws.schools.get(school.id).name == school.name
        assert ws.audit.recent(search="Restored from the backup")
        made = ws.schools.create({"urn": "999999", "name": "After the restore", "phase": "primary"})
        assert made.id not in {s.id for s in ws.schools.list() if s.name != "After the restore"}
    finally:
        ws.close()


def _school_fields(row):
    return {"urn": row.urn, "name": row.name, "phase": row.phase.code, "postcode": row.postcode,
            "capacity_per_block": row.capacity_per_block}


def _trainee_fields(row):
    from dataclasses import asdict

    data = asdict(row.data())
    return {k: (v.code if hasattr(v, "code") else v) for k, v in data.items()}
