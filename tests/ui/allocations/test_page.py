"""The allocations page as a user drives it, and the fill chart it shows."""

import csv
from dataclasses import replace

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor

from tsa_desktop.domain.allocations import Fill, FillTotal, totals_by_subject
from tsa_desktop.ui.allocations.models import ALLOCATION_COLUMNS
from tsa_desktop.ui.core.table_model import RowTableModel
from tsa_desktop.ui.allocations.page import AllocationsPage
from tsa_desktop.ui.allocations.fill_chart import FULL, OVER, RECRUITED, UNFILLED, FillChart

from tests.ui.conftest import check_while_sorting, import_through

YEAR = "2026/27"


def _page(qtbot, ctx, driver):
    page = AllocationsPage(ctx)
    qtbot.addWidget(page)
    page.ctx.interaction.dialog = driver
    page.resize(1200, 760)
    page.show()
    return page


def _new(**extra):
    return {"academic_year": YEAR, "route": "scitt", "phase": "secondary", "subject": "V1",
            "lead_school_id": 1, "provider_id": 4, "places": 3, **extra}


def test_shows_the_years_allocations_with_totals_and_chart(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    rows = ctx.workspace.allocations.list(YEAR)
    assert page.table.model.rowCount() == len(rows) == 11
    places, recruited = sum(r.places for r in rows), sum(r.recruited for r in rows)
    assert page.headline.text().startswith(f"{YEAR}: {recruited} recruited for {places} places")
    lines = page.totals.rows()
    assert [ln.heading for ln in lines if ln.heading] == ["By route", "By phase", "Year"]
    assert lines[-1].total.fill.places == places
    assert page.chart.totals() == totals_by_subject(rows)


def test_model_passes_qtmodeltester(qtmodeltester, small_demo):
    model = RowTableModel(ALLOCATION_COLUMNS)
    model.set_rows(small_demo.allocations.list(YEAR))
    check_while_sorting(qtmodeltester, model)
    model.set_filter(lambda r: r.places > 1)
    qtmodeltester.check(model)
    check_while_sorting(qtmodeltester, model)
    # An edit the page reloads after: more places for one allocation, filter and sort kept.
    allocation = model.row(0)
    small_demo.allocations.update(allocation.id, replace(allocation.data(), places=allocation.places + 7),
                                  allocation.version)
    model.set_rows(small_demo.allocations.list(YEAR))
    qtmodeltester.check(model)
    assert model.row(model.find(lambda r: r.id == allocation.id)).places == allocation.places + 7
    model.set_filter(None)
    check_while_sorting(qtmodeltester, model)


def test_add_allocation_then_undo(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    driver.fill = _new()
    page.add_allocation()
    assert driver.stayed_open is False
    history = [r for r in page.table.model.rows() if r.subject.label == "History" and r.route.code == "scitt"]
    assert len(history) == 1 and history[0].places == 3 and history[0].provider == "Alliance SCITT"
    assert "History" in [t.name for t in page.chart.totals()]
    ctx.undo_stack.undo()
    assert not [r for r in ctx.workspace.allocations.list(YEAR) if r.subject.label == "History" and r.route.code == "scitt"]


def test_bad_allocation_keeps_the_dialog_open_and_saves_nothing(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    before = ctx.workspace.allocations.list()
    driver.fill = _new(phase="primary", lead_school_id=None)
    page.add_allocation()
    dialog = driver.dialogs[-1]
    assert driver.stayed_open is True
    assert "History is a secondary subject" in dialog.problems.text()
    assert "Lead school: is required" in dialog.problems.text()
    assert dialog.widgets["subject"].styleSheet() and dialog.widgets["lead_school_id"].styleSheet()
    assert ctx.workspace.allocations.list() == before and ctx.undo_stack.count() == 0


def test_cutting_places_below_recruitment_is_refused_in_the_dialog(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    full = next(r for r in page.table.model.rows() if r.recruited >= 1)
    page.table.select(lambda r: r.id == full.id)
    driver.fill = {"places": 0}
    page.edit_allocation()
    assert driver.stayed_open and "Places: 1 trainee is recruited" in driver.dialogs[-1].problems.text()
    driver.fill = {"places": full.places + 5}
    page.edit_allocation()
    assert ctx.workspace.allocations.get(full.id).places == full.places + 5
    ctx.undo_stack.undo()
    assert ctx.workspace.allocations.get(full.id).places == full.places


def test_delete_refused_while_trainees_belong_and_undo_of_a_delete(qtbot, ctx, driver, messages):
    page = _page(qtbot, ctx, driver)
    busy = next(r for r in page.table.model.rows() if r.recruited)
    page.table.select(lambda r: r.id == busy.id)
    page.delete_allocation()
    assert messages.shown[-1][0] == "error" and "cannot be deleted" in messages.shown[-1][1]
    empty = ctx.workspace.allocations.create(_new())
    page.reload()
    page.table.select(lambda r: r.id == empty.id)
    page.delete_allocation()
    assert empty.id not in [r.id for r in ctx.workspace.allocations.list()]
    ctx.undo_stack.undo()
    assert [r.places for r in ctx.workspace.allocations.list()
            if r.subject.label == "History" and r.route.code == "scitt"] == [3]


def test_year_selector_shows_another_year(qtbot, ctx, driver):
    ctx.workspace.allocations.create(_new(academic_year="2027/28", places=7))
    page = _page(qtbot, ctx, driver)
    page.reload()
    assert page.year_box.choose("2027/28")
    assert [(r.subject.label, r.places) for r in page.table.model.rows()] == [("History", 7)]
    assert page.headline.text().startswith("2027/28: 0 recruited for 7 places (0%)")


def test_export_of_the_year_then_an_edited_file_imported_through_the_dialog(qtbot, ctx, driver, messages,
                                                                          tmp_path):
    page = _page(qtbot, ctx, driver)
    assert page.transfer.import_button.isVisible() and page.transfer.export_button.isVisible()
    out = tmp_path / "allocations.csv"
    page.transfer.export_file(str(out))
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=15_000)
    assert messages.shown[-1][0] == "info" and "allocations.csv" in messages.shown[-1][1]
    with open(out, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    shown = page.table.model.rows()
    assert len(rows) == len(shown) and {r["academic_year"] for r in rows} == {YEAR}

    again = import_through(qtbot, page.transfer, out)
    assert (again.report.added, again.report.updated, again.report.unchanged) == (0, 0, len(rows))

    rows[0]["places"] = str(int(rows[0]["places"]) + 5)
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = sum(r.places for r in page.table.model.rows())
    edited = import_through(qtbot, page.transfer, out)
    assert edited.report.updated == 1
    assert sum(r.places for r in page.table.model.rows()) == before + 5  # the page reloaded


def test_a_file_with_problems_is_shown_and_imports_nothing(qtbot, ctx, driver, tmp_path):
    page = _page(qtbot, ctx, driver)
    bad = tmp_path / "allocations.csv"
    bad.write_text("academic_year,route,phase,subject,lead_school_urn,places\n"
                   f"{YEAR},school_direct_fees,secondary,G1,110001,4\n", encoding="utf-8")
    before = [(r.id, r.places) for r in page.table.model.rows()]
    dialog = import_through(qtbot, page.transfer, bad, expect_ok=False)
    problems = dialog.problems_model.rows()
    assert [(p.row, p.field) for p in problems][:1] == [(2, "route")]
    assert "school_direct_tuition_fee" in problems[0].message  # the accepted values are named
    assert [(r.id, r.places) for r in page.table.model.rows()] == before


# --- the chart --------------------------------------------------------------------------------------


def _chart(qtbot, totals):
    chart = FillChart()
    qtbot.addWidget(chart)
    chart.set_totals(totals)
    chart.resize(600, chart.sizeHint().height())
    chart.show()
    return chart


def test_bars_share_one_scale_and_show_over_recruitment_past_the_places(qtbot):
    chart = _chart(qtbot, [FillTotal("Subject", "Mathematics", Fill(20, 15)),
                           FillTotal("Subject", "Physics", Fill(10, 10)),
                           FillTotal("Subject", "Chemistry", Fill(5, 6))])
    maths, physics, chemistry = chart.bars()
    assert abs(physics.places.width() * 2 - maths.places.width()) <= 2
    assert abs(maths.filled.width() - maths.places.width() * 3 / 4) <= 2
    assert maths.over.width() == 0 and physics.filled.width() == physics.places.width()
    assert chemistry.over.left() == chemistry.places.right() + 1 and chemistry.over.width() > 0
    assert [b.caption for b in chart.bars()] == ["15 of 20 · 75%", "10 of 10 · 100%", "6 of 5 · 120% · 1 over"]
    # Labels and numbers sit beside the bars, never on them.
    assert all(b.label.right() < b.places.left() and b.text.left() > b.over.right() for b in chart.bars())


def test_the_painted_chart_has_the_colours_the_legend_names(qtbot):
    chart = _chart(qtbot, [FillTotal("Subject", "Mathematics", Fill(20, 10)),
                           FillTotal("Subject", "Physics", Fill(10, 10)),
                           FillTotal("Subject", "Chemistry", Fill(5, 6))])
    image = chart.grab().toImage()
    maths, physics, chemistry = chart.bars()

    def colour_at(rect, fraction=0.5):
        return QColor(image.pixel(rect.left() + int(rect.width() * fraction), rect.center().y()))

    assert colour_at(maths.filled) == RECRUITED
    assert colour_at(maths.places, 0.8) == UNFILLED
    assert colour_at(physics.filled) == FULL
    assert colour_at(chemistry.over) == OVER


def test_tooltip_sentence_and_empty_chart(qtbot):
    chart = _chart(qtbot, [FillTotal("Subject", "History", Fill(8, 6))])
    bar = chart.bar_at(QPoint(5, chart.bars()[0].label.center().y()))
    assert bar is not None and bar.describe() == "History: 6 recruited for 8 places (75%), 2 left"
    assert "History: 6 recruited" in chart.accessibleDescription()
    chart.set_totals([])
    assert chart.bars() == [] and chart.sizeHint().height() > 0


def test_an_empty_year_says_what_to_do(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    ctx.workspace.years.ensure("2030/31")
    page.reload()
    page.year_box.choose("2030/31")
    assert page.chart.bars() == [] and page.chart.empty_text.startswith("No allocations for 2030/31 yet")
    assert page.headline.text() == "2030/31: no allocations yet"
