"""Hosting: which schools host trainees this year (per block), when each last answered, and whom to chase.

The dialog lists every school with its answer and the date it last confirmed; choosing a school,
the whole year or a block, and "Hosting" or "Not hosting" (with a reason) records the answer. The
second tab lists the schools to chase: no answer for the year, or none for a number of days, with
the contact's name and email to write to.
"""

from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.services.rotations.hosting import CHASE_AFTER_DAYS, ChaseRow, SchoolHostingRow
from tsa_desktop.ui.common.tables import read_only_table
from tsa_desktop.ui.core.table_model import Column, RowTableModel

HOSTING_COLUMNS = (
    Column("School", lambda r: r.name),
    Column("URN", lambda r: r.urn),
    Column("Hosting", lambda r: r.summary, tooltip=lambda r: r.summary,
           colour=lambda r: "#c0392b" if r.closed or "not hosting" in r.summary else None),
    Column("Last answer", lambda r: r.last_confirmed),
    Column("Contact", lambda r: r.contact_name),
    Column("Email", lambda r: r.contact_email),
)
CHASE_COLUMNS = (
    Column("School", lambda r: r.name),
    Column("Why", lambda r: r.why),
    Column("Contact", lambda r: r.contact_name),
    Column("Email", lambda r: r.contact_email),
)


class HostingDialog(QDialog):
    """Schools' hosting for a year, and the schools to chase.

    Args:
        year: The academic year.
        blocks: The year's block names, in order.
        overview: Reads every school's hosting (None when it failed and was reported).
        to_chase: Reads the schools to chase, given the days without an answer.
        record: Records an answer: (school id, hosting, block name or None, reason) -> done.
    """

    def __init__(self, year: str, blocks: Sequence[str], overview: Callable[[], list[SchoolHostingRow] | None],
                 to_chase: Callable[[int], list[ChaseRow] | None],
                 record: Callable[[int, bool, str | None, str], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Hosting in {year}")
        self.resize(980, 560)
        self._overview, self._to_chase, self._record = overview, to_chase, record
        self.tabs = QTabWidget(self)
        self.schools = RowTableModel(HOSTING_COLUMNS, self)
        self.schools_view = read_only_table(self.schools, self, sort_by=0)
        em = self.fontMetrics().horizontalAdvance("M")
        for column, width in enumerate((18, 6, 16, 8, 10)):
            self.schools_view.setColumnWidth(column, width * em)
        self.block = QComboBox(self)
        self.block.addItem("The whole year", None)
        for name in blocks:
            self.block.addItem(name, name)
        self.block.setAccessibleName("For")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Reason (e.g. staffing, Ofsted, building work)")
        self.hosting_button = QPushButton("Hosting", self)
        self.not_hosting_button = QPushButton("Not hosting", self)
        self.hosting_button.clicked.connect(lambda: self.answer(True))
        self.not_hosting_button.clicked.connect(lambda: self.answer(False))
        self.schools_view.selectionModel().currentChanged.connect(lambda *_: self._update())
        row = QHBoxLayout()
        row.addWidget(QLabel("The chosen school, for", self))
        row.addWidget(self.block)
        row.addWidget(self.reason, 1)
        row.addWidget(self.hosting_button)
        row.addWidget(self.not_hosting_button)
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addWidget(self.schools_view, 1)
        layout.addLayout(row)
        self.tabs.addTab(page, "Schools")

        self.days = QSpinBox(self)
        self.days.setRange(1, 365)
        self.days.setValue(CHASE_AFTER_DAYS)
        self.days.setSuffix(" days")
        self.days.valueChanged.connect(lambda *_: self.refresh())
        self.chase = RowTableModel(CHASE_COLUMNS, self)
        self.chase_view = read_only_table(self.chase, self, sort_by=None)
        for column, width in enumerate((18, 14, 10)):
            self.chase_view.setColumnWidth(column, width * em)
        self.copy_button = QPushButton("Copy the email addresses", self)
        self.copy_button.setToolTip("Copy the contacts' email addresses, separated by semicolons, to paste "
                                    "into an email")
        self.copy_button.clicked.connect(self.copy_emails)
        top = QHBoxLayout()
        top.addWidget(QLabel("Schools with no answer for this year, or none for", self))
        top.addWidget(self.days)
        top.addStretch(1)
        top.addWidget(self.copy_button)
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.chase_view, 1)
        self.chase_tab = page
        self.tabs.addTab(page, "To chase")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Read the schools' answers and the list to chase again."""
        current = self.selected()
        rows = self._overview()
        if rows is not None:
            self.schools.set_rows(rows)
        chase = self._to_chase(self.days.value())
        if chase is not None:
            self.chase.set_rows(chase)
        self.tabs.setTabText(1, f"To chase ({self.chase.rowCount()})")
        if current is not None:
            self.select(current.school_id)
        self._update()

    def selected(self) -> SchoolHostingRow | None:
        index = self.schools_view.currentIndex()
        return self.schools.row(index) if index.isValid() else None

    def select(self, school_id: int) -> None:
        row = self.schools.find(lambda r: r.school_id == school_id)
        if row >= 0:
            self.schools_view.setCurrentIndex(self.schools.index(row, 0))

    def answer(self, hosting: bool) -> None:
        """Record the chosen school's answer for the chosen block (or the whole year)."""
        row = self.selected()
        if row is None:
            return
        if self._record(row.school_id, hosting, self.block.currentData(), self.reason.text()):
            self.reason.clear()
            self.refresh()

    def copy_emails(self) -> None:
        emails = [r.contact_email for r in self.chase.rows() if r.contact_email]
        QApplication.clipboard().setText("; ".join(dict.fromkeys(emails)))

    def _update(self) -> None:
        row = self.selected()
        for button in (self.hosting_button, self.not_hosting_button):
            button.setEnabled(row is not None and not row.closed)
        self.copy_button.setEnabled(self.chase.rowCount() > 0)
