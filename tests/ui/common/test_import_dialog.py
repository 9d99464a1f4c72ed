"""The import dialog as a user drives it: choose a file, see its rows and problems, import it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand

from tsa_desktop.ui.common.import_dialog import ImportDialog, PreviewModel, export_with_dialog

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples"


def _dialog(qtbot, ctx, kind="schools"):
    dialog = ImportDialog(ctx, kind)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _checked(qtbot, dialog, path):
    dialog.preview = None
    dialog.load(str(path))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15_000)
    return dialog.preview


def test_a_good_file_is_previewed_then_imported(qtbot, ctx, messages):
    dialog = _dialog(qtbot, ctx)
    assert not dialog.import_button.isEnabled()
    assert "cannot be undone" in dialog.intro.text() and "matched on urn" in dialog.intro.text()
    dialog.ask_for_file = lambda: str(SAMPLES / "schools.csv")
    dialog.choose_file()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15_000)
    model = dialog.preview_model
    assert model.rowCount() == 12 and model.headerData(0, _horizontal()) == "urn"
    assert model.headerData(0, _vertical()) == "2"  # the file's own row numbers
    assert model.data(model.index(0, 0)) == "990101"
    assert "Importing will add 12, update 0 and leave 0 unchanged" in dialog.summary.text()
    assert dialog.import_button.isEnabled() and not dialog.problems_view.isVisibleTo(dialog)
    before = len(ctx.workspace.schools.list())
    ctx.undo_stack.push(QUndoCommand("an edit made before the import"))
    with qtbot.waitSignal(ctx.data_changed, timeout=15_000) as changed:
        dialog.import_button.click()
    assert changed.args == ["schools"]
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15_000)
    assert len(ctx.workspace.schools.list()) == before + 12
    assert messages.shown[-1] == ("info", "Imported schools from schools.csv: 12 added, 0 updated, 0 unchanged\n"
                                          "South Farnham School (110001) is no longer the lead school: "
                                          "South Farnham School (990101) is, as the file says")
    assert ctx.undo_stack.count() == 0  # an import is not undoable; older steps could undo over it
    assert dialog.result() == ImportDialog.DialogCode.Accepted


def test_problems_are_listed_by_row_and_column_and_block_the_import(qtbot, ctx, tmp_path):
    bad = tmp_path / "schools.csv"
    bad.write_text("urn,name,phase,postcode\n123456,Good School,primary,GU9 8DY\n12345,Short Urn,primary,\n"
                   "654321,Odd Phase,infants,ZZ\n", encoding="utf-8")
    dialog = _dialog(qtbot, ctx)
    before = ctx.workspace.schools.list()
    preview = _checked(qtbot, dialog, bad)
    assert not preview.ok and not dialog.import_button.isEnabled()
    rows = [(p.row, p.field) for p in dialog.problems_model.rows()]
    assert rows == [(3, "urn"), (4, "phase"), (4, "postcode")]
    assert dialog.problems_view.isVisibleTo(dialog) and dialog.problems_label.text().startswith("3 problems")
    assert dialog.problems_model.data(dialog.problems_model.index(0, 2)).startswith("must be six digits")
    assert dialog.preview_model.rowCount() == 3  # the rows are still shown
    assert "Nothing can be imported" in dialog.summary.text()
    dialog.start_import()  # even if asked, nothing happens
    assert ctx.workspace.schools.list() == before


def test_references_unknown_to_the_database_are_problems_too(qtbot, ctx):
    dialog = _dialog(qtbot, ctx, "placements")
    preview = _checked(qtbot, dialog, SAMPLES / "placements.csv")
    assert not dialog.import_button.isEnabled()
    # The sample is for 2025/26, which the demo file does not have: every row is named.
    assert {p.row for p in preview.problems} == set(range(2, 12))
    assert {p.field for p in preview.problems} >= {"academic_year", "trainee_id"}


def test_a_file_changed_after_the_check_is_refused_with_its_problems(qtbot, ctx, messages, tmp_path):
    path = tmp_path / "providers.csv"
    path.write_text("name,kind\nNew University,university\n", encoding="utf-8")
    dialog = _dialog(qtbot, ctx, "providers")
    assert _checked(qtbot, dialog, path).ok
    path.write_text("name,kind\nNew University,college\n", encoding="utf-8")
    names = {p.name for p in ctx.workspace.providers.list()}
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.problems_model.rowCount() == 1, timeout=15_000)
    assert "Nothing was imported" in dialog.summary.text()
    assert {p.name for p in ctx.workspace.providers.list()} == names
    assert dialog.result() != ImportDialog.DialogCode.Accepted and dialog.report is None


def test_an_unreadable_file_is_a_problem_in_the_list(qtbot, ctx, tmp_path):
    dialog = _dialog(qtbot, ctx)
    preview = _checked(qtbot, dialog, tmp_path / "missing.xlsx")
    assert not preview.ok and dialog.problems_model.rowCount() == 1
    assert "no such file" in dialog.problems_model.rows()[0].message


def test_export_with_dialog_writes_and_says_so(qtbot, ctx, messages, tmp_path):
    path = tmp_path / "mentors.xlsx"
    export_with_dialog(ctx, "mentors", None, path=str(path))
    qtbot.waitUntil(lambda: bool(messages.shown) and messages.shown[-1][0] == "info", timeout=15_000)
    assert path.exists() and messages.shown[-1][1].startswith("Exported mentors to mentors.xlsx: ")
    export_with_dialog(ctx, "register-placements", None, path=str(tmp_path / "r.xlsx"))
    qtbot.waitUntil(lambda: messages.shown[-1][0] == "error", timeout=15_000)
    assert "name the file .csv" in messages.shown[-1][1]


def test_preview_model_is_a_well_behaved_model(qtmodeltester):
    model = PreviewModel()
    model.set_table(("urn", "name"), ((2, ("100001", "A School")), (4, ("100002", None))))
    qtmodeltester.check(model)
    assert model.data(model.index(1, 1)) == "" and model.headerData(1, _vertical()) == "4"


def _horizontal():
    return Qt.Orientation.Horizontal


def _vertical():
    return Qt.Orientation.Vertical
