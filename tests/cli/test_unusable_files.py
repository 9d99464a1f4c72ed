"""Every command x every kind of file that cannot be used (newer, damaged, zero-byte, text, locked).

The promise (INTERFACES.md): exit 2 with one plain sentence on stderr, the file byte for byte as
it was, and nothing written anywhere else. The few documented exceptions are in commands.py
(verify reports a damaged file with exit 1; restore and demo may replace a damaged or empty file,
which is what they are for).
"""

from __future__ import annotations

import shutil

import pytest

from tests.cli.commands import COMMANDS, REFUSED
from tests.cli.conftest import UNUSABLE, assert_plain_refusal, digest
from tsa_desktop.app import main


def _files(folder):
    """The files in ``folder``, but for the shared-memory index and empty write-ahead log that SQLite
    itself makes beside a WAL-mode file whenever it reads one (checking a file reads it)."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if not p.name.endswith("-shm") and not (p.name.endswith("-wal") and p.stat().st_size == 0))


CASES = [pytest.param(command, kind, id=f"{command.id}-{kind}",
                      marks=[pytest.mark.slow] if command.slow and command.unusable.get(kind, REFUSED) != REFUSED
                      else [])
         for command in COMMANDS for kind in UNUSABLE]


@pytest.mark.parametrize("command, kind", CASES)
def test_every_command_refuses_a_file_it_cannot_use(command, kind, shared_demo, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "files"
    folder.mkdir()
    db = folder / "alliance.db"
    UNUSABLE[kind](db, shared_demo)
    out = tmp_path / "out"
    for name, value in command.env.items():
        monkeypatch.setenv(name, value)
    before, files_before = digest(db), _files(folder)

    code = main([*command.line(db=db, out=out, backup=shared_demo.backup, csv=shared_demo.schools_csv,
                               mentor=shared_demo.mentor_email, other_mentor=shared_demo.other_mentor_email,
                               urn=shared_demo.school_urn),
                 "--db", str(db)])

    captured = capsys.readouterr()
    expected = command.unusable.get(kind, REFUSED)
    assert code in expected, captured.err
    if expected == REFUSED:
        assert_plain_refusal(captured.err)
        assert digest(db) == before, "the file was changed"
        assert _files(folder) == files_before, "files were left beside the database"
        assert not out.exists(), "an output was written"


def test_a_backup_copies_a_file_the_same_person_has_open_in_the_window(shared_demo, tmp_path, capsys):
    from tsa_desktop.services.opening import open_workspace

    db = tmp_path / "mine.db"
    shutil.copy2(shared_demo.db, db)
    window = open_workspace(db, backup_dir=tmp_path / "backups")  # holds the lock, as the window does
    try:
        assert window.lock is not None
        assert main(["backup", "--db", str(db), "--out", str(tmp_path / "copy.db")]) == 0
    finally:
        window.close()
    assert (tmp_path / "copy.db").read_bytes().startswith(b"SQLite format 3")
