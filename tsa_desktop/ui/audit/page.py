"""The audit trail of the whole file: the latest changes, searchable, each opening its record's history."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.ui.core.changes import Area
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.common.history import AUDIT_COLUMNS, HistoryDialog, HistoryView, kind_label, open_history
from tsa_desktop.ui.common.page import Page

#: The newest entries shown; older ones are found by searching or choosing a kind of record.
LIMIT = 500

#: The kinds of record offered in the filter, in navigation order. Choosing one also shows the
#: changes to its parts (a trainee's placements, a mentor's subjects, an NQT's assessments).
KIND_FILTER: tuple[tuple[str, str], ...] = (
    ("schools", "Schools"), ("providers", "Accredited providers"), ("allocations", "Allocations"),
    ("trainees", "Trainees (with placements)"), ("placements", "Placements"),
    ("placement_blocks", "Placement blocks"), ("academic_years", "Academic years"),
    ("mentors", "Mentors (with subjects, QA visits)"), ("qa_visits", "QA visits"),
    ("induction_cohorts", "Induction cohorts"),
    ("nqts", "Early career teachers (with reviews, assessments, attendance)"),
    ("induction_sessions", "Induction sessions"), ("users", "Users"),
    ("alliance_profile", "Alliance profile"), ("settings", "Settings"),
)

#: Typing in the search box waits this long for the next key before asking the database.
SEARCH_DELAY_MS = 250


def _title(row) -> str:
    """What a record is called, from the summary of an entry about it ("Changed school X: name")."""
    words = row.summary
    if row.action == "update" and ": " in words:
        words = words.rsplit(": ", 1)[0]
    noun = kind_label(row.table)
    for verb in ("Added ", "Changed ", "Deleted "):
        if words.startswith(verb + noun + " "):
            return words[len(verb + noun) + 1:]
    return f"#{row.record_id}"


class AuditPage(Page):
    """The latest entries of the audit trail: who changed what, when, before and after.

    Offered only to people allowed to see the audit trail (``view_audit``); anyone may in a file
    without sign-in.
    """

    title = "Audit trail"
    # Every change to any area adds to the trail, so any change makes the page stale.
    areas = tuple(Area)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search what changed, who, or the kind of record…")
        self.search.setClearButtonEnabled(True)
        self.kind = QComboBox(self)
        self.kind.addItem("Every kind of record", None)
        for table, label in KIND_FILTER:
            self.kind.addItem(label, table)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.kind.currentIndexChanged.connect(lambda _index: self.reload())

        self.entries = HistoryView(AUDIT_COLUMNS, self)
        self.entries.activated.connect(lambda _row: self.open_history())
        self.entries.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.history_button = QPushButton("History of this record…", self)
        self.history_button.setToolTip("Every change to the record of the selected entry, deleted or not")
        self.history_button.clicked.connect(self.open_history)
        self.history_button.setEnabled(False)
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.denied = QLabel("Your role may not see the audit trail. Ask the ITT lead.", self)
        self.denied.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.history_dialog: HistoryDialog | None = None

        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.kind, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.history_button)
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(filters)
        body.addWidget(self.entries, 1)
        body.addLayout(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        layout.addWidget(self.denied)

    def reload(self) -> None:
        self._timer.stop()
        allowed = self.may("view_audit")
        self.body.setVisible(allowed)
        self.denied.setVisible(not allowed)
        if not allowed:
            self.entries.set_rows([])
            return
        audit = self.ctx.workspace.audit
        rows = self.ctx.call(audit.recent, LIMIT + 1, self.search.text().strip(), self.kind.currentData())
        if rows is None:
            return
        self.entries.set_rows(rows[:LIMIT])
        self.note.setText(self._note(len(rows)))
        self._enable()

    def _note(self, found: int) -> str:
        filtered = bool(self.search.text().strip() or self.kind.currentData())
        if found > LIMIT:
            if filtered:
                return f"The newest {LIMIT} matching entries are shown; add words to find older ones."
            total = self.ctx.call(self.ctx.workspace.audit.count)
            of = f" of {total:,}" if total else ""
            return (f"The newest {LIMIT}{of} entries are shown; search or choose a kind of record "
                    "to find older ones.")
        return f"{found} entr{'y' if found == 1 else 'ies'}{' found' if filtered else ''}."

    def _enable(self) -> None:
        row = self.entries.selected()
        self.history_button.setEnabled(row is not None and row.record_id is not None)

    def open_history(self) -> HistoryDialog | None:
        """Show the history of the selected entry's record (deleted or not)."""
        row = self.entries.selected()
        if row is None:
            return None
        if row.record_id is None:
            self.ctx.messages.info("This entry is about many records changed at once (an import, the "
                                   "demo), not one record: what it did is shown below the list.")
            return None
        self.history_dialog = open_history(self.ctx, row.table, row.record_id, _title(row), self)
        return self.history_dialog
