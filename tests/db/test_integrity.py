"""The quick check on open, over real files: a good file passes; a damaged one opens read-only with
a notice and its latest good backup offered; a file that is not a database is refused unchanged."""

from __future__ import annotations

import hashlib

import pytest

from tsa_desktop.db.integrity import check_backup, check_file
from tsa_desktop.db.lock import lock_path_for
from tsa_desktop.domain.errors import DatabaseFileError
from tsa_desktop.services.base import ReadOnlyError
from tsa_desktop.services.demo.builder import DemoService
from tsa_desktop.services.opening import open_workspace

SCHOOL = {"urn": "222222", "name": "Added After The Backup", "phase": "primary"}


def _demo_file(tmp_path):
    path = tmp_path / "alliance.db"
    ws = open_workspace(path, backup_dir=tmp_path / "backups")
    DemoService(ws.db).create("small", seed=1, year="2026/27")
    return path, ws


def _damage(path):
    """Overwrite one page in the middle of the file (an index of the audit trail) with garbage."""
    with path.open("r+b") as fh:
        fh.seek(8 * 4096)
        fh.write(b"\xff" * 4096)


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_good_file_passes_the_quick_and_the_full_check(tmp_path):
    path, ws = _demo_file(tmp_path)
    try:
        quick = ws.safety.check()
        assert quick.ok and not quick.full and quick.problems == () and quick.summary == "no problems found"
        full = ws.safety.check(full=True)
        assert full.ok and full.full
    finally:
        ws.close()
    assert check_file(path).ok
    reopened = open_workspace(path, backup_dir=tmp_path / "backups")
    try:
        assert not reopened.read_only and reopened.damage is None and reopened.lock is not None
        assert not [n for n in reopened.notices if "damaged" in n]
    finally:
        reopened.close()


def test_a_damaged_file_opens_read_only_and_names_its_latest_good_backup(tmp_path):
    path, ws = _demo_file(tmp_path)
    folder = ws.safety.backup_folder
    for today in ws.safety.backups():  # today's automatic backup, of the empty file
        today.path.unlink()
    older = ws.safety.backup_to(folder / "alliance-daily-20261020-100000.db").path
    good = ws.safety.backup_to(folder / "alliance-daily-20261101-100000.db").path
    ws.schools.create(SCHOOL)  # after the last good backup: lost with the damage
    bad_backup = ws.safety.backup_to(folder / "alliance-daily-20261102-100000.db").path
    ws.close()
    _damage(bad_backup)  # the newest backup is damaged too: it is passed over
    _damage(path)
    assert not check_file(path).ok
    before = _digest(path)

    damaged = open_workspace(path, backup_dir=tmp_path / "backups")
    try:
        assert damaged.read_only and not damaged.permissions.can("edit")
        assert damaged.damage is not None and not damaged.damage.ok and damaged.damage.problems
        assert damaged.lock is None and not lock_path_for(path).exists()
        [notice] = [n for n in damaged.notices if "is damaged" in n]
        assert str(path) in notice and "opened read-only" in notice
        assert not damaged.safety.check().ok
        latest = damaged.safety.latest_good_backup()
        assert latest is not None and latest.path == good
        assert [b.path for b in damaged.safety.backups()] == [bad_backup, good, older]  # none made today
        with pytest.raises(ReadOnlyError):
            damaged.schools.create({"urn": "333333", "name": "Not Saved", "phase": "primary"})
    finally:
        damaged.close()
    assert _digest(path) == before  # opening and checking wrote nothing


def test_a_damaged_file_is_mended_by_restoring_its_latest_good_backup(tmp_path):
    path, ws = _demo_file(tmp_path)
    for today in ws.safety.backups():  # today's automatic backup, of the empty file
        today.path.unlink()
    good = ws.safety.backup_to(ws.safety.backup_folder / "alliance-daily-20261101-100000.db").path
    schools = len(ws.schools.list())
    ws.schools.create(SCHOOL)
    ws.close()
    _damage(path)

    damaged = open_workspace(path, backup_dir=tmp_path / "backups")
    assert damaged.safety.latest_good_backup().path == good
    report = damaged.safety.restore(good)  # allowed to anyone when the file is damaged
    assert report.safety_copy is not None and report.safety_copy.name.startswith("alliance-damaged-")
    assert not check_file(report.safety_copy).ok  # the damaged bytes were kept as they were

    mended = open_workspace(path, backup_dir=tmp_path / "backups")
    try:
        assert not mended.read_only and mended.damage is None
        assert mended.safety.check(full=True).ok
        assert len(mended.schools.list()) == schools
        assert mended.audit.recent()[0].action == "restore"
    finally:
        mended.close()


def test_a_file_that_is_not_a_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "alliance.db"
    path.write_bytes(b"Name,URN\nWeydon School,100001\n" * 200)
    before = _digest(path)
    report = check_file(path)
    assert not report.ok and "not a SQLite database" in report.summary
    assert check_backup(path).revision is None

    with pytest.raises(DatabaseFileError, match="is not a tsa-desktop database file"):
        open_workspace(path, backup_dir=tmp_path / "backups")
    with pytest.raises(DatabaseFileError):
        open_workspace(path, backup_dir=tmp_path / "backups", read_only=True)
    assert _digest(path) == before
    assert not lock_path_for(path).exists()
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").rglob("*.db"))


def test_a_file_cut_short_fails_the_check(tmp_path):
    path, ws = _demo_file(tmp_path)
    ws.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert not check_file(path).ok
    damaged = open_workspace(path, backup_dir=tmp_path / "backups")
    try:
        assert damaged.read_only and damaged.damage is not None
    finally:
        damaged.close()
