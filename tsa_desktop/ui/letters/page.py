"""Letters: placement letters to trainees and to host schools, preview, print and produce.

The page lists the letters a year (or one block) gives, each with whether it was produced and
still says what the data says. Making the PDF runs off the GUI thread with a progress dialog;
only once the files are written (or the printer accepted the pages) are the letters recorded as
produced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from tsa_desktop.domain.errors import CancelledError
from tsa_desktop.services.letters.data import PreparedLetter
from tsa_desktop.services.letters.templates import TemplateText
from tsa_desktop.services.letters.wording import check_logo
from tsa_desktop.services.letters.producing import LetterBatch, LetterListing, LetterScope
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.letters.preview import LetterPreviewDialog, print_pdf
from tsa_desktop.ui.letters.dialogs import (AllianceProfileDialog, TemplateEditorDialog,
                                            produce_dialog)
from tsa_desktop.ui.letters.models import LETTER_COLUMNS
from tsa_desktop.ui.common.page import Page
from tsa_desktop.ui.common.table_panel import TablePanel
from tsa_desktop.ui.core.changes import Area

_SHOW = (("all", "All letters"), ("needed", "Not produced or out of date"),
         ("out_of_date", "Out of date"), ("up_to_date", "Up to date"))


class LettersPage(Page):
    """Choose year, block and recipients; preview, print or produce the letters."""

    title = "Letters"
    areas = (Area.LETTERS, Area.ALLIANCE, Area.PLACEMENTS, Area.YEARS, Area.TRAINEES, Area.SCHOOLS,
             Area.MENTORS)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.listing: LetterListing | None = None
        self.preview_task = None  # the preview being prepared, if any (a Task from ui/core)
        self.year_box = QComboBox(self)
        self.block_box = QComboBox(self)
        self.to_box = QComboBox(self)
        self.to_box.addItem("Trainees", "trainees")
        self.to_box.addItem("Schools and mentors", "schools")
        for box in (self.year_box, self.block_box, self.to_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.year_box.currentIndexChanged.connect(self._year_changed)
        self.block_box.currentIndexChanged.connect(lambda _i: self.load_letters())
        self.to_box.currentIndexChanged.connect(lambda _i: self.load_letters())

        self.table = TablePanel(LETTER_COLUMNS, "letters", parent=self, key_columns=(0, 3))
        self.show_box = QComboBox(self)
        for code, label in _SHOW:
            self.show_box.addItem(label, code)
        self.show_box.currentIndexChanged.connect(self.table.apply_filters)
        self.table.add_filter(self.show_box, self._shown)
        self.preview_button = self.table.add_button("Preview…", self.preview_selected,
                                                    needs_row=True)
        self.preview_all_button = self.table.add_button("Preview all…", self.preview_all)
        self.produce_button = self.table.add_button(
            "Produce…", self.produce, tooltip="Save letters as PDF and record them as produced")
        self.table.activated.connect(lambda _row: self.preview_selected())

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        wording = QPushButton("Wording…", self)
        wording.setToolTip("Edit the wording of the letters and the list of what to bring")
        wording.clicked.connect(lambda: self.edit_wording())
        profile = QPushButton("Alliance profile…", self)
        profile.setToolTip("The letterhead: name, address, logo, contact and who signs")
        profile.clicked.connect(lambda: self.edit_profile())
        self.offer_only_if("letters", self.produce_button)
        self.offer_only_if("edit", wording, profile)

        top = QHBoxLayout()
        heading = QLabel("<b>Letters</b>", self)
        heading.setStyleSheet("font-size: 13pt;")
        top.addWidget(heading)
        top.addSpacing(12)
        for text, box in (("Academic year:", self.year_box), ("Block:", self.block_box),
                          ("To:", self.to_box)):
            top.addWidget(QLabel(text, self))
            top.addWidget(box)
        top.addStretch(1)
        top.addWidget(wording)
        top.addWidget(profile)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    # --- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        years = self.ctx.call(self.ctx.workspace.years.list) or []
        current = self.ctx.call(self.ctx.workspace.years.current)
        keep = self.year_box.currentData() or current
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in years:
            self.year_box.addItem(year.name, year.name)
        self.year_box.setCurrentIndex(max(self.year_box.findData(keep), 0))
        self.year_box.blockSignals(False)
        self._fill_blocks()
        self.load_letters()

    def _year_changed(self) -> None:
        self._fill_blocks()
        self.load_letters()

    def _fill_blocks(self) -> None:
        keep = self.block_box.currentText()
        year = self.year_box.currentData()
        blocks = (self.ctx.call(self.ctx.workspace.letters.blocks, year) or []) if year else []
        self.block_box.blockSignals(True)
        self.block_box.clear()
        self.block_box.addItem("Whole year", None)
        for block in blocks:
            self.block_box.addItem(block.name, block.name)
        self.block_box.setCurrentIndex(max(self.block_box.findText(keep), 0))
        self.block_box.blockSignals(False)

    def scope(self) -> LetterScope:
        """The letters chosen at the top of the page."""
        return LetterScope(year=self.year_box.currentData(), block=self.block_box.currentData(),
                           to=self.to_box.currentData())

    def load_letters(self) -> None:
        """List the letters of the chosen year, block and recipients, with their status."""
        if self.year_box.currentData() is None:
            self.listing = None
            self.table.set_rows([])
            self.summary.setText("This file has no academic years yet.")
            return
        listing = self.ctx.call(self.ctx.workspace.letters.listing, self.scope())
        self.listing = listing
        rows = list(listing.letters) if listing else []
        self.table.set_rows(rows, keep=self._same_letter())
        self.summary.setText(_summary(listing) if listing else "")

    def _same_letter(self):
        current = self.table.selected()
        return (lambda r: r.key == current.key) if current is not None else None

    def _shown(self, row: PreparedLetter) -> bool:
        wanted = self.show_box.currentData()
        if wanted == "all":
            return True
        if wanted == "needed":
            return row.status.needs_producing
        return row.status.state == wanted

    # --- preview and print ----------------------------------------------------------------------

    def preview_selected(self) -> None:
        row = self.table.selected()
        if row is not None:
            self.preview([row])

    def preview_all(self) -> None:
        self.preview(self.table.model.rows())

    def preview(self, rows: list[PreparedLetter]) -> None:
        """Make a PDF of these letters off the GUI thread, then show it."""
        batch = self._prepare(rows)
        if batch is None:
            return
        service = self.ctx.workspace.letters
        # A year's letters take seconds: the progress dialog counts them and can cancel.
        self.preview_task = self.ctx.tasks.start_with_dialog(
            lambda progress: service.render(batch, progress), f"Preparing {batch.describe()}",
            self, on_done=lambda data: self._show_preview(batch, data), on_error=self._failed)

    def _show_preview(self, batch: LetterBatch, data: bytes) -> None:
        dialog = LetterPreviewDialog(
            data, batch.describe(), lambda pdf, printer: self.print_batch(batch, pdf, printer),
            lambda path: self._save_preview(batch, data, path), _file_name(batch), self)
        self.run_dialog(dialog)

    def print_batch(self, batch: LetterBatch, data: bytes, printer: QPrinter) -> None:
        """Print a rendered batch off the GUI thread; record the letters once it is printed."""
        service = self.ctx.workspace.letters

        def done(pages: int) -> None:
            self.ctx.call(service.mark_produced, batch)
            self._finished(f"Printed {batch.describe()} ({pages} pages).")

        self._printer = printer  # kept alive until the job is done
        self.ctx.tasks.start_with_dialog(lambda progress: print_pdf(data, printer, progress),
                                         "Printing the letters", self, on_done=done,
                                         on_error=self._failed)

    def _save_preview(self, batch: LetterBatch, data: bytes, path: str) -> str | None:
        result = self.ctx.call(self.ctx.workspace.letters.save_pdf, batch, data, path)
        if result is None:
            return None
        self._finished(result.summary)
        return result.summary

    # --- produce --------------------------------------------------------------------------------

    def produce(self, which: str | None = None, per_letter: bool | None = None,
                path: str | None = None) -> None:
        """Save letters as PDF and record them: asks which letters, how, and where.

        Args:
            which: "selected", "needed" or "all" (asked when None).
            per_letter: One file per letter into a folder (asked when None).
            path: The file or folder (asked when None).
        """
        rows = self.table.model.rows()
        if which is None or per_letter is None:
            chosen: dict[str, Any] = {}
            needed = sum(1 for r in rows if r.status.needs_producing)
            dialog = produce_dialog(self.table.selected() is not None, len(rows), needed,
                                    lambda values: chosen.update(values), self)
            if not self.run_dialog(dialog):
                return
            which, per_letter = chosen["which"], bool(chosen["per_letter"])
        if which == "selected":
            picked = [r for r in [self.table.selected()] if r is not None]
        elif which == "needed":
            picked = [r for r in rows if r.status.needs_producing]
        else:
            picked = rows
        batch = self._prepare(picked)
        if batch is None:
            return
        path = path or self.ask_path(batch, per_letter)
        if not path:
            return
        service = self.ctx.workspace.letters
        self.ctx.tasks.start_with_dialog(
            lambda progress: service.produce(batch, path, per_letter=per_letter,
                                             progress=progress),
            "Producing the letters", self,
            on_done=lambda result: self._finished(result.summary), on_error=self._failed)

    def ask_path(self, batch: LetterBatch, per_letter: bool) -> str | None:
        """Ask for the PDF file, or the folder for one file per letter."""
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        if per_letter:
            return self.ctx.interaction.choose_folder(self, "Folder for the letters", start) or None
        path = self.ctx.interaction.save_file(self, "Save the letters as", str(Path(start) / _file_name(batch)),
                                              "PDF files (*.pdf)")
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path or None

    # --- wording and profile --------------------------------------------------------------------

    def edit_wording(self) -> None:
        service = self.ctx.workspace.letters.wording
        texts = {kind: self.ctx.call(service.template, kind) for kind in ("trainee", "school")}
        if None in texts.values():
            return
        dialog = TemplateEditorDialog(texts, service.save_template, self.preview_wording, self)
        if self.run_dialog(dialog):
            self.ctx.notify(Area.LETTERS)

    def preview_wording(self, text: TemplateText) -> None:
        """Show one letter of the chosen year with wording not saved yet (nothing recorded)."""
        data = self.ctx.workspace.letters.sample(text, self.scope())
        who = "a trainee" if text.kind == "trainee" else "a school"
        self.run_dialog(LetterPreviewDialog(data, f"sample letter to {who}", None, None,
                                            parent=self))

    def edit_profile(self) -> None:
        profile = self.ctx.call(self.ctx.workspace.alliance.profile)
        if profile is None:
            return
        service = self.ctx.workspace.letters.wording

        def submit(values: dict[str, Any]) -> None:
            logo, name = values.pop("logo"), values.pop("logo_filename")
            service.save_letterhead(values, logo, name)

        values = {k: getattr(profile, k) for k in ("name", "address", "contact_name",
                                                   "contact_role", "contact_email",
                                                   "contact_phone", "letter_sign_off", "logo",
                                                   "logo_filename")}
        dialog = AllianceProfileDialog(values, submit, check_logo, self)
        if self.run_dialog(dialog):
            self.ctx.notify(Area.ALLIANCE)

    # --- shared ---------------------------------------------------------------------------------

    def _prepare(self, rows: list[PreparedLetter]) -> LetterBatch | None:
        if not rows:
            self.ctx.messages.info("There are no letters to print here.")
            return None
        batch = self.ctx.call(self.ctx.workspace.letters.prepare, self.scope(),
                              keys={r.key for r in rows})
        if batch is not None and not batch.items:
            self.ctx.messages.info("These letters are no longer there: the data changed. "
                                   "The list has been refreshed.")
            self.load_letters()
            return None
        return batch

    def _finished(self, summary: str) -> None:
        self.status.setText(summary)
        self.ctx.notify(Area.LETTERS)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            self.status.setText("Cancelled: nothing was written or recorded.")
            return
        self.ctx.messages.error(exc)


def _summary(listing: LetterListing) -> str:
    where = f"{listing.block.name} {listing.year}" if listing.block else listing.year
    if not listing.letters:
        return f"No letters for {where}: {listing.reason}."
    counts = {"not_produced": 0, "up_to_date": 0, "out_of_date": 0}
    for item in listing.letters:
        counts[item.status.state] += 1
    n = len(listing.letters)
    if listing.to == "trainees":
        text = f"{n} letter{'s' if n != 1 else ''} to trainees for {where}"
    else:
        copies = sum(len(i.letters) - 1 for i in listing.letters)
        text = (f"{n} letter{'s' if n != 1 else ''} to schools, with {copies} "
                f"cop{'ies' if copies != 1 else 'y'} to mentors, for {where}")
    text += (f": {counts['out_of_date']} out of date, {counts['not_produced']} not produced, "
             f"{counts['up_to_date']} up to date.")
    if listing.left_out:
        wait = "placement waits" if listing.left_out == 1 else "placements wait"
        text += f" {listing.left_out} proposed {wait} to be confirmed before letters go out."
    return text


def _file_name(batch: LetterBatch) -> str:
    who = "trainees" if batch.to == "trainees" else "schools"
    return f"Placement letters {batch.year.replace('/', '-')} {who}.pdf"
