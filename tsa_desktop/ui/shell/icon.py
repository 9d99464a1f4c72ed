"""The application's icon (resources/icons, drawn by packaging/make_icon.py)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from tsa_desktop import paths


def app_icon() -> QIcon:
    """The icon of the window, its dialogs and the taskbar (empty if the file is missing)."""
    folder = paths.resources_dir() / "icons"
    icon = QIcon()
    for name in ("tsa-desktop.ico", "tsa-desktop.png"):
        if (folder / name).is_file():
            icon.addFile(str(folder / name))
    return icon
