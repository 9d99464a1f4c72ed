"""The schools page as a user drives it: add, edit, a bad URN rejected, a delete refused, undo."""

from dataclasses import asdict
from pathlib import Path

from tsa_desktop.ui.schools.page import SchoolsPage

from tests.ui.conftest import import_through

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples"


def _page(qtbot, ctx, driver):
    page = SchoolsPage(ctx)
    qtbot.addWidget(page)
    page.run_dialog = driver
    page.show()
    return page


def _names(page):
    return [r.name for r in page.schools.model.rows()]


def test_shows_the_schools_sorted_by_name(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    assert _names(page) == sorted(_names(page), key=str.casefold)
    assert page.schools.count.text() == "6 schools"


def test_add_school_then_undo_and_redo(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    driver.fill = {"urn": "123456", "name": "Aaron Hill Primary", "phase": "primary", "postcode": "gu9 8ql"}
    page.add_school()
    assert driver.stayed_open is False
    added = ctx.workspace.schools.by_urn("123456")
    assert added is not None and added.postcode == "GU9 8QL"
    assert "Aaron Hill Primary" in _names(page)
    ctx.undo_stack.undo()
    assert ctx.workspace.schools.by_urn("123456") is None and "Aaron Hill Primary" not in _names(page)
    ctx.undo_stack.redo()
    assert ctx.workspace.schools.by_urn("123456") is not None


def test_bad_urn_rejected_in_the_dialog_and_nothing_saved(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    before = ctx.workspace.schools.list()
    driver.fill = {"urn": "12345", "name": "Short URN School", "phase": "primary"}
    page.add_school()
    dialog = driver.dialogs[-1]
    assert driver.stayed_open is True
    assert "urn: must be six digits" in dialog.problems.text()
    assert dialog.widgets["urn"].styleSheet() != ""
    assert ctx.workspace.schools.list() == before
    assert ctx.undo_stack.count() == 0


def test_duplicate_urn_shown_in_the_dialog(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    existing = ctx.workspace.schools.list()[0]
    driver.fill = {"urn": existing.urn, "name": "Copycat School", "phase": "primary"}
    page.add_school()
    assert driver.stayed_open and "already used by" in driver.dialogs[-1].problems.text()


def test_edit_school_and_undo(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    target = page.schools.model.row(0)
    assert page.schools.select(lambda r: r.id == target.id)
    driver.fill = {**asdict(target), "name": "Renamed School", "phase": target.phase.code}
    page.edit_school()
    assert ctx.workspace.schools.get(target.id).name == "Renamed School"
    ctx.undo_stack.undo()
    assert ctx.workspace.schools.get(target.id).name == target.name


def test_delete_refused_with_the_reason(qtbot, ctx, driver, messages):
    page = _page(qtbot, ctx, driver)
    busy = next(r for r in page.schools.model.rows() if r.mentor_count)
    page.schools.select(lambda r: r.id == busy.id)
    page.delete_school()
    kind, text = messages.shown[-1]
    assert kind == "error" and busy.name in text and "mentors" in text
    assert ctx.workspace.schools.get(busy.id).name == busy.name
    assert ctx.undo_stack.count() == 0


def test_delete_unused_school_and_undo_brings_it_back(qtbot, ctx, driver):
    lonely = ctx.workspace.schools.create({"urn": "654321", "name": "Lonely School", "phase": "primary"})
    page = _page(qtbot, ctx, driver)
    page.reload()
    page.schools.select(lambda r: r.id == lonely.id)
    page.delete_school()
    assert ctx.workspace.schools.by_urn("654321") is None
    ctx.undo_stack.undo()
    assert ctx.workspace.schools.by_urn("654321").name == "Lonely School"


def test_filter_by_phase_and_search(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    page.phase_filter.setCurrentIndex(page.phase_filter.findText("Primary"))
    assert all(r.phase.code == "primary" for r in page.schools.model.rows())
    assert page.schools.count.text() == "3 of 6 schools"
    page.schools.search.setText("wroxham")
    assert _names(page) == ["The Wroxham School"]


def test_providers_tab_add(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    driver.fill = {"name": "University of Sussex", "kind": "university", "code": "S90"}
    page.add_provider()
    assert "University of Sussex" in [p.name for p in page.providers.model.rows()]


# --- files ------------------------------------------------------------------------------------------


def test_a_gias_extract_imports_as_schools_through_the_page(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    assert not page.school_files.import_button.isHidden() and not page.provider_files.import_button.isHidden()
    before = len(_names(page))
    dialog = import_through(qtbot, page.school_files, SAMPLES / "gias_extract_windows1252.csv")
    assert dialog.report.added == 9  # ten rows; one has no phase of education and is skipped, with why
    assert any("Hazelwood House School" in line and "no phase" in line for line in dialog.report.details())
    assert len(_names(page)) == before + 9  # the page reloaded
    assert "Hazelwood House School" not in _names(page)
    assert "St Mary\u2019s Catholic Infant School" in _names(page)  # a Windows-1252 apostrophe, read right
    again = import_through(qtbot, page.school_files, SAMPLES / "gias_extract_windows1252.csv")
    assert (again.report.added, again.report.updated) == (0, 0)


def test_providers_exported_and_imported_from_their_tab(qtbot, ctx, driver, messages, tmp_path):
    page = _page(qtbot, ctx, driver)
    page.tabs.setCurrentWidget(page.providers)
    dialog = import_through(qtbot, page.provider_files, SAMPLES / "providers.csv")
    names = {r.name for r in page.providers.model.rows()}
    assert "Kingston University" in names and dialog.report.added >= 1
    out = tmp_path / "providers.xlsx"
    page.provider_files.ask_save_path = lambda: str(out)
    page.provider_files.export_button.click()
    qtbot.waitUntil(lambda: bool(messages.shown) and messages.shown[-1][1].startswith("Exported"),
                    timeout=15_000)
    from openpyxl import load_workbook

    sheet = load_workbook(out, read_only=True).active
    exported = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported == names
