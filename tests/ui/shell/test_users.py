"""The sign-in dialog, the Users menu and the Manage users dialog, over a real database file."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from tests.conftest import DEMO_YEAR
from tsa_desktop.domain.enums import Role
from tsa_desktop.services.opening import open_workspace
from tsa_desktop.ui.shell import sign_in as sign_in_ui, users as users_ui
from tsa_desktop.ui.common.form import FormDialog
from tsa_desktop.ui.shell.main_window import MainWindow

LEAD_PASSWORD = "lead password one"
OFFICE_PASSWORD = "office password one"
MENTOR_PASSWORD = "mentor password one"

Step = Callable[[QDialog], Any]


class Person:
    """Stands in for the person at each modal dialog in turn: one step per dialog."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.seen: list[QDialog] = []

    def then(self, *steps: Step) -> Person:
        self.steps.extend(steps)
        return self

    def __call__(self, dialog: QDialog) -> int:
        self.seen.append(dialog)
        assert self.steps, f"nobody expected the dialog {dialog.windowTitle()!r}"
        self.steps.pop(0)(dialog)
        return dialog.result()


def fill(**values: Any) -> Step:
    """Type the values and press OK."""
    def step(dialog: QDialog) -> None:
        dialog.set_values(values)
        dialog.try_accept()
    return step


def cancel(dialog: QDialog) -> None:
    dialog.reject()


@pytest.fixture
def person(interaction):
    who = Person()
    interaction.dialog = who
    return who


@pytest.fixture
def window(qtbot, small_demo, messages, tmp_path, interaction):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    win = MainWindow(small_demo, messages, settings, interaction)
    qtbot.addWidget(win)
    users_ui.install_user_actions(win)
    win.show()
    return win


def users_menu(window) -> users_ui.UserActions:
    actions = window.user_actions
    actions.menu.aboutToShow.emit()  # as when the menu is opened
    return actions


def visible(action) -> bool:
    return action.isVisible()


def mentor_with_trainees(ws):
    return next(m for m in ws.mentors.list(DEMO_YEAR) if m.load.placements > 0)


def turn_on(window, person) -> users_ui.ManageUsersDialog:
    """Turn sign-in on through Manage users, as the first ITT lead "Lee Lead"."""
    dialogs: list[users_ui.ManageUsersDialog] = []

    def manage(dialog):
        dialogs.append(dialog)
        dialog.sign_in_button.click()

    person.then(manage, fill(username="Lee Lead", password=LEAD_PASSWORD, password_again=LEAD_PASSWORD))
    window.user_actions.manage_action.trigger()
    return dialogs[0]


def add_staff(window, person, mentor_email: str) -> users_ui.ManageUsersDialog:
    """As the ITT lead: add an office user and a mentor user linked to ``mentor_email``."""
    dialogs = []

    def manage(dialog):
        dialogs.append(dialog)
        dialog.add_button.click()
        dialog.add_button.click()

    person.then(manage,
                fill(username="Olu Office", role="office", password=OFFICE_PASSWORD, password_again=OFFICE_PASSWORD),
                fill(username="Mo Mentor", role="mentor", mentor_email=mentor_email,
                     password=MENTOR_PASSWORD, password_again=MENTOR_PASSWORD))
    window.user_actions.manage_action.trigger()
    return dialogs[0]


def test_menu_is_installed_once_and_offers_manage_users_without_sign_in(qtbot, window):
    first = window.user_actions
    assert users_ui.install_user_actions(window) is first
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.count("&Users") == 1 and titles.index("&Users") < titles.index("&Help")
    menu = users_menu(window)
    assert menu.who.text() == "Sign-in is off for this file"
    assert visible(menu.manage_action)
    assert not visible(menu.sign_out_action) and not visible(menu.password_action)


def test_turn_sign_in_on_creates_the_first_itt_lead(qtbot, window, person, small_demo):
    old_ctx = window.ctx
    dialog = turn_on(window, person)
    assert small_demo.users.sign_in_enabled()
    assert small_demo.permissions.role is Role.ITT_LEAD and small_demo.permissions.username == "Lee Lead"
    assert [(r.username, r.role) for r in dialog.model.rows()] == [("Lee Lead", Role.ITT_LEAD)]
    assert dialog.add_button.isEnabled() and dialog.sign_in_on
    assert "Turn sign-in off" in dialog.sign_in_button.text().replace("&", "")
    # The pages were rebuilt over the same, still open, workspace.
    assert window.ctx is not old_ctx and window.workspace is small_demo
    assert small_demo.schools.list()
    menu = users_menu(window)
    assert menu.who.text() == "Signed in as Lee Lead (ITT lead)"
    assert visible(menu.sign_out_action) and visible(menu.password_action) and visible(menu.manage_action)


def test_passwords_are_typed_hidden_and_must_match(qtbot, window, person, small_demo):
    turn_on(window, person)
    forms: list[FormDialog] = []

    def manage(dialog):
        dialog.add_button.click()

    def mistyped(form):
        forms.append(form)
        assert all(form.widgets[n].echoMode() == QLineEdit.EchoMode.Password for n in ("password", "password_again"))
        form.set_values({"username": "Olu Office", "role": "office", "password": OFFICE_PASSWORD,
                         "password_again": OFFICE_PASSWORD + "x"})
        form.try_accept()
        assert not form.result() and "not the same" in form.problems.text()
        form.set_values({"password": "short", "password_again": "short"})
        form.try_accept()
        assert not form.result() and "at least 10 characters" in form.problems.text()
        assert "short" not in form.problems.text()  # a password is never shown back

    person.then(manage, mistyped)
    window.user_actions.manage_action.trigger()
    assert [r.username for r in small_demo.users.list()] == ["Lee Lead"]


def test_add_office_and_mentor_users(qtbot, window, person, small_demo):
    turn_on(window, person)
    mentor = mentor_with_trainees(small_demo)
    dialog = add_staff(window, person, mentor.email)
    rows = {r.username: r for r in small_demo.users.list()}
    assert rows["Olu Office"].role is Role.OFFICE and rows["Olu Office"].mentor_id is None
    assert rows["Mo Mentor"].role is Role.MENTOR and rows["Mo Mentor"].mentor_id == mentor.id
    shown = {r.username: r for r in dialog.model.rows()}
    assert shown["Mo Mentor"].mentor_name == mentor.name
    assert dialog.selected().username == "Mo Mentor"


def test_a_mentor_user_needs_their_mentor_record(qtbot, window, person, small_demo):
    turn_on(window, person)

    def manage(dialog):
        dialog.add_button.click()

    def no_mentor(form):
        mentor_box = form.widgets["mentor_email"]
        assert not mentor_box.isEnabled()  # until the role is Mentor
        form.set_values({"username": "Mo Mentor", "role": "mentor", "password": MENTOR_PASSWORD,
                         "password_again": MENTOR_PASSWORD})
        assert mentor_box.isEnabled()
        form.try_accept()
        assert not form.result() and "Mentor record: a mentor user must be linked" in form.problems.text()
        assert "mentor_email" not in form.problems.text() and mentor_box.styleSheet()

    person.then(manage, no_mentor)
    window.user_actions.manage_action.trigger()


def test_wrong_password_stays_in_the_dialog_and_changes_nothing(qtbot, window, person, small_demo):
    turn_on(window, person)
    small_demo.users.sign_out()
    before = small_demo.permissions
    assert before.signed_in_required

    def wrong_then_right(dialog):
        assert isinstance(dialog, sign_in_ui.SignInDialog)
        assert "has sign-in turned on" in dialog.file_label.text()
        assert small_demo.db.path.name in dialog.file_label.text()
        dialog.set_values({"username": "Lee Lead", "password": "not the password"})
        dialog.try_accept()
        assert not dialog.result() and dialog.permissions is None
        assert "do not match" in dialog.problems.text() and not dialog.problems.isHidden()
        assert dialog.widgets["password"].text() == ""
        assert dialog.widgets["username"].text() == "Lee Lead"
        assert small_demo.permissions == before
        dialog.set_values({"password": LEAD_PASSWORD})
        dialog.try_accept()

    person.then(wrong_then_right)
    assert sign_in_ui.sign_in_on_open(window, small_demo)
    assert small_demo.permissions.username == "Lee Lead"


def test_signing_in_as_the_mentor_sees_only_their_trainees(qtbot, window, person, small_demo):
    turn_on(window, person)
    mentor = mentor_with_trainees(small_demo)
    add_staff(window, person, mentor.email)
    everybody = small_demo.trainees.list()

    person.then(fill(username="mo mentor", password=MENTOR_PASSWORD))
    assert window.user_actions.sign_out()
    perms = small_demo.permissions
    assert perms.role is Role.MENTOR and perms.mentor_id == mentor.id
    assert not perms.can("edit") and not perms.can("manage_users") and perms.can("view_own")
    theirs = small_demo.trainees.list()
    assert 0 < len(theirs) < len(everybody)
    assert len(theirs) == mentor.load.placements
    menu = users_menu(window)
    assert not visible(menu.manage_action) and visible(menu.password_action)


def test_an_office_user_is_not_offered_manage_users(qtbot, window, person, small_demo, messages):
    turn_on(window, person)
    add_staff(window, person, mentor_with_trainees(small_demo).email)
    person.then(fill(username="Olu Office", password=OFFICE_PASSWORD))
    assert window.user_actions.sign_out()
    assert small_demo.permissions.role is Role.OFFICE
    menu = users_menu(window)
    assert menu.who.text() == "Signed in as Olu Office (Office)"
    assert not visible(menu.manage_action)
    # Even if asked directly, the dialog is refused with the reason.
    assert menu.manage_users() is None
    assert messages.shown[-1][0] == "error" and "may not manage users" in messages.shown[-1][1]


def test_deleting_the_last_itt_lead_is_refused_with_the_reason(qtbot, window, person, small_demo, messages):
    turn_on(window, person)
    add_staff(window, person, mentor_with_trainees(small_demo).email)

    def manage(dialog):
        dialog.select("Lee Lead")
        assert not dialog.delete_user()
        dialog.select("Olu Office")
        assert dialog.delete_user()

    person.then(manage)
    window.user_actions.manage_action.trigger()
    refused = [text for kind, text in messages.shown if kind == "error"]
    assert len(refused) == 1 and "no ITT lead" in refused[0]
    assert sorted(r.username for r in small_demo.users.list()) == ["Lee Lead", "Mo Mentor"]
    assert small_demo.permissions.username == "Lee Lead"


def test_change_role_and_reset_password(qtbot, window, person, small_demo):
    turn_on(window, person)
    add_staff(window, person, mentor_with_trainees(small_demo).email)

    def manage(dialog):
        dialog.select("Olu Office")
        dialog.role_button.click()
        dialog.select("Olu Office")
        dialog.password_button.click()

    person.then(manage, fill(role="itt_lead"),
                fill(password="a brand new one", password_again="a brand new one"))
    window.user_actions.manage_action.trigger()
    assert {r.username: r.role for r in small_demo.users.list()}["Olu Office"] is Role.ITT_LEAD
    small_demo.users.sign_out()
    assert small_demo.users.sign_in("Olu Office", "a brand new one").role is Role.ITT_LEAD


def test_change_my_password_then_sign_in_with_the_new_one(qtbot, window, person, small_demo, messages):
    turn_on(window, person)
    new = "my new lead password"

    def wrong_old_then_right(form):
        assert all(form.widgets[n].echoMode() == QLineEdit.EchoMode.Password
                   for n in ("old_password", "password", "password_again"))
        form.set_values({"old_password": "wrong wrong wrong", "password": new, "password_again": new})
        form.try_accept()
        assert not form.result() and "do not match" in form.problems.text()
        form.set_values({"old_password": LEAD_PASSWORD})
        form.try_accept()

    person.then(wrong_old_then_right)
    users_menu(window).password_action.trigger()
    assert messages.shown[-1] == ("info", "Your password was changed. Use the new one from now on.")

    def old_fails_new_works(dialog):
        dialog.set_values({"username": "Lee Lead", "password": LEAD_PASSWORD})
        dialog.try_accept()
        assert not dialog.result()
        dialog.set_values({"password": new})
        dialog.try_accept()

    person.then(old_fails_new_works)
    assert window.user_actions.sign_out()
    assert small_demo.permissions.username == "Lee Lead"


def test_sign_out_then_cancel_leaves_the_file_signed_out(qtbot, window, person, small_demo):
    turn_on(window, person)
    ctx = window.ctx
    person.then(cancel)
    assert not window.user_actions.sign_out()
    assert small_demo.permissions.signed_in_required and small_demo.permissions.username is None
    assert window.ctx is not ctx and window.workspace is small_demo  # pages rebuilt, file still open
    menu = users_menu(window)
    assert menu.who.text() == "Not signed in"
    assert visible(menu.sign_in_action)
    assert not visible(menu.sign_out_action) and not visible(menu.manage_action)
    person.then(fill(username="Lee Lead", password=LEAD_PASSWORD))
    assert menu.sign_in_action.isEnabled()
    menu.sign_in_action.trigger()
    assert small_demo.permissions.username == "Lee Lead"


def test_a_file_with_users_opens_signed_out_and_asks(qtbot, window, person, small_demo, tmp_path):
    turn_on(window, person)
    path = small_demo.db.path
    window.close()  # releases the file
    ws = open_workspace(path, require_sign_in=False, backup_dir=tmp_path / "backups")
    try:
        assert ws.permissions.signed_in_required
        assert ws.safety.backups() == []  # nobody may make today's backup before signing in
        person.then(cancel)
        assert not sign_in_ui.sign_in_on_open(window, ws)
        assert ws.permissions.signed_in_required
        person.then(fill(username="LEE LEAD", password=LEAD_PASSWORD))
        assert sign_in_ui.sign_in_on_open(window, ws)
        assert ws.permissions.role is Role.ITT_LEAD
        assert len(ws.safety.backups()) == 1  # ... and it is made once the lead has signed in
    finally:
        ws.close()


def test_turn_sign_in_off_deletes_every_user(qtbot, window, person, small_demo, messages):
    turn_on(window, person)

    def manage(dialog):
        assert dialog.toggle_sign_in()

    person.then(manage)
    window.user_actions.manage_action.trigger()
    assert messages.shown[-1][0] == "confirm" and "Turn sign-in off" in messages.shown[-1][1]
    assert not small_demo.users.sign_in_enabled()
    assert small_demo.permissions.can("manage_users") and small_demo.permissions.role is None


def test_user_table_model(qtbot, qtmodeltester, window, person, small_demo):
    turn_on(window, person)
    dialog = add_staff(window, person, mentor_with_trainees(small_demo).email)
    qtmodeltester.check(dialog.model)
    assert [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Name", "Role", "Mentor record"]
