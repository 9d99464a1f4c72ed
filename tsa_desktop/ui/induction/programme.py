"""The Programme & attendance tab: sessions, who attended the chosen one, and each teacher's rate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QSplitter, QVBoxLayout, QWidget

from tsa_desktop.domain.enums import AttendanceStatus
from tsa_desktop.services.induction.cohorts import NqtRow
from tsa_desktop.services.induction.programme import AttendanceRow
from tsa_desktop.ui.core.ops import CreateCommand, DeleteCommand, UpdateCommand, push
from tsa_desktop.ui.induction.dialogs import session_dialog
from tsa_desktop.ui.induction.models import MARK_COLUMNS, RATE_COLUMNS, SESSION_COLUMNS
from tsa_desktop.ui.induction.commands import AREA, SetAttendanceCommand
from tsa_desktop.ui.common.table_panel import TablePanel

if TYPE_CHECKING:
    from tsa_desktop.ui.induction.host import InductionHost

RATE_COLUMN = next(i for i, c in enumerate(RATE_COLUMNS) if c.title == "Rate")


def _boxed(title: QLabel, panel: QWidget, parent: QWidget) -> QWidget:
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 6, 0, 0)
    layout.addWidget(title)
    layout.addWidget(panel, 1)
    return box


class ProgrammeTab(QWidget):
    """Sessions of the induction programme (top), attendance at one session and rates (bottom)."""

    def __init__(self, page: InductionHost) -> None:
        super().__init__(page)
        self.page, self.ctx = page, page.ctx
        self.cohort_id: int | None = None

        self.sessions = TablePanel(SESSION_COLUMNS, "sessions", parent=self)
        self.add_button = self.sessions.add_button("Add session…", self.add_session)
        self.edit_button = self.sessions.add_button("Edit…", self.edit_session, needs_row=True)
        self.delete_button = self.sessions.add_button("Delete", self.delete_session, needs_row=True)
        self.sessions.activated.connect(lambda _row: self.edit_session() if self.page.may("edit") else None)
        self.sessions.selection_changed.connect(self._load_marks)
        self.sessions.add_history(self.ctx, "induction_sessions",
                                  label=lambda r: f"{r.topic}, {r.session_date:%d/%m/%Y}")

        self.marks = TablePanel(MARK_COLUMNS, "teachers", parent=self)
        self.marks.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.mark_buttons = {
            status: self.marks.add_button(status.label, lambda _checked=False, s=status: self.mark(s))
            for status in AttendanceStatus
        }
        self.clear_button = self.marks.add_button("Clear", lambda: self.mark(None))
        self.rest_button = self.marks.add_button("Rest present", self.mark_rest_present,
                                                 tooltip="Mark everyone not yet recorded as present")
        self.marks.selection_changed.connect(self._enable_marking)
        self.marks_title = QLabel(self)

        self.rates = TablePanel(RATE_COLUMNS, "teachers", sort_column=RATE_COLUMN, parent=self)
        for panel in (self.sessions, self.marks, self.rates):
            panel.view.horizontalHeader().setResizeContentsPrecision(100)
        rates_title = QLabel("<b>Attendance rate per early career teacher</b> (sessions recorded for them)", self)

        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(_boxed(self.marks_title, self.marks, bottom))
        bottom.addWidget(_boxed(rates_title, self.rates, bottom))
        bottom.setSizes([560, 440])
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.sessions)
        split.addWidget(bottom)
        split.setSizes([260, 340])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._enable_marking()

    def load(self, cohort_id: int | None, nqts: list[NqtRow]) -> None:
        """Show a cohort's sessions and its teachers' rates (their rows carry them)."""
        self.cohort_id = cohort_id
        rows = [] if cohort_id is None else self.ctx.call(self.ctx.workspace.induction.programme.sessions,
                                                          cohort_id)
        self.add_button.setEnabled(cohort_id is not None)
        editable = self.page.may("edit")
        for button in (self.add_button, self.edit_button, self.delete_button, *self.mark_buttons.values(),
                       self.clear_button, self.rest_button):
            button.setVisible(editable)
        self.sessions.set_rows(rows or [])
        self.rates.set_rows(nqts)
        self._load_marks()

    def _load_marks(self) -> None:
        session = self.sessions.selected()
        if session is None:
            self.marks_title.setText("<b>Attendance</b>: choose a session above")
            self.marks.set_rows([])
        else:
            self.marks_title.setText(f"<b>Attendance at {session.topic}</b>, {session.session_date:%d/%m/%Y}")
            chosen = {r.nqt_id for r in self.selected_marks()}
            rows = self.ctx.call(self.ctx.workspace.induction.programme.attendance, session.id) or []
            self.marks.set_rows(rows, keep=lambda r: r.nqt_id in chosen)
        self._enable_marking()

    def selected_marks(self) -> list[AttendanceRow]:
        """The teachers selected in the attendance list."""
        return [self.marks.model.row(i) for i in self.marks.view.selectionModel().selectedRows()]

    def _enable_marking(self) -> None:
        session = self.sessions.selected()
        future = session is not None and session.session_date > self.page.today()
        some = bool(self.selected_marks()) and not future
        for button in (*self.mark_buttons.values(), self.clear_button):
            button.setEnabled(some)
        self.rest_button.setEnabled(session is not None and not future)
        self.marks.view.setToolTip("This session has not happened yet." if future else "")

    # --- attendance ---------------------------------------------------------------------------------

    def mark(self, status: AttendanceStatus | None) -> None:
        """Give the selected teachers a mark at the chosen session (None clears it)."""
        session, chosen = self.sessions.selected(), self.selected_marks()
        if session is None or not chosen:
            return
        word = status.label.lower() if status else "not recorded"
        who = chosen[0].name if len(chosen) == 1 else f"{len(chosen)} teachers"
        self._push(session.id, {r.nqt_id: status for r in chosen}, f"Mark {who} {word} at {session.topic}")

    def mark_rest_present(self) -> None:
        session = self.sessions.selected()
        if session is None:
            return
        rest = [r for r in self.marks.model.all_rows() if r.status is None]
        if rest:
            self._push(session.id, {r.nqt_id: AttendanceStatus.PRESENT for r in rest},
                       f"Mark {len(rest)} teachers present at {session.topic}")

    def _push(self, session_id: int, marks: dict, text: str) -> None:
        service = self.ctx.workspace.induction.programme
        push(self.ctx, SetAttendanceCommand(self.ctx, text, service, session_id, marks, self.page.today()))

    # --- sessions -----------------------------------------------------------------------------------

    def add_session(self) -> None:
        if self.cohort_id is None:
            return
        service, cohort_id = self.ctx.workspace.induction.programme, self.cohort_id

        def submit(values: dict) -> bool:
            data = {**values, "cohort_id": cohort_id}
            return push(self.ctx, CreateCommand(self.ctx, f"Add session {values.get('topic', '')}", AREA, "session",
                                                data, service.create_session, service.delete_session),
                        in_dialog=True)

        self.page.run_dialog(session_dialog("Add induction session", submit, parent=self))

    def edit_session(self) -> None:
        row = self.sessions.selected()
        if row is None:
            return
        service = self.ctx.workspace.induction.programme

        def submit(values: dict) -> bool:
            after = {**values, "cohort_id": row.cohort_id}
            return push(self.ctx, UpdateCommand(self.ctx, f"Edit session {row.topic}", AREA, "session", row.id,
                                                row.data(), after, service.update_session, row.version),
                        in_dialog=True)

        values = {"session_date": row.session_date, "topic": row.topic, "venue": row.venue, "leader": row.leader}
        self.page.run_dialog(session_dialog(f"Edit {row.topic}", submit, values, parent=self))

    def delete_session(self) -> None:
        row = self.sessions.selected()
        if row is None or not self.ctx.messages.confirm(
                f"Delete the session {row.topic} on {row.session_date:%d/%m/%Y} and its attendance?"):
            return
        service = self.ctx.workspace.induction.programme
        push(self.ctx, DeleteCommand(self.ctx, f"Delete session {row.topic}", AREA, "session", row.id,
                                     service.delete_session, service.restore_session, lambda snapshot: snapshot))
