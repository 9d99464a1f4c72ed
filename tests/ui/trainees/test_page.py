"""The trainees page as a user drives it: filters, recruiting, over-allocation, the status lifecycle."""

import csv
import datetime as dt

import pytest

from tests.ui.conftest import check_while_sorting, sign_in_as
from tests.ui.interaction import ScriptedInteraction
from tsa_desktop.domain.enums import Phase, Role, Route, Subject, TraineeStatus
from tsa_desktop.ui.core.table_model import RowTableModel
from tsa_desktop.ui.trainees.dialogs import status_dialog
from tsa_desktop.ui.trainees.models import TRAINEE_COLUMNS
from tsa_desktop.ui.trainees.page import TraineesPage

YEAR = "2026/27"


def _page(qtbot, ctx, driver):
    page = TraineesPage(ctx)
    qtbot.addWidget(page)
    page.ctx.interaction.dialog = driver
    page.show()
    return page


def _ids(page):
    return sorted(r.id for r in page.table.model.rows())


def _choose(box, value):
    index = box.findData(value)
    assert index >= 0, f"{value} is not offered"
    box.setCurrentIndex(index)


def _new(**extra):
    return {"trainee_id": "T269001", "first_names": "Jordan", "last_name": "Sample", "academic_year": YEAR,
            "route": "school_direct_tuition_fee", "phase": "secondary", "subject": "V1", **extra}


def test_lists_the_years_trainees(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    assert page.table.count.text() == "12 trainees"
    assert page.headline.text().startswith(f"{YEAR}: 12 trainees (10 enrolled, 2 deferred)")
    page.year_box.choose(None)
    assert page.table.model.rowCount() == 12 and page.headline.text().startswith("All years")


def test_model_passes_qtmodeltester(qtmodeltester, small_demo):
    model = RowTableModel(TRAINEE_COLUMNS)
    model.set_rows(small_demo.trainees.list(YEAR))
    check_while_sorting(qtmodeltester, model)
    model.set_filter(lambda r: r.status is TraineeStatus.ENROLLED)
    qtmodeltester.check(model)
    enrolled = model.rowCount()
    assert 0 < enrolled < len(model.all_rows())
    check_while_sorting(qtmodeltester, model)
    # An edit the page reloads after: a trainee defers and leaves the filtered rows.
    trainee = model.row(0)
    small_demo.trainees.change_status(trainee.id, {"status": "deferred", "changed_on": "2026-12-01"})
    model.set_rows(small_demo.trainees.list(YEAR))
    qtmodeltester.check(model)
    assert model.rowCount() == enrolled - 1 and model.find(lambda r: r.id == trainee.id) == -1
    model.set_filter(None)
    check_while_sorting(qtmodeltester, model)


def test_filters_by_route_phase_subject_status(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    _choose(page.route_filter, Route.SCHOOL_DIRECT_SALARIED)
    assert {r.route for r in page.table.model.rows()} == {Route.SCHOOL_DIRECT_SALARIED}
    assert page.table.count.text() == "4 of 12 trainees"
    _choose(page.phase_filter, Phase.SECONDARY)
    assert page.table.model.rowCount() == 3
    _choose(page.status_filter, TraineeStatus.DEFERRED)
    assert [r.subject for r in page.table.model.rows()] == [Subject.COMPUTING]
    _choose(page.status_filter, None)
    _choose(page.subject_filter, Subject.BIOLOGY)
    assert [r.trainee_id for r in page.table.model.rows()] == ["T260009"]


def test_school_filter_finds_employed_and_placed_trainees(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    belleville = next(s for s in ctx.workspace.schools.list() if s.name == "Belleville Primary School")
    _choose(page.school_filter, belleville.id)
    rows = page.table.model.rows()
    assert sorted(r.trainee_id for r in rows) == ["T260001", "T260004"]
    # One of them is employed elsewhere and only placed at Belleville.
    assert {r.employing_school for r in rows} == {"", "South Farnham School"}
    assert all(belleville.id in {p.school_id for p in r.placements} for r in rows)


def test_add_trainee_chooses_the_one_matching_allocation_and_undo(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    driver.fill = _new()
    page.add_trainee()
    assert driver.stayed_open is False
    dialog = driver.dialogs[-1]
    assert dialog.allocation_box.currentText().startswith("Chosen automatically: South Farnham School")
    added = next(r for r in ctx.workspace.trainees.list(YEAR) if r.trainee_id == "T269001")
    assert added.status is TraineeStatus.OFFERED and added.subject is Subject.HISTORY
    assert "T269001" in [r.trainee_id for r in page.table.model.rows()]
    ctx.undo_stack.undo()
    assert "T269001" not in [r.trainee_id for r in ctx.workspace.trainees.list(YEAR)]


def test_no_matching_allocation_is_explained_in_the_dialog(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    driver.fill = _new(subject="F8")
    page.add_trainee()
    dialog = driver.dialogs[-1]
    assert driver.stayed_open
    assert dialog.allocation_box.currentText().startswith("No allocation matches")
    assert "no 2026/27 allocation for School Direct (fee-funded), Secondary, Geography" in dialog.problems.text()
    assert dialog.widgets["allocation_id"].styleSheet()
    assert len(ctx.workspace.trainees.list()) == 12 and ctx.undo_stack.count() == 0


def test_salaried_trainee_without_employer_marks_the_field(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    driver.fill = _new(route="school_direct_salaried", subject="C1")
    page.add_trainee()
    dialog = driver.dialogs[-1]
    assert driver.stayed_open and "Employing school: is required" in dialog.problems.text()
    assert dialog.widgets["employing_school_id"].styleSheet()


def test_over_allocation_asks_for_a_reason_and_keeps_it(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    asked = []
    page.ctx.interaction.answers["get_text"] = lambda _title, question: (asked.append(question)
                                                                        or "Provider agreed one more physics place")
    driver.fill = _new(subject="F3")
    page.add_trainee()
    assert driver.stayed_open is False
    assert "Physics" in asked[0] and "has 1 place," in asked[0]
    added = next(r for r in ctx.workspace.trainees.list(YEAR) if r.trainee_id == "T269001")
    assert added.over_allocation_reason == "Provider agreed one more physics place"
    physics = ctx.workspace.allocations.get(added.allocation_id)
    assert (physics.places, physics.recruited) == (1, 2)


def test_over_allocation_refused_when_no_reason_is_given(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    page.ctx.interaction.answers["get_text"] = None
    driver.fill = _new(subject="F3")
    page.add_trainee()
    assert driver.stayed_open
    assert "recruiting past its places needs a reason" in driver.dialogs[-1].problems.text()
    assert len(ctx.workspace.trainees.list()) == 12


def test_several_matching_allocations_are_offered_to_pick(qtbot, ctx, driver):
    ctx.workspace.allocations.create({"academic_year": YEAR, "route": "school_direct_tuition_fee",
                                      "phase": "secondary", "subject": "V1", "lead_school_id": 5, "places": 2})
    page = _page(qtbot, ctx, driver)
    driver.fill = _new()
    page.add_trainee()
    dialog = driver.dialogs[-1]
    assert driver.stayed_open and "2 allocations are for" in dialog.problems.text()
    assert dialog.allocation_box.count() == 3
    wildern = dialog.allocation_box.findText("Wildern School: 0 of 2 places filled")
    assert wildern > 0
    dialog.allocation_box.setCurrentIndex(wildern)
    dialog.try_accept()
    assert dialog.result()
    added = next(r for r in ctx.workspace.trainees.list(YEAR) if r.trainee_id == "T269001")
    assert added.allocation_lead_school == "Wildern School"


def test_edit_trainee_and_undo(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    target = next(r for r in page.table.model.rows() if r.trainee_id == "T260011")
    page.table.select(lambda r: r.id == target.id)
    driver.fill = {"last_name": "Renamed", "email": "renamed@trainee.example"}
    page.edit_trainee()
    assert ctx.workspace.trainees.get(target.id).last_name == "Renamed"
    ctx.undo_stack.undo()
    assert ctx.workspace.trainees.get(target.id).last_name == target.last_name


def test_status_change_offers_only_allowed_statuses_records_the_date_and_undoes(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    target = next(r for r in page.table.model.rows() if r.status is TraineeStatus.ENROLLED)
    page.table.select(lambda r: r.id == target.id)
    driver.fill = {"status": "withdrawn", "changed_on": "14/11/2026", "note": "Moved away"}
    page.change_status()
    dialog = driver.dialogs[-1]
    offered = [dialog.widgets["status"].itemData(i) for i in range(dialog.widgets["status"].count())]
    assert offered == ["deferred", "withdrawn", "qts_awarded"]
    fresh = status_dialog(target, lambda values: True)
    qtbot.addWidget(fresh)
    assert fresh.values()["status"] == "qts_awarded"  # enrolled: on to QTS, not Deferred
    row = ctx.workspace.trainees.get(target.id)
    assert row.status is TraineeStatus.WITHDRAWN and row.status_since == dt.date(2026, 11, 14)
    assert "Withdrawn 14/11/2026 (Moved away)" in page.detail.text()
    ctx.undo_stack.undo()
    assert ctx.workspace.trainees.get(target.id).status is TraineeStatus.ENROLLED
    ctx.undo_stack.redo()
    assert ctx.workspace.trainees.get(target.id).status is TraineeStatus.WITHDRAWN


def test_status_date_before_the_last_change_is_refused(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    target = page.table.model.row(0)
    page.table.select(lambda r: r.id == target.id)
    driver.fill = {"status": "withdrawn", "changed_on": "01/08/2026"}
    page.change_status()
    text = driver.dialogs[-1].problems.text()
    assert driver.stayed_open and "Date of the change: must be on or after 01/09/2026" in text
    assert ctx.workspace.trainees.get(target.id).status is target.status


def _two_confirmed_placements(ctx, target):
    """Register trainee teachers' rule before QTS: at least two placements (here, confirmed)."""
    from tsa_desktop.domain.enums import PlacementStatus
    from tsa_desktop.services.rotations.edits import CellEdit

    ws = ctx.workspace
    grid = ws.rotations.grid(target.academic_year)
    schools = list(grid.schools)
    for block, school in zip(grid.blocks[:2], schools[:2]):
        ws.rotations.save_cell(target.id, block.id, CellEdit(school, status=PlacementStatus.CONFIRMED),
                               grid.cell(target.id, block.id))


def test_final_status_is_explained(qtbot, ctx, driver, messages):
    page = _page(qtbot, ctx, driver)
    target = next(r for r in page.table.model.rows() if r.status is TraineeStatus.ENROLLED)
    _two_confirmed_placements(ctx, target)
    ctx.workspace.trainees.change_status(target.id, {"status": "qts_awarded", "changed_on": "2027-07-10"})
    page.reload()
    page.table.select(lambda r: r.id == target.id)
    page.change_status()
    assert driver.dialogs == [] and messages.shown[-1] == ("info", f"{target.name} is QTS awarded: that status "
                                                                   "is final and cannot change.")


def test_delete_refused_with_placements_and_undo_restores_history(qtbot, ctx, driver, messages):
    page = _page(qtbot, ctx, driver)
    placed = next(r for r in page.table.model.rows() if r.placements)
    page.table.select(lambda r: r.id == placed.id)
    page.delete_trainee()
    assert messages.shown[-1][0] == "error" and "placement" in messages.shown[-1][1]
    free = next(r for r in page.table.model.rows() if not r.placements)
    page.table.select(lambda r: r.id == free.id)
    page.delete_trainee()
    assert free.trainee_id not in [r.trainee_id for r in page.table.model.rows()]
    ctx.undo_stack.undo()
    back = next(r for r in ctx.workspace.trainees.list(YEAR) if r.trainee_id == free.trainee_id)
    assert back.status is free.status and [h.status for h in ctx.workspace.trainees.history(back.id)] == [free.status]


@pytest.mark.slow
def test_a_thousand_trainees_load_and_filter(qtbot, db_path, messages, driver):
    """The "large" demo (1,000 trainees) loads and filters; its timings are benchmarks' work."""
    from tsa_desktop.services.demo.builder import DemoService
    from tsa_desktop.services.opening import open_workspace
    from tsa_desktop.ui.core.context import AppContext

    ws = open_workspace(db_path)
    DemoService(ws.db).create("large", seed=1, year=YEAR)
    context = AppContext(ws, messages, interaction=ScriptedInteraction())
    try:
        page = _page(qtbot, context, driver)
        assert page.table.model.rowCount() == 1000
        _choose(page.phase_filter, Phase.SECONDARY)
        _choose(page.status_filter, TraineeStatus.ENROLLED)
        page.table.search.setText("academy")
        shown = page.table.model.rows()
        assert 0 < len(shown) < 1000
        assert all(r.phase is Phase.SECONDARY and r.status is TraineeStatus.ENROLLED for r in shown)
    finally:
        context.tasks.wait()
        ws.close()


def test_export_is_of_the_year_shown(qtbot, ctx, driver, messages, tmp_path):
    page = _page(qtbot, ctx, driver)
    assert page.transfer.export_button.isVisible()
    year_file, all_file = tmp_path / "trainees.csv", tmp_path / "all.csv"
    page.transfer.export_file(str(year_file))
    qtbot.waitUntil(lambda: len(messages.shown) == 1, timeout=15_000)
    page.year_box.choose(None)
    page.transfer.export_file(str(all_file))
    qtbot.waitUntil(lambda: len(messages.shown) == 2, timeout=15_000)
    assert [kind for kind, _text in messages.shown] == ["info", "info"]
    with open(year_file, newline="", encoding="utf-8-sig") as f:
        year_rows = list(csv.DictReader(f))
    with open(all_file, newline="", encoding="utf-8-sig") as f:
        all_rows = list(csv.DictReader(f))
    assert {r["academic_year"] for r in year_rows} == {YEAR}
    assert len(all_rows) == len(ctx.workspace.trainees.list(None)) >= len(year_rows) > 0


def test_export_for_register_writes_the_bulk_placement_csv(qtbot, ctx, driver, messages, tmp_path):
    page = _page(qtbot, ctx, driver)
    assert page.register_button.isVisible()
    target = tmp_path / "register.csv"
    page.ctx.interaction.answers["save_file"] = lambda *_: str(target)
    page.register_button.click()
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=15_000)
    assert messages.shown[-1][0] == "info", messages.shown[-1][1]
    with open(target, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header, *rows = list(reader)
    assert header == ["TRN", "Trainee ITT start date", "Placement 1 URN", "Placement 2 URN",
                      "Placement 3 URN", "Placement 4 URN", "Placement 5 URN"]
    urns = {s.urn for s in ctx.workspace.schools.list()}
    assert rows and all(len(r) == 7 and r[2] in urns for r in rows)


def test_import_and_export_hidden_from_a_user_without_the_permission(qtbot, ctx, driver):
    """A mentor signed in sees their own trainees, and may neither import nor export."""
    mentor = next(r for r in ctx.workspace.mentors.list() if r.email)
    permissions = sign_in_as(ctx.workspace, Role.MENTOR, mentor_email=mentor.email)
    assert not permissions.can("import") and not permissions.can("export")
    page = _page(qtbot, ctx, driver)
    assert page.transfer.import_button.isHidden() and page.transfer.export_button.isHidden()
    assert page.register_button.isHidden()
