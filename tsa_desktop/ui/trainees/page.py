"""Trainees: recruit, edit, filter, and move them along the status lifecycle."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QVBoxLayout, QWidget

from tsa_desktop.domain.allocations import OverAllocationError
from tsa_desktop.domain.enums import Phase, Route, TraineeStatus
from tsa_desktop.domain.trainees import StatusChangeData, TraineeData, validate_status_change, validate_trainee
from tsa_desktop.services.reference.trainees import TraineeRow
from tsa_desktop.ui.common.choices import over_allocation_question
from tsa_desktop.ui.core.ops import CreateCommand, DeleteCommand, Op, UpdateCommand, push
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.common.import_dialog import ask_export_path, export_with_dialog
from tsa_desktop.ui.trainees.dialogs import TraineeDialog, final_status_message, status_dialog, trainee_values
from tsa_desktop.ui.trainees.models import TRAINEE_COLUMNS, placed_at
from tsa_desktop.ui.common.page import Page
from tsa_desktop.ui.common.table_panel import TablePanel
from tsa_desktop.ui.common.transfer import TransferButtons
from tsa_desktop.ui.common.year_box import YearBox, year_header
from tsa_desktop.ui.core.changes import Area

D = TypeVar("D", TraineeData, StatusChangeData)


class ChangeStatusCommand(Op):
    """Move a trainee to a new status; undo takes that step back out of their history."""

    def __init__(self, ctx: AppContext, row: TraineeRow, change: StatusChangeData) -> None:
        super().__init__(ctx, f"{row.name}: {change.status.label}", Area.TRAINEES)
        self.record_id, self.change, self._version = row.id, change, row.version

    def apply(self) -> None:
        self.ctx.workspace.trainees.change_status(self.ctx.resolve("trainee", self.record_id), self.change,
                                                  self._version)
        self._version = None

    def revert(self) -> None:
        self.ctx.workspace.trainees.undo_status_change(self.ctx.resolve("trainee", self.record_id),
                                                       self.change.status)


def _search_text(row: TraineeRow) -> str:
    return " ".join((row.trainee_id, row.name, row.email, row.trn or "", row.employing_school, placed_at(row),
                     row.allocation_lead_school))


class TraineesPage(Page):
    """Every trainee of a year, filtered by route, phase, subject, status and school."""

    title = "Trainees"
    areas = (Area.TRAINEES, Area.ALLOCATIONS, Area.SCHOOLS, Area.PLACEMENTS)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.year_box = YearBox(all_years=True, parent=self)
        self.year_box.year_changed.connect(self.reload)
        self.transfer = TransferButtons(ctx, self, "trainees", self.year_box.year)
        self.register_button = QPushButton("Export for Register…", self)
        self.register_button.setToolTip(
            "Save the year's placements as the Register trainee teachers bulk placement CSV "
            "(TRN, ITT start date and up to five placement URNs a trainee); trainees it cannot "
            "take are named")
        self.register_button.clicked.connect(lambda: self.export_for_register())
        top, self.headline = year_header(self, self.year_box, self.transfer.import_button,
                                         self.transfer.export_button, self.register_button)

        self.table = TablePanel(TRAINEE_COLUMNS, "trainees", search_text=_search_text, sort_column=1,
                                parent=self, key_columns=(0, 1, 5))
        # Fitting columns to every one of 1,000 rows costs a second of data() calls on each reload;
        # the rows on screen and a hundred more give the same widths.
        self.table.view.horizontalHeader().setResizeContentsPrecision(100)
        self.route_filter = self._filter("All routes", lambda r: r.route)
        self.phase_filter = self._filter("All phases", lambda r: r.phase)
        self.subject_filter = self._filter("All subjects", lambda r: r.subject)
        self.status_filter = self._filter("All statuses", lambda r: r.status)
        self.school_filter = self._filter("All schools", None)
        self.table.add_filter(self.school_filter, self._school_matches)
        _fill(self.phase_filter, "All phases", [(p, p.label) for p in Phase])
        _fill(self.status_filter, "All statuses", [(s, s.label) for s in TraineeStatus])

        self.add_button = self.table.add_button("Add trainee…", self.add_trainee)
        self.edit_button = self.table.add_button("Edit…", self.edit_trainee, needs_row=True)
        self.status_button = self.table.add_button("Change status…", self.change_status, needs_row=True,
                                                   tooltip="Offered, enrolled, deferred, withdrawn, QTS awarded")
        self.delete_button = self.table.add_button("Delete", self.delete_trainee, needs_row=True)
        if self.offer_only_if("edit", self.add_button, self.edit_button, self.status_button, self.delete_button):
            self.table.activated.connect(lambda _row: self.edit_trainee())
        self.table.selection_changed.connect(self.show_detail)
        # A trainee's history includes their status changes and placements (the audit trail's parents).
        self.table.add_history(ctx, "trainees")

        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)

    def _filter(self, everything: str, value: Callable[[TraineeRow], Any] | None) -> QComboBox:
        box = QComboBox(self)
        box.addItem(everything, None)
        box.setAccessibleName(everything)
        box.currentIndexChanged.connect(self.table.apply_filters)
        if value is not None:
            self.table.add_filter(box, lambda r: box.currentData() is None or value(r) is box.currentData())
        return box

    def _school_matches(self, row: TraineeRow) -> bool:
        wanted = self.school_filter.currentData()
        return wanted is None or wanted in row.school_ids

    def reload(self) -> None:
        ws = self.ctx.workspace
        years = self.ctx.call(ws.years.list)
        if years is not None:
            self.year_box.set_years([y.name for y in years], ws.years.current())
        self.transfer.refresh()
        self.register_button.setVisible(self.ctx.may("export"))
        rows = self.ctx.call(ws.trainees.list, self.year_box.year())
        if rows is None:
            return
        # The choices offered are those the trainees shown have, so no filter leads to nothing.
        _fill(self.route_filter, "All routes", sorted({(r.route, r.route.label) for r in rows},
                                                      key=lambda p: list(Route).index(p[0])))
        _fill(self.subject_filter, "All subjects", sorted({(r.subject, r.subject.label) for r in rows},
                                                          key=lambda p: (not p[0].is_primary, p[1].casefold())))
        schools = {(r.employing_school_id, r.employing_school) for r in rows if r.employing_school_id}
        schools |= {(p.school_id, p.school) for r in rows for p in r.placements}
        _fill(self.school_filter, "All schools", sorted(schools, key=lambda p: p[1].casefold()))
        self.table.set_rows(rows)
        self.headline.setText(_headline(self.year_box.year(), rows))
        self.show_detail()

    def show_detail(self) -> None:
        """Under the table: the selected trainee's status history, placements and any reason."""
        row = self.table.selected()
        if row is None:
            self.detail.setText("Select a trainee to see their status history.")
            return
        history = self.ctx.call(self.ctx.workspace.trainees.history, row.id) or []
        steps = " → ".join(f"{h.status.label} {h.changed_on:%d/%m/%Y}" + (f" ({h.note})" if h.note else "")
                           for h in history)
        lines = [f"{row.name} ({row.trainee_id}). Status history: {steps or row.status.label}."]
        if row.placements:
            lines.append("Placements: " + "; ".join(f"{p.block}: {p.school}" for p in row.placements) + ".")
        if row.over_allocation_reason:
            lines.append(f"Recruited past the allocation's places: {row.over_allocation_reason}")
        self.detail.setText("\n".join(lines))

    # --- actions ------------------------------------------------------------------------------------

    def register_year(self) -> str:
        """The year a Register export is of: the year shown, or the current one under "All years"."""
        return self.year_box.year() or self.ctx.workspace.years.current()

    def ask_register_path(self) -> str:
        """Where to save the Register CSV."""
        return ask_export_path(self.ctx, self, "register-placements", self.register_year())

    def export_for_register(self, path: str | None = None) -> Any:
        """Write the year's placements in Register trainee teachers' bulk placement CSV."""
        path = path or self.ask_register_path()
        if not path:
            return None
        return export_with_dialog(self.ctx, "register-placements", self, year=self.register_year(), path=path)

    def ask_reason(self, exc: OverAllocationError) -> str | None:
        """Ask why the alliance recruits past an allocation; None when the person cancels."""
        text = self.ctx.interaction.get_text(self, "Recruit past the allocation?", over_allocation_question(exc))
        return (text or "").strip() or None

    def _with_reason(self, attempt: Callable[[D], bool], data: D) -> bool:
        """Try a change; if the allocation is full, ask for a reason and try once more with it."""
        try:
            return attempt(data)
        except OverAllocationError as exc:
            reason = self.ask_reason(exc)
            if not reason:
                raise  # the dialog stays open and says why
            return attempt(dataclasses.replace(data, over_allocation_reason=reason))

    def _dialog(self, title: str, submit, values: dict) -> TraineeDialog:
        ws = self.ctx.workspace
        years = [y.name for y in self.ctx.call(ws.years.list) or []] or [ws.years.current()]
        schools = self.ctx.call(ws.schools.list) or []
        return TraineeDialog(title, submit, years, schools, ws.allocations.matching, values, parent=self)

    def add_trainee(self) -> None:
        service = self.ctx.workspace.trainees

        def attempt(data: TraineeData) -> bool:
            return push(self.ctx, CreateCommand(self.ctx, f"Add trainee {data.name}", Area.TRAINEES, "trainee",
                                                data, service.create, service.delete), in_dialog=True)

        def submit(values: dict) -> bool:
            return self._with_reason(attempt, validate_trainee(values))

        year = self.year_box.year() or self.ctx.workspace.years.current()
        self.run_dialog(self._dialog("Add trainee", submit, {"academic_year": year}))

    def edit_trainee(self) -> None:
        row = self.table.selected()
        if row is None:
            return
        service = self.ctx.workspace.trainees

        def attempt(data: TraineeData) -> bool:
            return push(self.ctx, UpdateCommand(self.ctx, f"Edit trainee {data.name}", Area.TRAINEES, "trainee",
                                                row.id, row.data(), data, service.update, row.version),
                        in_dialog=True)

        def submit(values: dict) -> bool:
            return self._with_reason(attempt, validate_trainee(values))

        self.run_dialog(self._dialog(f"Edit {row.name}", submit, trainee_values(row)))

    def change_status(self) -> None:
        row = self.table.selected()
        if row is None:
            return

        def attempt(change: StatusChangeData) -> bool:
            return push(self.ctx, ChangeStatusCommand(self.ctx, row, change), in_dialog=True)

        def submit(values: dict) -> bool:
            return self._with_reason(attempt, validate_status_change(values))

        dialog = status_dialog(row, submit, parent=self)
        if dialog is None:
            self.ctx.messages.info(final_status_message(row))
            return
        self.run_dialog(dialog)

    def delete_trainee(self) -> None:
        row = self.table.selected()
        if row is None or not self.ctx.messages.confirm(
                f"Delete {row.name} ({row.trainee_id}) and their status history? "
                "To keep the record, change their status to withdrawn instead."):
            return
        service = self.ctx.workspace.trainees
        push(self.ctx, DeleteCommand(self.ctx, f"Delete trainee {row.name}", Area.TRAINEES, "trainee", row.id,
                                     service.delete, service.restore, lambda deleted: deleted))


def _fill(box: QComboBox, everything: str, items: Iterable[tuple[Any, str]]) -> None:
    """Offer ``items`` after "everything", keeping the current choice when it is still offered."""
    keep = box.currentData()
    box.blockSignals(True)
    try:
        box.clear()
        box.addItem(everything, None)
        for value, label in items:
            box.addItem(label, value)
        index = box.findData(keep) if keep is not None else 0
        box.setCurrentIndex(max(index, 0))
    finally:
        box.blockSignals(False)
    if keep is not None and box.currentData() is None:
        box.currentIndexChanged.emit(0)  # the filter it held went away: show everything again


def _headline(year: str | None, rows: list[TraineeRow]) -> str:
    counts = {s: 0 for s in TraineeStatus}
    for r in rows:
        counts[r.status] += 1
    parts = [f"{n} {s.label.lower() if s is not TraineeStatus.QTS_AWARDED else s.label}"
             for s, n in counts.items() if n]
    over = sum(1 for r in rows if r.over_allocation_reason)
    text = f"{year or 'All years'}: {len(rows):,} trainee{'' if len(rows) == 1 else 's'}"
    if parts:
        text += " (" + ", ".join(parts) + ")"
    if over:
        text += f" · {over} recruited over allocation"
    return text
