"""The letters page as the ITT lead uses it: list, produce, preview, print, wording, profile."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PySide6.QtPrintSupport import QPrinter

from tests.services.letters.helpers import page_count, pdf_text, placed_trainee_ids, update_row
from tests.ui.interaction import ScriptedInteraction
from tsa_desktop.ui.core.changes import Area
from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import CancelledError
from tsa_desktop.ui.letters.preview import new_printer
from tsa_desktop.ui.letters.models import STATUS_COLUMN
from tsa_desktop.ui.letters.page import LettersPage

WAIT = 30_000


class Dialogs:
    """Stands in for run_dialog: keeps each dialog, optionally drives it, never blocks."""

    def __init__(self, drive=None) -> None:
        self.seen = []
        self.drive = drive

    def __call__(self, dialog) -> int:
        self.seen.append(dialog)
        if self.drive is None:
            return 0
        self.drive(dialog)
        return dialog.result()


@pytest.fixture
def page(qtbot, ctx):
    widget = LettersPage(ctx)
    qtbot.addWidget(widget)
    widget.ctx.interaction.dialog = Dialogs()
    widget.show()
    return widget


def statuses(page) -> list[str]:
    model = page.table.model
    return [model.data(model.index(row, STATUS_COLUMN)) for row in range(model.rowCount())]


def test_lists_one_letter_per_placed_trainee(page, ctx):
    count = len(placed_trainee_ids(ctx.workspace))
    assert page.table.model.rowCount() == count
    assert statuses(page) == ["Not produced"] * count
    assert page.summary.text() == (f"{count} letters to trainees for 2026/27: 0 out of date, "
                                   f"{count} not produced, 0 up to date.")
    assert [page.block_box.itemText(i) for i in range(page.block_box.count())] == [
        "Whole year", "Autumn block A", "Spring block B", "Summer block C"]
    page.to_box.setCurrentIndex(page.to_box.findData("schools"))
    rows = page.table.model.rows()
    assert rows and all(r.key.kind == "school" for r in rows)
    assert "copies to mentors" in page.summary.text()
    page.block_box.setCurrentIndex(page.block_box.findText("Spring block B"))
    assert page.table.model.rowCount() == 0
    assert page.summary.text() == ("No letters for Spring block B 2026/27: there are no "
                                   "confirmed placements in Spring block B 2026/27.")


def test_produce_all_into_one_pdf_through_a_task(qtbot, page, ctx, tmp_path):
    out = tmp_path / "letters.pdf"
    count = page.table.model.rowCount()
    page.produce("all", False, str(out))
    qtbot.waitUntil(lambda: page.status.text().startswith("Wrote"), timeout=WAIT)
    assert page.status.text() == f"Wrote {count} letters to trainees to {out}"
    assert page_count(out) == count
    qtbot.waitUntil(lambda: statuses(page)[0].startswith("Up to date"), timeout=WAIT)
    assert all(s.startswith("Up to date (") for s in statuses(page))


def test_a_change_flags_the_letter_out_of_date(qtbot, page, ctx, tmp_path):
    page.produce("all", False, str(tmp_path / "a.pdf"))
    qtbot.waitUntil(lambda: page.status.text().startswith("Wrote"), timeout=WAIT)
    first = page.table.model.row(0)
    update_row(ctx.workspace, m.Trainee, first.key.record_id, last_name="Renamed-Ashworth")
    ctx.notify(Area.TRAINEES)
    row = page.table.model.find(lambda r: r.key == first.key)
    assert statuses(page)[row].startswith("Out of date: changed since ")
    page.show_box.setCurrentIndex(page.show_box.findData("needed"))
    assert [r.key for r in page.table.model.rows()] == [first.key]


def test_produce_asks_which_letters_and_how(qtbot, page, ctx, tmp_path):
    folder = tmp_path / "folder"
    page.ctx.interaction.dialog = Dialogs(lambda d: (d.set_values({"which": "all", "per_letter": True}),
                                         d.try_accept()))
    page.ctx.interaction.answers["choose_folder"] = lambda *_: str(folder)
    page.produce()
    qtbot.waitUntil(lambda: page.status.text().startswith("Wrote"), timeout=WAIT)
    assert len(list(folder.glob("*.pdf"))) == page.table.model.rowCount()


def test_preview_loads_the_pdf_then_save_and_print_record_it(qtbot, page, ctx, tmp_path):
    count = page.table.model.rowCount()
    page.preview_all()
    qtbot.waitUntil(lambda: bool(page.ctx.interaction.dialog.seen), timeout=WAIT)
    preview = page.ctx.interaction.dialog.seen[-1]
    assert preview.document.pageCount() == count
    assert preview.pages.text() == f"{count} letters to trainees · {count} pages"

    saved = tmp_path / "preview.pdf"
    assert preview.save_as(str(saved))
    assert pdf_text(saved) == pdf_text(preview.data)
    qtbot.waitUntil(lambda: statuses(page)[0].startswith("Up to date"), timeout=WAIT)

    printed = tmp_path / "printed.pdf"
    printer = new_printer("letters")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    assert preview.print_letters(printer)
    qtbot.waitUntil(lambda: page.status.text().startswith("Printed"), timeout=WAIT)
    assert page.status.text() == f"Printed {count} letters to trainees ({count} pages)."
    assert page_count(printed) == count


def test_preview_of_the_selected_school_letter_has_its_mentor_copies(qtbot, page):
    page.to_box.setCurrentIndex(page.to_box.findData("schools"))
    page.table.select(lambda r: True)
    row = page.table.selected()
    page.preview_selected()
    qtbot.waitUntil(lambda: bool(page.ctx.interaction.dialog.seen), timeout=WAIT)
    assert page.ctx.interaction.dialog.seen[-1].document.pageCount() == len(row.letters)


def test_problems_are_shown_never_raised(qtbot, page, ctx, messages, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    page.produce("all", True, str(blocker))
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=WAIT)
    assert messages.shown[-1][0] == "error" and "is a file" in messages.shown[-1][1]
    page._failed(CancelledError("Cancelled"))
    assert page.status.text() == "Cancelled: nothing was written or recorded."
    update_row(ctx.workspace, m.AllianceProfile, 1, contact_name="")
    page.preview_all()
    assert "Fill in the alliance profile first" in messages.shown[-1][1]
    assert statuses(page) == ["Not produced"] * page.table.model.rowCount()


def test_wording_editor_refuses_an_unknown_placeholder_then_saves(qtbot, page, ctx):
    def drive(dialog):
        tab = dialog.tabs["trainee"]
        tab.body.setPlainText("Hello {trainee_first_name}, see you {meeting_day}.")
        dialog.try_accept()
        assert dialog.result() == 0 and "unknown placeholder {meeting_day}" in tab.problems.text()
        assert tab.body.styleSheet() != ""
        tab.body.setPlainText("Hello {trainee_first_name}.\n\n")
        tab.body.moveCursor(tab.body.textCursor().MoveOperation.End)
        tab.insert("{placements_table}")
        dialog.try_accept()

    page.ctx.interaction.dialog = Dialogs(drive)
    page.edit_wording()
    saved = ctx.workspace.letters.wording.template("trainee")
    assert saved.customised and saved.body == "Hello {trainee_first_name}.\n\n{placements_table}"
    assert not ctx.workspace.letters.wording.template("school").customised

    def reset(dialog):
        dialog.tabs["trainee"].reset_button.click()
        dialog.try_accept()

    page.ctx.interaction.dialog = Dialogs(reset)
    page.edit_wording()
    assert not ctx.workspace.letters.wording.template("trainee").customised


def _image_file(tmp_path, kind: str):
    path = tmp_path / f"logo.{kind.lower()}"
    data = io.BytesIO()
    Image.new("RGB", (300, 100), (31, 58, 95)).save(data, kind)
    path.write_bytes(data.getvalue())
    return path


def test_alliance_profile_with_a_checked_logo(qtbot, page, ctx, tmp_path):
    gif, png = _image_file(tmp_path, "GIF"), _image_file(tmp_path, "PNG")

    def drive(dialog):
        assert not dialog.choose_logo(str(gif))
        assert "is a GIF image; use a PNG or JPEG file" in dialog.problems.text()
        assert dialog.logo is None
        assert dialog.choose_logo(str(png))
        assert dialog.logo_preview.pixmap() is not None and not dialog.logo_preview.pixmap().isNull()
        dialog.set_values({"name": "Oak & Ash Alliance", "contact_email": "not an email"})
        dialog.try_accept()
        assert dialog.result() == 0 and "Contact email: is not an email" in dialog.problems.text()
        assert dialog.widgets["contact_email"].styleSheet()
        dialog.set_values({"contact_email": "itt@oak-ash.example"})
        dialog.try_accept()

    page.ctx.interaction.dialog = Dialogs(drive)
    page.edit_profile()
    profile = ctx.workspace.alliance.profile()
    assert profile.name == "Oak & Ash Alliance" and profile.logo == png.read_bytes()
    assert profile.logo_filename == "logo.png" and profile.contact_email == "itt@oak-ash.example"


def test_wording_preview_shows_unsaved_wording_without_print_or_save(qtbot, page, ctx):
    previews = []

    def drive(dialog):
        tab = dialog.tabs["school"]
        tab.subject.setText("Trainees with you in {block_name} ({trainee_count_words})")
        page.ctx.interaction.dialog = Dialogs()
        assert dialog.preview(tab)
        previews.extend(page.ctx.interaction.dialog.seen)
        tab.subject.setText("Oops {no_such_thing}")
        assert not dialog.preview(tab)
        assert "unknown placeholder {no_such_thing}" in tab.problems.text()

    page.ctx.interaction.dialog = Dialogs(drive)
    page.edit_wording()
    sample = previews[-1]
    assert sample.document.pageCount() == 1
    assert "Trainees with you in Autumn block A (" in pdf_text(sample.data)
    assert sample.print_button.isHidden() and sample.save_button.isHidden()
    assert not ctx.workspace.letters.wording.template("school").customised
    assert statuses(page) == ["Not produced"] * page.table.model.rowCount()


def test_printing_stops_at_the_next_page_when_cancelled(qtbot, ctx, tmp_path):
    from tsa_desktop.domain.progress import Progress
    from tsa_desktop.services.letters.producing import LetterScope
    from tsa_desktop.ui.letters.preview import print_pdf

    service = ctx.workspace.letters
    data = service.render(service.prepare(LetterScope()))

    class StopAfterFirst(Progress):
        def report(self, done, total, message=""):
            self.cancel()

    printer = new_printer("letters")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "cancelled.pdf"))
    with pytest.raises(CancelledError):
        print_pdf(data, printer, StopAfterFirst())
    printer = new_printer("letters")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "all.pdf"))
    assert print_pdf(data, printer, Progress()) == page_count(data)
    assert page_count(tmp_path / "all.pdf") == page_count(data)


def test_an_empty_file_says_so(qtbot, workspace, messages):
    from tsa_desktop.ui.core.context import AppContext

    context = AppContext(workspace, messages, interaction=ScriptedInteraction())
    widget = LettersPage(context)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.summary.text() == "This file has no academic years yet."
    widget.produce("all", False, "unused.pdf")
    assert messages.shown == [("info", "There are no letters to print here.")]
    context.tasks.wait()


def test_preview_all_reports_progress_and_can_be_cancelled(qtbot, page):
    page.to_box.setCurrentIndex(page.to_box.findData("schools"))  # letters and mentor copies
    seen = []
    page.preview_all()
    page.preview_task.progress.connect(lambda done, total, message: seen.append((done, total, message)))
    # Cancelled at once, before the worker can have read every letter (it checks at each one).
    page.preview_task.cancel()
    qtbot.waitUntil(lambda: page.status.text().startswith("Cancelled"), timeout=WAIT)
    assert page.ctx.interaction.dialog.seen == []  # no preview after a cancel
    assert all(done < total for done, total, _message in seen)  # it never reached the end
