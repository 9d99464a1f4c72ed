"""Allocations: the places of a year, how recruitment fills them, totals and a chart by subject."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.domain.allocations import (
    AllocationData,
    FillTotal,
    totals_by_phase,
    totals_by_route,
    totals_by_subject,
    validate_allocation,
    year_total,
)
from tsa_desktop.services.reference.allocations import AllocationRow
from tsa_desktop.ui.core.ops import CreateCommand, DeleteCommand, UpdateCommand, push
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.common.screen import fit_columns
from tsa_desktop.ui.allocations.dialogs import allocation_dialog
from tsa_desktop.ui.allocations.models import ALLOCATION_COLUMNS, TOTAL_COLUMNS, total_lines
from tsa_desktop.ui.core.table_model import RowTableModel
from tsa_desktop.ui.common.page import Page
from tsa_desktop.ui.common.table_panel import TablePanel
from tsa_desktop.ui.allocations.fill_chart import MIN_WIDTH, FillChart
from tsa_desktop.ui.common.transfer import TransferButtons
from tsa_desktop.ui.common.year_box import YearBox, year_header
from tsa_desktop.ui.core.changes import Area


def headline(year: str | None, total: FillTotal) -> str:
    """The sentence above the chart: how full the year's allocations are."""
    fill = total.fill
    if not fill.places and not fill.recruited:
        return f"{year}: no allocations yet" if year else "No allocations yet"
    text = f"{year}: {fill.recruited} recruited for {fill.places} places ({fill.percent()})"
    if fill.remaining:
        text += f" · {fill.remaining} place{'' if fill.remaining == 1 else 's'} still to fill"
    if fill.over:
        text += f" · <span style='color:#b71c1c'>{fill.over} over an allocation</span>"
    return text


class AllocationsPage(Page):
    """The year's allocations with their fill, totals by route and phase, and fill by subject."""

    title = "Allocations"
    areas = (Area.ALLOCATIONS, Area.TRAINEES, Area.SCHOOLS, Area.PROVIDERS)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.year_box = YearBox(parent=self)
        self.year_box.year_changed.connect(self.reload)
        self.transfer = TransferButtons(ctx, self, "allocations", self.year_box.year)
        top, self.headline = year_header(self, self.year_box, self.transfer.import_button,
                                         self.transfer.export_button)

        self.chart = FillChart(self)
        chart_scroll = QScrollArea(self)
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        chart_scroll.setWidget(self.chart)
        chart_box = QGroupBox("Fill by subject", self)
        QVBoxLayout(chart_box).addWidget(chart_scroll)

        self.totals = RowTableModel(TOTAL_COLUMNS, self)
        self.totals_view = QTableView(self)
        self.totals_view.setModel(self.totals)
        self.totals_view.verticalHeader().setVisible(False)
        self.totals_view.verticalHeader().setDefaultSectionSize(22)
        self.totals_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.totals_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.totals_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.totals_view.setShowGrid(False)
        self.totals_view.horizontalHeader().setStretchLastSection(False)
        totals_box = QGroupBox("Totals by route and phase", self)
        QVBoxLayout(totals_box).addWidget(self.totals_view)

        # Side by side; on a narrow screen the totals give way first (the user can drag the edge).
        self.overview = QSplitter(Qt.Orientation.Horizontal, self)
        self.overview.addWidget(chart_box)
        self.overview.addWidget(totals_box)
        self.overview.setStretchFactor(0, 1)
        self.overview.setStretchFactor(1, 0)
        self.overview.setChildrenCollapsible(False)
        chart_box.setMinimumWidth(MIN_WIDTH + 40)
        self._overview_sized = False

        self.table = TablePanel(ALLOCATION_COLUMNS, "allocations", sort_column=2, parent=self,
                                key_columns=(2, 5, 6, 7, 8))
        self.add_button = self.table.add_button("Add allocation…", self.add_allocation)
        self.edit_button = self.table.add_button("Edit…", self.edit_allocation, needs_row=True)
        self.delete_button = self.table.add_button("Delete", self.delete_allocation, needs_row=True)
        if self.offer_only_if("edit", self.add_button, self.edit_button, self.delete_button):
            self.table.activated.connect(lambda _row: self.edit_allocation())
        self.table.add_history(ctx, "allocations", label=lambda r: _name(r.data()))

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.overview)
        splitter.addWidget(self.table)
        # The chart first: it is what a head teacher opens this page for.
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def reload(self) -> None:
        ws = self.ctx.workspace
        years = self.ctx.call(ws.years.list)
        if years is not None:
            self.year_box.set_years([y.name for y in years], ws.years.current())
        self.transfer.refresh()
        year = self.year_box.year()
        rows = self.ctx.call(ws.allocations.list, year)
        if rows is None:
            return
        self.table.set_rows(rows)
        overall = year_total(rows)
        self.headline.setText(headline(year, overall))
        self.totals.set_rows(total_lines([totals_by_route(rows), totals_by_phase(rows)], overall))
        fit_columns(self.totals_view)
        if not self._overview_sized:
            # At first the totals get the width of their columns and the chart the rest; after
            # that the user's drag of the edge stands.
            self._overview_sized = True
            width = sum(self.totals_view.columnWidth(c) for c in range(self.totals.columnCount()))
            wanted = width + 2 * self.totals_view.frameWidth() + 30
            whole = sum(self.overview.sizes()) or self.overview.width()
            self.overview.setSizes([max(whole - wanted, MIN_WIDTH + 40), wanted])
        self.chart.empty_text = (f"No allocations for {year} yet: add one with “Add allocation…” below"
                                 + (" or import a file." if self.may("import") else "."))
        self.chart.set_totals(totals_by_subject(rows))

    # --- actions ------------------------------------------------------------------------------------

    def _dialog(self, title: str, submit, values: dict | None = None):
        ws = self.ctx.workspace
        schools = self.ctx.call(ws.schools.list) or []
        providers = self.ctx.call(ws.providers.list) or []
        return allocation_dialog(title, submit, schools, providers, values, parent=self)

    def add_allocation(self) -> None:
        service = self.ctx.workspace.allocations

        def submit(values: dict) -> bool:
            data = validate_allocation(values)
            return push(self.ctx, CreateCommand(self.ctx, f"Add allocation {_name(data)}", Area.ALLOCATIONS,
                                                "allocation", data, service.create, service.delete), in_dialog=True)

        dialog = self._dialog("Add allocation", submit)
        dialog.set_values({"academic_year": self.year_box.year() or self.ctx.workspace.years.current()})
        self.run_dialog(dialog)

    def edit_allocation(self) -> None:
        row = self.table.selected()
        if row is None:
            return
        service = self.ctx.workspace.allocations

        def submit(values: dict) -> bool:
            after = validate_allocation(values)
            return push(self.ctx, UpdateCommand(self.ctx, f"Edit allocation {_name(after)}", Area.ALLOCATIONS,
                                                "allocation", row.id, row.data(), after, service.update,
                                                row.version), in_dialog=True)

        self.run_dialog(self._dialog(f"Edit allocation: {_name(row.data())}", submit, _values(row)))

    def delete_allocation(self) -> None:
        row = self.table.selected()
        if row is None or not self.ctx.messages.confirm(f"Delete the allocation {row.ref().describe()}?"):
            return
        service = self.ctx.workspace.allocations
        push(self.ctx, DeleteCommand(self.ctx, f"Delete allocation {_name(row.data())}", Area.ALLOCATIONS,
                                     "allocation", row.id, service.delete, service.create,
                                     lambda deleted: deleted.data()))


def _name(data: AllocationData) -> str:
    return f"{data.academic_year} {data.route.label} {data.subject.label}"


def _values(row: AllocationRow) -> dict:
    return {"academic_year": row.academic_year, "route": row.route.code, "phase": row.phase.code,
            "subject": row.subject.code, "lead_school_id": row.lead_school_id, "provider_id": row.provider_id,
            "places": row.places}
