"""Backups: consistent copies with SQLite's backup API, one a day, kept by rotation."""

import datetime as dt
import os
import sqlite3
import threading

import pytest

from tsa_desktop.db.backup import (
    backup_folder_for,
    backup_sqlite,
    daily_backup,
    list_backups,
    rotate,
    timestamped_name,
)


def _file(path, rows=3, wal=False):
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.executemany("INSERT INTO t (v) VALUES (?)", [(f"row {i}",) for i in range(rows)])
    conn.commit()
    return conn


def _rows(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM t").fetchone()[0]


def test_a_backup_is_consistent_while_another_connection_writes(tmp_path):
    db = tmp_path / "a.db"
    writer = _file(db, rows=100, wal=True)
    writer.execute("BEGIN")
    writer.executemany("INSERT INTO t (v) VALUES (?)", [("uncommitted",)] * 50)
    copy = backup_sqlite(db, tmp_path / "copy.db")  # the write transaction is still open
    writer.rollback()
    writer.close()
    assert _rows(copy) == 100
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # a backup is one self-contained file, even of a WAL database
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not (tmp_path / "copy.db-wal").exists() and not (tmp_path / "copy.db.partial").exists()


def test_a_backup_holds_what_is_only_in_the_wal_so_far(tmp_path):
    db = tmp_path / "a.db"
    conn = _file(db, rows=10, wal=True)  # committed, not yet checkpointed into the main file
    assert (tmp_path / "a.db-wal").stat().st_size > 0
    copy = backup_sqlite(db, tmp_path / "copy.db")
    conn.close()
    assert _rows(copy) == 10


def test_backups_made_while_writes_go_on_are_each_whole(tmp_path):
    db = tmp_path / "a.db"
    _file(db, rows=0, wal=True).close()
    stop = threading.Event()

    def write():
        conn = sqlite3.connect(db, timeout=15)
        n = 0
        while not stop.is_set():
            with conn:  # ten rows per transaction: a copy holds a multiple of ten
                conn.executemany("INSERT INTO t (v) VALUES (?)", [(f"{n}",)] * 10)
            n += 1
        conn.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        counts = [_rows(backup_sqlite(db, tmp_path / f"copy{i}.db")) for i in range(20)]
    finally:
        stop.set()
        thread.join()
    assert all(c % 10 == 0 for c in counts) and counts == sorted(counts)


def test_backup_folders_keep_two_files_of_the_same_name_apart(tmp_path):
    a = backup_folder_for(tmp_path / "one" / "alliance.db", tmp_path / "backups")
    b = backup_folder_for(tmp_path / "two" / "alliance.db", tmp_path / "backups")
    assert a != b and a.name.startswith("alliance-") and a.parent == tmp_path / "backups"


def test_one_daily_backup_a_day(tmp_path):
    db = tmp_path / "alliance.db"
    _file(db).close()
    folder = tmp_path / "backups"
    morning = dt.datetime(2026, 11, 23, 9, 0)
    first = daily_backup(db, folder, morning)
    assert first is not None and first.name == "alliance-daily-20261123-090000.db"
    assert daily_backup(db, folder, morning.replace(hour=15)) is None
    assert daily_backup(db, folder, morning + dt.timedelta(days=1)) is not None
    assert [b.label for b in list_backups(folder)] == ["daily", "daily"]


def _fake(folder, label, when):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / timestamped_name(folder / "alliance.db", label, when)
    path.write_bytes(b"x")
    return path


def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path):
    folder = tmp_path / "backups"
    now = dt.datetime(2026, 11, 23, 12, 0)  # a Monday
    for days in range(0, 500):  # a backup every day for 500 days, two on some days
        _fake(folder, "daily", now - dt.timedelta(days=days, hours=1))
        if days % 10 == 0:
            _fake(folder, "daily", now - dt.timedelta(days=days, hours=3))
    (folder / "notes.txt").write_text("not a backup")
    rotate(folder, now)
    kept = sorted(b.made_at for b in list_backups(folder))
    days = {k.date() for k in kept}
    # the newest of each of the last 7 days...
    assert {(now - dt.timedelta(days=d)).date() for d in range(7)} <= days
    # ...of each of the last 4 weeks, and of each of the last 12 months
    weeks = {k.isocalendar()[:2] for k in kept}
    assert {(now - dt.timedelta(weeks=w)).isocalendar()[:2] for w in range(4)} <= weeks
    months = {(k.year, k.month) for k in kept}
    assert len(months) == 12 and min(months) == (2025, 12)
    assert len(kept) <= 7 + 4 + 12 and len(kept) == len(days)  # one per day at most
    assert (folder / "notes.txt").exists()  # only backups are ever deleted


def test_rotation_keeps_backups_before_upgrades_and_restores_for_a_year(tmp_path):
    folder = tmp_path / "backups"
    now = dt.datetime(2026, 11, 23, 12, 0)
    recent = _fake(folder, "before-0002", now - dt.timedelta(days=100))
    old = [_fake(folder, "before-restore", now - dt.timedelta(days=400 + d)) for d in range(5)]
    for d in range(30):
        _fake(folder, "daily", now - dt.timedelta(days=d))
    rotate(folder, now)
    assert recent.exists()
    assert [p.exists() for p in old] == [True, True, False, False, False]  # the newest three always


def test_rotation_with_gaps_counts_days_that_have_backups(tmp_path):
    folder = tmp_path / "backups"
    now = dt.datetime(2026, 11, 23, 12, 0)
    made = [_fake(folder, "daily", now - dt.timedelta(days=d)) for d in (0, 20, 40, 60, 80, 100, 120, 140)]
    rotate(folder, now)
    assert all(p.exists() for p in made[:7])  # the program was not opened every day: keep what there is


def test_a_partial_backup_left_by_a_crash_is_cleaned_up_later(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    stray = folder / "alliance-daily-20261101-090000.db.partial"
    stray.write_bytes(b"half")
    import os

    two_days_ago = dt.datetime.now().timestamp() - 2 * 86_400
    os.utime(stray, (two_days_ago, two_days_ago))
    assert list_backups(folder) == []  # never offered as a backup
    rotate(folder)
    assert not stray.exists()


# --- what a backup refuses, and what a failed one leaves ----------------------------------------------


def _left_in(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_damaged_source_is_refused_and_leaves_nothing_behind(tmp_path):
    db = tmp_path / "a.db"
    _file(db, rows=2000).close()
    whole = db.read_bytes()
    cut = tmp_path / "cut.db"
    cut.write_bytes(whole[: len(whole) // 2])  # a file cut short: its pages run out
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):
        backup_sqlite(cut, out / "copy.db")
    assert _left_in(out) == []  # no copy, and no half-written .partial for a later run
    assert cut.read_bytes() == whole[: len(whole) // 2]  # the source is only read


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("minutes of the partnership meeting\n" * 200)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        backup_sqlite(text, out / "copy.db")
    assert _left_in(out) == []


def test_a_missing_source_is_refused_and_not_created(tmp_path):
    missing = tmp_path / "gone.db"
    with pytest.raises(sqlite3.OperationalError):
        backup_sqlite(missing, tmp_path / "out" / "copy.db")
    assert not missing.exists()  # opened read-only: asking for it never makes an empty database
    assert _left_in(tmp_path / "out") == []


def test_a_failed_backup_keeps_the_backup_already_at_the_destination(tmp_path):
    good = tmp_path / "a.db"
    _file(good, rows=5).close()
    target = backup_sqlite(good, tmp_path / "out" / "copy.db")
    before = target.read_bytes()
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(sqlite3.DatabaseError):
        backup_sqlite(damaged, target)
    assert target.read_bytes() == before and _rows(target) == 5
    assert _left_in(target.parent) == ["copy.db"]


def test_a_destination_that_is_the_source_itself_is_refused(tmp_path):
    db = tmp_path / "a.db"
    _file(db, rows=3).close()
    before = db.read_bytes()
    for same in (db, tmp_path / "." / "a.db"):
        with pytest.raises(ValueError, match="cannot replace the file itself"):
            backup_sqlite(db, same)
    assert db.read_bytes() == before and _left_in(tmp_path) == ["a.db"]


def test_a_destination_whose_folder_cannot_be_made_is_refused(tmp_path):
    db = tmp_path / "a.db"
    _file(db).close()
    blocker = tmp_path / "backups"
    blocker.write_text("a file where the backup folder should be")
    with pytest.raises(OSError):
        backup_sqlite(db, blocker / "copy.db")
    assert blocker.read_text() == "a file where the backup folder should be"
    assert _left_in(tmp_path) == ["a.db", "backups"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="the superuser may write to any folder")
def test_a_folder_that_cannot_be_written_is_refused(tmp_path):
    db = tmp_path / "a.db"
    _file(db).close()
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises((OSError, sqlite3.OperationalError)):
            backup_sqlite(db, locked / "copy.db")
        assert _left_in(locked) == []
    finally:
        locked.chmod(0o700)


def test_a_daily_backup_that_fails_rotates_nothing_away(tmp_path):
    """A damaged file must not cost the backups that could restore it."""
    folder = tmp_path / "backups"
    now = dt.datetime(2026, 11, 23, 12, 0)
    kept = [_fake(folder, "daily", now - dt.timedelta(days=d)) for d in range(1, 40)]
    db = tmp_path / "alliance.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(sqlite3.DatabaseError):
        daily_backup(db, folder, now)
    assert all(p.exists() for p in kept)  # rotation would keep 7 + 4 + 12 of these; none went
    assert not any(b.made_at.date() == now.date() for b in list_backups(folder))
    assert not list(folder.glob("*.partial"))


def test_files_that_only_look_like_backups_are_never_offered_or_deleted(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    impossible = folder / "alliance-daily-20261399-250000.db"  # no 99th of the 13th month
    impossible.write_bytes(b"x")
    (folder / "alliance-daily-20200102-090000.db").mkdir()  # a folder, not a file
    real = _fake(folder, "daily", dt.datetime(2026, 11, 23, 8, 0))  # a later one the same day replaces it
    for d in range(40):
        _fake(folder, "daily", dt.datetime(2026, 11, 23, 12, 0) - dt.timedelta(days=d))
    assert impossible not in [b.path for b in list_backups(folder)]
    rotate(folder, dt.datetime(2026, 11, 23, 12, 0))
    assert impossible.exists() and (folder / "alliance-daily-20200102-090000.db").is_dir()
    assert not real.exists()
