"""Confirm, lock and unlock many placements from the grid, each as one undoable step."""

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QDialog, QLabel

from sqlalchemy import select, update

from tests.conftest import DEMO_YEAR
from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.ui.rotations.dialogs import ProposalDialog
from tsa_desktop.ui.rotations.page import RotationsPage


@pytest.fixture
def page(qtbot, ctx, driver):
    p = RotationsPage(ctx)
    qtbot.addWidget(p)
    p.ctx.interaction.dialog = driver
    p.resize(1366, 768)
    p.show()
    return p


def _all_proposed(page, ctx, *, break_one=False):
    """The demo's placements all proposed again (and one mentor gone, for a rule error)."""
    with ctx.workspace.db.transaction() as s:
        s.execute(update(m.Placement).values(status="proposed"))
        if break_one:
            mentor = s.scalar(select(m.Placement.mentor_id).where(m.Placement.mentor_id.is_not(None))
                              .order_by(m.Placement.id))
            s.execute(update(m.Mentor).where(m.Mentor.id == mentor).values(active=False))
    page.reload()


def _statuses(ctx):
    grid = ctx.workspace.rotations.grid(DEMO_YEAR)
    return {p.id: (p.status, p.locked) for p in grid.placements()}


def _placed(page, block_index=0):
    grid = page.model.grid
    block = grid.blocks[block_index]
    return [(t, grid.cell(t.id, block.id)) for t in page.model.rows() if grid.cell(t.id, block.id) is not None]


def test_lock_the_selected_cells_then_undo_in_one_step(page, ctx):
    grid = page.model.grid
    (first, p1), (second, p2) = _placed(page)[:2]
    block = grid.blocks[0].id
    selection = QItemSelection()
    for t in (first, second):
        index = page.model.index(page.model.row_of(t.id), page.model.column_of(block))
        selection.select(index, index)
    page.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    before = _statuses(ctx)
    assert page.bulk.actions["lock selection"].isEnabled()
    page.bulk.actions["lock selection"].trigger()
    now = _statuses(ctx)
    assert {pid for pid in now if now[pid] != before[pid]} == {p1.id, p2.id}
    assert now[p1.id][1] and now[p2.id][1]
    assert page.model.grid.cell(first.id, block).locked  # shown in place
    assert ctx.undo_stack.undoText() == "Lock 2 placements"
    ctx.undo_stack.undo()
    assert _statuses(ctx) == before
    assert not page.model.grid.cell(first.id, block).locked


def test_confirm_the_whole_year_leaves_rule_errors_proposed_and_says_which(page, ctx, messages):
    _all_proposed(page, ctx, break_one=True)
    grid = page.model.grid
    before = _statuses(ctx)
    proposed = {p.id for p in grid.placements() if p.status is PlacementStatus.PROPOSED}
    with_errors = {p.id for p in grid.placements() if p.id in proposed
                   and any(q.severity.value == "error" for q in grid.problems(p.trainee_id, p.block_id))}
    assert proposed - with_errors, "the demo should have proposed placements to confirm"
    page.bulk.actions["confirm year"].trigger()
    now = _statuses(ctx)
    assert {pid for pid in proposed if now[pid][0] is PlacementStatus.CONFIRMED} == proposed - with_errors
    assert with_errors and all(now[pid][0] is PlacementStatus.PROPOSED for pid in with_errors)
    assert messages.shown[-1][0] == "info" and "stay proposed" in messages.shown[-1][1]
    assert ctx.undo_stack.count() == 1
    ctx.undo_stack.undo()
    assert _statuses(ctx) == before


def test_a_block_and_a_school_from_the_current_cell(page, ctx):
    _all_proposed(page, ctx)
    grid = page.model.grid
    trainee, p = next((t, p) for t, p in _placed(page, 0) if p.status is PlacementStatus.PROPOSED
                      and not any(q.severity.value == "error" for q in grid.problems(p.trainee_id, p.block_id)))
    schools = {q.id: q.school_id for q in grid.placements()}
    before = _statuses(ctx)
    page.view.setCurrentIndex(page.model.index(page.model.row_of(trainee.id), page.model.column_of(p.block_id)))
    assert page.bulk.actions["confirm school"].isEnabled()
    page.bulk.actions["confirm school"].trigger()
    now = _statuses(ctx)
    changed = {pid for pid in now if now[pid] != before[pid]}
    assert p.id in changed and all(now[pid][0] is PlacementStatus.CONFIRMED for pid in changed)
    assert {schools[pid] for pid in changed} == {p.school_id}
    page.bulk.actions["unlock block"].trigger()  # nothing locked: says so, no undo step
    assert ctx.undo_stack.count() == 1


def test_confirm_this_plan_after_applying_it(page, ctx, qtbot):
    page.ctx.interaction.dialog = lambda dialog: QDialog.DialogCode.Accepted
    page.time_limit.setValue(5)
    assert not page.confirm_plan_button.isVisible()
    page.plan_automatically()
    qtbot.waitUntil(lambda: ctx.undo_stack.count() == 1, timeout=30_000)
    assert page.confirm_plan_button.isVisible()
    planned = set(page._applied_plan)
    page.confirm_plan_button.click()
    assert ctx.undo_stack.count() == 2 and not page.confirm_plan_button.isVisible()
    now = _statuses(ctx)
    confirmed = {pid for pid in planned if now[pid][0] is PlacementStatus.CONFIRMED}
    assert confirmed and confirmed <= planned
    ctx.undo_stack.undo()
    assert all(_statuses(ctx)[pid][0] is PlacementStatus.PROPOSED for pid in confirmed)


def test_the_planner_speaks_plainly_and_stop_keeps_the_best_plan_so_far(page, ctx, qtbot):
    shown, words = [], []

    def look(dialog):
        shown.append(dialog)
        return QDialog.DialogCode.Rejected

    page.ctx.interaction.dialog = look
    page.time_limit.setValue(600)
    page.plan_automatically()
    page.plan_task.progress.connect(lambda done, total, message: words.append(message))
    qtbot.waitUntil(lambda: any(w.startswith("Placed ") for w in words), timeout=30_000)
    page.plan_progress.stop_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)  # stopped long before the 600 s
    dialog = shown[0]
    assert isinstance(dialog, ProposalDialog) and dialog.proposal.placed > 0
    text = " ".join(label.text() for label in dialog.findChildren(QLabel)) + " " + " ".join(words)
    for solver_word in ("cost", "bound", "gap", "greedy", "cp-sat", "solver", "feasible", "optimal"):
        assert solver_word not in text.casefold()
    assert any(w.startswith("Placed ") and " of " in w for w in words)
    assert ctx.undo_stack.count() == 0  # shown, not applied
