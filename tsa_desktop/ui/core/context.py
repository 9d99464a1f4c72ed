"""What every page needs from the window: the open workspace, undo, long tasks and messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from tsa_desktop.ui.core.changes import Area, Change
from tsa_desktop.ui.core.interaction import Interaction, QtInteraction
from tsa_desktop.ui.core.messages import Messages
from tsa_desktop.ui.core.tasks import TaskRunner

if TYPE_CHECKING:  # importing services loads SQLAlchemy, which start-up defers
    from tsa_desktop.services.workspace import Workspace

T = TypeVar("T")


def may(workspace: object, action: str) -> bool:
    """Whether the person using ``workspace`` may ``action`` (a key of ``services.users.ACTIONS``).

    Everything is allowed in a file without sign-in (or with no file: nothing to refuse yet).
    The services refuse what the role does not allow whatever the window offers; the window
    asks this only to keep from offering it.
    """
    permissions = getattr(workspace, "permissions", None)
    return permissions is None or bool(permissions.can(action))


class AppContext(QObject):
    """The narrow path from a page to the core.

    Signals:
        changed(Change): data changed (which areas, and who started it); pages showing that
            data reload.

    Attributes:
        workspace: The open database and its services.
        undo_stack: Every change made in the window, undoable.
        tasks: Runs long work off the GUI thread.
        messages: Shows errors and information.
        interaction: Asks the person things (files, questions, dialogs); tests script it.
    """

    changed = Signal(object)

    def __init__(self, workspace: Workspace, messages: Messages, parent: QObject | None = None,
                 interaction: Interaction | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.messages = messages
        self.interaction: Interaction = interaction or QtInteraction()
        self.undo_stack = QUndoStack(self)
        self.tasks = TaskRunner(self)
        self._remap: dict[tuple[str, int], int] = {}

    def may(self, action: str) -> bool:
        """Whether the person using the open file may ``action`` (see :func:`may`)."""
        return may(self.workspace, action)

    def notify(self, *areas: Area, source: object | None = None) -> None:
        """Tell every page that data of ``areas`` changed (outside an Op: an import, a print)."""
        self.changed.emit(Change.of(*areas, source=source))

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Call a service; show any error and return None instead of raising."""
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # shown, and logged when unexpected
            self.messages.error(exc)
            return None

    def remap(self, kind: str, old_id: int, new_id: int) -> None:
        """Record that a record re-created by undo/redo now has a new id."""
        self._remap[(kind, old_id)] = new_id

    def resolve(self, kind: str, record_id: int) -> int:
        """The current id of a record that may have been re-created since."""
        seen = set()
        while (kind, record_id) in self._remap and record_id not in seen:
            seen.add(record_id)
            record_id = self._remap[(kind, record_id)]
        return record_id
