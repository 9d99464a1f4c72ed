"""Rotations: the grid of trainees and placement blocks, edited by hand or planned automatically."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.domain.enums import Phase, PlacementStatus
from tsa_desktop.domain.errors import CancelledError, ValidationError
from tsa_desktop.services.rotations.blocks import BlockRow
from tsa_desktop.services.rotations.grid import GridTrainee, PlacementChange, PlacementState, RotationGrid
from tsa_desktop.services.rotations.choices import mentor_choices, partner_choices, school_choices, suggest_mentor
from tsa_desktop.services.rotations.planning import Proposal
from tsa_desktop.services.rotations.edits import CellEdit
from tsa_desktop.ui.core.ops import CreateCommand, DeleteCommand, UpdateCommand, push
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.services.rotations.choices import refusal
from tsa_desktop.services.rotations.confirm import Scope
from tsa_desktop.ui.rotations.bulk import BulkActions
from tsa_desktop.ui.rotations.hosting import HostingDialog
from tsa_desktop.ui.rotations.progress import run_planner
from tsa_desktop.ui.rotations.repair import start_repair
from tsa_desktop.ui.rotations.dialogs import BlocksDialog, CellDialog, ProposalDialog, block_dialog
from tsa_desktop.ui.rotations.models import FIRST_BLOCK, DropRequest, RotationGridModel, SchoolListModel
from tsa_desktop.ui.common.page import Page
from tsa_desktop.ui.rotations.commands import AREA, ApplyPlanCommand, PlacementCommand
from tsa_desktop.ui.rotations.grid import RotationGridView
from tsa_desktop.ui.common.year_box import YearBox
from tsa_desktop.ui.core.changes import Area, Change

LEGEND = ("<span style='color:#c0392b'>●</span> rule error &nbsp; <span style='color:#d68910'>●</span> "
          "warning (hover for the reasons) &nbsp; <b>bold</b> confirmed, <i>italic</i> proposed, "
          "padlock: locked &nbsp;·&nbsp; drag a cell onto another trainee's cell to swap, onto an "
          "empty cell to move; drag a school onto a cell to place there")


class GridFilters(QWidget):
    """Search, phase, subject and school filters, and "only with problems", over the grid's rows.

    Signals come from the widgets; the page calls :meth:`predicate` when any of them changes.
    """

    def __init__(self, on_change: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search trainees…")
        self.search.setClearButtonEnabled(True)
        self.phase = self._box("All phases")
        self.subject = self._box("All subjects")
        self.school = self._box("All schools")
        self.problems_only = QCheckBox("Only with problems", self)
        self.not_training = QCheckBox("Include trainees not in training", self)
        self.not_training.setToolTip("Deferred, withdrawn and qualified trainees with no placements")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 2)
        for w in (self.phase, self.subject, self.school):
            layout.addWidget(w, 1)
        layout.addWidget(self.problems_only)
        layout.addWidget(self.not_training)
        self.search.textChanged.connect(on_change)
        for box in (self.phase, self.subject, self.school):
            box.currentIndexChanged.connect(on_change)
        self.problems_only.toggled.connect(on_change)
        self.not_training.toggled.connect(on_change)

    def _box(self, everything: str) -> QComboBox:
        box = QComboBox(self)
        box.addItem(everything, None)
        box.setAccessibleName(everything)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(12)
        return box

    def fill(self, grid: RotationGrid) -> None:
        """Offer the phases, subjects and schools the year has (keeping the choices made)."""
        _fill(self.phase, [(p, p.label) for p in Phase if any(t.phase is p for t in grid.trainees)])
        subjects = sorted({(t.subject, t.subject.label) for t in grid.trainees},
                          key=lambda s: (not s[0].is_primary, s[1].casefold()))
        _fill(self.subject, subjects)
        _fill(self.school, sorted(((s.id, s.name) for s in grid.schools.values()), key=lambda s: s[1].casefold()))

    def predicate(self, grid: RotationGrid) -> Callable[[GridTrainee], bool] | None:
        words = self.search.text().casefold().split()
        phase, subject, school = self.phase.currentData(), self.subject.currentData(), self.school.currentData()
        problems, everyone = self.problems_only.isChecked(), self.not_training.isChecked()

        def keep(t: GridTrainee) -> bool:
            if not everyone and not t.status.needs_placements and not any(grid.cell(t.id, b.id) for b in grid.blocks):
                return False
            if words and not all(w in f"{t.name} {t.reference}".casefold() for w in words):
                return False
            if (phase is not None and t.phase is not phase) or (subject is not None and t.subject is not subject):
                return False
            if school is not None and not any((p := grid.cell(t.id, b.id)) and p.school_id == school
                                              for b in grid.blocks):
                return False
            return not problems or grid.row_severity(t.id) is not None

        return keep


def _fill(box: QComboBox, choices: list[tuple[Any, str]]) -> None:
    keep = box.currentData()
    box.blockSignals(True)
    try:
        while box.count() > 1:
            box.removeItem(1)
        for value, label in choices:
            box.addItem(label, value)
        box.setCurrentIndex(max(box.findData(keep), 0) if keep is not None else 0)
    finally:
        box.blockSignals(False)


class RotationsPage(Page):
    """The rotation grid of a year: trainees × blocks, with the rules checked as you edit."""

    title = "Rotations"
    areas = (AREA, Area.TRAINEES, Area.SCHOOLS, Area.MENTORS, Area.YEARS, Area.ALLIANCE)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.year_box = YearBox(parent=self)
        self.year_box.year_changed.connect(self.reload)
        self.headline = QLabel(self)
        self.headline.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.headline.setWordWrap(True)
        self.blocks_button = QPushButton("Blocks…", self)
        self.blocks_button.setToolTip("Add, edit or delete the placement blocks of this year")
        self.blocks_button.clicked.connect(self.edit_blocks)
        self.time_limit = QSpinBox(self)
        self.time_limit.setRange(5, 600)
        self.time_limit.setValue(30)
        self.time_limit.setSuffix(" s")
        self.time_limit.setToolTip("How long the planner may search for a better plan")
        self.plan_button = QPushButton("Plan automatically…", self)
        self.plan_button.setToolTip("Fill every empty (and unlocked proposed) placement; you see the "
                                    "plan before anything is saved")
        self.plan_button.clicked.connect(self.plan_automatically)
        top = QHBoxLayout()
        top.addWidget(QLabel("Academic year", self))
        top.addWidget(self.year_box)
        top.addSpacing(12)
        top.addWidget(self.headline, 1)
        top.addWidget(self.blocks_button)
        self.hosting_button = QPushButton("Hosting…", self)
        self.hosting_button.setToolTip("Which schools host trainees this year and in each block, when they "
                                       "last answered, and the schools to chase")
        self.hosting_button.clicked.connect(self.edit_hosting)
        top.addWidget(self.hosting_button)
        self.repair_button = QPushButton("Repair the plan…", self)
        self.repair_button.setToolTip("After a change (a school stops hosting or closes, a mentor leaves): "
                                      "move as few placements as possible so that every rotation keeps the "
                                      "rules; you see the moves before anything is saved")
        self.repair_button.clicked.connect(lambda: start_repair(self))
        self.time_label = QLabel("Time limit", self)
        top.addWidget(self.time_label)
        top.addWidget(self.time_limit)
        top.addWidget(self.plan_button)
        top.addWidget(self.repair_button)

        self.filters = GridFilters(self.apply_filters, self)
        self.count = QLabel(self)
        self.model = RotationGridModel(self)
        self.model.drop_requested.connect(self.carry_out_drop, Qt.ConnectionType.QueuedConnection)
        self.view = RotationGridView(self.model, self)
        self.editable = self.may("edit")
        if self.editable:
            self.view.edit_requested.connect(self.edit_cell)
            self.view.clear_requested.connect(self.clear_cell)
        else:
            self.view.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.bulk = BulkActions(self)
        self.confirm_plan_button = QPushButton("Confirm this plan", self)
        self.confirm_plan_button.setToolTip("Confirm every placement the plan just applied made or changed "
                                            "(those with rule errors stay proposed)")
        self.confirm_plan_button.clicked.connect(self.confirm_plan)
        self.confirm_plan_button.setVisible(False)
        self._applied_plan: frozenset[int] = frozenset()

        self.school_model = SchoolListModel(self)
        self.school_list = QListView(self)
        self.school_list.setModel(self.school_model)
        self.school_list.setDragEnabled(True)
        self.school_list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.school_list.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.school_list.setUniformItemSizes(True)
        self.school_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.school_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.school_search = QLineEdit(self)
        self.school_search.setPlaceholderText("Find a school…")
        self.school_search.setClearButtonEnabled(True)
        self.school_search.textChanged.connect(self.school_model.set_filter)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("Schools: drag one onto a cell", side))
        side_layout.addWidget(self.school_search)
        side_layout.addWidget(self.school_list, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        side.setVisible(self.editable)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([1000, 270])

        self.edit_button = QPushButton("Edit cell…", self)
        self.edit_button.clicked.connect(lambda: self.edit_cell(self.view.currentIndex()))
        self.clear_button = QPushButton("Clear cell", self)
        self.clear_button.clicked.connect(lambda: self.clear_cell(self.view.currentIndex()))
        legend = QLabel(LEGEND, self)
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.clear_button)
        for button in self.bulk.widgets:
            bottom.addWidget(button)
        bottom.addWidget(self.confirm_plan_button)
        bottom.addWidget(legend, 1)
        bottom.addWidget(self.count)

        self.offer_only_if("edit", self.blocks_button, self.hosting_button, self.repair_button, self.plan_button, self.time_label, self.time_limit,
                           self.edit_button, self.clear_button, *self.bulk.widgets)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._update_buttons()

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        ws = self.ctx.workspace
        years = self.ctx.call(ws.years.list)
        if years is not None:
            self.year_box.set_years([y.name for y in years], ws.years.current())
        year = self.year_box.year()
        grid = self.ctx.call(ws.rotations.grid, year) if year else None
        if grid is None:
            self.model.set_grid(None)
            self.headline.setText("No academic year yet: add trainees or create the demo first.")
            return
        self.filters.fill(grid)
        self.school_model.set_schools([(s.id, s.name, s.phase.label) for s in grid.schools.values()])
        self.model.set_grid(grid)
        self.apply_filters()
        self._show_summary()

    def apply_filters(self) -> None:
        grid = self.model.grid
        self.model.set_filter(self.filters.predicate(grid) if grid else None)
        shown, total = self.model.rowCount(), len(self.model.all_rows())
        self.count.setText(f"{shown} trainees" if shown == total else f"{shown} of {total} trainees")
        self._update_buttons()

    def _show_summary(self) -> None:
        grid = self.model.grid
        if grid is None:
            return
        if not grid.blocks:
            self.headline.setText(f"{grid.year} has no placement blocks: add them with Blocks….")
        else:
            self.headline.setText(str(grid.summary()))

    def _on_change(self, change: Change) -> None:
        # Edits made here are already shown in place; only others' changes need a reload.
        if change.source is self and change.areas == {AREA}:
            return
        super()._on_change(change)

    def show_change(self, change: PlacementChange) -> None:
        """Take a change written through a command into the grid, without reloading the year."""
        if self.model.grid is None or change.year != self.model.grid.year:
            return
        self.model.apply_change(change)
        self._show_summary()
        self._update_buttons()

    def _update_buttons(self) -> None:
        cell = self.model.cell_at(self.view.currentIndex())
        self.edit_button.setEnabled(cell is not None)
        self.clear_button.setEnabled(cell is not None and self.model.grid.cell(*cell) is not None)  # type: ignore[union-attr]
        self.plan_button.setEnabled(self.model.grid is not None and bool(self.model.grid.blocks))
        self.repair_button.setEnabled(self.plan_button.isEnabled())
        self.hosting_button.setEnabled(self.model.grid is not None)
        self.bulk.update()

    # -- editing cells ------------------------------------------------------------------------

    def _push(self, write: Callable[[], PlacementChange], *, in_dialog: bool = False) -> bool:
        """Make an edit through the service as one undoable step, shown in place."""
        return push(self.ctx, PlacementCommand(self.ctx, write, self.show_change, source=self), in_dialog=in_dialog)

    def edit_cell(self, index: QModelIndex) -> None:
        """Open the cell editor on a block cell (the trainee's first block from the name)."""
        grid = self.model.grid
        if grid is None or not index.isValid() or not grid.blocks:
            return
        if index.column() < FIRST_BLOCK:
            index = self.model.index(index.row(), FIRST_BLOCK)
        trainee_id, block_id = self.model.cell_at(index)  # type: ignore[misc]
        current = grid.cell(trainee_id, block_id)
        service = self.ctx.workspace.rotations

        def candidate(values: dict) -> PlacementState:
            return PlacementState(current.id if current else None, trainee_id, block_id, values["school"],
                                  values["mentor"], PlacementStatus.parse(values["status"]), bool(values["locked"]),
                                  values["paired_trainee"])

        def submit(values: dict) -> bool:
            if values.get("school") is None:
                raise ValidationError.single("school", "choose a school")
            edit = CellEdit(values["school"], values["mentor"], PlacementStatus.parse(values["status"]),
                            bool(values["locked"]), values["paired_trainee"], values.get("notes") or "")
            return self._push(lambda: service.save_cell(trainee_id, block_id, edit, current), in_dialog=True)

        dialog = CellDialog(
            grid.describe(trainee_id, block_id), submit, school_choices(grid, trainee_id, block_id),
            lambda school: mentor_choices(grid, school, trainee_id, block_id),
            lambda school: partner_choices(grid, trainee_id, block_id, school),
            lambda values: grid.preview(candidate(values)), _values(current),
            (lambda: self._push(lambda: service.clear_cell(current))) if current else None, self)
        self.run_dialog(dialog)

    def clear_cell(self, index: QModelIndex) -> None:
        """Remove the placement in a cell (undoable)."""
        cell = self.model.cell_at(index)
        current = self.model.grid.cell(*cell) if cell and self.model.grid else None
        if current is not None:
            service = self.ctx.workspace.rotations
            self._push(lambda: service.clear_cell(current))

    def carry_out_drop(self, request: DropRequest) -> None:
        """Swap, move, or place at a dropped school, through the service."""
        grid, service = self.model.grid, self.ctx.workspace.rotations
        if grid is None:
            return
        if request.kind == "swap":
            self._push(lambda: service.swap(request.source, request.target))
        elif request.kind == "move":
            self._push(lambda: service.move(request.source, request.trainee_id, request.block_id))
        elif request.kind == "school" and request.school_id is not None:
            refused = refusal(grid, request.school_id, request.block_id)
            if refused is not None:
                self.ctx.messages.info(f"{grid.school_name(request.school_id)} is {refused}: nobody can be "
                                       "placed there.", title="Not placed")
                return
            target = request.target
            mentor = suggest_mentor(grid, request.school_id, request.trainee_id, request.block_id)
            edit = CellEdit(request.school_id, mentor, target.status if target else PlacementStatus.PROPOSED,
                            target.locked if target else False, None, target.notes if target else "")
            self._push(lambda: service.save_cell(request.trainee_id, request.block_id, edit, target))

    # -- blocks -------------------------------------------------------------------------------

    def edit_blocks(self) -> None:
        """The blocks editor: each change is its own undoable step."""
        year = self.year_box.year()
        if not year:
            return
        service = self.ctx.workspace.blocks

        def add() -> None:
            def submit(values: dict) -> bool:
                return push(self.ctx, CreateCommand(self.ctx, f"Add block {values.get('name', '')}", Area.YEARS, "block",
                                                    values, lambda data: service.add(year, data), service.delete),
                            in_dialog=True)
            self.run_dialog(block_dialog(f"Add a block to {year}", submit, parent=self))

        def edit(row: BlockRow) -> None:
            def submit(values: dict) -> bool:
                return push(self.ctx, UpdateCommand(self.ctx, f"Edit block {row.name}", Area.YEARS, "block", row.id,
                                                    row.data(), values, service.update, row.data()), in_dialog=True)
            self.run_dialog(block_dialog(f"Edit {row.name}", submit, row.data().__dict__, parent=self))

        def delete(row: BlockRow) -> None:
            push(self.ctx, DeleteCommand(self.ctx, f"Delete block {row.name}", Area.YEARS, "block", row.id,
                                         service.delete, service.restore, lambda deleted: deleted))

        self.run_dialog(BlocksDialog(year, lambda: self.ctx.call(service.list, year), add, edit, delete, self))

    # -- hosting ------------------------------------------------------------------------------

    def edit_hosting(self) -> None:
        """Schools' hosting for the year and the schools to chase; the grid shows the rule errors after."""
        grid = self.model.grid
        if grid is None:
            return
        service, year = self.ctx.workspace.hosting, grid.year
        changed = []

        def record(school_id: int, hosting: bool, block: str | None, reason: str) -> bool:
            done = self.ctx.call(service.set_hosting, school_id, year, hosting=hosting, block=block, reason=reason)
            if done is not None:
                changed.append(done)
            return done is not None

        self.run_dialog(HostingDialog(year, [b.name for b in grid.blocks], lambda: self.ctx.call(service.overview, year),
                                      lambda days: self.ctx.call(service.to_chase, year, days=days), record, self))
        if changed:
            self.ctx.notify(Area.SCHOOLS)

    # -- the automatic planner ----------------------------------------------------------------

    def plan_automatically(self) -> None:
        """Run the planner off the GUI thread, then show its proposal."""
        year, limit = self.year_box.year(), float(self.time_limit.value())
        if not year:
            return
        service = self.ctx.workspace.planning
        self.plan_task, self.plan_progress = run_planner(
            self.ctx, lambda progress: service.propose(year, time_limit=limit, progress=progress),
            f"Planning the placements of {year} (up to {limit:g} s)", self,
            on_done=self.show_proposal, on_error=self._planning_failed)

    def show_proposal(self, proposal: Proposal) -> None:
        """Show the plan; applying it is one undoable step."""
        if self.run_dialog(ProposalDialog(proposal, self)) == QDialog.DialogCode.Accepted:
            self.apply_proposal(proposal)

    def apply_proposal(self, proposal: Proposal) -> None:
        planning = self.ctx.workspace.planning
        op = ApplyPlanCommand(self.ctx, lambda: planning.apply_proposal(proposal))
        if push(self.ctx, op) and op.applied is not None and op.applied.steps:
            self._applied_plan = frozenset(st.after.id for st in op.applied.steps
                                           if st.after is not None and st.after.id is not None)
            self.confirm_plan_button.setVisible(self.editable and bool(self._applied_plan))

    def confirm_plan(self) -> None:
        """Confirm the placements of the plan just applied, as one undoable step."""
        if self._applied_plan:
            self.bulk.run("confirm", Scope(placement_ids=self._applied_plan))
        self._applied_plan = frozenset()
        self.confirm_plan_button.setVisible(False)

    def _planning_failed(self, exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            self.ctx.messages.info("Planning was cancelled; nothing was changed.")
        else:
            self.ctx.messages.error(exc, title="Planning failed")


def _values(p: PlacementState | None) -> dict | None:
    if p is None:
        return None
    return {"school": p.school_id, "mentor": p.mentor_id, "status": p.status.code, "locked": p.locked,
            "paired_trainee": p.paired_trainee_id, "notes": p.notes}
