"""The command line, run in-process through app.main (the same path as the installed script)."""

import subprocess
import sys

from tsa_desktop import __version__
from tsa_desktop.app import main


def test_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"tsa-desktop {__version__}"


def test_demo_creates_an_alliance_and_refuses_a_second_time(tmp_path, capsys):
    db = tmp_path / "x.db"
    assert main(["demo", "--db", str(db), "--size", "small", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "6 schools" in out and str(db) in out
    assert main(["demo", "--db", str(db), "--size", "small"]) == 2
    # The service's sentence, then the command line's own hint.
    assert capsys.readouterr().err == ("tsa-desktop demo: This file already holds an alliance, which the demo "
                                       "would replace; nothing was changed. Use --force to replace it with "
                                       "the demo.\n")
    assert main(["demo", "--db", str(db), "--size", "small", "--force"]) == 0


def test_demo_into_a_file_that_is_not_a_database(tmp_path, capsys):
    bogus = tmp_path / "notes.db"
    bogus.write_text("hello")
    assert main(["demo", "--db", str(bogus)]) == 2
    err = capsys.readouterr().err
    assert "not a tsa-desktop database" in err and "Traceback" not in err
    assert bogus.read_text() == "hello"


def test_python_dash_m_runs_the_same_program(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tsa_desktop", "--version"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and __version__ in result.stdout
