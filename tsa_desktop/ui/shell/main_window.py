"""The shell: navigation between the areas, menus and the status bar. No business rules."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from pathlib import Path
from typing import TYPE_CHECKING

from tsa_desktop import __version__, paths
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.core.interaction import Interaction, QtInteraction
from tsa_desktop.ui.shell.safety import SafetyActions, ask_when_locked
from tsa_desktop.ui.core.messages import Messages
from tsa_desktop.ui.shell.pages import PAGES, PageSpec
from tsa_desktop.ui.shell.icon import app_icon
from tsa_desktop.ui.shell.window_state import WindowState

if TYPE_CHECKING:  # the services pull in SQLAlchemy: not before the first paint
    from tsa_desktop.ui.shell.guide import GuideWindow
    from tsa_desktop.ui.shell.start_page import StartPage
    from tsa_desktop.services.safety.backup import FileLockedError
    from tsa_desktop.services.workspace import Workspace

DB_FILTER = "tsa-desktop databases (*.db *.sqlite);;All files (*)"
MAX_RECENT = 8


class MainWindow(QMainWindow):
    """The main window over one open workspace (File > Open switches to another).

    Signals:
        workspace_changed(): a different file was opened.

    Attributes:
        ctx: The open workspace's context; None before the first file is open, and while a
            restore replaces the file.
        safety: The data-safety actions (File menu: back up, restore, check, anonymise).
    """

    workspace_changed = Signal()

    def __init__(self, workspace: Workspace | None, messages: Messages | None = None,
                 settings: QSettings | None = None, interaction: Interaction | None = None) -> None:
        super().__init__()
        self.interaction: Interaction = interaction or QtInteraction()
        self.messages = messages or Messages(self)
        if self.messages.parent is None and type(self.messages) is Messages:
            self.messages.parent = self
        self.settings = settings or QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)
        self.ctx: AppContext | None = None
        self._pages: dict[str, QWidget] = {}
        self.start_page: StartPage | None = None
        self.guide: GuideWindow | None = None

        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(240)
        self.nav.setStyleSheet("QListWidget#navigation { font-size: 11pt; } "
                               "QListWidget#navigation::item { padding: 7px 10px; }")
        for spec in PAGES:
            self.nav.addItem(spec.title)
        self.stack = QStackedWidget(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 1000])
        self.setCentralWidget(splitter)
        self.nav.currentRowChanged.connect(self._show_page)

        self.user_label = QLabel(self)
        self.user_label.setToolTip("Who is signed in to this file (Users menu to sign out)")
        self.user_label.hide()
        self.statusBar().addPermanentWidget(self.user_label)
        self.file_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.file_label)
        self.safety = SafetyActions(self)
        self._build_menus()
        self.setWindowIcon(app_icon())
        self.state = WindowState(self, self.settings, splitter)
        self.state.restore_geometry()
        self.opening = QLabel("Opening the alliance database…", self)
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.opening)
        if workspace is not None:
            self.set_workspace(workspace)

    # --- workspace ----------------------------------------------------------------------------------

    @property
    def workspace(self) -> Workspace:
        assert self.ctx is not None
        return self.ctx.workspace

    def set_workspace(self, workspace: Workspace) -> None:
        """Show another open database: new context, new pages, undo history cleared."""
        old = self.ctx
        self.ctx = AppContext(workspace, self.messages, self, self.interaction)
        stack = self.ctx.undo_stack
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(self._undo_text)
        stack.redoTextChanged.connect(self._redo_text)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self._drop_pages()
        if old is not None:
            self._retire(old, keep=workspace)
        name = workspace.display_name
        damaged = workspace.damage is not None
        self.file_label.setText(("Read-only (damaged): " if damaged else "Read-only: " if workspace.read_only
                                 else "") + name)
        self.file_label.setToolTip("\n\n".join(workspace.notices))
        state = " (damaged, read-only)" if damaged else " (read-only)" if workspace.read_only else ""
        # The file's name first, as Windows programs do (the whole path is in the status bar).
        shown = name if "://" in name else Path(name).name
        self.setWindowTitle(f"{shown}{state} — tsa-desktop")
        self.setWindowFilePath("" if "://" in name else name)
        self._remember(name)
        # The Users menu comes with the first file: its dialogs' imports would delay the first paint.
        self._install_user_actions()
        self.user_label.setText(workspace.permissions.description)
        self.user_label.setVisible(bool(self.user_label.text()))
        self.refresh_actions()
        for row, spec in enumerate(PAGES):
            # Areas the person may not use are not offered (the pages refuse them anyway).
            self.nav.item(row).setHidden(not spec.allowed(workspace))
        self.nav.setCurrentRow(-1)
        if self._is_empty(workspace):
            self.show_start()  # a new or empty file: what to do first
        else:
            self.nav.setCurrentRow(self._first_row(workspace))
        self.workspace_changed.emit()

    @staticmethod
    def _is_empty(workspace: Workspace) -> bool:
        """A file without schools has nothing to show yet: the start page guides instead."""
        try:
            return not workspace.alliance.record_counts()["schools"] and workspace.permissions.can("import")
        except Exception:  # a damaged file: its pages say what is wrong
            return False

    def _first_row(self, workspace: Workspace) -> int:
        """The page to open on: the one shown last time, if this person may see it."""
        last = self.state.last_page()
        for row, spec in enumerate(PAGES):
            if spec.key == last and spec.allowed(workspace):
                return row
        return 0

    def release_workspace(self, text: str) -> None:
        """Close the open file and show ``text`` instead of the pages (a restore replaces the
        file underneath: nothing may read it meanwhile)."""
        old, self.ctx = self.ctx, None
        self._drop_pages()
        if old is not None:
            self._retire(old)
        self.opening.setText(text)
        self.stack.setCurrentWidget(self.opening)
        self.file_label.setText("No file open")
        self.file_label.setToolTip("")
        self.setWindowTitle("tsa-desktop")
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.refresh_actions()

    def refresh_actions(self) -> None:
        """Show the menu actions that the open file and the signed-in user's role allow (call it
        again after signing in or out)."""
        self.safety.refresh()
        self.postcode_action.setEnabled(self.ctx is not None)

    def _drop_pages(self) -> None:
        for page in self._pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self._pages.clear()
        if self.start_page is not None:
            self.stack.removeWidget(self.start_page)
            self.start_page.deleteLater()
            self.start_page = None

    @staticmethod
    def _retire(old: AppContext, keep: Workspace | None = None) -> None:
        old.undo_stack.blockSignals(True)
        old.tasks.wait()
        if old.workspace is not keep:
            old.workspace.close()
        old.deleteLater()

    def _undo_text(self, text: str) -> None:
        self.undo_action.setText(f"&Undo {text}".strip())

    def _redo_text(self, text: str) -> None:
        self.redo_action.setText(f"&Redo {text}".strip())

    def open_path(self, path: str | None) -> bool:
        """Open a database file (creating it if new); show why not if it cannot be used.

        When somebody else has the file open for editing, asks whether to open it read-only
        (:meth:`ask_when_locked`). A file with sign-in asks who is there (:meth:`sign_in`). Then
        what opening found is shown (a cleared lock, a network drive), and a damaged file, opened
        read-only, is offered its latest good backup.

        Args:
            path: A file or URL; None for the default file in the user data folder.

        Returns:
            True when the file is open in the window; False when it could not be opened or the
            user cancelled (the file open before, if any, stays open).
        """
        from tsa_desktop.services.safety.backup import FileLockedError
        from tsa_desktop.services.opening import open_workspace

        try:
            try:
                workspace = open_workspace(path, require_sign_in=False)
            except FileLockedError as exc:
                answer = self.ask_when_locked(exc)
                if answer is None:
                    return False
                workspace = open_workspace(path, require_sign_in=False, on_locked=answer)
        except Exception as exc:
            self.messages.error(exc, title="Cannot open the file")
            return False
        try:
            signed_in = self.sign_in(workspace)
        except Exception as exc:
            workspace.close()
            self.messages.error(exc, title="Cannot open the file")
            return False
        if not signed_in:
            workspace.close()
            return False
        self.set_workspace(workspace)
        self.safety.after_open(workspace)
        return True

    def ask_when_locked(self, error: FileLockedError) -> str | None:
        """Ask what to do when somebody else has the file open for editing.

        Returns:
            "read_only", "take_over" (offered only for the user's own lock), or None to cancel.
        """
        return ask_when_locked(self.interaction, self, error)

    def sign_in(self, workspace: Workspace) -> bool:
        """Sign in to a file that has sign-in turned on, before its data is shown.

        Returns:
            False when the user cancelled (the caller closes the workspace).
        """
        # open_workspace(require_sign_in=False) leaves a file with users and nobody signed in
        # with Permissions.signed_out(), whose signed_in_required is exactly "has sign-in and
        # nobody signed in"; asking users.sign_in_enabled() again would cost a query, and fail
        # on a damaged file whose users cannot be read.
        if not workspace.permissions.signed_in_required:
            return True
        from tsa_desktop.ui.shell.sign_in import sign_in_on_open  # the dialogs wait for a file with sign-in

        return bool(sign_in_on_open(self, workspace))

    # --- pages --------------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page for a navigation key, created on first use."""
        if key not in self._pages:
            spec = next(s for s in PAGES if s.key == key)
            self._pages[key] = self._create_page(spec)
            self.stack.addWidget(self._pages[key])
            self.state.page_created(key, self._pages[key])
        return self._pages[key]

    def _create_page(self, spec: PageSpec) -> QWidget:
        return spec.load()(self.ctx, self)

    def show_page(self, key: str) -> QWidget:
        """Navigate to a page."""
        row = next(i for i, s in enumerate(PAGES) if s.key == key)
        self.nav.setCurrentRow(row)
        return self.page(key)

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(PAGES) and self.ctx is not None:
            self.stack.setCurrentWidget(self.page(PAGES[row].key))
            self.state.remember_page(PAGES[row].key)

    # --- menus --------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New…", self.new_file, QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open…", self.open_file, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self._action(file_menu, "New &demo alliance…", self.new_demo)
        self.postcode_action = self._action(file_menu, "&Postcode directory…", self.postcode_directory)
        file_menu.addSeparator()
        self.safety.add_to_file_menu(file_menu)
        file_menu.addSeparator()
        self.file_menu = file_menu
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self._action(edit_menu, "&Undo", lambda: self.ctx and self.ctx.undo_stack.undo(),
                                        QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(edit_menu, "&Redo", lambda: self.ctx and self.ctx.undo_stack.redo(),
                                        QKeySequence.StandardKey.Redo)

        help_menu = self.menuBar().addMenu("&Help")
        self.guide_action = self._action(help_menu, "&User guide", self.open_guide,
                                         QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "&Getting started", self.show_start)
        help_menu.addSeparator()
        self.safety.add_to_help_menu(help_menu)
        self._action(help_menu, "&About tsa-desktop", self.about)
        self.help_menu = help_menu
        self.refresh_actions()

    def _install_user_actions(self) -> None:
        """Sign in/out and Users… (ui/shell/users.py), added with the first file."""
        from tsa_desktop.ui.shell.users import install_user_actions  # after the first paint

        install_user_actions(self)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def new_file(self) -> None:
        path = self.interaction.save_file(self, "New alliance database", str(paths.data_dir()), DB_FILTER)
        if path:
            self.open_path(path)

    def open_file(self) -> None:
        path = self.interaction.open_file(self, "Open alliance database", str(paths.data_dir()), DB_FILTER)
        if path:
            self.open_path(path)

    def new_demo(self) -> None:
        from tsa_desktop.ui.shell.demo import DemoDialog

        self.run_dialog(DemoDialog(self))

    def postcode_directory(self) -> None:
        """File > Postcode directory…: what this computer has, and loading another."""
        from tsa_desktop.ui.shell.postcodes import PostcodeDialog

        self.run_dialog(PostcodeDialog(self))

    def run_dialog(self, dialog) -> int:
        """Show a modal dialog (through ``interaction``, which tests script)."""
        return self.interaction.run_dialog(dialog)

    def show_start(self) -> StartPage | None:
        """Show the getting-started steps (Help > Getting started)."""
        if self.ctx is None:
            return None
        if self.start_page is None:
            from tsa_desktop.ui.shell.start_page import StartPage  # only for an empty file

            self.start_page = StartPage(self.ctx, self)
            self.start_page.show_page.connect(self.show_page)
            self.start_page.demo_requested.connect(self.new_demo)
            self.stack.addWidget(self.start_page)
        self.start_page.refresh()
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(-1)
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(self.start_page)
        self.start_page.setFocus()
        return self.start_page

    def current_page_key(self) -> str:
        """The navigation key of the page in front ("start" for the getting-started steps)."""
        current = self.stack.currentWidget()
        if current is not None and current is self.start_page:
            return "start"
        return next((key for key, page in self._pages.items() if page is current), "start")

    def open_guide(self) -> GuideWindow:
        """Help > User guide (F1): open at the section about the page in front."""
        if self.guide is None:
            from tsa_desktop.ui.shell.guide import GuideWindow  # only when asked for

            self.guide = GuideWindow(self)
        self.guide.show_page_help(self.current_page_key())
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()
        return self.guide

    def about(self) -> None:
        QMessageBox.about(
            self, "About tsa-desktop",
            f"<h3>tsa-desktop {__version__}</h3>"
            "<p>ITT placement and mentor planner for teaching school alliances.</p>"
            f"<p>Open file: {self.workspace.display_name if self.ctx else 'none'}<br>"
            f"Data folder: {paths.data_dir()}<br>Log file: {paths.log_file()}</p>",
        )

    # --- recent files -------------------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def _remember(self, name: str) -> None:
        if "://" in name:
            return
        recent = [name] + [p for p in self.recent_files() if p != name]
        self.settings.setValue("recent_files", recent[:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none)").setEnabled(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.state.save(self._pages)
        self.safety.tasks.wait()
        if self.ctx is not None:
            self.ctx.undo_stack.blockSignals(True)
            self.ctx.tasks.wait()
            self.ctx.workspace.close()
        super().closeEvent(event)

