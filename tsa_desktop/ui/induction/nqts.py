"""The ECTs tab: the cohort's early career teachers (and NQTs), each one's schedule under the table,
the trainee-to-ECT step, import and export (TransferButtons, kind ``ects``)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QSplitter, QVBoxLayout, QWidget

from tsa_desktop.domain.enums import NqtStatus
from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.domain.induction import count_a_term
from tsa_desktop.domain.induction_records import role_warnings, validate_nqt
from tsa_desktop.services.induction.cohorts import NqtRow
from tsa_desktop.ui.core.ops import CreateCommand, DeleteCommand, UpdateCommand, push
from tsa_desktop.ui.induction.dialogs import nqt_dialog, trainee_dialog
from tsa_desktop.ui.induction.models import NQT_COLUMNS
from tsa_desktop.ui.induction.schedule import SchedulePane
from tsa_desktop.ui.common.table_panel import TablePanel
from tsa_desktop.ui.common.transfer import TransferButtons
from tsa_desktop.ui.core.changes import Area

if TYPE_CHECKING:
    from tsa_desktop.ui.induction.host import InductionHost

#: The data area of ECT and NQT records (the mentors page counts their tutors and mentors from it).
AREA = Area.NQTS


def dialog_values(row: NqtRow) -> dict[str, Any]:
    """An ECT's record as the dialog shows it."""
    d = row.data()
    return {
        "date_of_birth": d.date_of_birth, "mentor_id": d.mentor_id,
        "programme": d.programme.code if d.programme else None, "reduced_terms": f"{d.reduced_terms:g}",
        "left_date": d.left_date,
        "first_names": d.first_names, "last_name": d.last_name, "email": d.email, "trn": d.trn or "",
        "academic_year": d.academic_year, "employing_school_id": d.employing_school_id,
        "induction_tutor_id": d.induction_tutor_id, "induction_tutor_name": d.induction_tutor_name,
        "induction_tutor_email": d.induction_tutor_email, "appropriate_body": d.appropriate_body,
        "start_date": d.start_date, "fte": f"{d.fte:g}", "terms_counted": f"{d.terms_counted:g}",
        "extension_terms": f"{d.extension_terms:g}", "status": d.status.code,
    }


class NqtsTab(QWidget):
    """The early career teachers (and NQTs) of the chosen cohort, with the selected one's schedule."""

    def __init__(self, page: InductionHost) -> None:
        super().__init__(page)
        self.page, self.ctx = page, page.ctx
        # The name, when induction ends and what is due stay whole; the rest give way at 1366 wide.
        self.panel = TablePanel(NQT_COLUMNS, "early career teachers", parent=self, key_columns=(0, 6, 7))
        self.panel.view.horizontalHeader().setResizeContentsPrecision(100)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem("All statuses", None)
        for status in NqtStatus:
            self.status_filter.addItem(status.label, status)
        self.status_filter.currentIndexChanged.connect(self.panel.apply_filters)
        self.panel.add_filter(self.status_filter, self._status_matches)

        self.add_button = self.panel.add_button("Add…", self.add, tooltip="An early career teacher from "
                                                "outside the alliance's own training")
        self.trainee_button = self.panel.add_button("From trainee…", self.from_trainee,
                                                    tooltip="A trainee with QTS awarded becomes an early career "
                                                            "teacher, keeping their details")
        self.edit_button = self.panel.add_button("Edit…", self.edit, needs_row=True)
        self.count_button = self.panel.add_button(
            "Count a term", self.count_term, needs_row=True,
            tooltip="Add the term just served, pro rata by FTE (0.5 FTE counts 0.5 of a term)")
        self.delete_button = self.panel.add_button("Delete", self.delete, needs_row=True)
        self.transfer = TransferButtons(self.ctx, self, "ects", self.page.cohort_year, what="early career teachers",
                                        export_tip="Save this cohort's early career teachers, with their "
                                                   "expected end dates, to a CSV or Excel file")
        self.transfer.add_to(self.panel.buttons, self.panel.buttons.count() - 2)
        self.import_button, self.export_button = self.transfer.import_button, self.transfer.export_button
        self.panel.activated.connect(lambda _row: self.edit() if self.page.may("edit") else None)
        # An NQT's history includes their assessments and session attendance.
        self.panel.add_history(self.ctx, "nqts")
        self.schedule = SchedulePane(page, self)
        self.panel.selection_changed.connect(self._show_schedule)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.panel)
        splitter.addWidget(self.schedule)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _show_schedule(self) -> None:
        row = self.panel.selected()
        shown = getattr(self, "_scheduled", None)
        key = (row.id, row.version) if row is not None else None
        if key == shown:
            return
        self._scheduled = key
        self.schedule.show_for(row, self.page.today())

    def _status_matches(self, row: NqtRow) -> bool:
        wanted = self.status_filter.currentData()
        return wanted is None or row.status is wanted

    def show_rows(self, rows: list[NqtRow]) -> None:
        self._scheduled = None  # what is recorded may have changed: show the schedule again
        self.panel.set_rows(rows)
        self._show_schedule()
        editable = self.page.may("edit")
        for button in (self.add_button, self.trainee_button, self.edit_button, self.count_button,
                       self.delete_button):
            button.setVisible(editable)
        self.transfer.refresh()

    # --- records ------------------------------------------------------------------------------------

    def _choices(self) -> tuple[list, list] | None:
        service = self.ctx.workspace.induction
        schools = self.ctx.call(service.school_choices)
        tutors = self.ctx.call(service.tutor_choices)
        if schools is None or tutors is None:
            return None
        if not schools:
            self.ctx.messages.error(ValidationError.single(
                "employing_school_id", "there are no schools yet: add the employing school first", kind="nqts"))
            return None
        return schools, tutors

    def add(self) -> None:
        choices = self._choices()
        if choices is None:
            return
        service = self.ctx.workspace.induction

        def submit(values: dict) -> bool:
            data = validate_nqt(values)
            done = push(self.ctx, CreateCommand(self.ctx, f"Add {data.first_names} {data.last_name}", AREA,
                                                "nqt", data, service.create, service.delete), in_dialog=True)
            self._warn(done, data.induction_tutor_id, data.mentor_id, f"{data.first_names} {data.last_name}")
            return done

        self.page.run_dialog(self._with_bodies(nqt_dialog("Add an early career teacher", submit, *choices,
                                                          parent=self)))

    def edit(self) -> None:
        row = self.panel.selected()
        choices = self._choices() if row is not None else None
        if row is None or choices is None:
            return
        service = self.ctx.workspace.induction

        def submit(values: dict) -> bool:
            # The link to the trainee record is not on the form; an edit keeps it.
            after = validate_nqt({**values, "trainee_id": row.trainee_id})
            done = push(self.ctx, UpdateCommand(self.ctx, f"Edit {after.first_names} {after.last_name}", AREA,
                                                "nqt", row.id, row.data(), after, service.update, row.version),
                        in_dialog=True)
            self._warn(done, after.induction_tutor_id, after.mentor_id, f"{after.first_names} {after.last_name}")
            return done

        self.page.run_dialog(self._with_bodies(nqt_dialog(f"Edit {row.name}", submit, *choices, dialog_values(row),
                                                          parent=self)))

    def _with_bodies(self, dialog):  # noqa: ANN001, ANN202 - a FormDialog in, the same out
        """Offer the appropriate bodies already named (teaching school hubs first) as the user types."""
        bodies = self.ctx.call(self.ctx.workspace.induction.appropriate_bodies) or []
        completer = QCompleter(bodies, dialog)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        dialog.widgets["appropriate_body"].setCompleter(completer)
        return dialog

    def _warn(self, done: bool, tutor_id: int | None, mentor_id: int | None, name: str) -> None:
        """Say so, once saved, when one person is both induction tutor and mentor (allowed, not advised)."""
        for warning in role_warnings(tutor_id, mentor_id, name) if done else []:
            self.ctx.messages.info(warning, title="Two roles, one person")

    def count_term(self) -> None:
        row = self.panel.selected()
        if row is None:
            return
        try:
            counted = count_a_term(row.terms_counted, row.fte, row.extension_terms, required=row.terms_required)
        except ValueError as exc:
            self.ctx.messages.error(ValidationError.single("terms_counted", f"{row.name}: {exc}", kind="nqts"))
            return
        service = self.ctx.workspace.induction
        after = replace(row.data(), terms_counted=counted)
        push(self.ctx, UpdateCommand(self.ctx, f"Count a term for {row.name} ({counted:g})", AREA, "nqt", row.id,
                                     row.data(), after, service.update, row.version))

    def delete(self) -> None:
        row = self.panel.selected()
        if row is None or not self.ctx.messages.confirm(
                f"Delete {row.name} ({row.email}) with their reviews, assessments and attendance?"):
            return
        service = self.ctx.workspace.induction
        push(self.ctx, DeleteCommand(self.ctx, f"Delete {row.name}", AREA, "nqt", row.id,
                                     service.delete, service.restore, lambda snapshot: snapshot))

    def from_trainee(self) -> None:
        service = self.ctx.workspace.induction
        trainees = self.ctx.call(service.qualified_trainees)
        choices = self._choices() if trainees is not None else None
        if trainees is None or choices is None:
            return
        if not trainees:
            self.ctx.messages.info("No trainee is waiting to become an early career teacher: the step is for "
                                   "trainees whose status is QTS awarded and who are not in induction yet.",
                                   title="From trainee")
            return

        def create(values: dict) -> Any:
            return service.from_trainee(values["trainee_id"], values.get("employing_school_id"),
                                        values.get("induction_tutor_id"), values.get("start_date") or None,
                                        values.get("fte") or 1.0, values.get("mentor_id"), values.get("programme"))

        def submit(values: dict) -> bool:
            chosen = next(t for t in trainees if t.id == values["trainee_id"])
            done = push(self.ctx, CreateCommand(self.ctx, f"{chosen.name} becomes an early career teacher", AREA,
                                                "nqt", values, create, service.delete), in_dialog=True)
            self._warn(done, values.get("induction_tutor_id"), values.get("mentor_id"), chosen.name)
            return done

        self.page.run_dialog(trainee_dialog(submit, trainees, *choices, parent=self))
