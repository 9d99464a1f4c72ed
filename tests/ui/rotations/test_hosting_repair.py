"""Hosting and the repair from the rotations page: answers recorded, moves shown, applied, undone."""

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from tests.conftest import DEMO_YEAR
from tsa_desktop.domain.rules import Severity
from tsa_desktop.ui.rotations.hosting import HostingDialog
from tsa_desktop.ui.rotations.page import RotationsPage
from tsa_desktop.ui.rotations.repair import RepairDialog


@pytest.fixture
def page(qtbot, ctx):
    p = RotationsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    return p


def _busiest(page):
    """The school and block with most placements in the grid."""
    grid = page.model.grid
    counts = {}
    for p in grid.placements():
        counts[(p.school_id, p.block_id)] = counts.get((p.school_id, p.block_id), 0) + 1
    return max(counts, key=counts.get)


def _errors(page):
    grid = page.model.grid
    return [q.message for t in grid.trainees for b in grid.blocks for q in grid.problems(t.id, b.id)
            if q.severity is Severity.ERROR]


def test_record_a_school_not_hosting_in_a_block_and_the_grid_shows_the_rule_errors(page, ctx, qtbot):
    school_id, block_id = _busiest(page)
    grid = page.model.grid
    block, name = grid.block(block_id).name, grid.school_name(school_id)

    def answer(dialog):
        assert isinstance(dialog, HostingDialog)
        dialog.select(school_id)
        dialog.block.setCurrentIndex(dialog.block.findData(block))
        dialog.reason.setText("staffing")
        dialog.not_hosting_button.click()
        row = dialog.selected()
        assert row.school_id == school_id and row.summary.endswith(f"{block}: not hosting (staffing)")
        chased = [r.name for r in dialog.chase.rows()]
        assert name not in chased and len(chased) == dialog.chase.rowCount() > 0
        dialog.copy_button.click()
        assert "@" in QApplication.clipboard().text()
        return QDialog.DialogCode.Rejected

    page.ctx.interaction.dialog = answer
    page.edit_hosting()
    page.reload()  # the page reloads when it is next shown; here at once
    assert any(m.startswith(f"{name} is not hosting in {block} (staffing)") for m in _errors(page))


def test_repair_shows_the_moves_then_applies_them_as_one_undoable_step(page, ctx, qtbot):
    school_id, block_id = _busiest(page)
    grid = page.model.grid
    block = grid.block(block_id).name
    ctx.workspace.hosting.set_hosting(school_id, DEMO_YEAR, hosting=False, block=block, reason="building work")
    page.reload()
    assert _errors(page)
    shown = []

    def accept(dialog):
        assert isinstance(dialog, RepairDialog)
        shown.append(dialog)
        return QDialog.DialogCode.Accepted

    page.ctx.interaction.dialog = accept
    page.repair_button.click()
    qtbot.waitUntil(lambda: ctx.undo_stack.count() == 1, timeout=30_000)
    dialog = shown[0]
    moves = [dialog.lists["moves"].item(i).text() for i in range(dialog.lists["moves"].count())]
    assert moves and all(f": {block}: from {grid.school_name(school_id)} to " in m for m in moves
                         if f"from {grid.school_name(school_id)}" in m)
    page.reload()
    assert not any("not hosting" in m for m in _errors(page))
    ctx.undo_stack.undo()
    page.reload()
    assert any("not hosting" in m for m in _errors(page))
