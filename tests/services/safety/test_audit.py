"""The audit trail through the services, over real databases: who changed what, when, before and
after; a record's history (also once it is deleted); the latest changes, searched."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tests.services.transfer.helpers import write
from tsa_desktop.domain.enums import Subject, TraineeStatus

YEAR = "2026/27"
SCHOOL = {"urn": "100001", "name": "Weydon School", "phase": "secondary", "town": "Farnham"}


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _changes(row) -> dict[str, tuple]:
    return {c.field: (c.before, c.after) for c in row.changes}


@pytest.fixture
def alliance(workspace):
    """A lead school and a SCITT Physics allocation, made by "setup"; then "alice" works."""
    workspace.db.user = "setup"
    lead = workspace.schools.create(SCHOOL)
    workspace.allocations.create({"academic_year": YEAR, "route": "scitt", "phase": "secondary",
                                  "subject": "F3", "lead_school_id": lead.id, "places": 3})
    workspace.db.user = "alice"
    return workspace, lead


def _trainee(n: int, **extra) -> dict:
    return {"trainee_id": f"T{n:04d}", "first_names": "Sam", "last_name": f"Example{n}", "route": "scitt",
            "phase": "secondary", "subject": "F3", "academic_year": YEAR, **extra}


# --- who, when, what -------------------------------------------------------------------------------


def test_adding_a_school_records_who_when_and_each_value(workspace):
    workspace.db.user = "alice"
    start = _utcnow() - dt.timedelta(seconds=1)
    school = workspace.schools.create(SCHOOL)
    end = _utcnow() + dt.timedelta(seconds=1)

    [entry] = workspace.audit.history("schools", school.id)
    assert (entry.user, entry.computer, entry.table, entry.record_id, entry.action) == (
        "alice", workspace.db.computer, "schools", school.id, "insert")
    assert start <= entry.at <= end
    assert entry.summary == "Added school Weydon School"
    changes = _changes(entry)
    assert changes["name"] == (None, "Weydon School") and changes["urn"] == (None, "100001")
    assert changes["town"] == (None, "Farnham") and changes["phase"] == (None, "secondary")
    assert "postcode" not in changes and "version" not in changes  # empty values and the version: no


def test_changing_a_school_records_only_the_fields_that_changed_before_and_after(workspace):
    workspace.db.user = "alice"
    school = workspace.schools.create(SCHOOL)
    workspace.db.user = "bob"
    changed = workspace.schools.update(school.id, replace(school.data(), name="Weydon Academy", town="",
                                                          capacity_per_block=6), school.version)

    newest, first = workspace.audit.history("schools", school.id)
    assert (first.user, first.action) == ("alice", "insert")
    assert (newest.user, newest.action, newest.record_id) == ("bob", "update", school.id)
    assert _changes(newest) == {"name": ("Weydon School", "Weydon Academy"), "town": ("Farnham", ""),
                                "capacity_per_block": (4, 6)}
    assert newest.summary == "Changed school Weydon Academy: Name, Town, Trainees per block"
    assert "Name: Weydon School → Weydon Academy" in newest.details
    assert "Trainees per block: 4 → 6" in newest.details
    assert changed.version == school.version + 1


def test_saving_a_record_unchanged_records_nothing(alliance):
    ws, lead = alliance
    trainee = ws.trainees.create(_trainee(1))
    mentor = ws.mentors.create({"email": "ann.lee@weydon.example", "first_name": "Ann", "last_name": "Lee",
                                "school_id": lead.id, "phase": "secondary", "subjects": "Physics"})
    count = ws.audit.count()
    school = ws.schools.get(lead.id)
    assert ws.schools.update(lead.id, school.data(), school.version).version == school.version
    assert ws.trainees.update(trainee.id, trainee.data(), trainee.version).version == trainee.version
    assert ws.mentors.update(mentor.id, mentor.data(), mentor.version).version == mentor.version
    assert ws.audit.count() == count


def test_a_deleted_school_keeps_its_history(workspace):
    workspace.db.user = "alice"
    school = workspace.schools.create(SCHOOL)
    workspace.schools.update(school.id, replace(school.data(), postcode="GU9 8UG"), school.version)
    workspace.db.user = "carol"
    workspace.schools.delete(school.id)

    deleted, updated, added = workspace.audit.history("schools", school.id)
    assert [e.action for e in (deleted, updated, added)] == ["delete", "update", "insert"]
    assert (deleted.user, deleted.summary) == ("carol", "Deleted school Weydon School")
    # what it held when it was deleted, so that it could be typed in again
    assert _changes(deleted)["name"] == ("Weydon School", None)
    assert _changes(deleted)["postcode"] == ("GU9 8UG", None)
    assert _changes(updated) == {"postcode": ("", "GU9 8UG")}


# --- a record and its parts ------------------------------------------------------------------------


def test_a_trainee_history_holds_its_fields_and_status_changes(alliance):
    ws, _lead = alliance
    trainee = ws.trainees.create(_trainee(1, email="sam@example.org"), on=dt.date(2026, 3, 2))
    ws.trainees.update(trainee.id, replace(trainee.data(), email="sam.example@example.org",
                                           phone="07700 900123"), trainee.version)
    ws.trainees.change_status(trainee.id, {"status": "enrolled", "changed_on": "2026-09-01", "note": "signed"})

    history = ws.audit.history("trainees", trainee.id)
    assert sorted((e.table, e.action) for e in history) == [
        ("trainee_status_changes", "insert"), ("trainee_status_changes", "insert"),
        ("trainees", "insert"), ("trainees", "update"), ("trainees", "update")]
    assert [(e.table, e.action) for e in history[-2:]] in (  # the first status comes with the trainee
        [("trainee_status_changes", "insert"), ("trainees", "insert")],
        [("trainees", "insert"), ("trainee_status_changes", "insert")])
    assert all(e.user == "alice" for e in history)
    status_entry = next(e for e in history[:2] if e.table == "trainee_status_changes")
    status_field = next(e for e in history[:2] if e.table == "trainees")
    edit = history[2]
    assert _changes(status_entry)["status"] == (None, TraineeStatus.ENROLLED.code)
    assert _changes(status_entry)["note"] == (None, "signed")
    assert _changes(status_field) == {"status": ("offered", "enrolled")}
    assert _changes(edit) == {"email": ("sam@example.org", "sam.example@example.org"),
                              "phone": ("", "07700 900123")}
    assert "Added trainee Sam Example1" in {e.summary for e in history[-2:]}


def test_a_deleted_trainee_keeps_its_history(alliance):
    ws, _lead = alliance
    trainee = ws.trainees.create(_trainee(1))
    ws.db.user = "dave"
    ws.trainees.delete(trainee.id)
    history = ws.audit.history("trainees", trainee.id)
    deletes = [e for e in history if e.action == "delete"]
    assert {e.table for e in deletes} == {"trainees", "trainee_status_changes"}
    assert all(e.user == "dave" for e in deletes)
    trainee_entry = next(e for e in deletes if e.table == "trainees")
    assert _changes(trainee_entry)["trainee_id"] == ("T0001", None)
    assert history[-1].action == "insert"


def test_a_mentor_history_shows_subjects_added_and_removed(alliance):
    ws, lead = alliance
    mentor = ws.mentors.create({"email": "ann.lee@weydon.example", "first_name": "Ann", "last_name": "Lee",
                                "school_id": lead.id, "phase": "secondary", "subjects": "Physics; Chemistry"})
    count = len(ws.audit.history("mentors", mentor.id))
    ws.db.user = "erin"
    ws.mentors.update(mentor.id, replace(mentor.data(), subjects=(Subject.PHYSICS, Subject.BIOLOGY),
                                         phone="01252 725052"), mentor.version)

    new = ws.audit.history("mentors", mentor.id)[:len(ws.audit.history("mentors", mentor.id)) - count]
    assert all(e.user == "erin" for e in new)
    subjects = {(e.action, _changes(e)["subject"]) for e in new if e.table == "mentor_subjects"}
    assert subjects == {("insert", (None, Subject.BIOLOGY.code)), ("delete", (Subject.CHEMISTRY.code, None))}
    mentor_changes = [_changes(e) for e in new if e.table == "mentors"]
    # the phone changed; nothing says the email changed (it did not)
    assert {"phone": ("", "01252 725052")} in mentor_changes
    assert not any("email" in c for c in mentor_changes)

    ws.mentors.delete(mentor.id)
    history = ws.audit.history("mentors", mentor.id)
    assert history[0].table in ("mentors", "mentor_subjects") and history[0].action == "delete"
    assert any(e.table == "mentors" and e.action == "delete" and _changes(e)["email"][0] == "ann.lee@weydon.example"
               for e in history)


# --- bulk work ---------------------------------------------------------------------------------------


def test_an_import_records_its_counts_and_each_record_it_changed(workspace, tmp_path):
    workspace.db.user = "frank"
    existing = workspace.schools.create(SCHOOL)
    source = write(tmp_path / "schools.csv", ["urn", "name", "phase", "town"],
                   ["100001", "Weydon School", "secondary", "Farnham Town"],
                   ["100002", "Heath End School", "secondary", "Farnham"],
                   ["100003", "Potters Gate School", "primary", "Farnham"])
    workspace.transfer.import_file("schools", source)

    entries = workspace.audit.recent(table="schools")
    assert [(e.action, e.record_id) for e in entries] == [("update", existing.id), ("import", None),
                                                          ("insert", existing.id)]
    changed, whole = entries[0], entries[1]
    assert whole.user == "frank" and whole.changes == ()  # the ids it added are not a field change
    assert whole.summary == "Imported schools from schools.csv: 2 added, 1 updated, 0 unchanged"
    assert changed.user == "frank" and changed.summary.endswith("(import)")
    assert [(c.field, c.before, c.after) for c in changed.changes] == [("town", "Farnham", "Farnham Town")]

    # Each added school's history shows the import that added it; the updated one shows both.
    added = workspace.schools.by_urn("100003")
    assert [e.summary for e in workspace.audit.history("schools", added.id)] == [whole.summary]
    assert [e.action for e in workspace.audit.history("schools", existing.id)] == ["update", "insert"]

    count = workspace.audit.count()
    workspace.transfer.import_file("schools", source)  # the same file again: nothing changes
    assert workspace.audit.count() == count


def test_a_change_that_fails_records_nothing(workspace):
    from tsa_desktop.domain.errors import ConflictError

    workspace.schools.create(SCHOOL)
    count = workspace.audit.count()
    with pytest.raises(ConflictError):
        workspace.schools.create({**SCHOOL, "name": "Same URN"})
    assert workspace.audit.count() == count


# --- the latest changes -----------------------------------------------------------------------------


def test_recent_is_newest_first_and_filters_by_table_and_words(alliance):
    ws, lead = alliance
    ws.trainees.create(_trainee(1))
    ws.db.user = "bob"
    ws.schools.create({"urn": "100002", "name": "Heath End School", "phase": "secondary"})
    ws.schools.update(lead.id, replace(ws.schools.get(lead.id).data(), postcode="GU9 8UG"))

    everything = ws.audit.recent()
    assert [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)
    assert everything[0].summary == "Changed school Weydon School: Postcode"

    schools = ws.audit.recent(table="schools")
    assert schools and {e.table for e in schools} == {"schools"}
    assert [e.summary for e in schools] == ["Changed school Weydon School: Postcode",
                                            "Added school Heath End School", "Added school Weydon School"]
    # a trainee's status changes belong to the trainees' table too
    assert {e.table for e in ws.audit.recent(table="trainees")} == {"trainees", "trainee_status_changes"}

    assert [e.summary for e in ws.audit.recent(search="heath")] == ["Added school Heath End School"]
    assert {e.user for e in ws.audit.recent(search="BOB")} == {"bob"}
    assert len(ws.audit.recent(search="bob")) == 2
    # every word must match: the user and the summary
    assert [e.summary for e in ws.audit.recent(search="bob weydon")] == ["Changed school Weydon School: Postcode"]
    assert ws.audit.recent(search="alice heath") == []
    assert ws.audit.recent(search="heath", table="trainees") == []
    assert len(ws.audit.recent(limit=2)) == 2


def test_placement_edits_show_in_the_trainee_history_by_name(workspace):
    from tests.services.rotations.support import one_maths_trainee
    from tsa_desktop.services.rotations.edits import CellEdit

    workspace.db.user = "grace"
    tiny = one_maths_trainee(workspace)
    amy, autumn = tiny.trainees["Amy Maths"], tiny.blocks[0]
    placed = workspace.rotations.save_cell(amy, autumn, CellEdit(tiny.schools["One Academy"]), None)
    workspace.rotations.save_cell(amy, autumn, CellEdit(tiny.schools["Two Academy"], tiny.mentors["Mentor Bob"]),
                                  placed.steps[0].after)

    changed, added = workspace.audit.history("trainees", amy)[:2]
    assert (added.action, added.table, added.user) == ("insert", "placements", "grace")
    assert ("school", None, "One Academy") in [(c.field, c.before, c.after) for c in added.changes]
    assert changed.action == "update" and changed.summary.startswith("Placement changed in Autumn block A: ")
    assert {(c.field, c.before, c.after) for c in changed.changes} == {
        ("school", "One Academy", "Two Academy"), ("mentor", None, "Mentor Bob")}
