"""Two people, one file: the editing lock, who holds it, stale locks, take-over, network drives.

The "other copy of the program" is a real second process that opens the file with
open_workspace and waits; it is killed (as a crash would) or asked to close.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap

import pytest

from tsa_desktop.db.engine import is_network_path
from tsa_desktop.db.lock import FileLockedError, LockLostError, acquire, lock_path_for, read_lock
from tsa_desktop.domain.errors import DatabaseFileError
from tsa_desktop.services.base import ReadOnlyError
from tsa_desktop.services.opening import open_workspace

OTHER_COPY = textwrap.dedent("""
    import sys
    from tsa_desktop.services.opening import open_workspace
    ws = open_workspace(sys.argv[1])
    ws.db.user = "unused"  # the lock says who opened it, taken from the login
    print("open", flush=True)
    sys.stdin.readline()   # stay open until told to close (or killed)
    ws.close()
    print("closed", flush=True)
""")


@pytest.fixture
def other_copy(tmp_path):
    """Start another copy of the program holding a file open; yields a starter function."""
    started = []

    def start(path, user="alice"):
        env = {**os.environ, "USER": user, "LOGNAME": user, "USERNAME": user}
        proc = subprocess.Popen([sys.executable, "-c", OTHER_COPY, str(path)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout.readline().strip() == "open"
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def test_the_lock_file_says_who_has_the_file_and_goes_away_on_close(tmp_path):
    db = tmp_path / "alliance.db"
    ws = open_workspace(db)
    info = read_lock(db)
    assert info.pid == os.getpid() and info.computer == socket.gethostname() and info.since
    assert info.user == ws.db.user
    ws.close()
    assert not lock_path_for(db).exists()


def test_a_second_open_in_the_same_program_shares_the_lock(tmp_path):
    db = tmp_path / "alliance.db"
    first = open_workspace(db)
    second = open_workspace(db)
    assert not second.read_only
    second.close()
    assert lock_path_for(db).exists()  # the first still has it
    first.close()
    assert not lock_path_for(db).exists()


def test_a_second_copy_is_told_who_has_it_and_may_open_it_read_only(tmp_path, other_copy):
    db = tmp_path / "alliance.db"
    open_workspace(db).close()
    other_copy(db, user="alice")
    with pytest.raises(FileLockedError) as info:
        open_workspace(db)
    holder = info.value.holder
    assert holder.user == "alice" and holder.computer == socket.gethostname()
    assert "alice on" in str(info.value) and "read-only" in str(info.value)
    assert holder.since_text in str(info.value)

    ro = open_workspace(db, on_locked="read_only")
    try:
        assert ro.read_only and ro.lock is None
        assert "alice" in ro.notices[0] and "read-only" in ro.notices[0].lower()
        assert ro.schools.list() == []  # reading works
        with pytest.raises(ReadOnlyError):
            ro.schools.create({"urn": "100001", "name": "A", "phase": "primary"})
    finally:
        ro.close()
    assert read_lock(db).user == "alice"  # the read-only copy left the lock alone


def test_the_lock_is_free_again_when_the_other_copy_closes(tmp_path, other_copy):
    db = tmp_path / "alliance.db"
    proc = other_copy(db)
    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "closed"
    proc.wait(timeout=30)
    ws = open_workspace(db)
    assert ws.lock is not None and ws.lock.cleared is None
    ws.close()


def test_a_lock_left_by_a_program_that_died_on_this_computer_is_cleared(tmp_path, other_copy):
    db = tmp_path / "alliance.db"
    proc = other_copy(db, user="alice")
    proc.send_signal(signal.SIGKILL)  # no chance to remove its lock file
    proc.wait(timeout=30)
    assert read_lock(db).user == "alice"
    ws = open_workspace(db)
    try:
        assert ws.lock.cleared.user == "alice" and not ws.read_only
        assert any("not closed properly by alice" in n for n in ws.notices)
        assert read_lock(db).pid == os.getpid()
    finally:
        ws.close()


def _write_lock(db, **info):
    data = {"user": "bob", "computer": socket.gethostname(), "pid": os.getpid(),
            "since": "2026-11-23T10:30:00", "token": "t" * 32, **info}
    lock_path_for(db).write_text(json.dumps(data))


def test_a_lock_whose_process_id_was_reused_is_cleared(tmp_path):
    db = tmp_path / "alliance.db"
    # A live process (this test's parent) that does not hold the lock: its id was reused.
    _write_lock(db, pid=os.getppid())
    lock = acquire(db, "me")
    assert lock.cleared.user == "bob"
    lock.release()


def test_a_lock_from_another_computer_is_never_cleared_by_itself(tmp_path):
    db = tmp_path / "alliance.db"
    _write_lock(db, computer="OFFICE-PC-7", pid=4242)
    with pytest.raises(FileLockedError) as info:
        open_workspace(db)
    assert "bob on OFFICE-PC-7, since 23/11/2026 at 10:30" in str(info.value)
    assert not db.exists()  # nothing was created or changed

    taken = open_workspace(db, on_locked="take_over")  # the user said the other PC is switched off
    try:
        assert taken.lock.cleared.computer == "OFFICE-PC-7" and read_lock(db).user != "bob"
    finally:
        taken.close()


def test_a_copy_whose_lock_was_taken_over_cannot_save(tmp_path):
    db = tmp_path / "alliance.db"
    ws = open_workspace(db)
    try:
        ws.schools.create({"urn": "100001", "name": "Before", "phase": "primary"})
        _write_lock(db, user="carol", computer="OFFICE-PC-9", token="c" * 32)  # carol took it over
        with pytest.raises(LockLostError, match="taken over by carol on OFFICE-PC-9"):
            ws.schools.create({"urn": "100002", "name": "After", "phase": "primary"})
        assert [s.name for s in ws.schools.list()] == ["Before"]
    finally:
        ws.close()
    assert read_lock(db).user == "carol"  # closing did not remove carol's lock


def test_an_unreadable_lock_file_counts_until_it_is_old(tmp_path):
    db = tmp_path / "alliance.db"
    lock_path_for(db).write_text("")  # a copy that is creating its lock at this very moment
    with pytest.raises(FileLockedError, match="starting up or unreadable"):
        acquire(db, "me")
    old = lock_path_for(db).stat().st_mtime - 3600
    os.utime(lock_path_for(db), (old, old))
    lock = acquire(db, "me")
    lock.release()


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_without_write_access_opens_read_only_when_asked(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "alliance.db"
    open_workspace(db).close()
    folder.chmod(0o555)
    try:
        with pytest.raises(DatabaseFileError, match="lock file"):
            open_workspace(db)
        ro = open_workspace(db, on_locked="read_only")
        assert ro.read_only
        ro.close()
    finally:
        folder.chmod(0o755)


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
//fileserver/staff /mnt/staff cifs rw,vers=3.0 0 0
nas:/export/tsa /srv/tsa nfs4 rw 0 0
/dev/sdb1 /srv/tsa/local ext4 rw 0 0
/dev/sdc1 /media/usb\\040stick vfat rw 0 0
"""


@pytest.mark.parametrize("path, remote", [
    ("/home/office/alliance.db", False),
    ("/mnt/staff/ITT/alliance.db", True),
    ("/srv/tsa/alliance.db", True),
    ("/srv/tsa/local/alliance.db", False),  # the longest mount point wins
    ("/mnt/staffroom/alliance.db", False),  # a prefix of a name is not the mount point
    ("/media/usb stick/alliance.db", False),
])
def test_network_drives_are_recognised(path, remote):
    from pathlib import Path

    assert is_network_path(Path(path), MOUNTS) is remote


def test_a_local_file_uses_wal_and_a_network_file_the_rollback_journal(tmp_path, monkeypatch):
    local = open_workspace(tmp_path / "local.db")
    try:
        with local.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert not local.on_network
    finally:
        local.close()

    from tsa_desktop.services import opening as safety

    monkeypatch.setattr(safety, "is_network_path", lambda path: True)  # as if on \\server\share
    shared = open_workspace(tmp_path / "local.db")
    try:
        with shared.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        assert shared.on_network and any("server database" in n for n in shared.notices)
        shared.schools.create({"urn": "100001", "name": "A", "phase": "primary"})
    finally:
        shared.close()
    assert not (tmp_path / "local.db-wal").exists()
