"""Undoable steps of the rotations page: one grid edit, or one applied plan.

Each step is written by a service before it is pushed (so a refused edit never reaches the
stack); undo writes the reverse change and redo the change again, through the services. The
grid takes each change in place rather than reloading the year.
"""

from __future__ import annotations

from typing import Callable

from tsa_desktop.services.rotations.grid import PlacementChange
from tsa_desktop.ui.core.ops import ServiceCommand
from tsa_desktop.ui.core.context import AppContext

#: The area the rotation edits change: the trainee, school and letter pages show placements too.
AREA = "placements"


class PlacementCommand(ServiceCommand):
    """An edit already written (fill, change, clear, swap, move, a dropped school).

    Args:
        change: What the service wrote, with the ids of any new placement.
        on_change: Shows a change in the grid (the edit, its undo, its redo).
    """

    def __init__(self, ctx: AppContext, change: PlacementChange,
                 on_change: Callable[[PlacementChange], None]) -> None:
        super().__init__(ctx, change.text, AREA)
        self.change, self._on_change = change, on_change
        self._written = True

    def apply(self) -> None:
        if not self._written:
            self.change = self.ctx.workspace.rotations.apply_change(self.change)
        self._written = False
        self._on_change(self.change)

    def revert(self) -> None:
        self._on_change(self.ctx.workspace.rotations.apply_change(self.change.reversed()))


class ApplyPlanCommand(ServiceCommand):
    """An automatic plan, applied in one transaction and undone in one step."""

    def __init__(self, ctx: AppContext, applied: PlacementChange) -> None:
        super().__init__(ctx, applied.text, AREA)
        self.applied = applied
        self._written = True

    def apply(self) -> None:
        if not self._written:
            self.applied = self.ctx.workspace.rotations.apply_change(self.applied)
        self._written = False

    def revert(self) -> None:
        self.ctx.workspace.planning.revert_proposal(self.applied)
