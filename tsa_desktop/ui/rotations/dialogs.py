"""Dialogs of the rotations page: the cell editor, the blocks editor and the planner's proposal.

They show what the services give them and hand the user's choices back; what suits whom, what
breaks a rule and what a plan changes are all decided by the services.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.domain.rules import Problem, Severity
from tsa_desktop.services.rotations.blocks import BlockRow
from tsa_desktop.services.rotations.choices import MentorChoice, SchoolChoice
from tsa_desktop.services.rotations.planning import Proposal, ProposedPlacement, UnplacedRow
from tsa_desktop.ui.common.form import FieldSpec, FormDialog
from tsa_desktop.ui.common.screen import FitsScreen, fit_columns
from tsa_desktop.ui.rotations.models import ERROR_COLOUR, WARNING_COLOUR
from tsa_desktop.ui.core.table_model import Column, RowTableModel
from tsa_desktop.ui.common.tables import read_only_table

CELL_FIELDS = (
    FieldSpec("school", "School", "choice", required=True),
    FieldSpec("mentor", "Mentor", "choice"),
    FieldSpec("status", "Status", "choice", choices=[(s.code, s.label) for s in PlacementStatus]),
    FieldSpec("locked", "Locked (the planner keeps it)", "check"),
    FieldSpec("paired_trainee", "Paired with (pair and share)", "choice"),
    FieldSpec("notes", "Notes", "multiline"),
)


class CellDialog(FormDialog):
    """Edit one cell of the grid: school, mentor, status, lock, pair partner, notes.

    Args:
        heading: The cell in words ("Amy Baker, Autumn block A").
        submit: Called with the values on OK (the school and mentor as ids, status as a code).
        schools: Every school, suitable ones first.
        mentors_for: The mentors to offer for a school, with their load.
        partners_for: The trainees who could be paired with this one at a school.
        preview: The problems the values would have; shown live under the fields.
        values: The cell as it is (None: an empty cell).
        on_clear: Clears the cell; offered only for a filled cell. True when it was cleared.
    """

    def __init__(self, heading: str, submit: Callable[[dict[str, Any]], Any], schools: Sequence[SchoolChoice],
                 mentors_for: Callable[[int], list[MentorChoice]],
                 partners_for: Callable[[int], list[tuple[int, str]]],
                 preview: Callable[[dict[str, Any]], list[Problem]], values: dict[str, Any] | None = None,
                 on_clear: Callable[[], bool] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(f"Edit {heading}" if values else f"Place {heading}", CELL_FIELDS, submit, None, parent)
        self.setMinimumWidth(620)
        self._mentors_for, self._partners_for, self._preview = mentors_for, partners_for, preview
        self.cleared = False
        school = self.combo("school")
        suitable = [c for c in schools if c.suitable]
        for c in suitable:
            school.addItem(c.label, c.id)
        if suitable and len(suitable) < len(schools):
            school.insertSeparator(school.count())
        for c in schools:
            if not c.suitable:
                school.addItem(f"{c.name} — not suitable: {c.note}", c.id)
        school.setMaxVisibleItems(20)
        self.combo("status").setCurrentIndex(0)
        self.heading = QLabel(heading, self)
        self.heading.setStyleSheet("font-weight: 600;")
        self.preview_label = QLabel(self)
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextFormat(Qt.TextFormat.PlainText)
        layout = self.layout()
        layout.insertWidget(0, self.heading)
        layout.insertWidget(layout.count() - 1, self.preview_label)
        school.currentIndexChanged.connect(self._school_changed)
        self._school_changed()
        self.set_values(values or {})
        for name in ("school", "mentor", "status", "paired_trainee"):
            self.combo(name).currentIndexChanged.connect(self._update_preview)
        self.widgets["locked"].toggled.connect(self._update_preview)
        self.clear_button = None
        if on_clear is not None:
            self.clear_button = self.buttons.addButton("Clear the cell", QDialogButtonBox.ButtonRole.ResetRole)
            self.clear_button.setToolTip("Remove this placement (Undo puts it back)")
            self.clear_button.clicked.connect(lambda: self._clear(on_clear))
        self._update_preview()

    def combo(self, name: str) -> QComboBox:
        return self.widgets[name]  # type: ignore[return-value]

    def _school_changed(self) -> None:
        school_id = self.combo("school").currentData()
        mentor, partner = self.combo("mentor"), self.combo("paired_trainee")
        keep_mentor, keep_partner = mentor.currentData(), partner.currentData()
        for box in (mentor, partner):
            box.blockSignals(True)
            box.clear()
        mentor.addItem("No mentor named yet", None)
        partner.addItem("Nobody", None)
        if school_id is not None:
            choices = self._mentors_for(school_id)
            for c in choices:
                mentor.addItem(c.label, c.id)
            for tid, label in self._partners_for(school_id):
                partner.addItem(label, tid)
            found = mentor.findData(keep_mentor) if keep_mentor is not None else -1
            best = next((i + 1 for i, c in enumerate(choices) if c.suits), 0)
            mentor.setCurrentIndex(found if found >= 0 else best)
            found = partner.findData(keep_partner) if keep_partner is not None else -1
            partner.setCurrentIndex(max(found, 0))
        for box in (mentor, partner):
            box.blockSignals(False)
        self._update_preview()

    def _update_preview(self) -> None:
        values = self.values()
        if values.get("school") is None:
            self.preview_label.setText("")
            return
        problems = self._preview(values)
        if not problems:
            self.preview_label.setStyleSheet("color: #1e7d32;")
            self.preview_label.setText("This placement keeps every rotation rule.")
            return
        error = any(p.severity is Severity.ERROR for p in problems)
        self.preview_label.setStyleSheet(f"color: {ERROR_COLOUR if error else WARNING_COLOUR};")
        self.preview_label.setText("With these choices:\n" + "\n".join(f"• {p.severity}: {p.message}" for p in problems))

    def _clear(self, on_clear: Callable[[], bool]) -> None:
        if on_clear():
            self.cleared = True
            self.accept()


def block_dialog(title: str, submit: Callable[[dict[str, Any]], Any], values: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> FormDialog:
    """Add or edit a placement block: name, dates and days in school."""
    specs = (
        FieldSpec("name", "Name", required=True, placeholder="e.g. Autumn block A"),
        FieldSpec("start_date", "First day", "date", required=True),
        FieldSpec("end_date", "Last day", "date", required=True),
        FieldSpec("days_in_school", "Days in school", "int", minimum=0, maximum=366),
    )
    return FormDialog(title, specs, submit, values, parent)


BLOCK_COLUMNS = (
    Column("Block", lambda b: b.name),
    Column("First day", lambda b: b.start_date),
    Column("Last day", lambda b: b.end_date),
    Column("Weeks", lambda b: round(b.weeks, 1), numeric=True),
    Column("Days in school", lambda b: b.days_in_school, numeric=True),
    Column("Placements", lambda b: b.placement_count, numeric=True),
)


class BlocksDialog(FitsScreen, QDialog):
    """The blocks of a year, with add, edit and delete (refused while placements use a block).

    Args:
        year: The academic year.
        load: Reads the blocks again (after each change).
        add, edit, delete: Carry out a change through an undoable command.
    """

    def __init__(self, year: str, load: Callable[[], list[BlockRow] | None], add: Callable[[], None],
                 edit: Callable[[BlockRow], None], delete: Callable[[BlockRow], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Placement blocks of {year}")
        self.setMinimumSize(640, 300)
        self._load = load
        self.model = RowTableModel(BLOCK_COLUMNS, self)
        self.table = _table(self.model, self)
        self.warnings = QLabel(self)
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(f"color: {WARNING_COLOUR};")
        self.add_button = QPushButton("Add block…", self)
        self.edit_button = QPushButton("Edit…", self)
        self.delete_button = QPushButton("Delete", self)
        self.add_button.clicked.connect(lambda: (add(), self.refresh()))
        self.edit_button.clicked.connect(lambda: self._with_selected(edit))
        self.delete_button.clicked.connect(lambda: self._with_selected(delete))
        self.table.doubleClicked.connect(lambda _i: self._with_selected(edit))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Each trainee is placed once in each block; the grid shows one column "
                                "per block, in date order.", self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warnings)
        layout.addLayout(buttons)
        self.refresh()

    def selected(self) -> BlockRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0]) if rows else None

    def select(self, block_id: int) -> None:
        row = self.model.find(lambda b: b.id == block_id)
        if row >= 0:
            self.table.selectRow(row)

    def _with_selected(self, action: Callable[[BlockRow], None]) -> None:
        row = self.selected()
        if row is not None:
            action(row)
            self.refresh()

    def refresh(self) -> None:
        rows = self._load()
        if rows is None:
            return
        keep = self.selected()
        self.model.set_rows(rows)
        if keep is not None:
            self.select(keep.id)
        fit_columns(self.table)
        warnings = [w for r in rows for w in r.warnings]
        self.warnings.setText("\n".join(dict.fromkeys(warnings)))
        self.warnings.setVisible(bool(warnings))


PLACED_COLUMNS = (
    Column("Trainee", lambda p: p.trainee),
    Column("Block", lambda p: p.block),
    Column("School", lambda p: p.school),
    Column("Mentor", lambda p: p.mentor or "none yet"),
    Column("Paired with", lambda p: p.paired_with),
    Column("Km from home", lambda p: None if p.km is None else f"{p.km:.1f}", sort_key=lambda p: p.km, numeric=True),
)
CHANGED_COLUMNS = PLACED_COLUMNS[:2] + (Column("Now", lambda p: p.before),) + PLACED_COLUMNS[2:]
UNPLACED_COLUMNS = (
    Column("Trainee", lambda u: u.trainee),
    Column("Block", lambda u: u.block),
    Column("Proposed placement removed", lambda u: u.removed),
    Column("Why it stays empty", lambda u: u.reason, tooltip=lambda u: u.reason),
)


class ProposalDialog(FitsScreen, QDialog):
    """The planner's proposal: what is new, what changes, who stays unplaced and why.

    Accepting it means "apply the plan"; the page does that as one undoable step.
    """

    def __init__(self, proposal: Proposal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proposal = proposal
        self.setWindowTitle(f"Automatic plan for {proposal.year}")
        self.preferred_size = (980, 560)
        headline = QLabel(self)
        headline.setWordWrap(True)
        headline.setStyleSheet("font-size: 12pt; font-weight: 600;")
        quality = proposal.plain_quality
        headline.setText(f"{len(proposal.new)} new placements, {len(proposal.changed)} changed, "
                         f"{len(proposal.unplaced)} left unplaced. {quality[:1].upper() + quality[1:]}.")
        words = proposal.plain_details()
        detail = QLabel(words[:1].upper() + words[1:] + ".", self)
        detail.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.tables: dict[str, QTableView] = {}
        self._add_tab("new", f"New ({len(proposal.new)})", PLACED_COLUMNS, proposal.new)
        self._add_tab("changed", f"Changed ({len(proposal.changed)})", CHANGED_COLUMNS, proposal.changed)
        self._add_tab("unplaced", f"Unplaced ({len(proposal.unplaced)})", UNPLACED_COLUMNS, proposal.unplaced)
        if proposal.unplaced:
            self.tabs.setCurrentIndex(2)
        buttons = QDialogButtonBox(self)
        self.apply_button = buttons.addButton("Apply the plan", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(bool(proposal.change.steps))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel("Nothing is saved until you apply the plan; Undo takes it back in one step.", self)
        layout = QVBoxLayout(self)
        layout.addWidget(headline)
        layout.addWidget(detail)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _add_tab(self, key: str, title: str, columns, rows: Sequence[ProposedPlacement | UnplacedRow]) -> None:
        model = RowTableModel(columns, self)
        model.set_rows(rows)
        table = _table(model, self)
        table.setSortingEnabled(True)
        # By block, and by trainee within a block (the sort is stable).
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        table.horizontalHeader().setResizeContentsPrecision(100)
        fit_columns(table)
        if key == "unplaced" and not any(u.removed for u in rows):  # type: ignore[union-attr]
            table.hideColumn(2)
        self.tables[key] = table
        self.tabs.addTab(table, title)


def _table(model: RowTableModel, parent: QWidget) -> QTableView:
    return read_only_table(model, parent)
