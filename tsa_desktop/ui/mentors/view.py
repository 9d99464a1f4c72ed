"""The Mentor's view tab: choose a mentor and see only their trainees for the year; the mentor pack."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from tsa_desktop.domain.mentors import TrainingState
from tsa_desktop.services.mentors.view import MentorPackFiles, MentorView
from tsa_desktop.ui.mentors.models import NQT_COLUMNS, VIEW_PLACEMENT_COLUMNS, training_colour
from tsa_desktop.ui.core.table_model import RowTableModel
from tsa_desktop.ui.mentors.base import MentorTab, mentor_choices, own_mentor_id
from tsa_desktop.ui.common.screen import fit_columns
from tsa_desktop.ui.common.tables import read_only_table


def _table(model: RowTableModel, parent) -> QTableView:
    # Block, dates and trainee say which placement it is: cut short last.
    return read_only_table(model, parent, sort_by=0, row_height=24, keep=(0, 1, 2))


class MentorViewTab(MentorTab):
    """One mentor's trainees for the year: block, dates, school, contact, other placements."""

    def __init__(self, page) -> None:
        super().__init__(page)
        self.current: MentorView | None = None
        self.mentor_box = QComboBox(self)
        self.mentor_box.setEditable(True)
        self.mentor_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.mentor_box.setMinimumContentsLength(40)
        self.mentor_box.lineEdit().setPlaceholderText("Type a mentor's name or school…")
        completer = self.mentor_box.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.mentor_box.currentIndexChanged.connect(lambda _i: self.show_selected())
        self.pack_button = QPushButton("Mentor pack…", self)
        self.pack_button.setToolTip("Write this view as a PDF and the placements as an .ics calendar")
        self.pack_button.clicked.connect(lambda: self.mentor_pack())
        self.all_packs_button = QPushButton("Packs for every mentor…", self)
        self.all_packs_button.setToolTip(
            "For every mentor with trainees this year: the pack (PDF), a calendar (.ics) and an "
            "email draft to send, with index.csv for a mail merge")
        self.all_packs_button.clicked.connect(lambda: self.all_packs())

        self.header = QLabel(self)
        self.header.setObjectName("mentor_header")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.placements = RowTableModel(VIEW_PLACEMENT_COLUMNS, self)
        self.placements_view = _table(self.placements, self)
        self.placements_label = QLabel(self)
        self.rotation = QLabel(self)
        self.rotation.setObjectName("rotation")
        self.rotation.setWordWrap(True)
        self.rotation.setTextFormat(Qt.TextFormat.RichText)
        self.placements_view.selectionModel().selectionChanged.connect(lambda *_: self._show_rotation())
        self.nqts = RowTableModel(NQT_COLUMNS, self)
        self.nqts_view = _table(self.nqts, self)
        self.nqts_view.setMaximumHeight(130)
        self.nqts_label = QLabel(self)

        top = QHBoxLayout()
        top.addWidget(QLabel("Mentor:", self))
        top.addWidget(self.mentor_box, 1)
        top.addWidget(self.pack_button)
        top.addWidget(self.all_packs_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.header)
        layout.addWidget(self.placements_label)
        layout.addWidget(self.placements_view, 3)
        layout.addWidget(self.rotation)
        layout.addWidget(self.nqts_label)
        layout.addWidget(self.nqts_view, 1)

    def load(self) -> None:
        # A signed-in mentor sees only their own trainees, so only their own pack.
        self.all_packs_button.setVisible(own_mentor_id(self.ctx.workspace) is None)
        wanted = self.mentor_box.currentData()
        self.mentor_box.blockSignals(True)
        self.mentor_box.clear()
        for mentor_id, label in mentor_choices(self.page.mentor_rows(), active_only=False):
            self.mentor_box.addItem(label, mentor_id)
        index = self.mentor_box.findData(wanted) if wanted is not None else -1
        self.mentor_box.setCurrentIndex(index)
        self.mentor_box.blockSignals(False)
        self.show_selected()

    def choose(self, mentor_id: int) -> None:
        """Show one mentor (loading the list first if needed)."""
        self.refresh()
        index = self.mentor_box.findData(mentor_id)
        if index >= 0 and index != self.mentor_box.currentIndex():
            self.mentor_box.setCurrentIndex(index)
        else:
            self.show_selected()

    def show_selected(self) -> None:
        mentor_id = self.mentor_box.currentData()
        self.current = None
        if mentor_id is not None:
            self.current = self.ctx.call(self.ctx.workspace.mentor_view.view, mentor_id, self.page.year())
        self._show(self.current)

    def _show(self, view: MentorView | None) -> None:
        self.pack_button.setEnabled(view is not None)
        if view is None:
            self.header.setText("<i>Choose a mentor to see the trainees placed with them.</i>")
            self.placements.set_rows([])
            self.nqts.set_rows([])
            self.placements_label.setText("")
            self.nqts_label.setText("")
            self.rotation.setText("")
            return
        self.header.setText(_header_html(view))
        self.placements.set_rows(view.placements)
        n = len(view.placements)
        self.placements_label.setText(
            f"<b>Trainees in {escape(view.academic_year)}</b>: {n} placement{'s' if n != 1 else ''}"
            if n else f"<b>No trainees are placed with this mentor in {escape(view.academic_year)}.</b>")
        self.nqts.set_rows(view.nqts)
        self.nqts_label.setText(f"<b>Early career teachers</b>: {len(view.nqts)}" if view.nqts
                                else "<b>Early career teachers</b>: none")
        for table in (self.placements_view, self.nqts_view):
            fit_columns(table)
        if view.placements:
            self.placements_view.selectRow(0)
        self._show_rotation()

    def _show_rotation(self) -> None:
        """The selected trainee's whole year, so the mentor sees where they are before and after."""
        rows = self.placements_view.selectionModel().selectedRows()
        if not rows:
            self.rotation.setText("")
            return
        p = self.placements.row(rows[0])
        parts = [(p.start, f"<b>{escape(p.block_name)}: {escape(p.school_name)} (with you)</b>")]
        parts += [(o.start, f"{escape(o.block_name)}: {escape(o.school_name)}"
                   + (f" with {escape(o.mentor_name)}" if o.mentor_name else "")) for o in p.other_placements]
        parts.sort(key=lambda part: part[0])
        self.rotation.setText(f"{escape(p.trainee_name)}'s year: " + " · ".join(text for _d, text in parts))

    # --- the mentor pack ----------------------------------------------------------------------------

    def choose_folder(self, title: str = "Folder for the mentor pack") -> str:
        """Ask for the folder to write the pack (or the packs) to."""
        return self.ctx.interaction.choose_folder(self, title)

    def mentor_pack(self, folder: str | None = None) -> None:
        """Write the chosen mentor's pack (PDF and .ics) into a folder, off the GUI thread."""
        view = self.current
        if view is None:
            return
        folder = folder or self.choose_folder()
        if not folder:
            return
        service, year, mentor_id = self.ctx.workspace.mentor_view, view.academic_year, view.mentor.id

        def done(files: MentorPackFiles) -> None:
            self.ctx.messages.info(f"Mentor pack for {files.mentor_name} written:\n{files.pdf}\n{files.calendar}",
                                   title="Mentor pack")

        self.ctx.tasks.start_with_dialog(
            lambda progress: service.write_pack(mentor_id, folder, year, progress=progress),
            "Writing the mentor pack", self, done,
            lambda exc: self.ctx.messages.error(exc, title="Mentor pack not written"))


    def all_packs(self, folder: str | None = None) -> None:
        """Write every placed mentor's pack, calendar and email draft, and index.csv, off the GUI thread."""
        year = self.page.year()
        if year is None:
            return
        folder = folder or self.choose_folder("Folder for every mentor's pack")
        if not folder:
            return
        service = self.ctx.workspace.mentor_packs

        def done(result) -> None:
            text = str(result)
            if result.packs:
                text += (".\n\nEach email draft (.eml) opens in Outlook or Thunderbird addressed to "
                         "the mentor with their files attached, ready to send.")
            self.ctx.messages.info(text, title="Mentor packs")

        self.ctx.tasks.start_with_dialog(
            lambda progress: service.write_all(folder, year, progress=progress),
            f"Writing every mentor's pack for {year}", self, done,
            lambda exc: self.ctx.messages.error(exc, title="Mentor packs not written"))


def _header_html(view: MentorView) -> str:
    """The mentor, their school and lead mentor, training flag and load, as rich text."""
    mt, t = view.mentor, view.training
    subjects = f" · {escape(mt.subject_names)}" if mt.subject_names else ""
    lead = (f"{escape(view.lead_mentor_name)} &lt;{escape(view.lead_mentor_email)}&gt;"
            if view.lead_mentor_name else "<i>none assigned</i>")
    colour = training_colour(t.state)
    training = escape(t.describe())
    if colour:
        training = f"<span style='color:{colour}; font-weight:bold'>⚠ {training}</span>"
    inactive = " <span style='color:#7b7d7d'>(not active)</span>" if not mt.active else ""
    lines = [
        f"<span style='font-size:13pt'><b>{escape(mt.name)}</b></span>{inactive} &lt;{escape(mt.email)}&gt;"
        + (f" · {escape(mt.phone)}" if mt.phone else ""),
        f"{escape(mt.school_name)} · {escape(mt.phase.label)}{subjects}",
        f"Lead mentor: {lead}",
        f"Training: {training}" + ("" if t.state is TrainingState.NEVER_TRAINED else
                                   f" (last {t.last_trained:%d/%m/%Y})" if t.last_trained else ""),
        f"Load {escape(view.academic_year)}: {escape(mt.load_summary)}; " + escape(
            "not available in " + ", ".join(mt.unavailable_blocks) if mt.unavailable_blocks
            else "available in every block"),
    ]
    return "<br>".join(lines)
