"""Schools and providers: the alliance's schools and its accredited providers, each importable
from a file (the schools also from a GIAS extract) and exportable to one."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtWidgets import QComboBox, QTabWidget, QVBoxLayout, QWidget

from tsa_desktop.domain.enums import Phase
from tsa_desktop.domain.schools import SchoolData, validate_school
from tsa_desktop.services.reference.schools import SchoolRow
from tsa_desktop.ui.core.ops import CreateCommand, DeleteCommand, UpdateCommand, push
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.schools.dialogs import provider_dialog, school_dialog
from tsa_desktop.ui.schools.models import PROVIDER_COLUMNS, SCHOOL_COLUMNS
from tsa_desktop.ui.common.page import Page
from tsa_desktop.ui.common.table_panel import TablePanel
from tsa_desktop.ui.common.transfer import TransferButtons
from tsa_desktop.ui.core.changes import Area

PREVIOUS_URNS = next(i for i, c in enumerate(SCHOOL_COLUMNS) if c.title == "Previous URNs")

SCHOOLS_IMPORT_TIP = (
    "Add or update schools from a CSV or Excel file, or from a GIAS establishment extract (Get "
    "Information about Schools) as it is downloaded: see every problem first, then import (all or "
    "nothing). Schools are matched on their URN.")


class SchoolsPage(Page):
    """Two tabs: the schools of the alliance, and the accredited providers."""

    title = "Schools and providers"
    areas = (Area.SCHOOLS, Area.PROVIDERS, Area.MENTORS, Area.PLACEMENTS, Area.ALLOCATIONS)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        # The URN, the name and the postcode stay whole; the rest give way at 1366 wide.
        self.schools = TablePanel(SCHOOL_COLUMNS, "schools", sort_column=1, parent=self,
                                  key_columns=(0, 1, 6))
        self.phase_filter = QComboBox(self)
        self.phase_filter.addItem("All phases", None)
        for phase in Phase:
            self.phase_filter.addItem(phase.label, phase)
        self.phase_filter.currentIndexChanged.connect(self.schools.apply_filters)
        self.schools.add_filter(self.phase_filter, self._phase_matches)
        self.add_school_button = self.schools.add_button("Add school…", self.add_school)
        self.edit_school_button = self.schools.add_button("Edit…", self.edit_school, needs_row=True)
        self.delete_school_button = self.schools.add_button("Delete", self.delete_school, needs_row=True)
        if self.offer_only_if("edit", self.add_school_button, self.edit_school_button, self.delete_school_button):
            self.schools.activated.connect(lambda _row: self.edit_school())
        self.school_files = TransferButtons(ctx, self, "schools", import_tip=SCHOOLS_IMPORT_TIP)
        self.school_files.add_to(self.schools.buttons, self.schools.buttons.count() - 2)
        self.schools.add_history(ctx, "schools")

        self.providers = TablePanel(PROVIDER_COLUMNS, "providers", parent=self)
        provider_buttons = (self.providers.add_button("Add provider…", self.add_provider),
                            self.providers.add_button("Edit…", self.edit_provider, needs_row=True),
                            self.providers.add_button("Delete", self.delete_provider, needs_row=True))
        if self.offer_only_if("edit", *provider_buttons):
            self.providers.activated.connect(lambda _row: self.edit_provider())
        self.provider_files = TransferButtons(ctx, self, "providers", what="accredited providers")
        self.provider_files.add_to(self.providers.buttons, self.providers.buttons.count() - 2)
        self.providers.add_history(ctx, "providers")

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.schools, "Schools")
        self.tabs.addTab(self.providers, "Accredited providers")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def _phase_matches(self, row: SchoolRow) -> bool:
        wanted = self.phase_filter.currentData()
        return wanted is None or row.phase is wanted

    def reload(self) -> None:
        ws = self.ctx.workspace
        self.school_files.refresh()
        self.provider_files.refresh()
        rows = self.ctx.call(ws.schools.list)
        if rows is not None:
            # Previous URNs (GIAS successor links) are rare: their column, which would take a
            # name's room, is shown only when a school has one (the URN's tooltip has them too).
            self.schools.view.setColumnHidden(PREVIOUS_URNS, not any(r.previous_urns for r in rows))
            self.schools.set_rows(rows)
        providers = self.ctx.call(ws.providers.list)
        if providers is not None:
            self.providers.set_rows(providers)

    # --- schools ------------------------------------------------------------------------------------

    def add_school(self) -> None:
        service = self.ctx.workspace.schools

        def submit(values: dict) -> bool:
            data = _validated_school(values)
            return push(self.ctx, CreateCommand(self.ctx, f"Add school {data.name}", Area.SCHOOLS, "school",
                                                data, service.create, service.delete), in_dialog=True)

        dialog = school_dialog("Add school", submit, parent=self)
        self.run_dialog(dialog)

    def edit_school(self) -> None:
        row = self.schools.selected()
        if row is None:
            return
        service = self.ctx.workspace.schools

        def submit(values: dict) -> bool:
            after = _validated_school(values)
            return push(self.ctx, UpdateCommand(self.ctx, f"Edit school {after.name}", Area.SCHOOLS, "school",
                                                row.id, row.data(), after, service.update, row.version), in_dialog=True)

        dialog = school_dialog(f"Edit {row.name}", submit, asdict(row), parent=self)
        self.run_dialog(dialog)

    def delete_school(self) -> None:
        row = self.schools.selected()
        if row is None or not self.ctx.messages.confirm(f"Delete {row.name} ({row.urn})?"):
            return
        service = self.ctx.workspace.schools
        push(self.ctx, DeleteCommand(self.ctx, f"Delete school {row.name}", Area.SCHOOLS, "school", row.id,
                                     service.delete, service.create, lambda deleted: deleted.data()))

    # --- providers ----------------------------------------------------------------------------------

    def add_provider(self) -> None:
        service = self.ctx.workspace.providers

        def submit(values: dict) -> bool:
            return push(self.ctx, CreateCommand(self.ctx, f"Add provider {values['name']}", Area.PROVIDERS,
                                                "provider", values, service.create, service.delete), in_dialog=True)

        self.run_dialog(provider_dialog("Add accredited provider", submit, parent=self))

    def edit_provider(self) -> None:
        row = self.providers.selected()
        if row is None:
            return
        service = self.ctx.workspace.providers
        before = {"name": row.name, "code": row.code, "kind": row.kind.code}

        def submit(values: dict) -> bool:
            return push(self.ctx, UpdateCommand(self.ctx, f"Edit provider {values['name']}", Area.PROVIDERS,
                                                "provider", row.id, before, values, service.update,
                                                row.version), in_dialog=True)

        self.run_dialog(provider_dialog(f"Edit {row.name}", submit, before, parent=self))

    def delete_provider(self) -> None:
        row = self.providers.selected()
        if row is None or not self.ctx.messages.confirm(f"Delete {row.name}?"):
            return
        service = self.ctx.workspace.providers
        push(self.ctx, DeleteCommand(
            self.ctx, f"Delete provider {row.name}", Area.PROVIDERS, "provider", row.id, service.delete,
            service.create, lambda d: {"name": d.name, "code": d.code, "kind": d.kind.code}))


def _validated_school(values: dict) -> SchoolData:
    # A ValidationError here keeps the dialog open with each problem beside its field.
    return validate_school(values)
