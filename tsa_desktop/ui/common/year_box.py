"""The academic year selector at the top of the allocation and trainee pages."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget


class YearBox(QComboBox):
    """A choice of academic year, optionally with "All years".

    Signals:
        year_changed(): the user chose another year (not emitted by :meth:`set_years`).
    """

    year_changed = Signal()

    def __init__(self, all_years: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all = all_years
        self.setToolTip("Academic year")
        self.setAccessibleName("Academic year")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currentIndexChanged.connect(lambda _i: self.year_changed.emit())

    def set_years(self, names: Sequence[str], default: str) -> None:
        """Offer these years (newest first), keeping the choice if it is still there, else ``default``."""
        keep = self.year() if self.count() else default
        self.blockSignals(True)
        try:
            self.clear()
            if self._all:
                self.addItem("All years", None)
            for name in dict.fromkeys([*names, default] if default not in names else names):
                self.addItem(name, name)
            index = self.findData(keep)
            self.setCurrentIndex(index if index >= 0 else max(self.findData(default), 0))
        finally:
            self.blockSignals(False)

    def year(self) -> str | None:
        """The chosen year (``2026/27``), or None for all years."""
        return self.currentData()

    def choose(self, name: str | None) -> bool:
        """Select a year as the user would; False if it is not offered."""
        index = self.findData(name)
        if index < 0:
            return False
        self.setCurrentIndex(index)
        return True


def year_header(parent: QWidget, year_box: YearBox, *buttons: QWidget) -> tuple[QHBoxLayout, QLabel]:
    """The top row of a page of one year: "Academic year", the year box, a headline that takes the
    spare width (the year at a glance, rich text), then the page's buttons.

    Returns:
        The row, and the headline label to fill in.
    """
    headline = QLabel(parent)
    headline.setTextFormat(Qt.TextFormat.RichText)
    headline.setStyleSheet("font-size: 13pt; font-weight: 600;")
    headline.setWordWrap(True)
    row = QHBoxLayout()
    row.addWidget(QLabel("Academic year", parent))
    row.addWidget(year_box)
    row.addSpacing(12)
    row.addWidget(headline, 1)
    for button in buttons:
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
    return row, headline
