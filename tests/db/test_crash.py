"""Crash safety: kill the program in the middle of saving, many times; the file stays whole.

A second process opens the file with open_workspace (lock, checks, WAL or rollback journal as the
program chooses) and saves in a loop through the same path every service uses (Service._write):
each save adds a school and twenty mentors and updates a ledger row and a counter, in one
transaction, and prints its number once committed. The test kills it with SIGKILL at a random
moment, again and again, and after each kill checks that the file passes SQLite's full integrity
check, that every save is either whole or absent, that every save reported as done is there, and
that the program opens the file again (clearing the dead program's lock).

TSA_CRASH_ITERATIONS sets the kills per journal mode (default 15).
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

ITERATIONS = int(os.environ.get("TSA_CRASH_ITERATIONS", "15"))
MENTORS_PER_SAVE = 20

SAVER = textwrap.dedent("""
    import sys
    from tsa_desktop.db import models as m
    from tsa_desktop.services import opening as safety
    from tsa_desktop.services.base import Service
    from tsa_desktop.services.opening import open_workspace

    path, mode, i = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "network":  # as if the file were on \\\\server\\share: rollback journal, not WAL
        safety.is_network_path = lambda p: True
    ws = open_workspace(path)
    saver = Service(ws.db)
    print("ready", flush=True)
    while True:
        print("begin", i, flush=True)
        with saver._write() as s:
            school = m.School(urn=f"{i:06d}", name=f"Crash {i}", phase="primary")
            s.add(school)
            s.flush()
            s.add_all([m.Mentor(email=f"m{i}-{j}@crash.example", first_name="Save", last_name=str(i),
                                school_id=school.id, phase="primary") for j in range(%d)])
            s.get(m.School, 1).name = f"Ledger {i}"
            s.merge(m.Setting(key="crash_counter", value=str(i)))
        print("done", i, flush=True)
        i += 1
""" % MENTORS_PER_SAVE)


def _prepare(path):
    from tsa_desktop.services.opening import open_workspace

    ws = open_workspace(path)
    ws.schools.create({"urn": "999999", "name": "Ledger 0", "phase": "primary"})
    ws.close()


def _check(path):
    """The file's state after a crash: (saves present, ledger number)."""
    conn = sqlite3.connect(path)  # opening recovers from the journal or WAL, as the program would
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        saves = {int(urn): n for urn, n in conn.execute(
            "SELECT s.urn, (SELECT count(*) FROM mentors m WHERE m.school_id = s.id) "
            "FROM schools s WHERE s.name LIKE 'Crash %'")}
        orphans = conn.execute("SELECT count(*) FROM mentors WHERE email LIKE '%@crash.example' AND "
                               "school_id NOT IN (SELECT id FROM schools)").fetchone()[0]
        ledger = conn.execute("SELECT name FROM schools WHERE urn = '999999'").fetchone()[0]
        counter = conn.execute("SELECT value FROM settings WHERE key = 'crash_counter'").fetchone()
        audited = {int(r[0].split()[-1]) for r in conn.execute(
            "SELECT summary FROM audit_log WHERE table_name = 'schools' AND action = 'insert' "
            "AND summary LIKE 'Added school Crash %'")}
    finally:
        conn.close()
    assert orphans == 0
    assert all(n == MENTORS_PER_SAVE for n in saves.values()), "a save was cut in half"
    assert set(saves) == audited, "a save and its audit entries were not saved together"
    last = max(saves, default=0)
    assert ledger == f"Ledger {last}" and (counter is None and last == 0 or counter[0] == str(last))
    return set(saves)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["local", "network"])
def test_killing_the_program_while_it_saves_never_damages_the_file(tmp_path, mode):
    path = tmp_path / "alliance.db"
    _prepare(path)
    rng = random.Random(20261123)
    acknowledged: set[int] = set()
    present: set[int] = set()
    outcomes = {"rolled back": 0, "committed, not reported": 0, "between saves": 0}
    for _ in range(ITERATIONS):
        start = max(present, default=0) + 1
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path), mode, str(start)],
                                stdout=subprocess.PIPE, text=True)
        begun = 0
        try:
            assert proc.stdout.readline().strip() == "ready"
            for _ in range(rng.randint(1, 4)):  # let a few saves finish, then kill during the next
                word, number = proc.stdout.readline().split()
                if word == "done":
                    acknowledged.add(int(number))
                else:
                    begun = int(number)
            time.sleep(rng.uniform(0, 0.012))  # a save takes a few milliseconds
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        lines = proc.stdout.read().splitlines()
        if lines and len(lines[-1].split()) != 2:
            lines.pop()  # the kill cut the last line short
        for line in lines:
            word, number = line.split()
            if word == "done":
                acknowledged.add(int(number))
            else:
                begun = int(number)
        proc.stdout.close()
        hot_journal = (path.with_name(path.name + "-journal").exists()
                       and path.with_name(path.name + "-journal").stat().st_size > 0)
        before, present = present, _check(path)
        assert acknowledged <= present, "a save reported as done was lost"
        assert present == set(range(1, max(present, default=0) + 1)), "saves must form an unbroken run"
        # Saved but not reported: only the save in flight when the program was killed.
        assert present - before - acknowledged <= {begun}
        if begun in present and begun not in acknowledged:
            outcomes["committed, not reported"] += 1
        elif begun and begun not in present:
            outcomes["rolled back"] += 1
        else:
            outcomes["between saves"] += 1
        if hot_journal:  # killed after it had started writing into the file itself
            outcomes["of which half-written, undone from the journal"] = (
                outcomes.get("of which half-written, undone from the journal", 0) + 1)
            assert begun not in present
    print(f"\n{mode}: {ITERATIONS} kills: {outcomes}; {len(present)} saves kept")
    assert outcomes["rolled back"] > 0, "no kill landed inside a save: the test proves nothing"
    assert len(present) >= ITERATIONS  # the loop really saved, many times

    from tsa_desktop.services.opening import open_workspace

    ws = open_workspace(path)  # the program opens the file as usual afterwards
    try:
        assert ws.lock.cleared is not None and not ws.read_only and ws.damage is None
        assert len([s for s in ws.schools.list() if s.name.startswith("Crash")]) == len(present)
    finally:
        ws.close()


# --- a restore killed part way ----------------------------------------------------------------------

RESTORER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from tsa_desktop.services.safety.restore import restore_database

    backup, target = Path(sys.argv[1]), sys.argv[2]
    print("ready", flush=True)
    start = time.perf_counter()
    restore_database(backup, target, backup_base=Path(sys.argv[3]))
    print("done", time.perf_counter() - start, flush=True)
""")


def _schools(path):
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {r[0] for r in conn.execute("SELECT name FROM schools")}
    finally:
        conn.close()


def _leftovers(path):
    return sorted(p.name for p in path.parent.iterdir() if ".restoring" in p.name)


@pytest.mark.slow
def test_killing_a_restore_leaves_the_old_or_the_new_file_and_the_next_open_removes_its_copy(tmp_path):
    from tsa_desktop.services.demo.builder import DemoService
    from tsa_desktop.services.opening import open_workspace

    backup = tmp_path / "backup.db"
    ws = open_workspace(backup, backup_dir=tmp_path / "backups")
    DemoService(ws.db).create("alliance", seed=2, year="2026/27")  # big enough for a kill to land inside
    ws.close()
    path = tmp_path / "alliance.db"
    _prepare(path)
    old, new = _schools(path), _schools(backup)
    assert old != new

    def run(kill_after: float | None, *, while_copying: bool = False):
        proc = subprocess.Popen([sys.executable, "-c", RESTORER, str(backup), str(path), str(tmp_path / "kept")],
                                stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready"
            if kill_after is None:
                return float(proc.stdout.readline().split()[1])
            if while_copying:
                # The moment the restore's copy appears beside the file: a kill certain to land
                # while the copy is made, whatever this machine's speed.
                deadline = time.monotonic() + 60
                while not _leftovers(path) and proc.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.001)
            time.sleep(kill_after)
        finally:
            if kill_after is not None:
                proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            proc.stdout.close()

    # How long a whole restore takes (then put the file back as it was, without a restore).
    seconds = run(None)
    assert _schools(path) == new and _leftovers(path) == []
    path.unlink()
    _prepare(path)

    rng = random.Random(20261207)
    outcomes = {"old": 0, "new": 0, "copies left": 0}
    # Kill moments spread evenly over the restore and a little past it (jittered), so that some
    # land after the swap; and the last few the moment the copy appears, so that some land while
    # it is made, whatever this machine's speed.
    for step in range(ITERATIONS + 3):
        copying = step >= ITERATIONS
        run(0 if copying else (step + rng.random()) / ITERATIONS * seconds * 1.3, while_copying=copying)
        found = _schools(path)  # whole after every kill: either what it held, or the whole backup
        assert found in (old, new), "a restore was cut in half"
        outcomes["new" if found == new else "old"] += 1
        left = _leftovers(path)
        if left:
            assert found == old, "a copy was left although the restore had finished"
            outcomes["copies left"] += 1
        ws = open_workspace(path, backup_dir=tmp_path / "backups")  # the next open removes the copy
        try:
            assert _leftovers(path) == []
            assert any("restore that did not finish" in n for n in ws.notices) == bool(left)
        finally:
            ws.close()
        if found == new:  # start again from the old file
            path.unlink()
            _prepare(path)
    print(f"\n{ITERATIONS + 3} kills of a {seconds:.2f} s restore: {outcomes}")
    assert outcomes["copies left"] > 0, "no kill landed while the copy was made: the test proves nothing"


def test_the_command_line_removes_what_a_killed_restore_left_and_says_so(tmp_path, capsys):
    from tsa_desktop.app import main

    path = tmp_path / "alliance.db"
    _prepare(path)
    staged = path.with_name(path.name + ".restoring")
    staged.write_bytes(path.read_bytes())  # a whole copy of the data, as a killed restore leaves it
    path.with_name(path.name + ".restoring.partial").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    assert main(["export", "schools", str(tmp_path / "schools.csv"), "--db", str(path)]) == 0
    err = capsys.readouterr().err
    assert "restore that did not finish" in err and "removed" in err
    assert _leftovers(path) == []
