"""User management: the Users menu (the Manage users dialog is in manage_users.py).

A file has sign-in when it holds users (services/users.py). The window opens such a file signed
out and calls :func:`sign_in_on_open`; :func:`install_user_actions` adds the Users menu (sign out,
change my password, manage users). Every change of who is signed in rebuilds the pages over the
same workspace, so nothing one person could see stays on screen for the next, and the undo
history of one person cannot be replayed by another.

The sign-in dialog itself is in sign_in.py. Modal dialogs run through the window's
``interaction`` (ui/core/interaction.py), which tests script.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMenu,
)

from tsa_desktop.domain.errors import DomainError
from tsa_desktop.ui.common.form import FieldSpec, FormDialog
from tsa_desktop.ui.shell.sign_in import add_intro, hide_typing, same_twice, sign_in_on_open

if TYPE_CHECKING:  # the services pull in SQLAlchemy: not while the window is first painted
    from tsa_desktop.services.workspace import Workspace
    from tsa_desktop.ui.core.messages import Messages

from tsa_desktop.ui.shell.manage_users import ManageUsersDialog


class UserActions(QObject):
    """The Users menu of a window, shown as the current permissions allow each time it opens.

    Uses only ``window.ctx``, ``window.workspace``, ``window.messages``, ``window.menuBar()`` and
    ``window.set_workspace()``; the context is read afresh each time because rebuilding the pages
    replaces it.
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        bar = window.menuBar()
        self.menu = QMenu("&Users", window)
        help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, self.menu)
        else:
            bar.addMenu(self.menu)
        self.who = self._action("", None)
        self.who.setEnabled(False)
        self.menu.addSeparator()
        self.sign_in_action = self._action("Sign &in…", self.sign_in)
        self.sign_out_action = self._action("Sign &out", self.sign_out)
        self.password_action = self._action("&Change my password…", self.change_password)
        self.menu.addSeparator()
        self.manage_action = self._action("&Manage users…", self.manage_users)
        self.menu.aboutToShow.connect(self.refresh)
        self.refresh()

    def _action(self, text: str, slot: Callable[[], Any] | None) -> QAction:
        action = QAction(text, self.menu)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        return action

    def _workspace(self) -> Workspace | None:
        ctx = getattr(self._window, "ctx", None)
        return ctx.workspace if ctx is not None else None

    @property
    def _messages(self) -> Messages:
        return self._window.messages

    def refresh(self) -> None:
        """Show the actions the current permissions allow."""
        ws = self._workspace()
        perms = ws.permissions if ws is not None else None
        try:
            enabled = ws is not None and ws.users.sign_in_enabled()
        except Exception as exc:  # a damaged file: offer nothing rather than fail to open the menu
            self._messages.error(exc)
            enabled = False
        signed_in = perms is not None and perms.username is not None
        if ws is None:
            self.who.setText("No file open")
        elif not enabled:
            self.who.setText("Sign-in is off for this file")
        else:
            self.who.setText(f"Signed in as {perms.description}" if signed_in else "Not signed in")
        self.sign_in_action.setVisible(enabled and not signed_in)
        self.sign_out_action.setVisible(enabled and signed_in)
        self.password_action.setVisible(enabled and signed_in)
        self.manage_action.setVisible(perms is not None and perms.can("manage_users"))

    # --- actions --------------------------------------------------------------------------------------

    def sign_in(self) -> bool:
        """Ask for a name and password; rebuild the pages for whoever signed in."""
        ws = self._workspace()
        if ws is None:
            return False
        signed = sign_in_on_open(self._window, ws)
        if signed:
            self._rebuild(ws)
        return signed

    def sign_out(self) -> bool:
        """Sign out, clear the screen, and ask for the next sign-in (Cancel leaves nothing shown)."""
        ws = self._workspace()
        if ws is None:
            return False
        ws.users.sign_out()
        self._rebuild(ws)  # before asking: the next person must not see the last one's pages
        return self.sign_in()

    def change_password(self) -> FormDialog | None:
        """The signed-in user changes their own password (the old one is asked for)."""
        ws = self._workspace()
        if ws is None:
            return None

        def submit(values: dict[str, Any]) -> None:
            ws.users.change_password(values["old_password"], same_twice(values))

        dialog = FormDialog("Change my password", [
            FieldSpec("old_password", "Current password", required=True),
            FieldSpec("password", "New password", required=True, placeholder="at least 10 characters"),
            FieldSpec("password_again", "New password again", required=True, aliases=("password again",)),
        ], submit, None, self._window)
        hide_typing(dialog, "old_password", "password", "password_again")
        add_intro(dialog, f"Signed in as {html.escape(ws.permissions.description)}.")
        self._window.interaction.run_dialog(dialog)
        if dialog.result() == QDialog.DialogCode.Accepted:
            self._messages.info("Your password was changed. Use the new one from now on.",
                                title="Password changed")
        return dialog

    def manage_users(self) -> ManageUsersDialog | None:
        """Show the users of the file (ITT lead only, or anybody while sign-in is off)."""
        ws = self._workspace()
        if ws is None:
            return None
        try:
            ws.permissions.require("manage_users")
        except DomainError as exc:
            self._messages.error(exc)
            return None
        dialog = ManageUsersDialog(ws, self._messages, self._window.interaction, self._window)
        self._window.interaction.run_dialog(dialog)
        if dialog.must_sign_in_again:
            self._rebuild(ws)
            self.sign_in()
        elif dialog.signed_in_changed:
            self._rebuild(ws)
        return dialog

    def _rebuild(self, ws: Workspace) -> None:
        # The same workspace: set_workspace keeps it open and builds new pages and a new context
        # (and a new undo history) for the permissions now in force.
        self._window.set_workspace(ws)
        description = ws.permissions.description
        if description:
            self._window.statusBar().showMessage(description, 5000)


def install_user_actions(window: QMainWindow) -> UserActions:
    """Add the Users menu to a window, once (a second call returns the menu already there).

    Args:
        window: A main window with ``ctx``, ``workspace``, ``messages`` and ``set_workspace``.
    """
    existing = getattr(window, "user_actions", None)
    if isinstance(existing, UserActions):
        return existing
    actions = UserActions(window)
    window.user_actions = actions  # type: ignore[attr-defined]
    return actions
