"""A chart of fill by subject: one horizontal bar per subject, recruited against places.

Painted with QPainter rather than QtCharts: a dozen labelled bars need no chart engine, and the
layout can be computed (and tested) without painting. Each bar's length is the subject's places on
a scale shared by every subject, so the big subjects look big; the filled part is the trainees
recruited, a red part past the end is recruitment over the places, and the numbers are written
beside every bar so nobody has to read an axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from tsa_desktop.domain.allocations import FillTotal

RECRUITED = QColor("#2f6db5")
FULL = QColor("#2e7d32")
UNFILLED = QColor("#e3e7ec")
OUTLINE = QColor("#9aa5b1")
OVER = QColor("#c62828")

_PAD = 8
_GAP = 10
#: Narrower than this, the bars get too short to compare: the page scrolls instead.
MIN_WIDTH = 420


@dataclass(frozen=True)
class Bar:
    """Where one subject's bar is drawn.

    Attributes:
        total: The subject's places and recruitment.
        label: The subject's name.
        places: The whole bar: the subject's places.
        filled: The recruited part within the places.
        over: The part past the places (empty when within them).
        text: The numbers beside the bar.
    """

    total: FillTotal
    label: QRect
    places: QRect
    filled: QRect
    over: QRect
    text: QRect

    @property
    def caption(self) -> str:
        return caption(self.total)

    def describe(self) -> str:
        return describe(self.total)


def caption(total: FillTotal) -> str:
    """The numbers beside a bar: ``17 of 20 · 85%``; ``11 of 11 · 100% · 2 over``."""
    fill = total.fill
    text = f"{fill.recruited} of {fill.places} · {fill.percent()}"
    return f"{text} · {fill.over} over" if fill.over else text


def describe(total: FillTotal) -> str:
    """A sentence for the tooltip and screen readers."""
    fill = total.fill
    text = f"{total.name}: {fill.recruited} recruited for {fill.places} places ({fill.percent()}), {fill.remaining} left"
    return f"{text}, {fill.over} over the allocation" if fill.over else text


class FillChart(QWidget):
    """Horizontal bars of recruited against places, per subject, with the numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._totals: list[FillTotal] = []
        self.empty_text = "No allocations for this year yet."
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Fill by subject")
        self.setMouseTracking(True)

    def set_totals(self, totals: Sequence[FillTotal]) -> None:
        """Show these subject totals (in this order)."""
        self._totals = list(totals)
        self.setAccessibleDescription("; ".join(describe(t) for t in self._totals))
        self.updateGeometry()
        self.update()

    def totals(self) -> list[FillTotal]:
        return list(self._totals)

    # --- layout -------------------------------------------------------------------------------------

    def _compact_row(self) -> int:
        return self.fontMetrics().height() + 6

    def _comfortable_row(self) -> int:
        return self.fontMetrics().height() + 12

    def _row_height(self) -> int:
        """Rows share the height the widget is given, between compact and comfortable."""
        if not self._totals:
            return self._comfortable_row()
        share = (self.height() - self._legend_height() - _PAD) // len(self._totals)
        return max(self._compact_row(), min(self._comfortable_row(), share))

    def _caption_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def bars(self) -> list[Bar]:
        """Where each subject's bar goes in the widget as it is sized now."""
        if not self._totals:
            return []
        metrics = self.fontMetrics()
        label_w = max(metrics.horizontalAdvance(t.name) for t in self._totals) + _GAP
        caption_metrics = QFontMetrics(self._caption_font())
        text_w = max(caption_metrics.horizontalAdvance(caption(t)) for t in self._totals) + _GAP
        left = _PAD + label_w
        area = max(self.width() - left - text_w - _PAD, 40)
        scale = max(t.places + t.fill.over for t in self._totals) or 1
        row_h = self._row_height()
        bar_h = max(int(row_h * 0.62), 12)
        bars = []
        for i, total in enumerate(self._totals):
            fill = total.fill
            top = self._legend_height() + i * row_h
            bar_top = top + (row_h - bar_h) // 2
            places_w = round(area * fill.places / scale)
            within_w = round(area * fill.within / scale)
            over_w = round(area * fill.over / scale)
            # Any place or recruit shows at least a sliver, however small its share of the scale.
            if fill.places:
                places_w = max(places_w, 3)
            if fill.within:
                within_w = max(within_w, 3)
            if fill.over:
                over_w = max(over_w, 3)
            # Over-recruitment starts where the places end, also for a total whose other
            # allocations still have places to fill.
            end = left + places_w + over_w
            bars.append(Bar(
                total=total,
                label=QRect(_PAD, top, label_w - _GAP, row_h),
                places=QRect(left, bar_top, places_w, bar_h),
                filled=QRect(left, bar_top, within_w, bar_h),
                over=QRect(left + places_w, bar_top, over_w, bar_h),
                text=QRect(end + _GAP, top, text_w, row_h),
            ))
        return bars

    def _legend_height(self) -> int:
        return _PAD + self.fontMetrics().height() + _GAP

    def sizeHint(self) -> QSize:
        rows = max(len(self._totals), 2)
        return QSize(520, self._legend_height() + _PAD + rows * self._comfortable_row())

    def minimumSizeHint(self) -> QSize:
        rows = max(len(self._totals), 1)
        return QSize(MIN_WIDTH, self._legend_height() + _PAD + rows * self._compact_row())

    # --- painting -----------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            text_colour = self.palette().windowText().color()
            bars = self.bars()
            if not bars:
                painter.setPen(text_colour)
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
                return
            self._paint_legend(painter, text_colour, any(b.total.fill.full for b in bars),
                               any(b.total.fill.over for b in bars))
            bold = self._caption_font()
            for bar in bars:
                fill = bar.total.fill
                painter.setFont(self.font())
                painter.setPen(text_colour)
                painter.drawText(bar.label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 bar.total.name)
                if bar.places.width():
                    painter.fillRect(bar.places, UNFILLED)
                if bar.filled.width():
                    painter.fillRect(bar.filled, FULL if fill.full else RECRUITED)
                if bar.over.width():
                    painter.fillRect(bar.over, OVER)
                if bar.places.width():
                    painter.setPen(QPen(OUTLINE, 1))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(bar.places.adjusted(0, 0, -1, -1))
                painter.setFont(bold)
                painter.setPen(OVER if fill.over else text_colour)
                painter.drawText(bar.text, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, bar.caption)
        finally:
            painter.end()

    def _paint_legend(self, painter: QPainter, text_colour: QColor, with_full: bool, with_over: bool) -> None:
        """A key above the bars: what each colour shown means."""
        metrics = self.fontMetrics()
        size = metrics.height() - 4
        x, y = _PAD, _PAD
        keys = [(RECRUITED, "Recruited"), (UNFILLED, "Not yet filled")]
        if with_full:
            keys.insert(1, (FULL, "Full"))
        if with_over:
            keys.append((OVER, "Over the places"))
        painter.setFont(self.font())
        for colour, text in keys:
            swatch = QRect(x, y + (metrics.height() - size) // 2, size, size)
            painter.fillRect(swatch, colour)
            painter.setPen(QPen(OUTLINE, 1))
            painter.drawRect(swatch.adjusted(0, 0, -1, -1))
            painter.setPen(text_colour)
            x += size + 5
            painter.drawText(QPoint(x, y + metrics.ascent()), text)
            x += metrics.horizontalAdvance(text) + 3 * _GAP // 2

    def bar_at(self, point: QPoint) -> Bar | None:
        """The bar on the row under a point, if any."""
        return next((b for b in self.bars() if b.label.top() <= point.y() <= b.label.bottom()), None)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self.bar_at(event.pos())
            if bar is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), bar.describe(), self)
            return True
        return super().event(event)
