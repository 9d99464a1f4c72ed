"""Shared fixtures. Tests never touch the real user data folder and never need a display."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
def workspace(db_path):
    """An empty, migrated database file."""
    from tsa_desktop.services.workspace import open_workspace

    ws = open_workspace(db_path)
    yield ws
    ws.close()


@pytest.fixture
def small_demo(db_path):
    """A workspace holding the small demo alliance (seed 1, year 2026/27)."""
    from tsa_desktop.services.demo import DemoService
    from tsa_desktop.services.workspace import open_workspace

    ws = open_workspace(db_path)
    DemoService(ws.db).create("small", seed=1, year=DEMO_YEAR)
    yield ws
    ws.close()


@pytest.fixture
def alliance_demo(db_path):
    """A workspace holding the "alliance" demo (seed 1, year 2026/27)."""
    from tsa_desktop.services.demo import DemoService
    from tsa_desktop.services.workspace import open_workspace

    ws = open_workspace(db_path)
    DemoService(ws.db).create("alliance", seed=1, year=DEMO_YEAR)
    yield ws
    ws.close()
