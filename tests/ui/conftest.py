"""Fixtures for widget tests: a page or window over a real database, messages recorded."""

from __future__ import annotations

import pytest

from tsa_desktop.ui.common.import_dialog import ImportDialog
from tsa_desktop.ui.core.messages import RecordingMessages
from tests.ui.interaction import ScriptedInteraction


@pytest.fixture
def messages():
    return RecordingMessages()


@pytest.fixture
def interaction():
    """The person at the keyboard, scripted (tests set ``interaction.dialog`` and ``answers``)."""
    return ScriptedInteraction()


@pytest.fixture
def ctx(qtbot, small_demo, messages, interaction):
    from tsa_desktop.ui.core.context import AppContext

    context = AppContext(small_demo, messages, interaction=interaction)
    yield context
    context.tasks.wait()


class DialogDriver:
    """Stands in for a person at a modal dialog: sets values, presses OK, records what happened."""

    def __init__(self) -> None:
        self.fill: dict = {}
        self.dialogs = []
        self.stayed_open = None

    def __call__(self, dialog) -> int:
        self.dialogs.append(dialog)
        if isinstance(dialog, ImportDialog):
            return 0  # left open: the test waits for its check and presses Import (see import_through)
        if self.fill is None:
            return 0
        dialog.set_values(self.fill)
        dialog.try_accept()
        self.stayed_open = not dialog.result()
        return dialog.result()


@pytest.fixture
def driver():
    return DialogDriver()


def import_through(qtbot, buttons, path, *, expect_ok=True):
    """Import ``path`` as a user does from a page's Import… button: the dialog checks the file,
    shows it, and (when it has no problem) the user presses Import.

    Returns:
        The dialog, after the import finished (or with its problems shown when ``expect_ok`` is False).
    """
    dialog = buttons.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15_000)
    problems = [(p.row, p.field, p.message) for p in dialog.preview.problems]
    assert dialog.preview.ok is expect_ok, problems
    assert dialog.import_button.isEnabled() is expect_ok
    if expect_ok:
        dialog.import_button.click()
        qtbot.waitUntil(lambda: dialog.report is not None, timeout=15_000)
    return dialog


def check_while_sorting(qtmodeltester, model) -> None:
    """Check ``model`` with Qt's model tester, then again after sorting by every column both ways.

    The tester stays attached between checks, so the signals each sort sends (layout changes,
    persistent indexes moved) are checked as they happen, not only the model at rest.
    """
    from PySide6.QtCore import Qt

    qtmodeltester.check(model)
    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            qtmodeltester.check(model)


#: The ITT lead who turns sign-in on in tests, and the password every other test user gets.
LEAD_NAME, LEAD_PASSWORD = "Lee Lead", "correct horse battery"
USER_PASSWORD = "a long enough password"


def sign_in_as(workspace, role, *, mentor_email: str | None = None, name: str | None = None):
    """Sign a real user of ``role`` in to ``workspace``, as the Users dialog and sign-in would.

    Turns sign-in on first when the file has none (its first user, an ITT lead, as the service
    requires), then adds the user (for a mentor, linked to the mentor record with
    ``mentor_email``) and signs in with their password.

    Returns:
        The permissions the workspace now has.
    """
    from tsa_desktop.domain.enums import Role

    users = workspace.users
    if users.sign_in_enabled():
        users.sign_in(LEAD_NAME, LEAD_PASSWORD)
    else:
        users.enable_sign_in(LEAD_NAME, LEAD_PASSWORD)
    if role is not Role.ITT_LEAD:
        name = name or f"{role.label} user"
        users.create(name, USER_PASSWORD, role, mentor_email)
        users.sign_in(name, USER_PASSWORD)
    assert workspace.permissions.role is role
    return workspace.permissions
