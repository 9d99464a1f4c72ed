"""Undoable changes. Each command holds ids and before/after values and calls services.

A command is done once by :func:`push` (so a refused change never reaches the stack); later
redo/undo calls go through the services again. Records that undo re-creates get new ids; the
context maps old ids to new so that older commands on the stack still find them.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from tsa_desktop.domain.errors import DomainError
from tsa_desktop.ui.core.context import AppContext


class ServiceCommand(QUndoCommand):
    """Base: run ``apply``/``revert`` through services and tell pages what changed."""

    def __init__(self, ctx: AppContext, text: str, area: str) -> None:
        super().__init__(text)
        self.ctx, self.area = ctx, area
        self._skip_first_redo = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._guard(self.apply)

    def undo(self) -> None:
        self._guard(self.revert)

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except Exception as exc:
            # The world moved on (e.g. somebody else deleted the record): drop this step.
            self.ctx.messages.error(exc, title="Cannot undo or redo that step")
            self.setObsolete(True)
        finally:
            self.ctx.data_changed.emit(self.area)


def push(ctx: AppContext, command: ServiceCommand, *, in_dialog: bool = False) -> bool:
    """Do a command now and, if the services accept it, put it on the undo stack.

    Args:
        in_dialog: Re-raise DomainErrors so the open dialog shows them beside its fields.

    Returns:
        True if the change was made; False if it was refused (the message was shown).
    """
    try:
        command.apply()
    except DomainError:
        if in_dialog:
            raise
        ctx.messages.error(sys.exc_info()[1])
        return False
    except Exception as exc:
        ctx.messages.error(exc)
        return False
    command._skip_first_redo = True
    ctx.undo_stack.push(command)
    ctx.data_changed.emit(command.area)
    return True


class CreateCommand(ServiceCommand):
    """Add a record; undo deletes it.

    Args:
        create: Makes the record from ``data``; returns a row with ``id``.
        delete: Deletes by id.
        kind: Record kind for id remapping ("school").
    """

    def __init__(self, ctx: AppContext, text: str, area: str, kind: str, data: Any,
                 create: Callable[[Any], Any], delete: Callable[[int], Any]) -> None:
        super().__init__(ctx, text, area)
        self.kind, self.data, self._create, self._delete = kind, data, create, delete
        self.record_id: int | None = None

    def apply(self) -> None:
        row = self._create(self.data)
        if self.record_id is not None:
            self.ctx.remap(self.kind, self.record_id, row.id)
        self.record_id = row.id

    def revert(self) -> None:
        self._delete(self.ctx.resolve(self.kind, self.record_id))


class UpdateCommand(ServiceCommand):
    """Change a record from ``before`` to ``after``; undo changes it back.

    Args:
        update: ``update(id, data, expected_version)``.
        version: The version the edit started from (checked on the first save only).
    """

    def __init__(self, ctx: AppContext, text: str, area: str, kind: str, record_id: int,
                 before: Any, after: Any, update: Callable[..., Any], version: int | None = None) -> None:
        super().__init__(ctx, text, area)
        self.kind, self.record_id, self.before, self.after = kind, record_id, before, after
        self._update, self._version = update, version

    def apply(self) -> None:
        self._update(self.ctx.resolve(self.kind, self.record_id), self.after, self._version)
        self._version = None

    def revert(self) -> None:
        self._update(self.ctx.resolve(self.kind, self.record_id), self.before, None)


class DeleteCommand(ServiceCommand):
    """Delete a record; undo re-creates it from its data (with a new id).

    Args:
        delete: Deletes by id and returns the deleted row.
        create: Re-creates from ``data_of(row)``.
        data_of: The editable data of a deleted row.
    """

    def __init__(self, ctx: AppContext, text: str, area: str, kind: str, record_id: int,
                 delete: Callable[[int], Any], create: Callable[[Any], Any],
                 data_of: Callable[[Any], Any]) -> None:
        super().__init__(ctx, text, area)
        self.kind, self.record_id = kind, record_id
        self._delete, self._create, self._data_of = delete, create, data_of
        self._deleted: Any = None

    def apply(self) -> None:
        self._deleted = self._delete(self.ctx.resolve(self.kind, self.record_id))

    def revert(self) -> None:
        row = self._create(self._data_of(self._deleted))
        self.ctx.remap(self.kind, self.ctx.resolve(self.kind, self.record_id), row.id)
