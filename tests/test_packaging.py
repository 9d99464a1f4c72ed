"""The packaging files and the start-up shortcuts they rely on, checked without building.

Building takes a minute and needs PyInstaller: ``python packaging/build.py`` does that and
smoke-tests the result. These tests guard what a build would only show on a user's machine: a
spec that forgets the migrations, an installer that deletes user data, a start-up that loads
Alembic or every sub-command again.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tsa_desktop.app import _window_only
from tsa_desktop.db.migrate import MIGRATIONS, _head_from_files, head_revision

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the head revision read without Alembic -------------------------------------------------


def _scripts(tmp_path: Path) -> Path:
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _revision(scripts: Path, rev: str, down: str) -> None:
    """A revision written the way ``alembic revision`` writes one today (typed assignments)."""
    (scripts / "versions" / f"{rev}_step.py").write_text(textwrap.dedent(f'''\
        """step {rev}

        Revision ID: {rev}
        Revises: {down}
        """
        from typing import Sequence, Union

        revision: str = "{rev}"
        down_revision: Union[str, Sequence[str], None] = {down}
        branch_labels: Union[str, Sequence[str], None] = None
        depends_on: Union[str, Sequence[str], None] = None


        def upgrade() -> None:
            pass


        def downgrade() -> None:
            pass
        '''), encoding="utf-8")


def test_head_from_files_agrees_with_alembic_on_the_shipped_migrations():
    assert _head_from_files(MIGRATIONS) == head_revision(MIGRATIONS)


def test_head_from_files_follows_new_and_merge_revisions(tmp_path):
    scripts = _scripts(tmp_path)
    base = head_revision(scripts)
    _revision(scripts, "9001", repr(base))
    assert _head_from_files(scripts) == head_revision(scripts) == "9001"

    _revision(scripts, "9002", repr(base))  # a second branch: two heads
    assert _head_from_files(scripts) is None

    _revision(scripts, "9003", "('9001', '9002')")  # the merge
    assert _head_from_files(scripts) == head_revision(scripts) == "9003"


def test_head_from_files_gives_up_on_a_script_it_cannot_read(tmp_path):
    scripts = _scripts(tmp_path)
    (scripts / "versions" / "9001_odd.py").write_text("revision = make_id()\ndown_revision = None\n")
    assert _head_from_files(scripts) is None


def test_opening_an_up_to_date_file_does_not_load_alembic(tmp_path):
    db = tmp_path / "at-head.db"
    from tsa_desktop.db.engine import to_url
    from tsa_desktop.db.migrate import upgrade_database

    upgrade_database(to_url(db), None)
    code = (
        "import sys\n"
        "from tsa_desktop.db.engine import to_url\n"
        "from tsa_desktop.db.migrate import upgrade_database\n"
        f"report = upgrade_database(to_url({str(db)!r}), None)\n"
        "assert not report.changed, report\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --- the window's command line ---------------------------------------------------------------


@pytest.mark.parametrize(("argv", "expected"), [
    ([], (True, None)),
    (["--db", "alliance.db"], (True, "alliance.db")),
    (["--db=C:\\data\\alliance.db"], (True, "C:\\data\\alliance.db")),
    (["--db", "postgresql+psycopg://u@host/tsa"], (True, "postgresql+psycopg://u@host/tsa")),
    (["--version"], (False, None)),
    (["--help"], (False, None)),
    (["demo", "--db", "d.db"], (False, None)),
    (["--db", "d.db", "demo"], (False, None)),
    (["--db"], (False, None)),
    (["--db", "--version"], (False, None)),
    (["--db="], (False, None)),
])
def test_window_only_command_lines(argv, expected):
    assert _window_only(argv) == expected


def test_the_full_parser_still_answers_version(capsys):
    from tsa_desktop import __version__
    from tsa_desktop.app import main

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert __version__ in capsys.readouterr().out


# --- the spec, the build helper and the installer script -------------------------------------


def test_spec_ships_resources_migrations_and_metadata():
    spec = (PACKAGING / "tsa_desktop.spec").read_text(encoding="utf-8")
    for needed in ('"resources"', '"migrations/*.mako"', '"migrations/versions/*.py"',
                   'copy_metadata("tsa-desktop")', '"PySide6.QtWebEngineCore"', '"tkinter"'):
        assert needed in spec
    assert (ROOT / "tsa_desktop/db/migrations/script.py.mako").is_file()


def test_build_helper_compares_releases():
    build = _load(PACKAGING / "build.py")
    assert build._release("6.5") >= (6, 5)
    assert build._release("6.10.0rc1") == (6, 10, 0)
    assert build._release("5.13.2") < (6, 5)


def test_installer_is_per_user_and_keeps_user_data():
    iss = (PACKAGING / "windows" / "tsa-desktop.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in iss
    assert "DefaultDirName={autopf}\\{#AppName}" in iss  # {userpf}: {localappdata}\Programs
    assert "[Icons]" in iss and "{autoprograms}" in iss
    assert "GetStringFileInfo" in iss  # the version comes from the built executable
    sections = [line.strip() for line in iss.splitlines() if line.startswith("[")]
    assert "[UninstallDelete]" not in sections
    # platformdirs' data folder on Windows: nothing in the script may point there.
    assert "{localappdata}\\tsa-desktop" not in iss


def test_build_output_is_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored and "dist/" in ignored


def test_the_icon_ships_in_every_size_windows_uses():
    from PIL import Image

    with Image.open(ROOT / "resources" / "icons" / "tsa-desktop.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(ROOT / "resources" / "icons" / "tsa-desktop.png") as png:
        assert png.size == (256, 256) and png.mode == "RGBA"


def test_spec_and_installer_carry_the_icon_and_the_postgres_driver():
    spec = (PACKAGING / "tsa_desktop.spec").read_text(encoding="utf-8")
    assert "icon=str(ICON)" in spec and '"tsa-desktop.ico"' in spec
    # psycopg loads its compiled wrapper by name: the spec must collect it explicitly.
    for needed in ('collect_submodules("psycopg_binary")', 'collect_dynamic_libs("psycopg_binary")',
                   "binaries=PG_BINARIES", '"sqlalchemy.dialects.postgresql.psycopg"'):
        assert needed in spec
    # The letter preview needs QtPdf (and Qt6Pdf links Qt6Network).
    assert '"PySide6.QtPdf"' not in spec and "Pdf|" not in spec and "Network|" not in spec
    iss = (PACKAGING / "windows" / "tsa-desktop.iss").read_text(encoding="utf-8")
    assert "SetupIconFile={#AppIcon}" in iss and "resources\\icons\\tsa-desktop.ico" in iss
    shortcuts = [line for line in iss.splitlines() if line.startswith('Name: "{auto')]
    assert len(shortcuts) == 2 and all('IconFilename: "{app}\\{#AppExe}"' in s for s in shortcuts)


def test_bundle_check_previews_a_letter_and_reaches_postgres(capsys):
    check = _load(PACKAGING / "bundle_check.py")
    assert check.main() == 0
    out = capsys.readouterr().out
    assert "ok   letter preview: QtPdf opens and renders a letter" in out
    assert "ok   postgres: psycopg" in out and "not bundled" not in out
