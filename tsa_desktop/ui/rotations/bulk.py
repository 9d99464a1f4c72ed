"""Confirm, lock or unlock many placements at once from the rotation grid, as one undoable step.

The "Confirm" and "Lock" buttons each open a menu: the selected cells, the current cell's block,
the current cell's school, or the whole year. A placement with a rule error is never confirmed:
the user is told which and why, and it stays proposed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from tsa_desktop.services.rotations.confirm import BulkResult, Scope
from tsa_desktop.services.rotations.grid import PlacementChange
from tsa_desktop.ui.core.ops import push
from tsa_desktop.ui.rotations.commands import PlacementCommand

if TYPE_CHECKING:
    from tsa_desktop.ui.rotations.host import RotationsHost

#: Most placements named in the message about those left proposed; the rest are counted.
SHOWN = 12


class BulkActions:
    """The Confirm and Lock menus of the rotations page.

    Attributes:
        confirm_button: Opens Confirm the selection / this block / this school / the whole year.
        lock_button: Opens Lock or Unlock the selection / this block / this school / the whole year.
        actions: Each menu action by a key ("confirm selection", "unlock year"...), for tests.
    """

    def __init__(self, page: RotationsHost) -> None:
        self.page = page
        self.actions: dict[str, QAction] = {}
        self.confirm_button = self._button("Confirm", "Confirm proposed placements in one step (Undo takes "
                                           "them back); placements with rule errors stay proposed")
        self.lock_button = self._button("Lock", "Lock placements (the planner never moves them) or unlock them")
        menu = QMenu(self.confirm_button)
        self._fill(menu, "confirm", "Confirm", lambda scope: self.run("confirm", scope))
        self.confirm_button.setMenu(menu)
        menu = QMenu(self.lock_button)
        self._fill(menu, "lock", "Lock", lambda scope: self.run("lock", scope))
        menu.addSeparator()
        self._fill(menu, "unlock", "Unlock", lambda scope: self.run("unlock", scope))
        self.lock_button.setMenu(menu)

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self.page)
        button.setText(text)
        button.setToolTip(tip)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        return button

    def _fill(self, menu: QMenu, key: str, verb: str, run: Callable[[str], None]) -> None:
        for scope, words in (("selection", "the selected placements"), ("block", "this block"),
                             ("school", "this school's placements"), ("year", "the whole year")):
            action = menu.addAction(f"{verb} {words}")
            action.triggered.connect(lambda _=False, s=scope: run(s))
            self.actions[f"{key} {scope}"] = action

    @property
    def widgets(self) -> tuple[QWidget, ...]:
        return (self.confirm_button, self.lock_button)

    def update(self) -> None:
        """Offer only what applies to the current cell and selection."""
        grid = self.page.model.grid
        has_year = grid is not None and bool(grid.blocks)
        cell = self.page.model.cell_at(self.page.view.currentIndex())
        placed = cell is not None and grid is not None and grid.cell(*cell) is not None
        selected = bool(self._selected_ids())
        for key, action in self.actions.items():
            scope = key.split()[1]
            action.setEnabled(has_year and {"selection": selected, "block": cell is not None,
                                            "school": placed, "year": True}[scope])
        for button in self.widgets:
            button.setEnabled(has_year)

    def _selected_ids(self) -> frozenset[int]:
        grid, model = self.page.model.grid, self.page.model
        if grid is None:
            return frozenset()
        ids = set()
        for index in self.page.view.selectionModel().selectedIndexes():
            cell = model.cell_at(index)
            p = grid.cell(*cell) if cell else None
            if p is not None and p.id is not None:
                ids.add(p.id)
        return frozenset(ids)

    def scope(self, which: str) -> Scope | None:
        """The placements a menu entry means, or None when there are none to mean."""
        grid = self.page.model.grid
        if grid is None:
            return None
        if which == "year":
            return Scope()
        if which == "selection":
            ids = self._selected_ids()
            return Scope(placement_ids=ids) if ids else None
        cell = self.page.model.cell_at(self.page.view.currentIndex())
        if cell is None:
            return None
        if which == "block":
            block = grid.block(cell[1])
            return Scope(block=block.name) if block else None
        p = grid.cell(*cell)
        if p is None:
            return None
        school = self.page.ctx.call(self.page.ctx.workspace.schools.get, p.school_id)
        return Scope(school=school.urn) if school is not None else None

    def run(self, action: str, which: str | Scope) -> BulkResult | None:
        """Confirm, lock or unlock the placements ``which`` means (a menu's word, or a Scope), as
        one undoable step."""
        scope = which if isinstance(which, Scope) else self.scope(which)
        grid = self.page.model.grid
        if scope is None or grid is None:
            return None
        service = self.page.ctx.workspace.confirming
        results: list[BulkResult] = []

        def write() -> PlacementChange:
            if action == "confirm":
                results.append(service.confirm(grid.year, scope))
            else:
                results.append(service.set_locked(grid.year, action == "lock", scope))
            return results[-1].change

        if not push(self.page.ctx, PlacementCommand(self.page.ctx, write, self.page.show_change, source=self.page)):
            return None
        result = results[-1]
        if result.left:
            lines = [str(left) for left in result.left[:SHOWN]]
            more = len(result.left) - SHOWN
            if more > 0:
                lines.append(f"… and {more} more")
            self.page.ctx.messages.info(
                f"{result.summary}.\n\nThese stay proposed until their rule errors are put right:\n"
                + "\n".join(f"• {line}" for line in lines), title="Some placements were not confirmed")
        elif not result.change.steps:
            self.page.ctx.messages.info(f"{result.summary}: nothing to change.")
        return result
