"""The Early career teachers page as a user drives it, over the small demo (6 ECTs, year 2026/27)."""

import csv
import datetime as dt

import pytest
from sqlalchemy import select

from tests.ui.interaction import ScriptedInteraction
from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import AttendanceStatus, NqtStatus, Role
from tsa_desktop.domain.induction import AssessmentState
from tsa_desktop.ui.induction.models import (
    ASSESSMENT_COLUMNS,
    NQT_COLUMNS,
    OVERDUE_BACKGROUND,
)
from tsa_desktop.ui.core.table_model import RowTableModel
from tsa_desktop.ui.induction.page import InductionPage

from tests.services.induction.support import clear_induction_records
from tests.ui.conftest import USER_PASSWORD, check_while_sorting, sign_in_as
from tests.ui.conftest import import_through

AUTUMN = dt.date(2026, 11, 23)
JANUARY = dt.date(2027, 1, 11)


@pytest.fixture(autouse=True)
def _bare_cohort(request):
    """Start from the demo cohort without its dated records (see induction_support)."""
    for name in ("small_demo", "alliance_demo"):
        if name in request.fixturenames:
            clear_induction_records(request.getfixturevalue(name))


def _page(qtbot, ctx, driver, today=AUTUMN):
    page = InductionPage(ctx)
    qtbot.addWidget(page)
    page.ctx.interaction.dialog = driver
    page.today = lambda: today
    page.show()
    page.reload()
    return page


def _names(panel):
    return [r.name for r in panel.model.rows()]


def _select(panel, predicate):
    assert panel.select(predicate)


# --- the cohort and its summary ------------------------------------------------------------------------


def test_shows_the_cohort_with_its_summary_in_words_and_figures(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    assert page.cohort().year == "2026/27" and page.cohort_box.currentText() == "2026/27  (6 ECTs)"
    assert page.summary.sentence.text().startswith("Induction 2026/27: 6 early career teachers from 4 schools across")
    assert page.summary.figures["nqts"].text() == "6" and page.summary.figures["schools"].text() == "4"
    assert page.nqts.panel.count.text() == "6 early career teachers"
    scheduled = sum(r.plan.school_terms for r in page.nqts.panel.model.rows())  # a review every school term
    assert page.assessments.panel.count.text() == f"{scheduled} assessments" and scheduled > 6 * 5


def test_new_cohort(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    driver.fill = {"academic_year": "2027/28"}
    page.new_cohort()
    assert driver.stayed_open is False
    assert page.cohort().year == "2027/28" and page.nqts.panel.model.rowCount() == 0
    assert page.summary.sentence.text() == "Induction 2027/28: no early career teachers in this cohort yet."
    driver.fill = {"academic_year": "2027/28"}
    page.new_cohort()
    assert driver.stayed_open and "already an induction cohort" in driver.dialogs[-1].problems.text()


def test_an_empty_file_explains_how_a_cohort_starts(qtbot, workspace, messages, driver):
    from tsa_desktop.ui.core.context import AppContext

    page = _page(qtbot, AppContext(workspace, messages, interaction=ScriptedInteraction()), driver)
    assert page.cohort() is None and "no induction cohort yet" in page.summary.sentence.text()
    assert not page.programme.add_button.isEnabled()


# --- NQT records ---------------------------------------------------------------------------------------


def _new_nqt(ctx, **changes):
    school = ctx.workspace.schools.list()[0]
    values = {"first_names": "Nia", "last_name": "Example", "email": "nia.example@nqt.example",
              "employing_school_id": school.id, "start_date": "01/09/2026", "fte": "0.5",
              "appropriate_body": "Surrey Appropriate Body"}
    values.update(changes)
    return values


def test_add_an_nqt_then_undo_and_redo(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    driver.fill = _new_nqt(ctx)
    page.nqts.add()
    assert driver.stayed_open is False
    assert "Nia Example" in _names(page.nqts.panel) and page.summary.figures["nqts"].text() == "7"
    row = ctx.workspace.induction.by_email("nia.example@nqt.example")
    assert row.academic_year == "2026/27" and row.fte == 0.5
    ctx.undo_stack.undo()
    assert ctx.workspace.induction.by_email("nia.example@nqt.example") is None
    assert "Nia Example" not in _names(page.nqts.panel)
    ctx.undo_stack.redo()
    assert ctx.workspace.induction.by_email("nia.example@nqt.example") is not None


def test_bad_nqt_keeps_the_dialog_open_with_the_fields_marked(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    driver.fill = _new_nqt(ctx, email="not an email", terms_counted="1.25", fte="2")
    page.nqts.add()
    dialog = driver.dialogs[-1]
    assert driver.stayed_open
    text = dialog.problems.text()
    assert "Email: is not an email address" in text and "Terms counted: may have at most one decimal" in text
    assert "FTE: must be between 0.1 and 1.0" in text and "terms_counted" not in text
    assert dialog.widgets["email"].styleSheet() != "" and dialog.widgets["fte"].styleSheet() != ""
    assert ctx.workspace.induction.by_email("not an email") is None and ctx.undo_stack.count() == 0


def test_edit_an_nqt_and_undo(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    target = page.nqts.panel.model.row(0)
    _select(page.nqts.panel, lambda r: r.id == target.id)
    driver.fill = {"appropriate_body": "Hampshire Appropriate Body", "extension_terms": "1", "status": "extended"}
    page.nqts.edit()
    assert driver.stayed_open is False
    changed = ctx.workspace.induction.get(target.id)
    assert changed.status is NqtStatus.EXTENDED and changed.terms_text == "0 of 7"
    assert changed.appropriate_body == "Hampshire Appropriate Body"
    ctx.undo_stack.undo()
    assert ctx.workspace.induction.get(target.id).status is NqtStatus.IN_PROGRESS


def test_count_a_part_time_term(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    target = page.nqts.panel.model.row(0)
    ctx.workspace.induction.update(target.id, {**target.data().__dict__, "status": "in_progress", "fte": 0.6})
    page.reload()
    _select(page.nqts.panel, lambda r: r.id == target.id)
    page.nqts.count_term()
    assert ctx.workspace.induction.get(target.id).terms_counted == 0.6
    assert page.nqts.panel.selected().terms_text == "0.6 of 6"
    ctx.undo_stack.undo()
    assert ctx.workspace.induction.get(target.id).terms_counted == 0.0


def test_count_a_term_refused_when_all_are_counted(qtbot, ctx, driver, messages):
    page = _page(qtbot, ctx, driver)
    target = page.nqts.panel.model.row(0)
    ctx.workspace.induction.update(target.id, {**target.data().__dict__, "status": "in_progress",
                                               "terms_counted": 6})
    page.reload()
    _select(page.nqts.panel, lambda r: r.id == target.id)
    page.nqts.count_term()
    assert messages.shown[-1] == ("error", f"Terms counted: {target.name}: all 6 terms are already counted")
    assert ctx.undo_stack.count() == 0


def test_delete_an_nqt_and_undo_brings_back_their_records(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver, today=JANUARY)
    target = page.nqts.panel.model.row(0)
    ctx.workspace.induction.assessments.record(target.id, 1, {"completed_date": "14/12/2026",
                                                              "outcome": "on track"}, today=JANUARY)
    page.reload()
    _select(page.nqts.panel, lambda r: r.id == target.id)
    page.nqts.delete()
    assert target.name not in _names(page.nqts.panel)
    ctx.undo_stack.undo()
    back = ctx.workspace.induction.by_email(target.email)
    assert back is not None and ctx.workspace.induction.assessments.get(back.id, 1).completed_date is not None


# --- a trainee becomes an NQT ----------------------------------------------------------------------------


def _qualify_a_trainee(ws):
    with ws.db.transaction() as s:
        trainee = s.scalar(select(m.Trainee).where(m.Trainee.route == "school_direct_salaried").order_by(m.Trainee.id))
        trainee.status = "qts_awarded"
        return trainee.id, trainee.email


def test_from_trainee_says_when_nobody_is_waiting(qtbot, ctx, driver, messages):
    page = _page(qtbot, ctx, driver)
    page.nqts.from_trainee()
    assert messages.shown[-1][0] == "info" and "QTS awarded" in messages.shown[-1][1]
    assert driver.dialogs == []


def test_trainee_becomes_an_nqt_from_the_page_and_keeps_the_link_when_edited(qtbot, ctx, driver):
    trainee_id, email = _qualify_a_trainee(ctx.workspace)
    page = _page(qtbot, ctx, driver)
    driver.fill = {"trainee_id": trainee_id, "fte": "0.8"}
    page.nqts.from_trainee()
    assert driver.stayed_open is False
    row = ctx.workspace.induction.by_email(email)
    assert row.trainee_id == trainee_id and row.academic_year == "2027/28" and row.fte == 0.8
    assert page.cohort().year == "2026/27"  # the page stays on the cohort it showed
    page.choose_cohort("2027/28")
    _select(page.nqts.panel, lambda r: r.id == row.id)
    driver.fill = {"appropriate_body": "Kent Appropriate Body"}
    page.nqts.edit()
    assert ctx.workspace.induction.get(row.id).trainee_id == trainee_id
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    assert ctx.workspace.induction.by_email(email) is None
    assert [t.id for t in ctx.workspace.induction.qualified_trainees()] == [trainee_id]


# --- assessments -------------------------------------------------------------------------------------------


def test_overdue_assessments_are_highlighted_and_filtered(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver, today=JANUARY)
    panel = page.assessments.panel
    overdue = page.assessments.overdue_rows()
    started = [r for r in ctx.workspace.induction.nqts() if r.start_date < dt.date(2026, 12, 1)]
    assert len(overdue) == len(started) > 0  # the autumn review, full or part time
    assert page.summary.figures["overdue"].text() == str(len(overdue))
    assert [r.state for r in panel.model.rows()[:len(overdue)]] == [AssessmentState.OVERDUE] * len(overdue)
    shading = page.assessments.shading
    first, last = panel.model.index(0, 0), panel.model.index(panel.model.rowCount() - 1, 0)
    assert shading.colour_for(first) == OVERDUE_BACKGROUND and shading.colour_for(last) is None
    page.assessments.show_filter.setCurrentIndex(page.assessments.show_filter.findText("Overdue"))
    assert panel.model.rowCount() == len(overdue) and panel.count.text().startswith(f"{len(overdue)} of {len(panel.model.all_rows())}")


def test_record_an_assessment_clears_it_from_overdue_and_undo_brings_it_back(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver, today=JANUARY)
    late = page.assessments.overdue_rows()[0]
    _select(page.assessments.panel, lambda r: (r.nqt_id, r.term) == (late.nqt_id, late.term))
    driver.fill = {"completed_date": "15/12/2026", "outcome": "on_track", "notes": "Good progress"}
    page.assessments.record()
    assert driver.stayed_open is False
    before = len(late_rows := page.assessments.overdue_rows()) + 1
    assert late.nqt_id not in {r.nqt_id for r in late_rows}
    assert page.summary.figures["overdue"].text() == str(before - 1)
    recorded = ctx.workspace.induction.assessments.get(late.nqt_id, 1, JANUARY)
    assert recorded.state == AssessmentState.DONE and recorded.notes == "Good progress"
    ctx.undo_stack.undo()
    assert ctx.workspace.induction.assessments.get(late.nqt_id, 1, JANUARY).state == AssessmentState.OVERDUE
    ctx.undo_stack.redo()
    assert ctx.workspace.induction.assessments.get(late.nqt_id, 1, JANUARY).state == AssessmentState.DONE


def test_a_review_cannot_pass_and_the_dialog_says_so(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver, today=JANUARY)
    late = page.assessments.overdue_rows()[0]
    _select(page.assessments.panel, lambda r: (r.nqt_id, r.term) == (late.nqt_id, late.term))
    driver.fill = {"completed_date": "15/12/2027", "outcome": "on_track"}
    page.assessments.record()
    assert driver.stayed_open and "Completed: is in the future" in driver.dialogs[-1].problems.text()
    assert driver.dialogs[-1].widgets["completed_date"].styleSheet() != ""
    assert ctx.undo_stack.count() == 0


# --- programme and attendance -------------------------------------------------------------------------------


def _add_session(page, driver, day="07/10/2026", topic="Behaviour for learning"):
    driver.fill = {"session_date": day, "topic": topic, "venue": "Lead school", "leader": "ITT lead"}
    page.programme.add_session()
    assert driver.stayed_open is False
    _select(page.programme.sessions, lambda r: r.topic == topic)


def _select_marks(page, names):
    view = page.programme.marks.view
    view.clearSelection()
    for i, row in enumerate(page.programme.marks.model.rows()):
        if row.name in names:
            view.selectionModel().select(page.programme.marks.model.index(i, 0),
                                         view.selectionModel().SelectionFlag.Select
                                         | view.selectionModel().SelectionFlag.Rows)


def test_mark_attendance_and_see_the_rates(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    _add_session(page, driver)
    marks = page.programme.marks
    assert marks.model.rowCount() == 6 and not page.programme.mark_buttons[AttendanceStatus.ABSENT].isEnabled()
    absent = marks.model.row(0).name
    _select_marks(page, {absent})
    assert page.programme.mark_buttons[AttendanceStatus.ABSENT].isEnabled()
    page.programme.mark_buttons[AttendanceStatus.ABSENT].click()
    page.programme.rest_button.click()
    by_name = {r.name: r.status for r in marks.model.rows()}
    assert by_name[absent] is AttendanceStatus.ABSENT
    assert sum(s is AttendanceStatus.PRESENT for s in by_name.values()) == 5
    rates = {r.name: r.attendance.percent for r in page.programme.rates.model.rows()}
    assert rates[absent] == 0 and set(rates.values()) == {0, 100}
    assert page.programme.sessions.selected().attendance_text == "5 of 6"
    assert page.summary.figures["attendance"].text() == "83%"
    ctx.undo_stack.undo()  # "rest present"
    assert sum(r.status is not None for r in marks.model.rows()) == 1
    ctx.undo_stack.undo()
    assert all(r.status is None for r in marks.model.rows())


def test_no_marking_before_a_session_has_happened(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    _add_session(page, driver, "10/03/2027", "Subject knowledge")
    _select_marks(page, {page.programme.marks.model.row(0).name})
    assert not page.programme.mark_buttons[AttendanceStatus.PRESENT].isEnabled()
    assert not page.programme.rest_button.isEnabled()


def test_session_outside_the_year_refused_and_delete_with_undo(qtbot, ctx, driver, messages):
    page = _page(qtbot, ctx, driver)
    driver.fill = {"session_date": "07/10/2030", "topic": "Too late"}
    page.programme.add_session()
    assert driver.stayed_open and "outside the cohort's year 2026/27" in driver.dialogs[-1].problems.text()
    _add_session(page, driver)
    page.programme.delete_session()
    assert page.programme.sessions.model.rowCount() == 0
    ctx.undo_stack.undo()
    assert [r.topic for r in page.programme.sessions.model.rows()] == ["Behaviour for learning"]


# --- files -----------------------------------------------------------------------------------------------


def test_nqts_exported_edited_and_imported_through_the_dialog(qtbot, ctx, driver, messages, tmp_path):
    page = _page(qtbot, ctx, driver)
    target = tmp_path / "nqts.csv"
    page.nqts.transfer.export_file(str(target))
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=15_000)
    assert messages.shown[-1][0] == "info", messages.shown[-1][1]
    with open(target, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(_names(page.nqts.panel)) and {r["academic_year"] for r in rows} == {"2026/27"}
    rows[0]["fte"] = "0.5"
    with open(target, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    dialog = import_through(qtbot, page.nqts.transfer, target)
    assert (dialog.report.added, dialog.report.updated) == (0, 1)
    changed = [r for r in page.nqts.panel.model.rows() if r.email == rows[0]["email"]]
    assert len(changed) == 1 and float(changed[0].fte) == 0.5


def test_outcomes_export_and_a_bad_import_changes_nothing(qtbot, ctx, driver, messages, tmp_path):
    page = _page(qtbot, ctx, driver, today=JANUARY)
    target = tmp_path / "outcomes.csv"
    page.assessments.export_outcomes(str(target))
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=10_000)
    n = len(page.assessments.panel.model.all_rows())
    assert messages.shown[-1] == ("info", f"Saved {n} assessments of the 2026/27 cohort to {target}.")
    with open(target, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    rows[0]["completed"], rows[0]["outcome"] = "15/12/2026", "pass"  # a review cannot pass
    with open(target, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = ctx.workspace.induction.assessments.list(today=JANUARY)
    page.assessments.import_outcomes(str(target))
    qtbot.waitUntil(lambda: len(messages.shown) == 2, timeout=10_000)
    kind, text = messages.shown[-1]
    assert kind == "error" and "row 2, outcome: a progress review is on track or not on track" in text
    assert ctx.workspace.induction.assessments.list(today=JANUARY) == before


def test_outcomes_import_records_and_the_page_reloads(qtbot, ctx, driver, messages, tmp_path):
    page = _page(qtbot, ctx, driver, today=JANUARY)
    late = page.assessments.overdue_rows()
    target = tmp_path / "returned.csv"
    with open(target, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["email", "term", "completed", "outcome"])
        writer.writerows([[r.email, r.term, "16/12/2026", "on track"] for r in late])
    page.assessments.import_outcomes(str(target))
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=10_000)
    assert messages.shown[-1][0] == "info" and f"{len(late)} assessments changed" in messages.shown[-1][1]
    assert page.assessments.overdue_rows() == [] and page.summary.figures["overdue"].text() == "0"


# --- models ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [NQT_COLUMNS, ASSESSMENT_COLUMNS])
def test_induction_models_pass_qtmodeltester(qtmodeltester, small_demo, columns):
    model = RowTableModel(columns)
    rows = (small_demo.induction.nqts() if columns is NQT_COLUMNS
            else small_demo.induction.assessments.list(today=JANUARY))
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows) > 1
    check_while_sorting(qtmodeltester, model)
    half = {id(r) for r in rows[::2]}
    model.set_filter(lambda r: id(r) in half)
    qtmodeltester.check(model)
    assert model.rowCount() == len(half)
    check_while_sorting(qtmodeltester, model)
    model.set_rows(rows[1:])  # after an edit the page reads the rows again: one has gone
    qtmodeltester.check(model)
    assert model.rowCount() == len(half) - 1
    model.set_filter(None)
    model.set_rows(rows)
    check_while_sorting(qtmodeltester, model)
    assert model.rowCount() == len(rows)


def test_a_user_who_may_not_edit_is_not_offered_changes(qtbot, small_demo, messages, driver):
    """Office staff with the file open read-only (somebody else is editing it): they may look and
    export, but neither change records nor import."""
    from tsa_desktop.services.opening import open_workspace
    from tsa_desktop.ui.core.context import AppContext

    sign_in_as(small_demo, Role.OFFICE, name="Olive Office")
    looking = open_workspace(small_demo.db.path, read_only=True, user="Olive Office", password=USER_PASSWORD)
    try:
        assert looking.read_only and looking.permissions.role is Role.OFFICE
        assert looking.permissions.can("export") and not looking.permissions.can("import")
        ctx = AppContext(looking, messages, interaction=ScriptedInteraction())
        try:
            _office_looks_without_changing(qtbot, ctx, driver)
        finally:
            ctx.tasks.wait()
    finally:
        looking.close()


def _office_looks_without_changing(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    hidden = (page.nqts.add_button, page.nqts.edit_button, page.nqts.delete_button, page.nqts.import_button,
              page.assessments.record_button, page.assessments.import_button, page.programme.add_button,
              page.programme.rest_button, page.new_cohort_button)
    assert all(b.isHidden() for b in hidden)  # isHidden: tabs not shown hide every widget they hold
    assert not page.nqts.export_button.isHidden() and not page.assessments.export_button.isHidden()
    page.nqts.panel.activated.emit(page.nqts.panel.model.row(0))
    assert driver.dialogs == []


# --- today's rules: the schedule, the half-term, the words ---------------------------------------------


def test_the_page_speaks_of_early_career_teachers_and_marks_old_records_nqt(qtbot, ctx, driver):
    from tsa_desktop.ui.shell.pages import PAGES

    assert next(p.title for p in PAGES if p.key == "induction") == "Early career teachers"
    page = _page(qtbot, ctx, driver)
    assert page.title == "Early career teachers" and page.tabs.tabText(0) == "ECTs"
    target = page.nqts.panel.model.row(0)
    ctx.workspace.induction.update(target.id, {**target.data().__dict__, "status": "in_progress",
                                               "academic_year": "2020/21", "start_date": "01/09/2020"})
    page.reload()
    kinds = {r.kind_label for r in ctx.workspace.induction.nqts(page.cohort_id(), AUTUMN)}
    assert kinds == {"ECT"}  # the old record left this cohort for 2020/21
    page.choose_cohort("2020/21")
    row = page.nqts.panel.model.row(0)
    kind_column = next(i for i, c in enumerate(NQT_COLUMNS) if c.title == "")
    assert page.nqts.panel.model.index(0, kind_column).data() == "NQT" and row.terms_text == "0 of 3"
    assert page.summary.sentence.text().startswith("Induction 2020/21: 1 NQT from 1 school")


def test_the_selected_ects_schedule_shows_under_the_table(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver, today=JANUARY)
    target = next(r for r in page.nqts.panel.model.rows() if r.fte == 1.0)
    _select(page.nqts.panel, lambda r: r.id == target.id)
    pane = page.nqts.schedule
    lines = pane.panel.model.rows()
    assert [line.term for line in lines][:3] == ["Autumn 2026", "Spring 2027", "Summer 2027"]
    assert [line.assessment.kind.code for line in lines][2:] == [
        "midpoint_assessment", "progress_review", "progress_review", "final_assessment"]
    text = pane.heading.text()
    assert target.name in text and "expected to end 21/07/2028" in text and "Timetable reduction now 10%" in text
    assert "Due this term: Progress review (Spring 2027)" in text
    first = pane.panel.model.index(0, 0)
    assert pane.panel.view.itemDelegate().colour_for(first) == OVERDUE_BACKGROUND  # the autumn review


def test_the_half_term_lists_who_is_due_what_across_cohorts(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver, today=JANUARY)
    tab = page.half_term
    assert tab.sentence.text().startswith("Spring 2027, first half (01/01/2027 to 21/02/2027): 0 reviews")
    rows = tab.panel.model.rows()
    assert rows and all(r.state == AssessmentState.OVERDUE and r.what == "Progress review (Autumn 2026)"
                        for r in rows)
    tab.only_cohort.setChecked(True)
    assert len(tab.panel.model.rows()) == len(rows)


def test_one_person_as_tutor_and_mentor_is_saved_with_a_warning(qtbot, ctx, driver, messages):
    page = _page(qtbot, ctx, driver)
    target = page.nqts.panel.model.row(0)
    tutor = ctx.workspace.induction.tutor_choices()[0]
    _select(page.nqts.panel, lambda r: r.id == target.id)
    driver.fill = {"induction_tutor_id": tutor.id, "mentor_id": tutor.id, "induction_tutor_name": "",
                   "induction_tutor_email": "", "programme": "school_led", "reduced_terms": "1"}
    page.nqts.edit()
    assert driver.stayed_open is False
    assert messages.shown[-1][0] == "info" and "two different people" in messages.shown[-1][1]
    row = ctx.workspace.induction.get(target.id)
    assert row.mentor_id == tutor.id and row.programme_label == "School-led" and row.terms_text == "0 of 5"
    mentor_column = next(i for i, c in enumerate(NQT_COLUMNS) if c.title == "Mentor")
    index = page.nqts.panel.model.index(page.nqts.panel.model.find(lambda r: r.id == target.id), mentor_column)
    assert index.data() == tutor.name


def test_the_appropriate_bodies_already_named_are_offered_as_you_type(qtbot, ctx, driver):
    page = _page(qtbot, ctx, driver)
    target = page.nqts.panel.model.row(0)
    ctx.workspace.induction.update(target.id, {**target.data().__dict__, "status": "in_progress",
                                               "appropriate_body": "Surrey Appropriate Body"})
    page.reload()
    _select(page.nqts.panel, lambda r: r.id == target.id)
    driver.fill = {}
    page.nqts.edit()
    completer = driver.dialogs[-1].widgets["appropriate_body"].completer()
    offered = [completer.model().index(i, 0).data() for i in range(completer.model().rowCount())]
    assert offered[-1] == "Surrey Appropriate Body" and offered[0].endswith("Teaching School Hub")
