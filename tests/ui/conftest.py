"""Fixtures for widget tests: a page or window over a real database, messages recorded."""

from __future__ import annotations

import pytest

from tsa_desktop.ui.messages import RecordingMessages


@pytest.fixture
def messages():
    return RecordingMessages()


@pytest.fixture
def ctx(qtbot, small_demo, messages):
    from tsa_desktop.ui.context import AppContext

    context = AppContext(small_demo, messages)
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
        if self.fill is None:
            return 0
        dialog.set_values(self.fill)
        dialog.try_accept()
        self.stayed_open = not dialog.result()
        return dialog.result()


@pytest.fixture
def driver():
    return DialogDriver()
