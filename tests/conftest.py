"""Shared fixtures. Tests never touch the real user data folder and never need a display."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # Widgets are tested on the screen of a school office PC, 1366x768 (the offscreen plugin's
    # own screen is 800x800): the plugin reads the screen from a configuration file.
    os.environ["QT_QPA_PLATFORM"] = (
        f"offscreen:configfile={Path(__file__).parent / 'ui' / 'office_screen.json'}")

import pytest  # noqa: E402

DEMO_YEAR = "2026/27"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Each test gets its own user data folder (logs, backups, window settings)."""
    folder = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("TSA_DESKTOP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "alliance.db"


@pytest.fixture
def workspace(db_target):
    """An empty, migrated database file (or PostgreSQL schema: see db_target)."""
    from tsa_desktop.services.opening import open_workspace

    ws = open_workspace(db_target)
    yield ws
    ws.close()


@pytest.fixture
def small_demo(db_target):
    """A workspace holding the small demo alliance (seed 1, year 2026/27)."""
    from tsa_desktop.services.demo.builder import DemoService
    from tsa_desktop.services.opening import open_workspace

    ws = open_workspace(db_target)
    DemoService(ws.db).create("small", seed=1, year=DEMO_YEAR)
    yield ws
    ws.close()


@pytest.fixture
def alliance_demo(db_target):
    """A workspace holding the "alliance" demo (seed 1, year 2026/27)."""
    from tsa_desktop.services.demo.builder import DemoService
    from tsa_desktop.services.opening import open_workspace

    ws = open_workspace(db_target)
    DemoService(ws.db).create("alliance", seed=1, year=DEMO_YEAR)
    yield ws
    ws.close()


# --- SQLite and PostgreSQL ------------------------------------------------------------------------
# The service tests run twice: on a SQLite file, and on a real PostgreSQL server when
# TSA_TEST_POSTGRES_URL names one (.ci/run starts one; without it only SQLite runs).
# A test under tests/services/ that uses the workspace, small_demo or alliance_demo fixture gets
# both, unless it is about the SQLite file itself: it asks for db_path, its code mentions the file
# (".db.path", "sqlite"), or it is marked sqlite_only. Tests elsewhere can ask for any_db,
# any_workspace or any_small_demo. Each PostgreSQL test gets a fresh schema, dropped after it.

POSTGRES_URL = os.environ.get("TSA_TEST_POSTGRES_URL", "")
_NO_SERVER = "TSA_TEST_POSTGRES_URL is not set (no PostgreSQL server to test against)"
_BOTH = [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]
# Without a server the second run is left out rather than skipped: a skip line for every service
# test would bury the summary. The tests that need a server (postgres_url) still say they skipped.
_BACKENDS = _BOTH if POSTGRES_URL else _BOTH[:1]
_FILE_WORDS = ("db_path", "db.path", "sqlite")


def pytest_generate_tests(metafunc):
    if not POSTGRES_URL or "db_backend" not in metafunc.fixturenames or "db_backend" in metafunc.function.__code__.co_varnames:
        return
    if "services" not in metafunc.definition.path.parts or metafunc.definition.get_closest_marker("sqlite_only"):
        return
    import inspect

    try:
        source = inspect.getsource(metafunc.function)
    except OSError:
        return
    if any(word in source for word in _FILE_WORDS):
        return
    metafunc.parametrize("db_backend", _BOTH, indirect=True)


@pytest.fixture
def db_backend(request):
    """"sqlite", or "postgres" for the second run of a service test."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_target(request, db_backend, db_path):
    """What the workspace fixtures open: the SQLite file, or a fresh PostgreSQL schema."""
    if db_backend == "postgres":
        return request.getfixturevalue("postgres_url")
    return db_path


@pytest.fixture
def postgres_url():
    """The URL of a fresh, empty schema on the test server (skips without a server)."""
    if not POSTGRES_URL:
        pytest.skip(_NO_SERVER)
    import uuid

    from sqlalchemy import text

    from tsa_desktop.db.engine import create_db_engine, to_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(to_url(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = to_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '20s'"))
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=_BACKENDS)
def any_db(request, tmp_path):
    """Where to open a database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "alliance.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def any_workspace(any_db):
    """An empty, migrated database on each backend."""
    from tsa_desktop.services.opening import open_workspace

    ws = open_workspace(any_db)
    yield ws
    ws.close()


@pytest.fixture
def any_small_demo(any_db):
    """The small demo alliance (seed 1, year 2026/27) on each backend."""
    from tsa_desktop.services.demo.builder import DemoService
    from tsa_desktop.services.opening import open_workspace

    ws = open_workspace(any_db)
    DemoService(ws.db).create("small", seed=1, year=DEMO_YEAR)
    yield ws
    ws.close()
