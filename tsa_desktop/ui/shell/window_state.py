"""What the window remembers between sessions: its size and place, its splitters, the page last
shown and the academic year last chosen (in the user's settings file, never in the database).

A window never opened before fills the screen's available area on a small screen (a school
office's 1366x768) and takes 1280x800 on a bigger one; a remembered size that no longer fits (the
laptop is off its docking station) is brought back within the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QComboBox, QMainWindow, QSplitter, QWidget

from tsa_desktop.ui.common.screen import available_area, fit_to_screen

GEOMETRY_KEY = "window/geometry"
MAIN_SPLITTER_KEY = "window/navigation"
PAGE_KEY = "window/page"
YEAR_KEY = "window/year"
#: Screens up to this wide get a maximised window the first time.
SMALL_SCREEN_WIDTH = 1440


class WindowState:
    """Saves and restores the main window's state in a QSettings.

    Args:
        window: The main window.
        settings: Where the state is kept.
        main_splitter: The splitter between the navigation and the pages.
    """

    def __init__(self, window: QMainWindow, settings: QSettings, main_splitter: QSplitter) -> None:
        self.window = window
        self.settings = settings
        self.main_splitter = main_splitter

    # --- the window ------------------------------------------------------------------------------

    def restore_geometry(self) -> None:
        """Put the window where it was, or size it for this screen the first time."""
        saved = self.settings.value(GEOMETRY_KEY)
        if isinstance(saved, QByteArray) and self.window.restoreGeometry(saved):
            area = available_area(self.window)
            size = self.window.size()
            if size.width() > area.width() or size.height() > area.height():
                fit_to_screen(self.window, (size.width(), size.height()))
        else:
            fit_to_screen(self.window, (1280, 800))
            if available_area(self.window).width() <= SMALL_SCREEN_WIDTH:
                self.window.setWindowState(self.window.windowState()
                                           | Qt.WindowState.WindowMaximized)
        splitter = self.settings.value(MAIN_SPLITTER_KEY)
        if isinstance(splitter, QByteArray):
            self.main_splitter.restoreState(splitter)

    def save(self, pages: dict[str, QWidget]) -> None:
        """Remember the window, its splitters and those of the pages shown this session."""
        self.settings.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        self.settings.setValue(MAIN_SPLITTER_KEY, self.main_splitter.saveState())
        for key, page in pages.items():
            for i, splitter in enumerate(page.findChildren(QSplitter)):
                self.settings.setValue(_splitter_key(key, i), splitter.saveState())
        self.settings.sync()

    # --- pages -----------------------------------------------------------------------------------

    def last_page(self) -> str | None:
        """The page shown last time, if any."""
        value = self.settings.value(PAGE_KEY)
        return str(value) if value else None

    def remember_page(self, key: str) -> None:
        self.settings.setValue(PAGE_KEY, key)

    def year(self) -> str | None:
        """The academic year chosen last, if any."""
        value = self.settings.value(YEAR_KEY)
        return str(value) if value else None

    def page_created(self, key: str, page: QWidget) -> None:
        """Give a new page its splitters' sizes and the remembered year, and follow its year box."""
        for i, splitter in enumerate(page.findChildren(QSplitter)):
            state = self.settings.value(_splitter_key(key, i))
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        box = getattr(page, "year_box", None)
        if not isinstance(box, QComboBox):
            return
        year = self.year()
        if year and box.count() == 0:
            # The page fills its years when first shown and keeps the one already chosen, if the
            # file has it (else it takes its usual default).
            box.blockSignals(True)
            box.addItem(year, year)
            box.blockSignals(False)
        box.currentIndexChanged.connect(lambda _i, b=box: self._year_chosen(b))

    def _year_chosen(self, box: QComboBox) -> None:
        year = box.currentData()
        if year:  # "All years" is a view, not a year to come back to
            self.settings.setValue(YEAR_KEY, year)


def _splitter_key(page: str, index: int) -> str:
    return f"splitters/{page}/{index}"
