"""The rotation grid's view: two-line cells (school over mentor), a problem marker and a lock.

Columns are sized from the font rather than fitted to the contents: fitting asks every row for
its text, which costs a second at 1,000 trainees (MEASURED.md).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.domain.rules import Severity
from tsa_desktop.ui.rotations.models import (
    ERROR_COLOUR,
    FIRST_BLOCK,
    LINES_ROLE,
    SEVERITY_ROLE,
    STATE_ROLE,
    TRAINEE,
    WARNING_COLOUR,
    RotationGridModel,
)

_MARKER = {Severity.ERROR: QColor(ERROR_COLOUR), Severity.WARNING: QColor(WARNING_COLOUR)}
_PAD = 6


class CellDelegate(QStyledItemDelegate):
    """Paints a block cell as school over mentor, the trainee column as name over subject, and a
    coloured dot in the corner of any cell with a problem (red error, amber warning)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        lines = index.data(LINES_ROLE)
        severity = index.data(SEVERITY_ROLE)
        if lines is None and severity is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        try:
            selected = bool(opt.state & QStyle.StateFlag.State_Selected)
            if lines is not None:
                self._paint_lines(painter, opt, index, lines, selected)
            elif text:
                painter.setPen(opt.palette.color(QPalette.ColorRole.HighlightedText if selected
                                                 else QPalette.ColorRole.Text))
                painter.drawText(opt.rect, int(opt.displayAlignment), text)
            if severity is not None:
                self._paint_marker(painter, opt.rect, severity)
        finally:
            painter.restore()

    def _paint_lines(self, painter: QPainter, opt: QStyleOptionViewItem, index, lines: tuple[str, str],
                     selected: bool) -> None:
        state = index.data(STATE_ROLE) if index.column() >= FIRST_BLOCK else None
        rect = opt.rect.adjusted(_PAD, 3, -(_PAD + 12), -3)
        half = rect.height() // 2
        first, second = QFont(opt.font), QFont(opt.font)
        text_colour = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        dim = QColor(text_colour) if selected else opt.palette.color(QPalette.ColorRole.PlaceholderText)
        if state is not None:
            # Confirmed and completed placements are settled (bold); proposed ones are drafts.
            first.setBold(state.status in (PlacementStatus.CONFIRMED, PlacementStatus.COMPLETED))
            first.setItalic(state.status is PlacementStatus.PROPOSED)
            first.setStrikeOut(state.status is PlacementStatus.CANCELLED)
        elif index.column() == TRAINEE:
            first.setBold(True)
        second.setPointSizeF(max(7.0, opt.font.pointSizeF() * 0.9))
        top = QRect(rect.left(), rect.top(), rect.width(), half)
        bottom = QRect(rect.left(), rect.top() + half, rect.width(), rect.height() - half)
        painter.setFont(first)
        painter.setPen(text_colour)
        align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(top, align, QFontMetrics(first).elidedText(lines[0], Qt.TextElideMode.ElideRight, top.width()))
        painter.setFont(second)
        no_mentor = state is not None and state.mentor_id is None
        painter.setPen(QColor(WARNING_COLOUR) if no_mentor and not selected else dim)
        width = bottom.width() - (14 if state is not None and state.locked else 0)
        painter.drawText(bottom, align, QFontMetrics(second).elidedText(lines[1], Qt.TextElideMode.ElideRight, width))
        if state is not None and state.locked:
            self._paint_lock(painter, QRectF(rect.right() + 2, bottom.center().y() - 5, 8, 10), dim)

    @staticmethod
    def _paint_marker(painter: QPainter, rect: QRect, severity: Severity) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_MARKER[severity])
        painter.drawEllipse(QPointF(rect.right() - 8, rect.top() + 9), 4.5, 4.5)

    @staticmethod
    def _paint_lock(painter: QPainter, box: QRectF, colour: QColor) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 1.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawArc(QRectF(box.left() + 1.5, box.top(), box.width() - 3, box.height() * 0.8), 0, 180 * 16)
        painter.setBrush(colour)
        painter.drawRect(QRectF(box.left(), box.top() + box.height() * 0.4, box.width(), box.height() * 0.6))

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), 2 * option.fontMetrics.height() + 8))


class RotationGridView(QTableView):
    """The grid: one cell selected at a time, cells dragged onto cells, double-click to edit.

    Signals:
        edit_requested(QModelIndex): a cell was double-clicked or Enter pressed on it.
        clear_requested(QModelIndex): Delete was pressed on a cell.
    """

    edit_requested = Signal(QModelIndex)
    clear_requested = Signal(QModelIndex)

    def __init__(self, model: RotationGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(CellDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        # Drops land on a cell, never between rows.
        self.setDragDropOverwriteMode(True)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(2 * self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumHeight(2 * self.fontMetrics().height() + 8)
        self.sortByColumn(TRAINEE, Qt.SortOrder.AscendingOrder)
        self.doubleClicked.connect(self.edit_requested)
        self._sized_for = -1
        model.modelReset.connect(self.size_columns)

    def size_columns(self) -> None:
        """Widths from the font: a name, a count, and a school name with room for the marker.

        Only when the columns change (another year, a block added): a filter or a reload keeps
        the widths the user chose.
        """
        if self.model().columnCount() == self._sized_for:
            return
        self._sized_for = self.model().columnCount()
        em = self.fontMetrics().horizontalAdvance("M")
        header = self.horizontalHeader()
        self.setColumnWidth(TRAINEE, 19 * em)
        self.setColumnWidth(1, 5 * em)
        header.setMinimumSectionSize(4 * em)
        # Block columns share the width left, but never shrink below a school name's worth.
        for column in range(FIRST_BLOCK, self.model().columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        blocks = self.model().columnCount() - FIRST_BLOCK
        if blocks > 0:
            self.setMinimumWidth(min(24 * em + blocks * 14 * em, 900))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if index.isValid() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_requested.emit(index)
            return
        if index.isValid() and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_requested.emit(index)
            return
        super().keyPressEvent(event)
