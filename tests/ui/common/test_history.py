"""The audit trail in the window: a record's History… and the Audit trail page."""

from dataclasses import replace

from PySide6.QtCore import Qt

from tests.ui.conftest import check_while_sorting, sign_in_as
from tsa_desktop.ui.core.changes import Area
from tsa_desktop.domain.enums import Role
from tsa_desktop.ui.common.history import CHANGE_COLUMNS, HISTORY_COLUMNS, HistoryDialog, HistoryView
from tsa_desktop.ui.core.table_model import RowTableModel
from tsa_desktop.ui.shell.pages import PAGES
from tsa_desktop.ui.audit.page import AuditPage
from tsa_desktop.ui.schools.page import SchoolsPage
from tsa_desktop.ui.trainees.page import TraineesPage


def _schools_page(qtbot, ctx, driver):
    page = SchoolsPage(ctx)
    qtbot.addWidget(page)
    page.ctx.interaction.dialog = driver
    page.show()
    return page


def _audit_page(qtbot, ctx):
    page = AuditPage(ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def _cells(model, row):
    return [model.index(row, c).data() for c in range(model.columnCount())]


def _rename_school(ctx, name):
    school = ctx.workspace.schools.list()[0]
    ctx.workspace.schools.update(school.id, replace(school.data(), name=name), school.version)
    return school


def test_history_of_an_edited_school_shows_who_when_before_and_after(qtbot, ctx, driver):
    page = _schools_page(qtbot, ctx, driver)
    school = page.schools.model.row(0)
    driver.fill = {"name": "Renamed Primary", "postcode": "gu1 1aa"}
    page.schools.select(lambda r: r.id == school.id)
    page.edit_school()
    assert driver.stayed_open is False

    page.schools.select(lambda r: r.id == school.id)
    assert page.schools.history_button.isEnabled()
    dialog = page.schools.open_history()
    assert isinstance(dialog, HistoryDialog) and dialog.isVisible()
    assert "Renamed Primary" in dialog.windowTitle()
    entry = dialog.rows()[0]
    when, who, what, summary, fields = _cells(dialog.history.model, 0)
    assert who == ctx.workspace.db.user and what == "Changed"
    assert when == entry.local_time.strftime("%d/%m/%Y %H:%M")
    assert "Name" in fields and "Postcode" in fields
    # The newest entry is selected and its values are shown before and after.
    changes = {c[0]: (c[1], c[2]) for c in (_cells(dialog.history.changes, r)
                                             for r in range(dialog.history.changes.rowCount()))}
    assert changes["Name"] == (school.name, "Renamed Primary")
    assert changes["Postcode"] == (school.postcode, "GU1 1AA")
    dialog.close()


def test_history_names_fields_by_their_labels_never_by_column_names(qtbot, ctx, driver):
    page = _schools_page(qtbot, ctx, driver)
    school = page.schools.model.row(0)
    driver.fill = {"contact_name": "Ann Other", "capacity_per_block": school.capacity_per_block + 1,
                   "is_lead_school": not school.is_lead_school}
    page.schools.select(lambda r: r.id == school.id)
    page.edit_school()
    page.schools.select(lambda r: r.id == school.id)
    dialog = page.schools.open_history()
    _when, _who, _what, summary, fields = _cells(dialog.history.model, 0)
    labels = {"Contact name", "Lead school", "Trainees per block"}
    assert set(fields.split(", ")) == labels
    shown = [_cells(dialog.history.changes, r)[0] for r in range(dialog.history.changes.rowCount())]
    assert set(shown) == labels
    assert set(dialog.rows()[0].summary.rsplit(": ", 1)[1].split(", ")) == labels
    for text in (summary, fields, *shown, dialog.history.caption.text()):
        assert "_" not in text, text
    dialog.close()


def test_history_follows_undo_while_open(qtbot, ctx, driver):
    page = _schools_page(qtbot, ctx, driver)
    school = page.schools.model.row(0)
    driver.fill = {"name": "Changed Twice"}
    page.schools.select(lambda r: r.id == school.id)
    page.edit_school()
    page.schools.select(lambda r: r.id == school.id)
    dialog = page.schools.open_history()
    assert len(dialog.rows()) == 1
    ctx.undo_stack.undo()
    assert len(dialog.rows()) == 2 and dialog.rows()[0].changes[0].after == school.name
    dialog.close()


def test_history_button_needs_a_row_and_right_click_offers_history(qtbot, ctx, driver):
    page = _schools_page(qtbot, ctx, driver)
    panel = page.schools
    panel.view.clearSelection()
    assert panel.history_button is not None and not panel.history_button.isEnabled()
    assert panel.open_history() is None

    rect = panel.view.visualRect(panel.model.index(2, 1))
    menu = panel.context_menu(rect.center())
    assert menu is not None
    assert [a.text() for a in menu.actions()] == ["History of this record…"]
    assert panel.selected() is panel.model.row(2) and panel.history_button.isEnabled()
    menu.actions()[0].trigger()
    dialog = panel.history_dialog
    assert dialog.record_id == panel.model.row(2).id and dialog.table == "schools"
    # Added with the demo in one bulk entry: the dialog says why it has no "Added" line.
    assert "many others at once" in dialog.note.text()
    dialog.close()


def test_list_pages_name_their_audit_table(qtbot, ctx):
    page = TraineesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.table.select(lambda r: True)
    dialog = page.table.open_history()
    assert dialog.table == "trainees" and dialog.record_id == page.table.selected().id
    dialog.close()


def test_no_history_button_for_a_role_without_the_permission(qtbot, ctx, driver):
    mentor = ctx.workspace.mentors.list()[0]
    assert not sign_in_as(ctx.workspace, Role.MENTOR, mentor_email=mentor.email).can("view_history")
    page = _schools_page(qtbot, ctx, driver)
    assert page.schools.history_button is None
    assert page.schools.context_menu(page.schools.view.visualRect(page.schools.model.index(0, 0)).center()) is None


def test_markup_in_a_value_stays_literal(qtbot, ctx):
    school = _rename_school(ctx, "<b>Bold</b> & <i>Co</i>")
    dialog = HistoryDialog(ctx, "schools", school.id, "<b>Bold</b> & <i>Co</i>")
    qtbot.addWidget(dialog)
    assert dialog.heading.textFormat() == Qt.TextFormat.PlainText
    assert dialog.heading.text() == "History of school <b>Bold</b> & <i>Co</i>"
    after = dialog.history.changes.index(0, 2)
    assert after.data() == "<b>Bold</b> & <i>Co</i>"
    # Qt renders a tooltip that looks like HTML: the value is escaped so that it shows as typed.
    tip = after.data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;i&gt;Co&lt;/i&gt;" in tip and "<b>Bold" not in tip
    assert dialog.history.caption.textFormat() == Qt.TextFormat.PlainText
    assert "<b>Bold</b>" in dialog.history.caption.text()


def test_long_values_are_cut_in_the_cell_and_whole_in_the_tooltip(qtbot, ctx):
    long_name = "Saint " * 40 + "Primary"
    school = _rename_school(ctx, long_name)
    dialog = HistoryDialog(ctx, "schools", school.id, "school")
    qtbot.addWidget(dialog)
    cell = dialog.history.changes.index(0, 2)
    assert cell.data().endswith("…") and len(cell.data()) < len(long_name)
    assert long_name in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_a_deleted_record_still_has_its_history_on_the_audit_page(qtbot, ctx):
    service = ctx.workspace.schools
    template = service.list()[0].data()
    added = service.create(replace(template, urn="999001", name="Short Lived School"))
    service.delete(added.id)
    page = _audit_page(qtbot, ctx)
    newest = page.entries.model.row(0)
    assert (newest.table, newest.record_id, newest.action) == ("schools", added.id, "delete")
    assert page.history_button.isEnabled()
    dialog = page.open_history()
    assert [r.action for r in dialog.rows()] == ["delete", "insert"]
    assert "Short Lived School" in dialog.windowTitle()
    dialog.close()


def test_audit_page_search_and_kind_filter(qtbot, ctx):
    _rename_school(ctx, "Zebracrossing Academy")
    page = _audit_page(qtbot, ctx)
    everything = page.entries.model.rowCount()
    page.search.setText("zebracrossing")
    qtbot.waitUntil(lambda: page.entries.model.rowCount() == 1)
    assert "Zebracrossing Academy" in page.entries.model.row(0).summary
    assert page.note.text() == "1 entry found."
    page.search.clear()
    page.kind.setCurrentIndex(page.kind.findData("trainees"))
    rows = page.entries.model.rows()
    assert 0 < len(rows) < everything
    assert {r.table for r in rows} <= {"trainees", "trainee_status_changes", "placements"}


def test_audit_page_reloads_when_data_changes_and_caps_the_list(qtbot, ctx, monkeypatch):
    page = _audit_page(qtbot, ctx)
    before = page.entries.model.rowCount()
    _rename_school(ctx, "Fresh Name School")
    ctx.notify(Area.SCHOOLS)
    assert page.entries.model.rowCount() == before + 1

    monkeypatch.setattr("tsa_desktop.ui.audit.page.LIMIT", 5)
    page.reload()
    assert page.entries.model.rowCount() == 5
    assert page.note.text().startswith("The newest 5 of ")


def test_audit_page_offered_only_with_the_permission(qtbot, ctx):
    spec = next(s for s in PAGES if s.key == "audit")
    assert PAGES[-1] is spec and spec.allowed(ctx.workspace)
    sign_in_as(ctx.workspace, Role.OFFICE)
    assert not spec.allowed(ctx.workspace)
    page = _audit_page(qtbot, ctx)
    assert page.denied.isVisible() and not page.body.isVisible()
    assert page.entries.model.rowCount() == 0 and not ctx.messages.shown


def test_history_models_pass_the_model_tester(qtbot, ctx, qtmodeltester):
    _rename_school(ctx, "Tested School")
    view = HistoryView(HISTORY_COLUMNS)
    qtbot.addWidget(view)
    view.set_rows(ctx.workspace.audit.recent(50))
    check_while_sorting(qtmodeltester, view.model)
    qtmodeltester.check(view.changes)
    view.view.selectRow(view.model.rowCount() - 1)  # another entry: its changes replace the others
    qtmodeltester.check(view.changes)
    _rename_school(ctx, "Tested Again")  # an edit, then the trail read again with the selection kept
    view.set_rows(ctx.workspace.audit.recent(50))
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.changes)
    model = RowTableModel(CHANGE_COLUMNS)
    model.set_rows(ctx.workspace.audit.recent(1)[0].changes)
    qtmodeltester.check(model)


def test_the_mentor_and_induction_tabs_offer_history_too(qtbot, ctx):
    from tsa_desktop.ui.induction.page import InductionPage
    from tsa_desktop.ui.mentors.page import MentorsPage

    mentors = MentorsPage(ctx)
    induction = InductionPage(ctx)
    for page in (mentors, induction):
        qtbot.addWidget(page)
        page.show()
    mentors.tabs.setCurrentWidget(mentors.training)
    induction.tabs.setCurrentWidget(induction.assessments)
    panels = {"training": (mentors.training.panel, "mentors", lambda r: r.mentor.id),
              "assessments": (induction.assessments.panel, "nqts", lambda r: r.nqt_id)}
    for name, (panel, table, record_id) in panels.items():
        assert panel.history_button is not None, name
        if not panel.select(lambda r: True):
            continue  # nobody listed in this demo's tab
        dialog = panel.open_history()
        assert (dialog.table, dialog.record_id) == (table, record_id(panel.selected())), name
        dialog.close()
    assert mentors.qa.visits.history_button is not None and induction.programme.sessions.history_button is not None
