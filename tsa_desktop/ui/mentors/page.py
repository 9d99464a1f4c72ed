"""Mentors: the pool, mentor training, lead mentors and QA visits, and the mentor's own view."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from tsa_desktop.services.mentors.pool import MentorRow
from tsa_desktop.ui.core.context import AppContext, may
from tsa_desktop.ui.common.page import Page
from tsa_desktop.ui.mentors.base import MentorTab, own_mentor_id
from tsa_desktop.ui.mentors.pool import PoolTab
from tsa_desktop.ui.mentors.qa import QaTab
from tsa_desktop.ui.mentors.training import TrainingTab
from tsa_desktop.ui.mentors.view import MentorViewTab
from tsa_desktop.ui.core.changes import Area


class MentorsPage(Page):
    """Four tabs over one academic year: Pool, Training, Lead mentors & QA, Mentor's view.

    The year sets which blocks availability and load are counted in, and whose placements the
    mentor's view shows. Each tab loads only when it is shown after a change.
    """

    title = "Mentors"
    areas = (Area.MENTORS, Area.QA, Area.PLACEMENTS, Area.TRAINEES, Area.SCHOOLS, Area.NQTS, Area.ALLIANCE, Area.YEARS)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._rows: list[MentorRow] | None = None
        self.year_box = QComboBox(self)
        self.year_box.setMinimumContentsLength(8)
        self.year_box.currentIndexChanged.connect(self._year_changed)

        self.pool = PoolTab(self)
        self.training = TrainingTab(self)
        self.qa = QaTab(self)
        self.view = MentorViewTab(self)
        self.tabs = QTabWidget(self)
        for tab, text in ((self.pool, "Pool"), (self.training, "Training"),
                          (self.qa, "Lead mentors && QA"), (self.view, "Mentor's view")):
            self.tabs.addTab(tab, text)
        self.tabs.currentChanged.connect(lambda _i: self._current().refresh())

        top = QHBoxLayout()
        heading = QLabel("<b>Mentors</b>", self)
        heading.setStyleSheet("font-size: 13pt;")
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(QLabel("Academic year:", self))
        top.addWidget(self.year_box)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def tabs_list(self) -> list[MentorTab]:
        return [self.pool, self.training, self.qa, self.view]

    def _current(self) -> MentorTab:
        return self.tabs.currentWidget()  # type: ignore[return-value]

    def year(self) -> str | None:
        """The academic year chosen, or None in a file without years."""
        return self.year_box.currentData()

    def mentor_rows(self) -> list[MentorRow]:
        """Every mentor for the chosen year, read once per change and shared by the tabs."""
        if self._rows is None:
            self._rows = self.ctx.call(self.ctx.workspace.mentors.list, self.year()) or []
        return self._rows

    def reload(self) -> None:
        self._fill_years()
        ws = self.ctx.workspace
        for tab in self.tabs_list():
            tab.allow_editing(may(ws, "edit"))
        self._invalidate()
        own = own_mentor_id(ws)
        if own is not None and self.view.mentor_box.currentData() is None:
            self.show_mentor(own)  # a signed-in mentor opens on their own trainees

    def _fill_years(self) -> None:
        ws = self.ctx.workspace
        years = self.ctx.call(ws.years.list) or []
        wanted = self.year() or self.ctx.call(ws.years.current)
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for y in years:
            self.year_box.addItem(y.name, y.name)
        self.year_box.setCurrentIndex(max(0, self.year_box.findData(wanted)))
        self.year_box.blockSignals(False)

    def _year_changed(self, _index: int) -> None:
        self._invalidate()

    def _invalidate(self) -> None:
        self._rows = None
        for tab in self.tabs_list():
            tab.stale = True
        self._current().refresh()

    def show_mentor(self, mentor_id: int) -> None:
        """Open the mentor's view on one mentor."""
        self.tabs.setCurrentWidget(self.view)
        self.view.choose(mentor_id)
