"""Signing in: the sign-in dialog, asked before a file with sign-in shows anything, and the
small helpers the user dialogs share (hidden password typing, a password asked twice, an intro).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.ui.common.form import FieldSpec, FormDialog

if TYPE_CHECKING:  # the services pull in SQLAlchemy: not while the window is first painted
    from tsa_desktop.services.safety.users import Permissions, UserService
    from tsa_desktop.services.workspace import Workspace


def hide_typing(dialog: FormDialog, *names: str) -> None:
    """Show dots instead of the password as it is typed."""
    for name in names:
        edit = dialog.widgets[name]
        assert isinstance(edit, QLineEdit)
        edit.setEchoMode(QLineEdit.EchoMode.Password)


def same_twice(values: dict[str, Any], first: str = "password", second: str = "password_again") -> str:
    """The new password, once it was typed the same twice."""
    if values[first] != values[second]:
        raise ValidationError.single(second.replace("_", " "), "the two passwords are not the same; type them again")
    return values[first]


def add_intro(dialog: QDialog, text: str) -> QLabel:
    """A line of explanation above a form's fields."""
    label = QLabel(text, dialog)
    label.setWordWrap(True)
    label.setObjectName("intro")
    layout = dialog.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(0, label)
    return label


# --- signing in -----------------------------------------------------------------------------------


class SignInDialog(FormDialog):
    """Asks for a user name and password for one file.

    A wrong name or password keeps the dialog open with the service's message and clears the
    password. On success :attr:`permissions` holds what the user may do (the workspace already
    acts as them).

    Args:
        users: The file's user service.
        file_name: The file as the window names it.
        username: A name to start with (the last one signed in).
    """

    def __init__(self, users: UserService, file_name: str, username: str = "",
                 parent: QWidget | None = None) -> None:
        specs = [FieldSpec("username", "User name"), FieldSpec("password", "Password")]
        super().__init__("Sign in", specs, self._sign_in, {"username": username}, parent)
        self.setMinimumWidth(420)
        self._users = users
        self.permissions: Permissions | None = None
        hide_typing(self, "password")
        short = file_name.replace("\\", "/").rsplit("/", 1)[-1] or file_name
        label = add_intro(self, f"<b>{html.escape(short)}</b> has sign-in turned on.<br>"
                             "Sign in with the name and password the ITT lead gave you.")
        label.setToolTip(file_name)
        self.file_label = label
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        (self.widgets["password"] if username else self.widgets["username"]).setFocus()

    def _sign_in(self, values: dict[str, Any]) -> None:
        self.permissions = self._users.sign_in(values["username"], values["password"])

    def try_accept(self) -> None:
        """Sign in; on a refusal stay open with the message and an empty password."""
        super().try_accept()
        if self.permissions is None:
            password = self.widgets["password"]
            assert isinstance(password, QLineEdit)
            password.clear()
            password.setFocus()


def sign_in_on_open(window: QWidget, workspace: Workspace) -> bool:
    """Ask for a name and password for a file opened signed out.

    Args:
        window: The parent of the dialog.
        workspace: The open file (with sign-in turned on).

    Returns:
        True when somebody signed in (the workspace's permissions are then theirs); False when
        the dialog was cancelled (the file stays signed out: nothing is shown).
    """
    dialog = SignInDialog(workspace.users, workspace.display_name, parent=window)
    window.interaction.run_dialog(dialog)
    # What the service did decides, not the dialog's return code (a test may not exec it).
    if dialog.permissions is None:
        return False
    # Opening a file with sign-in skips today's automatic backup: nobody was allowed to make
    # one yet. It is made now, if the person who signed in may (it never raises).
    workspace.safety.daily_backup()
    return True


# --- the Manage users dialog ----------------------------------------------------------------------
