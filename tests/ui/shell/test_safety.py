"""The data-safety parts of the main window, over real files: somebody else's lock, back up,
restore, a damaged file, anonymising old records, and actions that follow the user's role."""

from __future__ import annotations

import json
import sqlite3
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QSettings

from tests.ui.conftest import sign_in_as
from tests.ui.interaction import ScriptedInteraction
from tsa_desktop.domain.enums import Role
from tsa_desktop.services.base import ReadOnlyError
from tsa_desktop.services.demo.builder import DemoService
from tsa_desktop.services.opening import open_workspace
from tsa_desktop.ui.shell.safety import READ_ONLY, TAKE_OVER, lock_choices
from tsa_desktop.ui.shell.main_window import MainWindow

SCHOOL = {"urn": "222222", "name": "Added After The Backup", "phase": "primary"}


def _window(qtbot, workspace, messages, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(workspace, messages, settings, ScriptedInteraction())
    qtbot.addWidget(window)
    window.show()
    return window


def _lock_by(path, user="bob", computer="OFFICE-PC-7"):
    """Somebody on another computer has ``path`` open for editing (as db/lock.py writes it)."""
    data = {"user": user, "computer": computer, "pid": 4242, "since": "2026-11-23T10:30:00", "token": "b" * 32}
    path.with_name(path.name + ".lock").write_text(json.dumps(data))


def _count(path, table):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _damage(path):
    """Overwrite one index page (of the audit trail's) with garbage: the quick check fails, and
    the schools can still be read."""
    with path.open("r+b") as fh:
        fh.seek(8 * 4096)
        fh.write(b"\xff" * 4096)


def _wait_for(qtbot, messages, kind, count=1, timeout=20_000):
    qtbot.waitUntil(lambda: sum(1 for k, _ in messages.shown if k == kind) >= count, timeout=timeout)
    return [text for k, text in messages.shown if k == kind][count - 1]


# --- somebody else has the file -------------------------------------------------------------------


def test_a_file_locked_by_someone_else_asks_and_opens_read_only(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    other = tmp_path / "other.db"
    made = open_workspace(other)
    DemoService(made.db).create("small", seed=2, year="2026/27")
    made.close()
    _lock_by(other)
    asked = []
    window.interaction.answers["choose"] = lambda _title, text, choices: asked.append((text, choices)) or READ_ONLY

    assert window.open_path(str(other))
    assert "bob on OFFICE-PC-7 has this file open for editing, since 23/11/2026 at 10:30" in asked[0][0]
    assert [key for key, _label in asked[0][1]] == [READ_ONLY]  # a colleague's lock cannot be taken over
    ws = window.workspace
    assert ws.read_only and ws.db.path == other
    assert window.file_label.text().startswith("Read-only: ")
    assert "(read-only)" in window.windowTitle()
    assert messages.shown[-1][0] == "info" and "Opened read-only: bob on OFFICE-PC-7" in messages.shown[-1][1]
    with pytest.raises(ReadOnlyError):
        ws.schools.create(SCHOOL)
    assert not window.safety.anonymise_action.isEnabled()
    assert not window.safety.restore_action.isEnabled()
    assert window.safety.backup_action.isEnabled()  # a copy can still be made
    assert json.loads(other.with_name("other.db.lock").read_text())["user"] == "bob"  # bob's lock untouched


def test_cancelling_the_lock_question_keeps_the_open_file(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    other = tmp_path / "other.db"
    open_workspace(other).close()
    _lock_by(other)
    window.interaction.answers["choose"] = None

    assert not window.open_path(str(other))
    assert window.workspace is small_demo and not small_demo.read_only
    assert len(window.workspace.schools.list()) == 6
    assert str(small_demo.db.path) in window.file_label.text()
    assert messages.shown == []


def test_taking_over_is_offered_only_for_your_own_lock(tmp_path):
    def error(user):
        return SimpleNamespace(path=tmp_path / "a.db", holder=SimpleNamespace(user=user, computer="PC-2"))

    assert [a for _, a in lock_choices(error("bob"), me="alice")] == [READ_ONLY, None]
    assert [a for _, a in lock_choices(error("Alice"), me="alice")] == [READ_ONLY, TAKE_OVER, None]
    assert [a for _, a in lock_choices(SimpleNamespace(holder=None), me="alice")] == [READ_ONLY, None]


def test_taking_over_your_own_lock_opens_the_file_for_editing(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    other = tmp_path / "other.db"
    open_workspace(other).close()
    _lock_by(other, user="me-elsewhere")
    window.interaction.answers["choose"] = TAKE_OVER

    assert window.open_path(str(other))
    assert not window.workspace.read_only
    assert "(read-only)" not in window.windowTitle()
    window.workspace.schools.create(SCHOOL)


# --- back up and restore ----------------------------------------------------------------------------


def test_back_up_now_writes_a_consistent_copy(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    target = tmp_path / "copies" / "alliance-copy.db"
    target.parent.mkdir()
    suggested = []
    window.interaction.answers["save_file"] = lambda _title, s: suggested.append(s) or str(target)

    window.safety.backup_action.trigger()
    text = _wait_for(qtbot, messages, "info")
    assert str(target) in text
    assert "alliance-backup-" in suggested[0]
    copy = open_workspace(target, read_only=True)
    try:
        assert len(copy.schools.list()) == 6
    finally:
        copy.close()
    assert _count(target, "trainees") == _count(small_demo.db.path, "trainees") > 0
    assert not target.with_name(target.name + "-wal").exists()  # one self-contained file

    window.interaction.answers["save_file"] = lambda _title, s: suggested.append(s) or ""
    window.safety.backup_action.trigger()
    assert str(target.parent) in suggested[-1]  # the folder used last time is offered again


def test_restore_from_a_good_backup_brings_back_its_data(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    backup = tmp_path / "before-changes.db"
    small_demo.safety.backup_to(backup)
    window.workspace.schools.create(SCHOOL)
    assert len(window.workspace.schools.list()) == 7
    window.interaction.answers["open_file"] = lambda _title, folder: str(backup)

    with qtbot.waitSignal(window.workspace_changed, timeout=20_000):
        window.safety.restore_action.trigger()
    confirm = next(text for kind, text in messages.shown if kind == "confirm")
    assert "6 schools" in confirm and "kept first" in confirm
    done = _wait_for(qtbot, messages, "info")
    assert "restored from before-changes.db" in done and "before-restore" in done

    ws = window.workspace
    assert ws is not small_demo and ws.db.path == small_demo.db.path and not ws.read_only
    assert [s.name for s in ws.schools.list() if s.urn == SCHOOL["urn"]] == []
    assert len(ws.schools.list()) == 6
    kept = [b for b in ws.safety.backups() if b.label == "before-restore"]
    assert len(kept) == 1 and _count(kept[0].path, "schools") == 7  # what was replaced was kept
    assert window.page("schools").schools.model.rowCount() == 6


def test_a_corrupt_backup_is_refused_and_the_file_is_unchanged(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    window.workspace.schools.create(SCHOOL)
    bogus = tmp_path / "not-a-backup.db"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100 + b"garbage" * 500)
    window.interaction.answers["open_file"] = lambda _title, folder: str(bogus)

    window.safety.restore_action.trigger()
    text = _wait_for(qtbot, messages, "error")
    assert "cannot be restored" in text or "not a tsa-desktop backup" in text
    assert "Nothing was changed" in text
    assert not any(kind == "confirm" for kind, _ in messages.shown)
    assert window.workspace is small_demo
    assert len(small_demo.schools.list()) == 7
    assert not [b for b in small_demo.safety.backups() if b.label == "before-restore"]

    plain = tmp_path / "plain.txt"
    plain.write_text("hello")
    window.interaction.answers["open_file"] = lambda _title, folder: str(plain)
    window.safety.restore_action.trigger()
    assert "not a tsa-desktop backup" in _wait_for(qtbot, messages, "error", count=2)
    assert window.workspace is small_demo and len(small_demo.schools.list()) == 7


def test_a_damaged_file_opens_read_only_and_its_latest_good_backup_is_restored(qtbot, small_demo, messages,
                                                                              tmp_path):
    path = small_demo.db.path
    for made_before_the_demo in small_demo.safety.backups():  # today's, of the empty file
        made_before_the_demo.path.unlink()
    good = small_demo.safety.backup_folder / "alliance-daily-20261101-100000.db"
    good.parent.mkdir(parents=True, exist_ok=True)
    small_demo.safety.backup_to(good)
    small_demo.schools.create(SCHOOL)  # after the backup: lost with the damage
    small_demo.close()
    _damage(path)
    window = _window(qtbot, None, messages, tmp_path)
    messages.answer = False  # first, decline the offer

    assert window.open_path(str(path))
    offer = _wait_for(qtbot, messages, "confirm")
    assert "is damaged" in offer and "opened read-only" in offer and str(good) in offer
    ws = window.workspace
    assert ws.read_only and ws.damage is not None
    assert "(damaged, read-only)" in window.windowTitle()
    assert window.file_label.text().startswith("Read-only (damaged): ")
    assert window.safety.restore_action.isVisible() and window.safety.restore_action.isEnabled()
    # A change refused on the damaged file says why it is read-only, not only that it is.
    assert window.ctx.call(ws.schools.create, SCHOOL) is None
    refused = messages.shown[-1][1]
    assert "damaged" in refused and "not saved" in refused
    # The read-only window paints (grab renders it now); the picture stays in the test's folder.
    shot = tmp_path / "safety_window.png"
    assert window.grab().save(str(shot)) and shot.stat().st_size > 0

    messages.answer = True
    with qtbot.waitSignal(window.workspace_changed, timeout=20_000):
        assert window.open_path(str(path))
        _wait_for(qtbot, messages, "confirm", count=2)
    _wait_for(qtbot, messages, "info")
    ws = window.workspace
    assert not ws.read_only and ws.damage is None
    assert ws.safety.check(full=True).ok
    assert len(ws.schools.list()) == 6
    assert "read-only" not in window.windowTitle()
    assert [b for b in ws.safety.backups() if b.label == "damaged"]  # the damaged file was kept


def test_check_the_file_reports_no_problems(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    window.safety.check_action.trigger()
    assert "No problems found (full check" in _wait_for(qtbot, messages, "info")


# --- retention ---------------------------------------------------------------------------------------


def test_anonymise_old_records_after_a_preview(qtbot, messages, tmp_path):
    old = open_workspace(tmp_path / "old.db")
    DemoService(old.db).create("small", seed=1, year="2012/13")
    due = old.retention.preview()
    assert due.trainees and due.nqts
    window = _window(qtbot, old, messages, tmp_path)
    assert window.safety.anonymise_action.isVisible() and window.safety.anonymise_action.isEnabled()

    messages.answer = False
    window.safety.anonymise_action.trigger()
    question = _wait_for(qtbot, messages, "confirm")
    assert f"Anonymise {len(due.trainees)} trainees and {len(due.nqts)} NQTs" in question
    assert "6 years" in question
    assert old.retention.preview().count == due.count  # declined: nothing changed

    messages.answer = True
    window.safety.anonymise_action.trigger()
    _wait_for(qtbot, messages, "confirm", count=2)
    assert "Anonymised" in _wait_for(qtbot, messages, "info")
    assert old.retention.preview().count == 0
    assert not window.ctx.undo_stack.count()

    window.safety.anonymise_action.trigger()
    assert "Nobody is due" in _wait_for(qtbot, messages, "info", count=2)


# --- roles, sign-in and the guide ------------------------------------------------------------------


@pytest.mark.parametrize(("role", "backup", "restore", "anonymise"), [
    (Role.ITT_LEAD, True, True, True),
    (Role.OFFICE, True, False, False),
    (Role.MENTOR, False, False, False),
])
def test_actions_follow_the_role(qtbot, small_demo, messages, tmp_path, role, backup, restore, anonymise):
    window = _window(qtbot, small_demo, messages, tmp_path)
    actions = window.safety
    assert actions.backup_action.isVisible() and actions.restore_action.isVisible()
    mentor = small_demo.mentors.list()[0] if role is Role.MENTOR else None
    sign_in_as(small_demo, role, mentor_email=mentor.email if mentor else None)
    window.refresh_actions()
    assert actions.backup_action.isVisible() is backup
    assert actions.restore_action.isVisible() is restore
    assert actions.anonymise_action.isVisible() is anonymise
    assert actions.check_action.isVisible()


def _file_with_sign_in(tmp_path):
    path = tmp_path / "signed.db"
    ws = open_workspace(path)
    ws.users.enable_sign_in("lead", "a long password")
    ws.close()
    return path


def test_the_sign_in_hook_decides(qtbot, small_demo, messages, tmp_path, monkeypatch):
    path = _file_with_sign_in(tmp_path)
    answers = []

    def person(dialog):
        answers.append(dialog.file_label.toolTip())
        if len(answers) == 1:
            dialog.reject()  # cancelled
        else:
            dialog.set_values({"username": "lead", "password": "a long password"})
            dialog.try_accept()
        return dialog.result()

    window = _window(qtbot, small_demo, messages, tmp_path)
    window.interaction.dialog = person
    assert not window.open_path(str(path))
    assert window.workspace is small_demo
    assert window.open_path(str(path))
    assert window.workspace.permissions.role is Role.ITT_LEAD and answers == [str(path), str(path)]


def test_help_data_safety_opens_the_guide_or_says_where_it_would_be(qtbot, small_demo, messages, tmp_path,
                                                                    monkeypatch):
    window = _window(qtbot, small_demo, messages, tmp_path)
    opened = []
    window.interaction.answers["open_document"] = lambda path: opened.append(path) or True
    monkeypatch.setenv("TSA_DESKTOP_RESOURCES", str(tmp_path / "resources"))
    window.safety.guide_action.trigger()
    assert not opened and "data-safety.md" in messages.shown[-1][1] and "not installed" in messages.shown[-1][1]

    guide = tmp_path / "resources" / "docs" / "data-safety.md"
    guide.parent.mkdir(parents=True)
    guide.write_text("# Data safety\n")
    window.safety.guide_action.trigger()
    assert opened == [guide]
