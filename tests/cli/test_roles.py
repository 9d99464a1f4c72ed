"""Every command x every role (ITT lead, office, mentor) on a file with sign-in.

A command the role may not run exits 2 with one plain sentence, before anything is written: the
database byte for byte as it was, and no output file.
"""

from __future__ import annotations

import shutil

import pytest

from tests.cli.commands import COMMANDS, REFUSED
from tests.cli.conftest import LEAD, MENTOR, OFFICE, assert_plain_refusal, digest
from tsa_desktop.app import main

ROLES = {"itt_lead": LEAD, "office": OFFICE, "mentor": MENTOR}


CASES = [pytest.param(command, role, id=f"{command.id}-{role}",
                      marks=[pytest.mark.slow] if command.slow and allowed != REFUSED else [])
         for command in COMMANDS for role, allowed in zip(ROLES, command.roles)]


@pytest.mark.parametrize("command, role", CASES)
def test_every_command_for_every_role(command, role, shared_demo, tmp_path, capsys, monkeypatch):
    db = tmp_path / "alliance.db"
    shutil.copy2(shared_demo.signed_in, db)
    out = tmp_path / "out"
    name, password = ROLES[role]
    monkeypatch.setenv("TSA_DESKTOP_USER", name)
    monkeypatch.setenv("TSA_DESKTOP_PASSWORD", password)
    for key, value in command.env.items():
        monkeypatch.setenv(key, value)
    before = digest(db)

    code = main([*command.line(db=db, out=out, backup=shared_demo.signed_in, csv=shared_demo.schools_csv,
                               mentor=shared_demo.mentor_email, other_mentor=shared_demo.other_mentor_email,
                               urn=shared_demo.school_urn),
                 "--db", str(db)])

    captured = capsys.readouterr()
    expected = command.roles[list(ROLES).index(role)]
    assert code in expected, captured.err
    if expected == REFUSED:
        assert_plain_refusal(captured.err)
        assert digest(db) == before, "the file was changed"
        assert not out.exists(), "an output was written"
    else:
        assert "Traceback" not in captured.err and "unexpected error" not in captured.err, captured.err
