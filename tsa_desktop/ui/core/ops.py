"""Undoable changes: one Op type, one rule.

The rule: an Op is done once by :func:`push`, through the services, before it reaches the undo
stack (so a refused change never does); every later undo and redo goes through the services
again; after each, the areas the Op changes are announced, with the Op's ``source`` as the one
who started it. Records that undo re-creates get new ids; the context maps old ids to new so
that older Ops on the stack still find them.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from tsa_desktop.domain.errors import DomainError
from tsa_desktop.ui.core.changes import Area, Change
from tsa_desktop.ui.core.context import AppContext


class Op(QUndoCommand):
    """One undoable step: ``apply`` does it and ``revert`` undoes it, both through services.

    Args:
        ctx: The window's context.
        text: What the Edit menu says ("Add school Lyndon School").
        areas: The areas of data the step changes.
        source: Whatever started the step (a page that shows the change in place itself).
    """

    def __init__(self, ctx: AppContext, text: str, areas: Area | tuple[Area, ...],
                 source: object | None = None) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.notice = Change.of(areas, source=source)
        self._pushed = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def changed_nothing(self) -> bool:
        """Whether ``apply`` found nothing to change (such a step is not put on the stack)."""
        return False

    def redo(self) -> None:
        if not self._pushed:
            # QUndoStack.push calls redo: the step was just done by push() itself.
            self._pushed = True
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
            self.ctx.changed.emit(self.notice)


def push(ctx: AppContext, command: Op, *, in_dialog: bool = False) -> bool:
    """Do an Op now and, if the services accept it, put it on the undo stack.

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
    if command.changed_nothing():
        return True
    ctx.undo_stack.push(command)
    ctx.changed.emit(command.notice)
    return True


class CreateCommand(Op):
    """Add a record; undo deletes it.

    Args:
        create: Makes the record from ``data``; returns a row with ``id``.
        delete: Deletes by id.
        kind: Record kind for id remapping ("school").
    """

    def __init__(self, ctx: AppContext, text: str, areas: Area | tuple[Area, ...], kind: str, data: Any,
                 create: Callable[[Any], Any], delete: Callable[[int], Any]) -> None:
        super().__init__(ctx, text, areas)
        self.kind, self.data, self._create, self._delete = kind, data, create, delete
        self.record_id: int | None = None

    def apply(self) -> None:
        row = self._create(self.data)
        if self.record_id is not None:
            self.ctx.remap(self.kind, self.record_id, row.id)
        self.record_id = row.id

    def revert(self) -> None:
        self._delete(self.ctx.resolve(self.kind, self.record_id))


class UpdateCommand(Op):
    """Change a record from ``before`` to ``after``; undo changes it back.

    Args:
        update: ``update(id, data, expected_version)``.
        version: The version the edit started from (checked on the first save only).
    """

    def __init__(self, ctx: AppContext, text: str, areas: Area | tuple[Area, ...], kind: str, record_id: int,
                 before: Any, after: Any, update: Callable[..., Any], version: int | None = None) -> None:
        super().__init__(ctx, text, areas)
        self.kind, self.record_id, self.before, self.after = kind, record_id, before, after
        self._update, self._version = update, version

    def apply(self) -> None:
        self._update(self.ctx.resolve(self.kind, self.record_id), self.after, self._version)
        self._version = None

    def revert(self) -> None:
        self._update(self.ctx.resolve(self.kind, self.record_id), self.before, None)


class DeleteCommand(Op):
    """Delete a record; undo re-creates it from its data (with a new id).

    Args:
        delete: Deletes by id and returns the deleted row.
        create: Re-creates from ``data_of(row)``.
        data_of: The editable data of a deleted row.
    """

    def __init__(self, ctx: AppContext, text: str, areas: Area | tuple[Area, ...], kind: str, record_id: int,
                 delete: Callable[[int], Any], create: Callable[[Any], Any],
                 data_of: Callable[[Any], Any]) -> None:
        super().__init__(ctx, text, areas)
        self.kind, self.record_id = kind, record_id
        self._delete, self._create, self._data_of = delete, create, data_of
        self._deleted: Any = None

    def apply(self) -> None:
        self._deleted = self._delete(self.ctx.resolve(self.kind, self.record_id))

    def revert(self) -> None:
        row = self._create(self._data_of(self._deleted))
        self.ctx.remap(self.kind, self.ctx.resolve(self.kind, self.record_id), row.id)
