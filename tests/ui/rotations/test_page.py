"""The rotations page as a user drives it: edit a cell, drag and drop, undo, problems, plan."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.conftest import DEMO_YEAR
from tests.ui.conftest import check_while_sorting
from tsa_desktop.domain.enums import Phase
from tsa_desktop.domain.rules import Severity
from tsa_desktop.services.rotations.choices import school_choices
from tsa_desktop.ui.rotations.dialogs import BlocksDialog, CellDialog, ProposalDialog
from tsa_desktop.ui.rotations.models import (
    FIRST_BLOCK,
    SCHOOLS,
    SEVERITY_ROLE,
    STATE_ROLE,
    TRAINEE,
    RotationGridModel,
    SchoolListModel,
)
from tsa_desktop.ui.rotations.page import RotationsPage


@pytest.fixture
def page(qtbot, ctx, driver):
    p = RotationsPage(ctx)
    qtbot.addWidget(p)
    p.ctx.interaction.dialog = driver
    p.resize(1400, 800)
    p.show()
    return p


def _db_cell(ctx, trainee_id, block_id):
    grid = ctx.workspace.rotations.grid(DEMO_YEAR)
    return grid.cell(trainee_id, block_id)


def _index(page, trainee_id, block_id):
    return page.model.index(page.model.row_of(trainee_id), page.model.column_of(block_id))


def _filled(page, block_id):
    grid = page.model.grid
    return [t for t in page.model.rows() if grid.cell(t.id, block_id) is not None]


def _empty(page, block_id, phase=None):
    grid = page.model.grid
    return [t for t in page.model.rows() if grid.cell(t.id, block_id) is None and (phase is None or t.phase is phase)]


def test_the_models_pass_the_model_tester(qtmodeltester, small_demo):
    model = RotationGridModel()
    model.set_grid(small_demo.rotations.grid(DEMO_YEAR))
    check_while_sorting(qtmodeltester, model)
    model.set_filter(lambda t: t.phase is Phase.SECONDARY)
    qtmodeltester.check(model)
    assert 0 < model.rowCount() < len(model.all_rows())
    check_while_sorting(qtmodeltester, model)
    # Editing: a cell cleared, then filled again by undoing, each taken into the grid in place.
    block_id = model.block_id(FIRST_BLOCK)
    trainee = next(t for t in model.rows() if model.grid.cell(t.id, block_id) is not None)
    cleared = small_demo.rotations.clear_cell(model.grid.cell(trainee.id, block_id))
    model.apply_change(cleared)
    qtmodeltester.check(model)
    assert model.grid.cell(trainee.id, block_id) is None
    model.sort(FIRST_BLOCK, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)
    model.apply_change(small_demo.rotations.apply_change(cleared.reversed()))
    qtmodeltester.check(model)
    assert model.grid.cell(trainee.id, block_id) is not None
    model.set_grid(small_demo.rotations.grid(DEMO_YEAR))  # reloaded, filter and sort kept
    qtmodeltester.check(model)
    model.set_filter(None)
    model.set_grid(None)
    qtmodeltester.check(model)
    schools = SchoolListModel()
    schools.set_schools([(1, "Hill Academy", "Secondary"), (2, "Oak Primary", "Primary")])
    qtmodeltester.check(schools)
    schools.set_filter("oak")
    qtmodeltester.check(schools)
    assert schools.rowCount() == 1 and schools.school_id(0) == 2
    schools.set_filter("")
    qtmodeltester.check(schools)
    assert schools.rowCount() == 2


def test_the_grid_shows_trainees_by_blocks_with_the_headline(page, ctx):
    grid = page.model.grid
    assert page.model.columnCount() == FIRST_BLOCK + 3
    assert [page.model.headerData(c, Qt.Orientation.Horizontal).split("\n")[0] for c in range(FIRST_BLOCK, 5)] == [
        "Autumn block A", "Spring block B", "Summer block C"]
    training = [t for t in grid.trainees if t.status.needs_placements]
    assert page.model.rowCount() >= len(training)
    assert page.headline.text() == str(grid.summary())
    names = [t.sort_name.casefold() for t in page.model.rows()]
    assert names == sorted(names)
    placed = _filled(page, grid.blocks[0].id)[0]
    index = _index(page, placed.id, grid.blocks[0].id)
    p = grid.cell(placed.id, grid.blocks[0].id)
    assert index.data() == f"{grid.school_name(p.school_id)} — {grid.mentor_name(p.mentor_id)}"
    assert page.model.index(index.row(), SCHOOLS).data() == "1"


def test_edit_an_empty_cell_in_the_dialog_then_undo_and_redo(page, ctx, driver):
    grid = page.model.grid
    spring = grid.blocks[1].id
    trainee = next(t for t in _empty(page, spring) if school_choices(grid, t.id, spring)[0].suitable)
    index = _index(page, trainee.id, spring)
    dialog_schools = []

    def fill_with_the_first_suitable_school(dialog):
        assert isinstance(dialog, CellDialog)
        box = dialog.combo("school")
        dialog_schools.append(box.itemText(0))
        driver.fill = {"school": box.itemData(0), "status": "confirmed"}
        return driver(dialog)

    page.ctx.interaction.dialog = fill_with_the_first_suitable_school
    page.edit_cell(index)
    assert driver.stayed_open is False
    saved = _db_cell(ctx, trainee.id, spring)
    assert saved is not None and saved.status.code == "confirmed" and saved.mentor_id is not None
    assert dialog_schools[0].startswith(grid.school_name(saved.school_id))  # suitable schools come first
    assert page.model.data(index, STATE_ROLE) == saved  # shown in place, no reload needed
    ctx.undo_stack.undo()
    assert _db_cell(ctx, trainee.id, spring) is None and page.model.data(index, STATE_ROLE) is None
    ctx.undo_stack.redo()
    assert _db_cell(ctx, trainee.id, spring) == saved and page.model.data(index, STATE_ROLE) == saved


def test_a_cell_shows_its_problems_in_colour_and_tooltip_right_after_the_edit(page, ctx, driver):
    grid = page.model.grid
    summer = grid.blocks[2].id
    trainee = _empty(page, summer, Phase.PRIMARY)[0]
    secondary = next(s for s in grid.schools.values() if s.phase is Phase.SECONDARY)
    driver.fill = {"school": secondary.id, "mentor": None}
    page.edit_cell(_index(page, trainee.id, summer))
    index = _index(page, trainee.id, summer)
    assert index.data(SEVERITY_ROLE) is Severity.ERROR
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert f"{trainee.name}, Summer block C: {secondary.name}" in tip
    assert f"• error: {trainee.name} (primary) is placed at {secondary.name}, a secondary school" in tip
    assert "• warning:" in tip and "no mentor named yet" in tip


def test_the_cell_editor_preview_warns_before_saving(page, ctx, driver):
    grid = page.model.grid
    spring = grid.blocks[1].id
    trainee = _empty(page, spring, Phase.PRIMARY)[0]
    secondary = next(s for s in grid.schools.values() if s.phase is Phase.SECONDARY)
    seen = []

    def look(dialog):
        dialog.set_values({"school": secondary.id})
        seen.append(dialog.preview_label.text())
        return QDialog.DialogCode.Rejected

    page.ctx.interaction.dialog = look
    page.edit_cell(_index(page, trainee.id, spring))
    assert "error:" in seen[0] and "a secondary school" in seen[0]
    assert _db_cell(ctx, trainee.id, spring) is None and ctx.undo_stack.count() == 0


def test_drag_a_cell_onto_another_trainees_cell_swaps_them_and_undo_swaps_back(page, ctx, qtbot):
    grid = page.model.grid
    autumn = grid.blocks[0].id
    first, second = _filled(page, autumn)[:2]
    a, b = grid.cell(first.id, autumn), grid.cell(second.id, autumn)
    source, target = _index(page, first.id, autumn), _index(page, second.id, autumn)
    data = page.model.mimeData([source])
    assert page.model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)
    assert page.model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)
    qtbot.waitUntil(lambda: ctx.undo_stack.count() == 1)
    assert _db_cell(ctx, first.id, autumn).school_id == b.school_id
    assert _db_cell(ctx, second.id, autumn).school_id == a.school_id
    assert page.model.data(source, STATE_ROLE).school_id == b.school_id
    assert ctx.undo_stack.undoText() == f"Swap {first.name} and {second.name} in Autumn block A"
    ctx.undo_stack.undo()
    assert _db_cell(ctx, first.id, autumn).school_id == a.school_id
    assert page.model.data(source, STATE_ROLE).school_id == a.school_id


def test_drag_onto_an_empty_cell_moves_and_a_school_dropped_on_a_cell_places_the_trainee(page, ctx, qtbot):
    grid = page.model.grid
    autumn, spring = grid.blocks[0].id, grid.blocks[1].id
    mover = next(t for t in _filled(page, autumn) if grid.cell(t.id, spring) is None)
    placed = grid.cell(mover.id, autumn)
    data = page.model.mimeData([_index(page, mover.id, autumn)])
    assert page.model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, _index(page, mover.id, spring))
    qtbot.waitUntil(lambda: ctx.undo_stack.count() == 1)
    assert _db_cell(ctx, mover.id, autumn) is None and _db_cell(ctx, mover.id, spring).school_id == placed.school_id

    target = _empty(page, spring, Phase.SECONDARY)[0]
    school = next(s for s in grid.schools.values() if s.phase is Phase.SECONDARY)
    page.school_model.set_filter(school.name)
    school_data = page.school_model.mimeData([page.school_model.index(0)])
    assert page.model.dropMimeData(school_data, Qt.DropAction.CopyAction, -1, -1, _index(page, target.id, spring))
    qtbot.waitUntil(lambda: ctx.undo_stack.count() == 2)
    assert _db_cell(ctx, target.id, spring).school_id == school.id


def test_drops_that_make_no_sense_are_refused(page, ctx):
    grid = page.model.grid
    autumn, spring = grid.blocks[0].id, grid.blocks[1].id
    first = _filled(page, autumn)[0]
    data = page.model.mimeData([_index(page, first.id, autumn)])
    name_cell = page.model.index(page.model.row_of(first.id), TRAINEE)
    assert not page.model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, name_cell)
    assert not page.model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, _index(page, first.id, autumn))
    # A filled cell in another block is neither a swap nor a move.
    other = next((t for t in page.model.rows() if grid.cell(t.id, spring) is not None), None)
    if other is not None:
        assert not page.model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, _index(page, other.id, spring))


def test_filters_and_sort_by_a_block(page):
    total = page.model.rowCount()
    page.filters.phase.setCurrentIndex(page.filters.phase.findData(Phase.PRIMARY))
    assert 0 < page.model.rowCount() < total and all(t.phase is Phase.PRIMARY for t in page.model.rows())
    page.filters.phase.setCurrentIndex(0)
    autumn = page.model.grid.blocks[0].id
    page.view.sortByColumn(page.model.column_of(autumn), Qt.SortOrder.AscendingOrder)
    rows = page.model.rows()
    filled = [page.model.grid.cell(t.id, autumn) is not None for t in rows]
    assert filled == sorted(filled, reverse=True)  # placed first, empty cells last
    school = page.model.grid.cell(rows[0].id, autumn).school_id
    page.filters.school.setCurrentIndex(page.filters.school.findData(school))
    assert all(any((p := page.model.grid.cell(t.id, b.id)) and p.school_id == school
                   for b in page.model.grid.blocks) for t in page.model.rows())
    assert page.count.text() == f"{page.model.rowCount()} of {len(page.model.all_rows())} trainees"


def test_plan_automatically_shows_the_proposal_and_applies_it_as_one_undoable_step(page, ctx, qtbot):
    before = page.model.grid.summary()
    shown = []

    def accept(dialog):
        assert isinstance(dialog, ProposalDialog)
        shown.append(dialog)
        assert dialog.tables["new"].model().rowCount() == len(dialog.proposal.new)
        return QDialog.DialogCode.Accepted

    page.ctx.interaction.dialog = accept
    page.time_limit.setValue(5)
    page.plan_automatically()
    qtbot.waitUntil(lambda: ctx.undo_stack.count() == 1, timeout=30_000)
    proposal = shown[0].proposal
    after = page.model.grid.summary()
    assert after.placed == before.placed + len(proposal.new)
    assert ctx.undo_stack.undoText().startswith(f"Plan {DEMO_YEAR} automatically")
    ctx.undo_stack.undo()
    assert page.model.grid.summary().placed == before.placed
    ctx.undo_stack.redo()
    assert page.model.grid.summary().placed == after.placed


def test_add_a_block_in_the_blocks_editor_and_undo(page, ctx, driver):
    def run(dialog):
        if isinstance(dialog, BlocksDialog):
            driver.fill = {"name": "Enrichment week", "start_date": "05/07/2027", "end_date": "09/07/2027",
                           "days_in_school": 5}
            dialog.add_button.click()
            assert dialog.model.rowCount() == 4 and dialog.warnings.isHidden()
            return QDialog.DialogCode.Accepted
        return driver(dialog)

    page.ctx.interaction.dialog = run
    page.edit_blocks()
    assert page.model.columnCount() == FIRST_BLOCK + 4
    assert page.model.headerData(FIRST_BLOCK + 3, Qt.Orientation.Horizontal).startswith("Enrichment week")
    ctx.undo_stack.undo()
    assert page.model.columnCount() == FIRST_BLOCK + 3


def test_cancelling_the_planner_changes_nothing(page, ctx, qtbot, messages):
    page.ctx.interaction.dialog = lambda dialog: pytest.fail("no proposal is shown after a cancel")
    page.plan_automatically()
    page.plan_task.cancel()
    qtbot.waitUntil(lambda: page.plan_task.done, timeout=30_000)
    qtbot.waitUntil(lambda: bool(messages.shown))
    assert messages.shown[-1] == ("info", "Planning was cancelled; nothing was changed.")
    assert ctx.undo_stack.count() == 0
