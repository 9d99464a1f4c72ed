"""The rotation grid as a table: trainees as rows, placement blocks as columns.

A thin adapter over a :class:`~tsa_desktop.services.rotations.grid.RotationGrid`: it sorts and filters its
own list of rows (no proxy model, see MEASURED.md), reads cells and problems from the grid (never
a query in ``data()``), and after an edit tells the view which rows changed. Dragging a cell onto
another cell, or a school from :class:`SchoolListModel` onto a cell, is turned into a
:class:`DropRequest` for the page to carry out through a service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from tsa_desktop.domain.rules import Problem, Severity
from tsa_desktop.services.rotations.grid import GridTrainee, PlacementChange, PlacementState, RotationGrid, worst
from tsa_desktop.ui.core.table_model import text_key

TRAINEE, SCHOOLS, FIRST_BLOCK = 0, 1, 2

PLACEMENT_MIME = "application/x-tsa-placement"
SCHOOL_MIME = "application/x-tsa-school"

#: Custom roles the cell delegate paints from.
STATE_ROLE = Qt.ItemDataRole.UserRole + 10      # the PlacementState in a block cell, or None
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 11   # Severity of the worst problem, or None
LINES_ROLE = Qt.ItemDataRole.UserRole + 12      # (first line, second line) of the cell
TRAINEE_ROLE = Qt.ItemDataRole.UserRole + 13    # the row's GridTrainee

ERROR_COLOUR = "#c0392b"
WARNING_COLOUR = "#d68910"
_TINT = {Severity.ERROR: QColor("#fdecea"), Severity.WARNING: QColor("#fff5e1")}


@dataclass(frozen=True)
class DropRequest:
    """What a drop onto the grid asks for.

    Attributes:
        kind: "swap" (two trainees' placements in one block), "move" (into an empty cell) or
            "school" (a school dropped from the side list).
        source: The dragged placement (swap, move), or None.
        target: The placement in the target cell, or None when it is empty.
        school_id: The dropped school (kind "school").
    """

    kind: str
    trainee_id: int
    block_id: int
    source: PlacementState | None = None
    target: PlacementState | None = None
    school_id: int | None = None


def problem_tooltip(heading: str, problems: list[Problem]) -> str:
    """A tooltip listing each problem's message, errors first."""
    lines = [heading] if heading else []
    for p in sorted(problems, key=lambda p: p.severity is not Severity.ERROR):
        lines.append(f"• {p.severity}: {p.message}")
    return "\n".join(lines)


class RotationGridModel(QAbstractTableModel):
    """Trainees × blocks over a RotationGrid.

    Signals:
        drop_requested(object): a :class:`DropRequest` the page should carry out.
    """

    drop_requested = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.grid: RotationGrid | None = None
        self._all: list[GridTrainee] = []
        self._rows: list[GridTrainee] = []
        self._filter: Callable[[GridTrainee], bool] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._row_of: dict[int, int] = {}

    # -- contents -----------------------------------------------------------------------------

    def set_grid(self, grid: RotationGrid | None) -> None:
        """Show another year (or the same one reloaded), keeping the filter and sort."""
        self.beginResetModel()
        self.grid = grid
        self._all = list(grid.trainees) if grid else []
        self._rows = self._visible()
        self.endResetModel()

    def set_filter(self, predicate: Callable[[GridTrainee], bool] | None) -> None:
        """Show only the trainees for which ``predicate`` is true (None: all)."""
        self.beginResetModel()
        self._filter = predicate
        self._rows = self._visible()
        self.endResetModel()

    def apply_change(self, change: PlacementChange) -> None:
        """Take a saved edit into the grid and repaint the rows it touched."""
        if self.grid is None or not change.steps:
            return
        touched = self.grid.apply(change)
        rows = sorted(self._row_of[t] for t in touched if t in self._row_of)
        if rows:
            # One signal for the span: a few rows at most for an edit, so little is repainted.
            self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], self.columnCount() - 1))

    def trainee(self, row: int) -> GridTrainee:
        return self._rows[row]

    def rows(self) -> list[GridTrainee]:
        return list(self._rows)

    def all_rows(self) -> list[GridTrainee]:
        return list(self._all)

    def row_of(self, trainee_id: int) -> int:
        """The view row of a trainee, or -1 when filtered out."""
        return self._row_of.get(trainee_id, -1)

    def block_id(self, column: int) -> int | None:
        """The block shown in a column, or None for the trainee columns."""
        if self.grid is None or not FIRST_BLOCK <= column < FIRST_BLOCK + len(self.grid.blocks):
            return None
        return self.grid.blocks[column - FIRST_BLOCK].id

    def column_of(self, block_id: int) -> int:
        assert self.grid is not None
        return FIRST_BLOCK + next(i for i, b in enumerate(self.grid.blocks) if b.id == block_id)

    def cell_at(self, index: QModelIndex) -> tuple[int, int] | None:
        """(trainee id, block id) of a block cell, or None for the trainee columns."""
        if not index.isValid():
            return None
        block = self.block_id(index.column())
        return None if block is None else (self._rows[index.row()].id, block)

    def _visible(self) -> list[GridTrainee]:
        rows = [t for t in self._all if self._filter(t)] if self._filter else list(self._all)
        # No grid (no year to show) has no rows to sort, whatever column the user sorted by.
        if self._sort is not None and self.grid is not None:
            rows.sort(key=self._key(self._sort[0]), reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)
        self._row_of = {t.id: i for i, t in enumerate(rows)}
        return rows

    def _key(self, column: int) -> Callable[[GridTrainee], tuple]:
        grid = self.grid
        assert grid is not None
        if column == TRAINEE:
            return lambda t: (text_key(t.sort_name), t.id)
        if column == SCHOOLS:
            return lambda t: (grid.distinct_schools(t.id), text_key(t.sort_name))
        block = self.block_id(column)

        def by_school(t: GridTrainee) -> tuple:
            p = grid.cell(t.id, block)  # type: ignore[arg-type]
            # Empty cells sort last whichever way: they are what a planner looks for.
            return (p is None, text_key(grid.school_name(p.school_id)) if p else "", text_key(t.sort_name))
        return by_school

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if parent.isValid() or self.grid is None:
            return 0
        return FIRST_BLOCK + len(self.grid.blocks)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.grid is None or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == TRAINEE:
                return "Trainee"
            if section == SCHOOLS:
                return "Schools"
            b = self.grid.blocks[section - FIRST_BLOCK]
            return f"{b.name}\n{b.start:%d/%m} – {b.end:%d/%m/%Y}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == SCHOOLS:
                return (f"Different schools so far; the rule is at least "
                        f"{self.grid.settings.min_distinct_schools}")
            if section >= FIRST_BLOCK:
                b = self.grid.blocks[section - FIRST_BLOCK]
                return f"{b.name}: {b.start:%d/%m/%Y} to {b.end:%d/%m/%Y}, {b.days_in_school} days in school"
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        cell = self.cell_at(index)  # type: ignore[arg-type]
        if cell is not None and self.grid is not None:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
            if self.grid.cell(*cell) is not None:
                flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        grid = self.grid
        if grid is None or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        trainee, column = self._rows[index.row()], index.column()
        if role == TRAINEE_ROLE:
            return trainee
        if column == TRAINEE:
            return self._trainee_data(trainee, role)
        if column == SCHOOLS:
            return self._schools_data(trainee, role)
        block = self.block_id(column)
        if block is None:
            return None
        return self._cell_data(trainee, block, role)

    def _trainee_data(self, t: GridTrainee, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return t.name
        if role == LINES_ROLE:
            # The subject says the phase for secondary trainees; the route goes last, shortened.
            first = t.subject.label if t.subject.label != t.phase.label and not t.subject.is_primary else t.phase.label
            subject = t.subject.label if t.subject.is_primary and t.subject.label != t.phase.label else ""
            route = t.route.label.replace("School Direct", "SD")
            second = " · ".join(x for x in (first, subject, route) if x)
            if not t.status.needs_placements:
                second = f"{t.status.label} · {second}"
            if not self.grid.home_known(t.id):  # type: ignore[union-attr]
                # First, so that a narrow column elides the route rather than this.
                second = f"Journey unknown · {second}"
            return (t.name, second)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = (f"{t.name} ({t.reference}): {t.phase.label.lower()} {t.subject.label.lower()}, "
                    f"{t.route.label}, {t.status.label.lower()}")
            if not self.grid.home_known(t.id):  # type: ignore[union-attr]
                text += ("\nJourney unknown: the home postcode is missing or not in the postcode "
                         "directory, so the travel limit is not checked")
            return text
        return None

    def _schools_data(self, t: GridTrainee, role: int) -> Any:
        grid = self.grid
        assert grid is not None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(grid.distinct_schools(t.id))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == SEVERITY_ROLE:
            return worst(grid.trainee_problems(t.id))
        if role == Qt.ItemDataRole.BackgroundRole:
            sev = worst(grid.trainee_problems(t.id))
            return QBrush(_TINT[sev]) if sev else None
        if role == Qt.ItemDataRole.ToolTipRole:
            n, need = grid.distinct_schools(t.id), grid.settings.min_distinct_schools
            head = f"{t.name}: {n} different school{'s' if n != 1 else ''} so far (the rule is at least {need})"
            return problem_tooltip(head, grid.trainee_problems(t.id))
        return None

    def _cell_data(self, t: GridTrainee, block_id: int, role: int) -> Any:
        grid = self.grid
        assert grid is not None
        p = grid.cell(t.id, block_id)
        if role == STATE_ROLE:
            return p
        if p is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{grid.describe(t.id, block_id)}: not placed. Double-click to place, or drop a school here."
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            mentor = grid.mentor_name(p.mentor_id)
            return f"{grid.school_name(p.school_id)} — {mentor}" if mentor else grid.school_name(p.school_id)
        if role == LINES_ROLE:
            return (grid.school_name(p.school_id), grid.mentor_name(p.mentor_id) or "no mentor named yet")
        problems = grid.problems(t.id, block_id)
        if role == SEVERITY_ROLE:
            return worst(problems)
        if role == Qt.ItemDataRole.BackgroundRole:
            sev = worst(problems)
            return QBrush(_TINT[sev]) if sev else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem_tooltip(self._cell_heading(p), problems)
        return None

    def _cell_heading(self, p: PlacementState) -> str:
        grid = self.grid
        assert grid is not None
        parts = [f"{grid.describe(p.trainee_id, p.block_id)}: {grid.school_name(p.school_id)} "
                 f"({grid.journey(p.trainee_id, p.school_id)})",
                 f"mentor {grid.mentor_name(p.mentor_id)}" if p.mentor_id else "no mentor named yet",
                 p.status.label.lower()]
        if p.locked:
            parts.append("locked (the planner keeps it)")
        if p.paired_trainee_id:
            parts.append(f"paired with {grid.trainee_name(p.paired_trainee_id)}")
        head = ", ".join(parts)
        return head + (f"\nNotes: {p.notes}" if p.notes else "")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.grid is None or not 0 <= column < self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        before = [(index, self._rows[index.row()].id) for index in self.persistentIndexList()]
        self._sort = (column, order)
        self._rows.sort(key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        self._row_of = {t.id: i for i, t in enumerate(self._rows)}
        self.changePersistentIndexList([i for i, _ in before],
                                       [self.index(self._row_of[tid], i.column()) for i, tid in before])
        self.layoutChanged.emit()

    # -- drag and drop ------------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [PLACEMENT_MIME, SCHOOL_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes) -> QMimeData | None:
        for index in indexes:
            cell = self.cell_at(index)
            p = self.grid.cell(*cell) if cell and self.grid else None
            if p is not None:
                data = QMimeData()
                data.setData(PLACEMENT_MIME, QByteArray(str(p.id).encode()))
                data.setText(self.data(index) or "")
                return data
        return None

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: QModelIndex | QPersistentModelIndex) -> bool:
        return self._request(data, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: QModelIndex | QPersistentModelIndex) -> bool:
        request = self._request(data, parent)
        if request is None:
            return False
        # The page carries it out through a service once the drop has finished (queued), so
        # that a refusal's message box never opens inside the drag.
        self.drop_requested.emit(request)
        return True

    def _request(self, data: QMimeData, parent: QModelIndex | QPersistentModelIndex) -> DropRequest | None:
        cell = self.cell_at(parent)  # type: ignore[arg-type]
        if cell is None or self.grid is None:
            return None
        trainee_id, block_id = cell
        target = self.grid.cell(trainee_id, block_id)
        if data.hasFormat(SCHOOL_MIME):
            school = _int(data.data(SCHOOL_MIME))
            if school is None or school not in self.grid.schools:
                return None
            return DropRequest("school", trainee_id, block_id, target=target, school_id=school)
        if not data.hasFormat(PLACEMENT_MIME):
            return None
        pid = _int(data.data(PLACEMENT_MIME))
        source = self.grid.placement(pid) if pid is not None else None
        if source is None or source.locked or (target is not None and target.id == source.id):
            return None
        if target is None:
            return DropRequest("move", trainee_id, block_id, source=source)
        if target.block_id == source.block_id and target.trainee_id != source.trainee_id and not target.locked:
            return DropRequest("swap", trainee_id, block_id, source=source, target=target)
        return None


def _int(raw: QByteArray) -> int | None:
    try:
        return int(bytes(raw.data()).decode())
    except ValueError:
        return None


class SchoolListModel(QAbstractListModel):
    """The schools beside the grid, to drag onto a cell. Filtered by name and phase."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._all: list[tuple[int, str, str]] = []
        self._rows: list[tuple[int, str, str]] = []

    def set_schools(self, schools: list[tuple[int, str, str]]) -> None:
        """(id, name, phase label) of every school."""
        self.beginResetModel()
        self._all = sorted(schools, key=lambda s: text_key(s[1]))
        self._rows = list(self._all)
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        words = text.casefold().split()
        self.beginResetModel()
        self._rows = [s for s in self._all if all(w in f"{s[1]} {s[2]}".casefold() for w in words)]
        self.endResetModel()

    def school_id(self, row: int) -> int:
        return self._rows[row][0]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        sid, name, phase = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name} ({phase.lower()})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{name} ({phase.lower()}): drag onto a cell of the grid to place the trainee there"
        if role == Qt.ItemDataRole.UserRole:
            return sid
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        return [SCHOOL_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes) -> QMimeData | None:
        for index in indexes:
            if index.isValid():
                data = QMimeData()
                data.setData(SCHOOL_MIME, QByteArray(str(self._rows[index.row()][0]).encode()))
                data.setText(self._rows[index.row()][1])
                return data
        return None

