"""Undoable steps of the rotations page: one grid edit, or one applied plan.

They follow the one rule of ui/core/ops.py. The grid takes each change in place rather than
reloading the year.
"""

from __future__ import annotations

from typing import Callable

from tsa_desktop.services.rotations.grid import PlacementChange
from tsa_desktop.ui.core.ops import Op
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.core.changes import Area

#: The area the rotation edits change: the trainee, school and letter pages show placements too.
AREA = Area.PLACEMENTS


class PlacementCommand(Op):
    """A grid edit (fill, change, clear, swap, move, a dropped school).

    Args:
        write: Makes the edit through the service (the first time) and returns what it wrote,
            with the ids of any new placement; redo writes that change again.
        on_change: Shows a change in the grid (the edit, its undo, its redo).
        source: The page, which shows the change in place instead of reloading.
    """

    def __init__(self, ctx: AppContext, write: Callable[[], PlacementChange],
                 on_change: Callable[[PlacementChange], None], source: object | None = None) -> None:
        super().__init__(ctx, "Change a placement", AREA, source)
        self._write, self._on_change = write, on_change
        self.change_written: PlacementChange | None = None

    def apply(self) -> None:
        if self.change_written is None:
            self.change_written = self._write()
            self.setText(self.change_written.text)
        else:
            self.change_written = self.ctx.workspace.rotations.apply_change(self.change_written)
        self._on_change(self.change_written)

    def changed_nothing(self) -> bool:
        return self.change_written is not None and not self.change_written.steps

    def revert(self) -> None:
        assert self.change_written is not None
        self._on_change(self.ctx.workspace.rotations.apply_change(self.change_written.reversed()))


class ApplyPlanCommand(Op):
    """An automatic plan, applied in one transaction and undone in one step.

    Args:
        write: Applies the plan through the planning service and returns what it wrote.
    """

    def __init__(self, ctx: AppContext, write: Callable[[], PlacementChange]) -> None:
        super().__init__(ctx, "Apply the plan", AREA)
        self._write = write
        self.applied: PlacementChange | None = None

    def apply(self) -> None:
        if self.applied is None:
            self.applied = self._write()
            self.setText(self.applied.text)
        else:
            self.applied = self.ctx.workspace.rotations.apply_change(self.applied)

    def changed_nothing(self) -> bool:
        return self.applied is not None and not self.applied.steps

    def revert(self) -> None:
        assert self.applied is not None
        self.ctx.workspace.planning.revert_proposal(self.applied)
