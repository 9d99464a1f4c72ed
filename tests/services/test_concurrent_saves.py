"""Two people saving the same record at once: the second save is refused, nothing is lost silently.

Each person has their own workspace (their own engine and connections) on the same database, on
SQLite and on PostgreSQL (any_db). On a SQLite file the editing lock normally keeps a second
program out; two windows of one program share it, and the version column is what protects a
record then. On a server many people edit at once and the version column is the protection.
"""

import threading
from dataclasses import replace

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tsa_desktop.domain.errors import ConflictError, StaleRecordError
from tsa_desktop.services.opening import open_workspace

WILDERN = {"urn": "116451", "name": "Wildern School", "phase": "secondary", "postcode": "SO30 4EZ",
           "capacity_per_block": 6}


@pytest.fixture
def two_people(any_db):
    """The ITT lead and the office, each with the database open, and one school in it."""
    lead = open_workspace(any_db)
    office = open_workspace(any_db)
    lead.schools.create(WILDERN)
    yield lead, office
    office.close()
    lead.close()


def _school(ws):
    return next(s for s in ws.schools.list() if s.urn == WILDERN["urn"])


def test_the_second_of_two_editors_is_refused_and_the_first_save_is_kept(two_people):
    lead, office = two_people
    seen_by_lead, seen_by_office = _school(lead), _school(office)  # both open the same version
    assert seen_by_lead.version == seen_by_office.version

    saved = lead.schools.update(seen_by_lead.id, {**WILDERN, "name": "Wildern School (lead's edit)"},
                                expected_version=seen_by_lead.version)
    assert saved.version == seen_by_lead.version + 1
    with pytest.raises(StaleRecordError, match=r"Wildern School \(lead.s edit\) was changed by somebody else") as refused:
        office.schools.update(seen_by_office.id, {**WILDERN, "capacity_per_block": 2},
                              expected_version=seen_by_office.version)
    assert "not saved" in str(refused.value) and "reload" in str(refused.value)

    for ws in (lead, office):  # both see the first save, untouched by the refused one
        now = _school(ws)
        assert (now.name, now.capacity_per_block, now.version) == ("Wildern School (lead's edit)", 6, saved.version)
    changes = [e for e in lead.audit.recent() if e.table == "schools" and e.action == "update"]
    assert len(changes) == 1  # the refused save left no trace but the refusal


def test_the_second_editor_of_a_trainee_is_refused_too(any_db):
    from tests.conftest import DEMO_YEAR
    from tsa_desktop.services.demo.builder import DemoService

    lead = open_workspace(any_db)
    office = open_workspace(any_db)
    try:
        DemoService(lead.db).create("small", seed=1, year=DEMO_YEAR)
        trainee = lead.trainees.list(DEMO_YEAR)[0]
        name = f"{trainee.data().first_names} {trainee.data().last_name}"
        lead.trainees.update(trainee.id, replace(trainee.data(), phone="01234 567890"),
                             expected_version=trainee.version)
        with pytest.raises(StaleRecordError, match=f"{name} was changed by somebody else"):
            office.trainees.update(trainee.id, replace(trainee.data(), phone="09876 543210"),
                                   expected_version=trainee.version)
        assert office.trainees.get(trainee.id).phone == "01234 567890"
        assert office.trainees.get(trainee.id).version == trainee.version + 1
    finally:
        office.close()
        lead.close()


def _pause_before_commit(ws):
    """Hold ``ws``'s next change after it has written its rows but before it commits."""
    from sqlalchemy import event

    written, release = threading.Event(), threading.Event()
    factory = ws.db.session_factories[1]

    def hold(_session):
        if written.is_set():  # only the next change is held
            return
        written.set()
        assert release.wait(30), "the test never let the first save commit"

    event.listen(factory, "before_commit", hold)
    return written, release


def _run(target):
    outcome = {}

    def work():
        try:
            outcome["result"] = target()
        except Exception as exc:  # noqa: BLE001 - the test asserts on it
            outcome["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread, outcome


class _AtTheLock:
    """Events of ``ws``'s next change at the lock the first change holds.

    The lock is SQLite's write lock, taken by the BEGIN IMMEDIATE that starts every change, or on
    PostgreSQL the row lock the UPDATE of the school waits for.

    Attributes:
        reached: The change is about to ask for the lock.
        passed: The change got the lock (its statement returned).
        passed_after_release: Whether ``release`` was set when it got it.
    """

    def __init__(self, ws, release: threading.Event) -> None:
        from sqlalchemy import event

        self.reached, self.passed = threading.Event(), threading.Event()
        self.passed_after_release: bool | None = None
        lock_statement = "BEGIN IMMEDIATE" if ws.db.dialect == "sqlite" else "UPDATE schools"

        def before(_conn, _cursor, statement, *_args):
            if statement.startswith(lock_statement) and not self.reached.is_set():
                self.reached.set()

        def after(_conn, _cursor, statement, *_args):
            if statement.startswith(lock_statement) and not self.passed.is_set():
                self.passed_after_release = release.is_set()
                self.passed.set()

        event.listen(ws.db.engine, "before_cursor_execute", before)
        event.listen(ws.db.engine, "after_cursor_execute", after)


def _wait_until_blocked(ws, thread, at_lock: _AtTheLock):
    """Until the second save waits at the lock the first save holds: it has asked for it (an
    event, on both databases) and, on PostgreSQL, the server lists it as waiting for a lock
    (SQLite waits inside the driver, where nothing can be seen)."""
    assert at_lock.reached.wait(10), "the second save never asked for the lock"
    assert not at_lock.passed.is_set(), "the second save got the lock while the first held it"
    if ws.db.dialect != "postgresql":
        return
    for _ in range(500):
        with ws.db.engine.connect() as conn:
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()")).scalar()
        if waiting:
            return
        thread.join(0.02)  # returns at once if the save finished: the assert below says so
        assert thread.is_alive(), "the second save finished without waiting for the first"
    raise AssertionError("the second save never waited for the first")


def test_two_saves_at_the_same_moment_the_second_is_refused(two_people):
    """Both read version N inside their transactions; the first writes and is held before its
    commit; the second must wait, then be refused (on PostgreSQL by the version column in the
    UPDATE's WHERE, on SQLite by the version check after the write lock)."""
    lead, office = two_people
    school = _school(lead)
    written, release = _pause_before_commit(lead)
    first, first_outcome = _run(lambda: lead.schools.update(
        school.id, {**WILDERN, "name": "Wildern (first)"}, expected_version=school.version))
    assert written.wait(10), first_outcome
    at_lock = _AtTheLock(office, release)
    second, second_outcome = _run(lambda: office.schools.update(
        school.id, {**WILDERN, "name": "Wildern (second)"}, expected_version=school.version))
    _wait_until_blocked(lead, second, at_lock)
    assert second.is_alive() and not second_outcome  # it waits for the first save
    release.set()
    first.join(30)
    second.join(30)
    assert at_lock.passed_after_release is True  # it got the lock only once the first let go

    assert first_outcome.get("result") is not None, first_outcome
    error = second_outcome.get("error")
    assert isinstance(error, StaleRecordError), second_outcome
    assert "Wildern" in str(error) and "changed by somebody else" in str(error) and "not saved" in str(error)
    for ws in (lead, office):
        now = _school(ws)
        assert (now.name, now.version) == ("Wildern (first)", school.version + 1)


def test_an_editor_that_does_not_pass_a_version_is_still_not_lost_on_a_server(two_people):
    """Without expected_version a service still refuses an UPDATE whose row moved on meanwhile:
    the ORM's version column guards every save (on SQLite the writers are serialised instead,
    so the second simply saves after the first)."""
    lead, office = two_people
    school = _school(lead)
    written, release = _pause_before_commit(lead)
    first, first_outcome = _run(lambda: lead.schools.update(school.id, {**WILDERN, "name": "Wildern (first)"}))
    assert written.wait(10), first_outcome
    at_lock = _AtTheLock(office, release)
    second, second_outcome = _run(lambda: office.schools.update(school.id, {**WILDERN, "name": "Wildern (second)"}))
    _wait_until_blocked(lead, second, at_lock)
    release.set()
    first.join(30)
    second.join(30)
    assert at_lock.passed_after_release is True
    assert "result" in first_outcome, first_outcome
    if lead.db.dialect == "postgresql":
        assert isinstance(second_outcome.get("error"), StaleRecordError), second_outcome
        # named as the second person knew it, not by the name they were about to give it
        assert "Wildern School was changed by somebody else" in str(second_outcome["error"])
        expected = ("Wildern (first)", school.version + 1)
    else:
        assert "result" in second_outcome, second_outcome
        expected = ("Wildern (second)", school.version + 2)
    now = _school(office)
    assert (now.name, now.version) == expected


def test_a_change_that_waits_too_long_for_another_is_refused_with_a_message(postgres_url):
    """PostgreSQL refuses a change that waits longer than lock_timeout (or is caught in a
    deadlock): the person is told, and nothing is half-saved."""
    lead = open_workspace(postgres_url)
    url = make_url(postgres_url)
    impatient_url = url.update_query_dict({"options": f"-clock_timeout=300 {url.query['options']}"}).render_as_string(
        hide_password=False)
    office = open_workspace(impatient_url)
    try:
        lead.schools.create(WILDERN)
        school = _school(lead)
        with office.db.engine.connect() as conn:
            assert conn.execute(text("SHOW lock_timeout")).scalar() == "300ms"
        written, release = _pause_before_commit(lead)
        first, first_outcome = _run(lambda: lead.schools.update(school.id, {**WILDERN, "name": "Wildern (first)"}))
        assert written.wait(10)
        try:
            with pytest.raises(ConflictError, match="at the same moment") as refused:
                office.schools.update(school.id, {**WILDERN, "name": "Wildern (second)"},
                                      expected_version=school.version)
            assert not isinstance(refused.value, StaleRecordError)
        finally:
            release.set()
            first.join(30)
        assert "result" in first_outcome
        assert _school(office).name == "Wildern (first)"
    finally:
        office.close()
        lead.close()
