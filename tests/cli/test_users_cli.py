"""``tsa-desktop users list|add|remove``: accounts set up by school IT staff without the window."""

from __future__ import annotations

import shutil

import pytest

from tests.cli.conftest import assert_plain_refusal, digest
from tsa_desktop.app import main


@pytest.fixture
def db(shared_demo, tmp_path):
    path = tmp_path / "alliance.db"
    shutil.copy2(shared_demo.db, path)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_first_user_is_an_itt_lead_and_turns_sign_in_on(db, shared_demo, capsys, monkeypatch):
    code, out, _ = run(capsys, "users", "list", "--db", str(db))
    assert code == 0 and out.startswith("no users: sign-in is off")

    monkeypatch.setenv("TSA_DESKTOP_NEW_PASSWORD", "office password 1")
    before = digest(db)
    code, _, err = run(capsys, "users", "add", "sam", "--role", "office", "--db", str(db))
    assert code == 2 and "first user must be an ITT lead" in err
    assert_plain_refusal(err)
    assert digest(db) == before

    monkeypatch.setenv("TSA_DESKTOP_NEW_PASSWORD", "lead password 1")
    code, out, _ = run(capsys, "users", "add", "Jo", "--role", "itt_lead", "--db", str(db))
    assert code == 0 and out.strip().endswith("sign-in is now on for this file")

    # From now on every command signs in.
    code, _, err = run(capsys, "users", "list", "--db", str(db))
    assert code == 2 and "sign-in turned on" in err
    monkeypatch.setenv("TSA_DESKTOP_USER", "jo")
    monkeypatch.setenv("TSA_DESKTOP_PASSWORD", "lead password 1")
    monkeypatch.setenv("TSA_DESKTOP_NEW_PASSWORD", "mentor password 1")
    code, out, _ = run(capsys, "users", "add", "ann", "--role", "mentor", "--mentor",
                       shared_demo.mentor_email.upper(), "--db", str(db))
    assert code == 0 and out.startswith("added ann (Mentor)")
    code, out, _ = run(capsys, "users", "list", "--db", str(db))
    lines = out.strip().splitlines()
    assert code == 0 and lines[-1].startswith("2 users") and lines[0].startswith("Jo\tITT lead")
    assert lines[1].startswith("ann\tMentor\t")

    code, out, _ = run(capsys, "users", "remove", "ANN", "--db", str(db))
    assert code == 0 and out.startswith("removed ann")
    code, _, err = run(capsys, "users", "remove", "nobody", "--db", str(db))
    assert code == 2 and "no user called nobody" in err


def test_a_mentor_account_needs_a_mentor_of_the_pool(db, capsys, monkeypatch):
    monkeypatch.setenv("TSA_DESKTOP_NEW_PASSWORD", "lead password 1")
    assert run(capsys, "users", "add", "jo", "--role", "itt_lead", "--db", str(db))[0] == 0
    monkeypatch.setenv("TSA_DESKTOP_USER", "jo")
    monkeypatch.setenv("TSA_DESKTOP_PASSWORD", "lead password 1")
    code, _, err = run(capsys, "users", "add", "ann", "--role", "mentor", "--db", str(db))
    assert code == 2 and "--mentor" in err
    code, _, err = run(capsys, "users", "add", "ann", "--role", "mentor", "--mentor", "nobody@school.example",
                       "--db", str(db))
    assert code == 2 and "nobody@school.example" in err
    assert_plain_refusal(err)


def test_the_password_is_asked_for_in_a_terminal_and_never_guessed(db, capsys, monkeypatch):
    monkeypatch.delenv("TSA_DESKTOP_NEW_PASSWORD", raising=False)
    before = digest(db)
    code, _, err = run(capsys, "users", "add", "jo", "--role", "itt_lead", "--db", str(db))
    assert code == 2 and "TSA_DESKTOP_NEW_PASSWORD" in err  # not a terminal: nothing to ask
    assert digest(db) == before

    import getpass
    import sys

    answers = iter(["a long password 1", "a long password 2"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    code, _, err = run(capsys, "users", "add", "jo", "--role", "itt_lead", "--db", str(db))
    assert code == 2 and "differ" in err

    answers = iter(["a long password 1", "a long password 1"])
    code, out, _ = run(capsys, "users", "add", "jo", "--role", "itt_lead", "--db", str(db))
    assert code == 0 and "sign-in is now on" in out
    monkeypatch.setenv("TSA_DESKTOP_USER", "jo")
    monkeypatch.setenv("TSA_DESKTOP_PASSWORD", "a long password 1")
    assert run(capsys, "users", "list", "--db", str(db))[0] == 0
