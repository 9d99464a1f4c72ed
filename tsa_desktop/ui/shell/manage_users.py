"""The Manage users dialog: who may use the file, in which role, and sign-in on or off."""


from __future__ import annotations

import html
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.domain.enums import Role
from tsa_desktop.ui.common.form import FieldSpec, FormDialog
from tsa_desktop.ui.common.screen import FitsScreen
from tsa_desktop.ui.core.interaction import Interaction
from tsa_desktop.ui.shell.sign_in import add_intro, hide_typing, same_twice
from tsa_desktop.ui.core.table_model import Column, RowTableModel

if TYPE_CHECKING:  # the services pull in SQLAlchemy: not while the window is first painted
    from tsa_desktop.services.safety.users import UserRow
    from tsa_desktop.services.workspace import Workspace
    from tsa_desktop.ui.core.messages import Messages

ROLE_CHOICES = [(r.code, r.label) for r in Role]
NO_MENTOR = (None, "— not a mentor —")
MENTOR_COLUMN = 2  # the users table's column that takes the spare width


def user_columns() -> tuple[Column[UserRow], ...]:
    """The columns of the users table."""
    from tsa_desktop.services.safety.users import UserRow

    columns: list[Column[UserRow]] = [
        Column("Name", lambda r: r.username),
        Column("Role", lambda r: r.role),
        Column("Mentor record", lambda r: r.mentor_name),
        Column("May sign in", lambda r: "Yes" if r.active else "No",
               colour=lambda r: None if r.active else "#c0392b"),
    ]
    # Shown once the service records it; older rows simply have no such field.
    if "last_sign_in" in {f.name for f in fields(UserRow)}:
        columns.append(Column("Last sign-in", lambda r: getattr(r, "last_sign_in", None)))
    return tuple(columns)


class ManageUsersDialog(FitsScreen, QDialog):
    """The users of a file (ITT lead only): add, change role, reset password, delete, and
    turning sign-in on or off.

    Attributes:
        signed_in_changed: Who is signed in (or whether anybody must) changed while the dialog
            was open; the window rebuilds its pages.
        must_sign_in_again: The signed-in user changed or deleted themselves and was signed out.
    """

    def __init__(self, workspace: Workspace, messages: Messages, interaction: Interaction,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Manage users")
        self._interaction = interaction
        self.setMinimumSize(640, 380)
        self._ws = workspace
        self._messages = messages
        self.must_sign_in_again = False

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.model = RowTableModel(user_columns(), self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MENTOR_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.change_role())

        self.add_button = self._button("&Add…", self.add_user)
        self.role_button = self._button("Change &role…", self.change_role)
        self.password_button = self._button("Reset &password…", self.reset_password)
        self.delete_button = self._button("&Delete", self.delete_user)
        self.sign_in_button = self._button("", self.toggle_sign_in)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        side = QVBoxLayout()
        for button in (self.add_button, self.role_button, self.password_button, self.delete_button):
            side.addWidget(button)
        side.addStretch(1)
        side.addWidget(self.sign_in_button)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(middle, 1)
        layout.addWidget(close)

        self._before = workspace.permissions
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.reload()

    @property
    def signed_in_changed(self) -> bool:
        return self._ws.permissions != self._before

    def _button(self, text: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)  # Enter in the table must not add or delete anybody
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # --- contents ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the users again and show whether sign-in is on."""
        users = self._ws.users
        self.sign_in_on = self._call(users.sign_in_enabled) or False
        rows = (self._call(users.list) or []) if self.sign_in_on else []
        self.model.set_rows(rows)
        name = html.escape(self._ws.display_name)
        if self.sign_in_on:
            self.status.setText(f"Sign-in is <b>on</b> for {name}: {len(rows)} user"
                                f"{'' if len(rows) == 1 else 's'}. Everybody opening the file signs in.<br>"
                                "ITT lead: everything. Office: letters, imports and exports. "
                                "Mentor: reads only their own trainees and NQTs.")
            self.sign_in_button.setText("Turn sign-in &off…")
        else:
            self.status.setText(f"Sign-in is <b>off</b> for {name}: anybody who can open the file may "
                                "do everything. Turn it on to give people roles; you become the first "
                                "ITT lead.")
            self.sign_in_button.setText("Turn sign-in &on…")
        self._enable()

    def _enable(self) -> None:
        chosen = self.selected() is not None
        self.add_button.setEnabled(self.sign_in_on)
        for button in (self.role_button, self.password_button, self.delete_button):
            button.setEnabled(self.sign_in_on and chosen)

    def selected(self) -> UserRow | None:
        """The user chosen in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0]) if rows else None

    def select(self, username: str) -> None:
        """Choose a user in the table by name."""
        row = self.model.find(lambda r: r.username.lower() == username.lower())
        if row >= 0:
            self.table.selectRow(row)

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # shown (and logged by messages when unexpected)
            self._messages.error(exc)
            return None

    def _is_me(self, row: UserRow) -> bool:
        name = self._ws.permissions.username
        return name is not None and name.lower() == row.username.lower()

    def _mentor_choices(self) -> list[tuple[Any, str]]:
        """The mentor pool, by email (how the service links a mentor user to their record)."""
        mentors = self._call(self._ws.mentors.list) or []
        return [NO_MENTOR] + [(m.email, f"{m.name} — {m.school_name}") for m in mentors if m.active]

    # --- actions -------------------------------------------------------------------------------------

    def add_user(self) -> FormDialog:
        """Add a user: name, role, password twice, and the mentor record for a mentor."""
        users = self._ws.users

        def submit(values: dict[str, Any]) -> None:
            password = same_twice(values)
            users.create(values["username"], password, values["role"], values["mentor_email"])

        dialog = FormDialog("Add a user", [
            FieldSpec("username", "Name", required=True, placeholder="as they will type it to sign in"),
            FieldSpec("role", "Role", "choice", ROLE_CHOICES, required=True),
            FieldSpec("mentor_email", "Mentor record", "choice", self._mentor_choices()),
            FieldSpec("password", "Password", required=True, placeholder="at least 10 characters"),
            FieldSpec("password_again", "Password again", required=True, aliases=("password again",)),
        ], submit, {"role": Role.OFFICE.code}, self)
        hide_typing(dialog, "password", "password_again")
        _mentor_follows_role(dialog)
        self._interaction.run_dialog(dialog)
        if dialog.result() == QDialog.DialogCode.Accepted:
            self.reload()
            self.select(dialog.values()["username"].strip())
        return dialog

    def change_role(self) -> FormDialog | None:
        """Change the chosen user's role, mentor record, or whether they may sign in."""
        row = self.selected()
        if row is None:
            return None
        users = self._ws.users
        me = self._is_me(row)

        def submit(values: dict[str, Any]) -> None:
            users.update(row.id, role=values["role"], mentor_email=values["mentor_email"],
                         active=values["active"], expected_version=row.version)

        choices = self._mentor_choices()
        email = next((m.email for m in (self._call(self._ws.mentors.list) or []) if m.id == row.mentor_id), None)
        if row.mentor_id is not None and email is not None and all(c[0] != email for c in choices):
            choices.append((email, row.mentor_name))  # a mentor since left the pool stays choosable
        dialog = FormDialog(f"Change {row.username}", [
            FieldSpec("role", "Role", "choice", ROLE_CHOICES, required=True),
            FieldSpec("mentor_email", "Mentor record", "choice", choices),
            FieldSpec("active", "May sign in", "check"),
        ], submit, {"role": row.role.code, "mentor_email": email, "active": row.active}, self)
        _mentor_follows_role(dialog)
        if me:
            add_intro(dialog, "This is you: after the change you are asked to sign in again.")
        self._interaction.run_dialog(dialog)
        if dialog.result() == QDialog.DialogCode.Accepted:
            if me:
                self._sign_me_out()
            self.reload()
            self.select(row.username)
        return dialog

    def reset_password(self) -> FormDialog | None:
        """Give the chosen user a new password (they cannot be told their old one: it is not kept)."""
        row = self.selected()
        if row is None:
            return None
        users = self._ws.users

        def submit(values: dict[str, Any]) -> None:
            users.set_password(row.id, same_twice(values))

        dialog = FormDialog(f"New password for {row.username}", [
            FieldSpec("password", "New password", required=True, placeholder="at least 10 characters"),
            FieldSpec("password_again", "New password again", required=True, aliases=("password again",)),
        ], submit, None, self)
        hide_typing(dialog, "password", "password_again")
        add_intro(dialog, f"Give {html.escape(row.username)} the new password in person or by telephone, "
                       "not by email.")
        self._interaction.run_dialog(dialog)
        if dialog.result() == QDialog.DialogCode.Accepted:
            self._messages.info(f"{row.username} has a new password.", title="Password reset")
        return dialog

    def delete_user(self) -> bool:
        """Delete the chosen user, after asking; the service refuses to delete the last ITT lead."""
        row = self.selected()
        if row is None:
            return False
        me = self._is_me(row)
        text = f"Delete the user {row.username} ({row.role.label})? They will not be able to sign in."
        if me:
            text += " This is you: you will be signed out."
        if not self._messages.confirm(text, title="Delete user"):
            return False
        if self._call(self._ws.users.delete, row.id) is None:
            return False
        if me:
            self._sign_me_out()
        self.reload()
        return True

    def toggle_sign_in(self) -> bool:
        """Turn sign-in on (creating the first ITT lead) or off (deleting every user)."""
        if self.sign_in_on:
            return self._turn_off()
        return self._turn_on()

    def _turn_on(self) -> bool:
        users = self._ws.users

        def submit(values: dict[str, Any]) -> None:
            users.enable_sign_in(values["username"], same_twice(values))

        dialog = FormDialog("Turn sign-in on", [
            FieldSpec("username", "Your name", required=True, placeholder="as you will type it to sign in"),
            FieldSpec("password", "Password", required=True, placeholder="at least 10 characters"),
            FieldSpec("password_again", "Password again", required=True, aliases=("password again",)),
        ], submit, None, self)
        hide_typing(dialog, "password", "password_again")
        add_intro(dialog, "You become the file's first ITT lead, and can then add office staff and "
                       "mentors. Everybody opening the file will have to sign in. Keep your password "
                       "safe: without an ITT lead nobody can manage users.")
        self._interaction.run_dialog(dialog)
        accepted = dialog.result() == QDialog.DialogCode.Accepted
        if accepted:
            self.reload()
        return accepted

    def _turn_off(self) -> bool:
        if not self._messages.confirm(
                "Turn sign-in off and delete every user? Anybody who can open the file may then see "
                "and change everything.", title="Turn sign-in off"):
            return False
        self._call(self._ws.users.disable_sign_in)
        self.reload()
        return not self.sign_in_on

    def _sign_me_out(self) -> None:
        # The permissions in force were derived from the old role; only a new sign-in gives new ones.
        self._ws.users.sign_out()
        self.must_sign_in_again = True
        self.accept()


def _mentor_follows_role(dialog: FormDialog) -> None:
    """Offer the mentor record only when the role is Mentor."""
    role, mentor = dialog.widgets["role"], dialog.widgets["mentor_email"]
    assert isinstance(role, QComboBox) and isinstance(mentor, QComboBox)

    def follow() -> None:
        is_mentor = role.currentData() == Role.MENTOR.code
        mentor.setEnabled(is_mentor)
        if not is_mentor:
            mentor.setCurrentIndex(0)

    role.currentIndexChanged.connect(lambda _i: follow())
    follow()


# --- the Users menu -------------------------------------------------------------------------------
