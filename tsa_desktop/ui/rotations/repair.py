"""Repair the plan from the window: the moves are shown first, then applied as one undoable step.

The "Repair the plan…" button runs the repair off the GUI thread (with progress and Cancel), then
shows every move ("Trainee: Block: from School A to School B"), the trainee-blocks newly placed,
and what cannot be put right and why. Applying writes it all at once; Undo takes it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QTabWidget, QVBoxLayout, QWidget

from tsa_desktop.domain.errors import CancelledError
from tsa_desktop.services.rotations.repair import Repair
from tsa_desktop.ui.core.ops import push
from tsa_desktop.ui.rotations.commands import ApplyPlanCommand

if TYPE_CHECKING:
    from tsa_desktop.ui.rotations.host import RotationsHost

#: Seconds the repair may search: it usually proves its answer in a few.
REPAIR_TIME_LIMIT = 10.0


class RepairDialog(QDialog):
    """A repair's moves before they are applied; accepting means "make these moves"."""

    def __init__(self, repair: Repair, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repair = repair
        self.setWindowTitle(f"Repair the plan of {repair.year}")
        self.resize(900, 520)
        headline = QLabel(self)
        headline.setWordWrap(True)
        headline.setStyleSheet("font-size: 12pt; font-weight: 600;")
        headline.setText(_headline(repair))
        detail = QLabel(repair.summary() + ". A moved placement that was confirmed becomes proposed again, "
                        "and the letters of everyone it concerns go out of date.", self)
        detail.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.lists: dict[str, QListWidget] = {}
        self._add("moves", "Moves", [str(m) for m in repair.moves])
        self._add("placed", "Newly placed", list(repair.placed))
        self._add("stuck", "Cannot be put right", list(repair.stuck))
        self._add("unplaced", "Still unplaced", list(repair.unplaced))
        first = next((i for i, key in enumerate(self.lists) if self.lists[key].count()), 0)
        self.tabs.setCurrentIndex(first)
        buttons = QDialogButtonBox(self)
        self.apply_button = buttons.addButton("Make these moves", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(bool(repair.change.steps))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(headline)
        layout.addWidget(detail)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(QLabel("Nothing is saved until you make the moves; Undo takes them back in one step.",
                                self))
        layout.addWidget(buttons)

    def _add(self, key: str, title: str, lines: list[str]) -> None:
        widget = QListWidget(self)
        widget.addItems(lines)
        self.lists[key] = widget
        self.tabs.addTab(widget, f"{title} ({len(lines)})")


def _headline(repair: Repair) -> str:
    """"3 placements to move and 2 empty trainee-blocks to fill, so that every rotation keeps the rules."."""
    if not repair.change.steps:
        return "Nothing to change: every rotation that can keep the rules already does."
    moves, mentors = repair.school_moves, len(repair.moves) - repair.school_moves
    parts = []
    if moves:
        parts.append(f"{moves} placement{'s' if moves != 1 else ''} to move")
    if mentors:
        parts.append(f"{mentors} new mentor{'s' if mentors != 1 else ''} at the same school")
    if repair.placed:
        parts.append(f"{len(repair.placed)} empty trainee-block{'s' if len(repair.placed) != 1 else ''} to fill")
    words = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return words[:1].upper() + words[1:] + ", so that every rotation keeps the rules."


def start_repair(page: RotationsHost) -> None:
    """Run the repair off the GUI thread, then show its moves."""
    year = page.year_box.year()
    if not year:
        return
    service = page.ctx.workspace.repair
    page.repair_task = page.ctx.tasks.start_with_dialog(
        lambda progress: service.propose(year, time_limit=REPAIR_TIME_LIMIT, progress=progress),
        f"Looking for the fewest moves that repair {year}", page,
        on_done=lambda repair: show_repair(page, repair), on_error=lambda exc: _failed(page, exc))


def show_repair(page: RotationsHost, repair: Repair) -> None:
    """Show the moves; applying them is one undoable step."""
    if page.run_dialog(RepairDialog(repair, page)) != QDialog.DialogCode.Accepted:
        return
    service = page.ctx.workspace.repair
    push(page.ctx, ApplyPlanCommand(page.ctx, lambda: service.apply(repair)))


def _failed(page: RotationsHost, exc: BaseException) -> None:
    if isinstance(exc, CancelledError):
        page.ctx.messages.info("The repair was cancelled; nothing was changed.")
    else:
        page.ctx.messages.error(exc, title="The repair failed")
