"""Fitting the window to a school office screen (1366x768 and its taskbar).

* :func:`fit_to_screen` sizes a dialog to what it would like, but never more than the screen's
  available area, so that its buttons are never under the taskbar;
* :class:`FittingScrollArea` lets a long form scroll inside such a dialog, its buttons outside;
* :func:`fit_columns` keeps every column of a table in view at the table's width: the widest
  columns give way first (their text cut short with "…"), the columns that say which row it is
  last; :func:`install_elided_tooltips` shows the whole text of a cut cell on hover.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QScrollArea, QTableView, QToolTip, QWidget

#: The window frame and title bar that a top-level widget's size does not include (Windows 10/11
#: at 100%: about 8 px each side and 31 px of title bar).
FRAME_ALLOWANCE = QSize(16, 40)
#: Narrowest a long column is made to fit.
MIN_COLUMN = 64
#: Columns no wider than this (a date, a TRN, a count) are never narrowed.
SHORT_COLUMN = 84
#: No column is wider than this from its contents alone (an address, a list of subjects).
MAX_COLUMN = 320


def available_area(widget: QWidget | None = None) -> QRect:
    """The screen area a window may use (the screen less the taskbar) where ``widget`` is."""
    screen = None
    if widget is not None:
        screen = widget.screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(widget: QWidget, preferred: QSize | tuple[int, int] | None = None) -> QSize:
    """Resize a window to ``preferred`` (default: its size hint), within the available area.

    Args:
        widget: A dialog or other top-level window.
        preferred: The size it would like; the frame and title bar come on top of it.

    Returns:
        The size given.
    """
    if preferred is None:
        preferred = widget.sizeHint()
    elif isinstance(preferred, tuple):
        preferred = QSize(*preferred)
    area = available_area(widget)
    most = QSize(area.width() - FRAME_ALLOWANCE.width(), area.height() - FRAME_ALLOWANCE.height())
    size = QSize(max(min(preferred.width(), most.width()), 1),
                 max(min(preferred.height(), most.height()), 1))
    widget.resize(size)
    if widget.isWindow():
        # Keep the whole frame on the screen even when a minimum size wins over ``size``.
        frame = widget.frameGeometry()
        x = min(max(frame.x(), area.x()), max(area.right() - frame.width() + 1, area.x()))
        y = min(max(frame.y(), area.y()), max(area.bottom() - frame.height() + 1, area.y()))
        if (x, y) != (frame.x(), frame.y()):
            widget.move(x, y)
    return size


class FitsScreen:
    """Mix into a dialog (before the Qt class) to fit it to the screen when it is first shown.

    Attributes:
        preferred_size: The size the dialog would like (width, height); None for its size hint.
    """

    preferred_size: tuple[int, int] | None = None
    _fitted = False

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if not self._fitted:
            self._fitted = True
            fit_to_screen(self, self.preferred_size)  # type: ignore[arg-type]
        super().showEvent(event)  # type: ignore[misc]


class FittingScrollArea(QScrollArea):
    """A scroll area that asks for its contents' full size, and scrolls when it gets less.

    Put the long part of a dialog in one and its buttons outside it: :func:`fit_to_screen` then
    gives the dialog its natural size on a big screen and a scrolling one on a small screen.
    """

    def __init__(self, contents: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(contents)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        inner = self.widget().sizeHint() if self.widget() is not None else QSize(0, 0)
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar + 2, inner.height() + 2)


def fit_columns(view: QTableView, keep: Sequence[int] | None = None,
                width: int | None = None) -> None:
    """Size a table's columns to their contents, then make them all fit the table's width.

    When the contents are wider than the table, the widest columns are narrowed first, to no
    less than ``MIN_COLUMN`` (narrower columns are left whole); the ``keep`` columns (a name,
    the figures the page is about) are narrowed only if the others cannot give enough. Text
    that no longer fits is cut short with "…" (see :func:`install_elided_tooltips`).

    Args:
        view: The table, with its rows set.
        keep: Columns to narrow last (default: those given to :func:`auto_fit_columns`).
        width: The width to fit (default: the table's viewport).
    """
    if keep is None:
        keep = view.property(_KEEP) or ()
    header = view.horizontalHeader()
    model = view.model()
    if model is None:
        return
    columns = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    if not columns:
        return
    view.resizeColumnsToContents()
    natural = {c: min(view.columnWidth(c), MAX_COLUMN) for c in columns}
    # A short column (a date, a TRN, a count) is never cut; a long one gives way down to
    # MIN_COLUMN, its header cut short too if need be.
    floor = {c: natural[c] if natural[c] <= SHORT_COLUMN else MIN_COLUMN for c in columns}
    if header.stretchLastSection():
        # A stretched last section is never narrower than the header's default section size.
        last = columns[-1]
        natural[last] = floor[last] = max(natural[last], header.defaultSectionSize())
    if width is None:
        width = view.viewport().width() - 2  # the grid line at the right edge
        if view.verticalScrollBar().isHidden() and model.rowCount() > 0:
            # Rows may arrive before the view is laid out; leave room for a scroll bar anyway.
            width -= view.verticalScrollBar().sizeHint().width()
    if width < 100:  # not laid out yet: the first resize fits it
        width = sum(natural.values())
    sizes = _shrink(natural, floor, [c for c in columns if c not in keep], width)
    sizes = _shrink(sizes, floor, [c for c in columns if c in keep], width)
    for c in columns:
        view.setColumnWidth(c, sizes[c])
    if view.wordWrap():
        view.resizeRowsToContents()  # wrapped text needs taller rows at the new widths


def _shrink(sizes: dict[int, int], floor: dict[int, int], which: list[int],
            width: int) -> dict[int, int]:
    """Narrow the widest of ``which`` (down to their floors) until the total fits ``width``."""
    sizes = dict(sizes)
    excess = sum(sizes.values()) - width
    if excess <= 0 or not which:
        return sizes
    # Find the largest cap such that capping ``which`` at it (not below a floor) saves enough.
    low, high = 0, max(sizes[c] for c in which)
    while low < high:
        cap = (low + high + 1) // 2
        saved = sum(sizes[c] - max(min(sizes[c], cap), floor[c]) for c in which)
        if saved >= excess:
            low = cap
        else:
            high = cap - 1
    for c in which:
        sizes[c] = max(min(sizes[c], low), floor[c])
    return sizes


_KEEP = "tsa_fit_keep"


class _Refit(QObject):
    """Fits a table's columns again when the table is resized or its rows change."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view.viewport())
        self.view = view
        self._width = -1
        self._pending = False
        self._stale = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Show and self._stale:
            self.refit()
        # The viewport, not the view: it also narrows when a vertical scroll bar appears.
        elif event.type() == QEvent.Type.Resize and isinstance(watched, QWidget) \
                and watched.width() != self._width:
            self._width = watched.width()
            if not self._pending:
                # A window being laid out resizes its tables several times in one pass of the
                # event loop: fit once, after the last (each fit reads every cell).
                self._pending = True
                QTimer.singleShot(0, self, self._refit_later)  # dropped with the view
        return False

    def _refit_later(self) -> None:
        self._pending = False
        self.refit()

    def refit(self) -> None:
        # A table out of sight (another tab) is fitted when it is shown: each fit reads every cell.
        self._stale = not self.view.isVisible()
        if not self._stale:
            fit_columns(self.view)


def auto_fit_columns(view: QTableView, keep: Sequence[int] = ()) -> None:
    """Fit ``view``'s columns (see :func:`fit_columns`) now and whenever it is resized or its rows
    are replaced; cut-short cells get their whole text as a tooltip."""
    view.setProperty(_KEEP, list(keep))
    refit = _Refit(view)
    view.viewport().installEventFilter(refit)
    model = view.model()
    if model is not None:
        model.modelReset.connect(refit.refit)
    install_elided_tooltips(view)


class _ElidedTips(QObject):
    """Shows a cell's whole text as its tooltip when the cell shows it cut short."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view.viewport())
        self.view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
            return False
        index = self.view.indexAt(event.pos())
        if not index.isValid() or index.data(Qt.ItemDataRole.ToolTipRole):
            return False  # the model's own tooltip wins
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not text:
            return False
        needed = self.view.fontMetrics().horizontalAdvance(text) + 10
        if needed <= self.view.visualRect(index).width():
            return False
        QToolTip.showText(event.globalPos(), text, self.view)
        return True


def install_elided_tooltips(view: QAbstractItemView) -> None:
    """Give every cut-short cell of ``view`` its whole text as a tooltip."""
    view.viewport().installEventFilter(_ElidedTips(view))


__all__ = ["FRAME_ALLOWANCE", "FitsScreen", "FittingScrollArea", "auto_fit_columns",
           "available_area", "fit_columns", "fit_to_screen", "install_elided_tooltips"]
