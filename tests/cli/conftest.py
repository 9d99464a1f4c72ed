"""Files the command-line matrices share: one demo alliance made once, copied for each test.

Making the demo costs seconds; copying it costs milliseconds, so every command can be tried on
every kind of file (and for every role) without a slow suite.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DEMO_YEAR

LEAD = ("lead", "lead password 1")
OFFICE = ("office", "office password 1")
MENTOR = ("mentor", "mentor password 1")
PASSWORDS = dict([LEAD, OFFICE, MENTOR])

#: What no message a person reads may contain: a traceback, SQL, a Python error's name.
_INTERNALS = re.compile(
    r"Traceback|unexpected error|\b(SELECT|INSERT|UPDATE|DELETE) .*\b(FROM|INTO|SET)\b|sqlite3?\.|sqlalchemy|"
    r"\b[A-Z][A-Za-z]*(Error|Exception)\b|no such table|object has no attribute|\[SQL:",
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def assert_plain_refusal(err: str) -> None:
    """One plain sentence on stderr (one line), with nothing of the program's insides."""
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert not _INTERNALS.search(err), err


@dataclass(frozen=True)
class Demo:
    """The shared demo alliance and what the commands are given.

    Attributes:
        db: The demo database (never changed: tests copy it).
        signed_in: The same alliance with sign-in on: users lead (ITT lead), office, mentor.
        backup: A good backup of the demo (what restore is given).
        schools_csv: A schools file that imports cleanly.
        mentor_email: The mentor who signs in as ``mentor`` (they have placements).
        other_mentor_email: Another mentor with placements.
        school_urn: A school of the alliance with placements.
    """

    db: Path
    signed_in: Path
    backup: Path
    schools_csv: Path
    mentor_email: str
    other_mentor_email: str
    school_urn: str


@pytest.fixture(scope="session")
def shared_demo(tmp_path_factory) -> Demo:
    from tsa_desktop.services.demo.builder import DemoService
    from tsa_desktop.services.opening import open_workspace

    folder = tmp_path_factory.mktemp("shared-demo")
    with pytest.MonkeyPatch.context() as mp:  # session scope: not under a test's own data folder
        mp.setenv("TSA_DESKTOP_DATA_DIR", str(folder / "userdata"))
        db = folder / "demo.db"
        ws = open_workspace(db, backup_dir=folder / "backups")
        try:
            DemoService(ws.db).create("small", seed=1, year=DEMO_YEAR)
            busy = [r for r in ws.mentors.list(DEMO_YEAR) if r.load.placements]
            mentor, other = busy[0].email, busy[1].email
            urn = ws.schools.get(busy[0].school_id).urn
            backup = folder / "good-backup.db"
            ws.safety.backup_to(backup)
            schools_csv = folder / "schools.csv"
            ws.transfer.export_file("schools", schools_csv)
        finally:
            ws.close()
        signed_in = folder / "signed-in.db"
        shutil.copy2(db, signed_in)
        ws = open_workspace(signed_in, backup_dir=folder / "backups")
        try:
            ws.users.enable_sign_in(*LEAD)
            ws.users.create(*OFFICE, "office")
            ws.users.create(*MENTOR, "mentor", mentor_email=mentor)
        finally:
            ws.close()
    return Demo(db, signed_in, backup, schools_csv, mentor, other, urn)


# --- files that cannot be used --------------------------------------------------------------------


def make_newer(path: Path, demo: Demo) -> None:
    """A file written by a newer version: its schema revision is one this version does not know."""
    import sqlite3

    shutil.copy2(demo.db, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()


def make_damaged(path: Path, demo: Demo) -> None:
    """One page in the middle (an index of the audit trail) overwritten with garbage."""
    shutil.copy2(demo.db, path)
    with path.open("r+b") as fh:
        fh.seek(8 * 4096)
        fh.write(b"\xff" * 4096)


def make_zero_byte(path: Path, demo: Demo) -> None:
    path.write_bytes(b"")


def make_text(path: Path, demo: Demo) -> None:
    path.write_text("Notes from the ITT meeting\nAgenda: placements for the autumn\n", encoding="utf-8")


def make_locked(path: Path, demo: Demo) -> None:
    """A whole file that somebody on another computer has open for editing."""
    shutil.copy2(demo.db, path)
    other = "OFFICE-PC-2" if socket.gethostname().upper() != "OFFICE-PC-2" else "OFFICE-PC-3"
    path.with_name(path.name + ".lock").write_text(json.dumps(
        {"user": "Sam Other", "computer": other, "pid": 4242, "since": "2026-11-23T10:30:00",
         "token": "abc123"}), encoding="utf-8")


UNUSABLE = {
    "newer": make_newer,
    "damaged": make_damaged,
    "zero-byte": make_zero_byte,
    "text": make_text,
    "locked": make_locked,
}
