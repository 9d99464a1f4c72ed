"""Where things live on this computer: the user data folder, the default database, logs, resources.

No Qt. ``TSA_DESKTOP_DATA_DIR`` overrides the user data folder (tests and portable installs);
``TSA_DESKTOP_RESOURCES`` overrides the resources folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "tsa-desktop"
APP_AUTHOR = "tsa-desktop"


def data_dir() -> Path:
    """The user data folder, created if needed."""
    override = os.environ.get("TSA_DESKTOP_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database() -> Path:
    """The database file used when ``--db`` is not given."""
    return data_dir() / "alliance.db"


def log_file() -> Path:
    """The log file that unexpected errors (with their tracebacks) are written to."""
    folder = data_dir() / "logs"
    folder.mkdir(exist_ok=True)
    return folder / "tsa-desktop.log"


def backup_dir() -> Path:
    """Where automatic backups go."""
    folder = data_dir() / "backups"
    folder.mkdir(exist_ok=True)
    return folder


def postcode_dir() -> Path:
    """Where the postcode directory is kept: once per computer, shared by every alliance file."""
    return data_dir() / "postcodes"


def settings_file() -> Path:
    """The window's own preferences (recent files, geometry): an INI file in the data folder."""
    return data_dir() / "window.ini"


def resources_dir() -> Path:
    """The resources folder: fonts, icons, sample files, documentation.

    Found beside the package in a source tree or an editable install, and under
    ``sys._MEIPASS`` in a PyInstaller bundle.
    """
    override = os.environ.get("TSA_DESKTOP_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
