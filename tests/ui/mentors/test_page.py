"""The Mentors page as a user drives it: the pool, training, lead mentors and QA, the mentor's view."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tsa_desktop.ui.core.changes import Area
from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import Role
from tsa_desktop.domain.mentors import QaState, TrainingState
from tsa_desktop.ui.mentors.page import MentorsPage

from tests.conftest import DEMO_YEAR
from tests.ui.conftest import check_while_sorting, import_through, sign_in_as


@pytest.fixture
def page(qtbot, ctx, driver):
    p = MentorsPage(ctx)
    qtbot.addWidget(p)
    p.ctx.interaction.dialog = driver
    p.resize(1100, 700)
    p.show()
    return p


def _rows(panel):
    return panel.model.rows()


def _mentor(ws, **raw):
    school = ws.schools.list()[0]
    values = {"first_name": "Una", "last_name": "Tested", "school_id": school.id, "phase": school.phase.code,
              "initial_training_date": "2026-02-01", **raw}
    return ws.mentors.create(values)


# --- pool -----------------------------------------------------------------------------------------


def test_pool_shows_every_mentor_and_the_counts(page, ctx):
    pool = ctx.workspace.mentors.pool(DEMO_YEAR)
    assert page.year() == DEMO_YEAR
    assert page.pool.panel.model.rowCount() == pool.total
    assert page.pool.summary.text() == pool.summary()
    assert [r.label for r in page.pool.counts.rows()] == [c.label for c in pool.by_phase]
    page.pool.count_by.setCurrentIndex(2)
    assert [r.label for r in page.pool.counts.rows()] == [c.label for c in pool.by_school]
    assert sum(r.mentors for r in page.pool.counts.rows()) == pool.total


def test_pool_filters(page, ctx):
    panel = page.pool.panel
    page.pool.show_filter.setCurrentIndex(page.pool.show_filter.findText("Lead mentors"))
    assert _rows(panel) and all(r.is_lead_mentor for r in _rows(panel))
    page.pool.show_filter.setCurrentIndex(page.pool.show_filter.findText("Training flagged"))
    expected = sum(1 for r in ctx.workspace.mentors.list(DEMO_YEAR) if r.active and r.training.flagged)
    assert len(_rows(panel)) == expected and all(r.training.flagged for r in _rows(panel))
    page.pool.show_filter.setCurrentIndex(0)
    school = page.pool.school_filter.itemData(1)
    page.pool.school_filter.setCurrentIndex(1)
    assert _rows(panel) and all(r.school_id == school for r in _rows(panel))


def test_add_mentor_then_undo_and_redo(page, ctx, driver):
    school = ctx.workspace.schools.list()[0]
    block = ctx.workspace.mentors.blocks(DEMO_YEAR)[1]
    driver.fill = {"first_name": "Ffion", "last_name": "Added", "email": "FFION@added.sch.uk",
                   "school_id": school.id, "phase": "secondary", "subjects": "Maths; Physics",
                   "max_trainees": 2, "initial_training_date": "01/09/2026", "initial_training_hours": "12",
                   f"unavailable_{block.id}": True}
    page.pool.add_mentor()
    assert driver.stayed_open is False, driver.dialogs[-1].problems.text()
    added = ctx.workspace.mentors.by_email("ffion@added.sch.uk")
    assert added.capacity == 2 and added.unavailable_blocks == (block.name,)
    assert "Ffion Added" in [r.name for r in _rows(page.pool.panel)]
    ctx.undo_stack.undo()
    assert "Ffion Added" not in [r.name for r in _rows(page.pool.panel)]
    ctx.undo_stack.redo()
    again = ctx.workspace.mentors.by_email("ffion@added.sch.uk")
    assert set(again.subject_names.split("; ")) == {"Mathematics", "Physics"} and again.capacity == 2


def test_bad_mentor_kept_open_with_each_problem_and_nothing_saved(page, ctx, driver):
    before = ctx.workspace.mentors.list(DEMO_YEAR)
    driver.fill = {"first_name": "", "last_name": "Wrong", "email": "not-an-email", "subjects": "Physics, Maths",
                   "initial_training_date": "31/02/2026"}
    page.pool.add_mentor()
    dialog = driver.dialogs[-1]
    assert driver.stayed_open is True
    text = dialog.problems.text()
    labels = {"first_name": "First name", "email": "Email", "subjects": "Subjects",
              "initial_training_date": "Initial mentor training"}
    for field, label in labels.items():
        assert f"{label}:" in text and f"{field}:" not in text
        assert dialog.widgets[field].styleSheet() != ""
    assert ctx.workspace.mentors.list(DEMO_YEAR) == before and ctx.undo_stack.count() == 0


def test_edit_availability_and_undo(page, ctx, driver):
    row = _rows(page.pool.panel)[0]
    block = ctx.workspace.mentors.blocks(DEMO_YEAR)[2]
    page.pool.panel.select(lambda r: r.id == row.id)
    driver.fill = {f"unavailable_{block.id}": True}
    page.pool.edit_mentor()
    assert driver.stayed_open is False, driver.dialogs[-1].problems.text()
    assert block.name in ctx.workspace.mentors.get(row.id).unavailable_blocks
    ctx.undo_stack.undo()
    assert ctx.workspace.mentors.get(row.id).unavailable_blocks == row.unavailable_blocks


def test_delete_refused_for_a_placed_mentor(page, ctx, messages):
    busy = next(r for r in _rows(page.pool.panel) if r.load.placements)
    page.pool.panel.select(lambda r: r.id == busy.id)
    page.pool.delete_mentor()
    kind, text = messages.shown[-1]
    assert kind == "error" and busy.name in text and "placement" in text
    assert ctx.workspace.mentors.get(busy.id).name == busy.name and ctx.undo_stack.count() == 0


# --- import and export through the transfer service -------------------------------------------------


def test_import_a_mentors_file_end_to_end(qtbot, page, ctx, messages, tmp_path):
    school = ctx.workspace.schools.list()[0]
    csv = tmp_path / "mentors.csv"
    csv.write_text("Email,First name,Last name,School URN,Phase,Subjects,Lead mentor,Initial training date,"
                   "Refresher date,Max trainees\n"
                   f"imported@csv.sch.uk,Iona,Imported,{school.urn},secondary,Physics;Chemistry,no,"
                   "01/09/2025,,2\n", encoding="utf-8")
    with qtbot.waitSignal(ctx.changed, timeout=15_000):
        dialog = import_through(qtbot, page.pool.transfer, csv)
    assert dialog.report.added == 1
    assert messages.shown[-1][0] == "info" and "1 added" in messages.shown[-1][1]
    assert "Iona Imported" in [r.name for r in _rows(page.pool.panel)]
    out = tmp_path / "out.csv"
    page.ctx.interaction.answers["save_file"] = lambda *_: str(out)
    page.pool.export_button.click()
    qtbot.waitUntil(lambda: len(messages.shown) == 2, timeout=15_000)
    assert messages.shown[-1][0] == "info"
    text = out.read_text(encoding="utf-8-sig")
    assert "imported@csv.sch.uk" in text and len(text.splitlines()) == len(ctx.workspace.mentors.list()) + 1


def test_a_mentors_file_with_an_unknown_subject_changes_nothing(qtbot, page, ctx, tmp_path):
    school = ctx.workspace.schools.list()[0]
    csv = tmp_path / "mentors.csv"
    csv.write_text("email,first_name,last_name,school_urn,phase,subjects\n"
                   f"new@csv.sch.uk,Nia,New,{school.urn},secondary,Physics\n"
                   f"odd@csv.sch.uk,Oli,Odd,{school.urn},secondary,Astrology\n", encoding="utf-8")
    before = sorted(r.name for r in _rows(page.pool.panel))
    dialog = import_through(qtbot, page.pool.transfer, csv, expect_ok=False)
    assert [(p.row, p.field) for p in dialog.problems_model.rows()] == [(3, "subjects")]
    assert "Astrology" in dialog.problems_model.rows()[0].message
    assert sorted(r.name for r in _rows(page.pool.panel)) == before


# --- training -------------------------------------------------------------------------------------


def test_training_tab_lists_flagged_mentors_and_records_training(page, ctx, driver):
    never = _mentor(ctx.workspace, email="never@t.sch.uk", initial_training_date="")
    page.tabs.setCurrentWidget(page.training)
    panel = page.training.panel
    assert never.id in {r.id for r in _rows(panel)}
    assert all(r.mentor.training.state is not TrainingState.REFRESHER_DUE_SOON for r in _rows(panel))
    assert "2 years" in page.training.explain.text()
    panel.select(lambda r: r.id == never.id)
    driver.fill = {"initial_training_date": dt.date.today().strftime("%d/%m/%Y"), "initial_training_hours": "10"}
    page.training.record_training()
    assert driver.stayed_open is False, driver.dialogs[-1].problems.text()
    assert ctx.workspace.mentors.get(never.id).training.state is TrainingState.CURRENT
    assert never.id not in {r.id for r in _rows(panel)}
    ctx.undo_stack.undo()
    assert never.id in {r.id for r in _rows(panel)}


# --- lead mentors and QA --------------------------------------------------------------------------


def test_record_a_visit_for_an_overdue_mentor_and_undo(page, ctx, driver):
    page.tabs.setCurrentWidget(page.qa)
    qa = page.qa
    overdue_before = len(_rows(qa.overdue))
    target = _rows(qa.overdue)[0]
    qa.overdue.select(lambda r: r.mentor_id == target.mentor_id)
    driver.fill = {"visit_date": dt.date.today().strftime("%d/%m/%Y"), "focus": "Joint observation",
                   "outcome": "secure", "notes": "Good feedback"}
    qa.record_visit(qa.overdue.selected())
    assert driver.stayed_open is False, driver.dialogs[-1].problems.text()
    assert len(_rows(qa.overdue)) == overdue_before - 1
    logged = ctx.workspace.qa.visits(mentor_id=target.mentor_id)[0]
    assert logged.focus == "Joint observation" and logged.lead_mentor_id == target.lead_mentor_id
    ctx.undo_stack.undo()
    assert len(_rows(qa.overdue)) == overdue_before


def test_future_visit_refused_in_the_dialog(page, ctx, driver):
    page.tabs.setCurrentWidget(page.qa)
    before = ctx.workspace.qa.visits()
    driver.fill = {"visit_date": (dt.date.today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")}
    page.qa.record_visit(None)
    assert driver.stayed_open and "Date of visit: is in the future" in driver.dialogs[-1].problems.text()
    assert ctx.workspace.qa.visits() == before


def test_mentees_follow_the_selected_lead_and_a_mentor_moves(page, ctx, driver):
    page.tabs.setCurrentWidget(page.qa)
    qa = page.qa
    leads = _rows(qa.leads)
    assert len(leads) >= 2
    first, second = leads[0], leads[1]
    qa.leads.select(lambda r: r.id == first.id)
    assert _rows(qa.mentees) and all(r.lead_mentor_id == first.id for r in _rows(qa.mentees))
    mover = _rows(qa.mentees)[0]
    qa.mentees.select(lambda r: r.mentor_id == mover.mentor_id)
    driver.fill = {"choice": second.id}
    qa.move_mentor()
    assert ctx.workspace.mentors.get(mover.mentor_id).lead_mentor_id == second.id
    ctx.undo_stack.undo()
    assert ctx.workspace.mentors.get(mover.mentor_id).lead_mentor_id == first.id


def test_designate_then_removing_a_lead_with_mentors_is_refused(page, ctx, driver, messages):
    page.tabs.setCurrentWidget(page.qa)
    plain = _mentor(ctx.workspace, email="newlead@t.sch.uk")
    ctx.notify(Area.MENTORS)  # as any change made elsewhere in the window does
    driver.fill = {"choice": plain.id}
    page.qa.designate()
    assert ctx.workspace.mentors.get(plain.id).is_lead_mentor
    busy = next(r for r in _rows(page.qa.leads) if r.mentees)
    page.qa.leads.select(lambda r: r.id == busy.id)
    page.qa.undesignate()
    assert messages.shown[-1][0] == "error" and "give them another lead mentor first" in messages.shown[-1][1]
    assert ctx.workspace.mentors.get(busy.id).is_lead_mentor


def test_visit_log_for_one_lead_or_all(page, ctx):
    lead = next(r for r in ctx.workspace.mentors.lead_mentors(DEMO_YEAR) if r.mentees)
    mentee = ctx.workspace.mentors.mentees(lead.id)[0]
    ctx.workspace.qa.record({"lead_mentor_id": lead.id, "mentor_id": mentee.id, "visit_date": dt.date.today(),
                             "outcome": "developing"})
    ctx.notify(Area.QA)
    page.tabs.setCurrentWidget(page.qa)
    page.qa.leads.select(lambda r: r.id == lead.id)
    assert _rows(page.qa.visits) and all(v.lead_mentor_id == lead.id for v in _rows(page.qa.visits))
    page.qa.all_visits.setChecked(True)
    assert len(_rows(page.qa.visits)) == len(ctx.workspace.qa.visits())


# --- the mentor's view ----------------------------------------------------------------------------


def test_mentors_view_shows_only_their_trainees(page, ctx):
    ws = ctx.workspace
    with ws.db.reading() as s:
        mentor_ids = list(s.scalars(select(m.Placement.mentor_id).where(m.Placement.mentor_id.is_not(None))))
    mentor_id = mentor_ids[0]
    page.show_mentor(mentor_id)
    assert page.tabs.currentWidget() is page.view
    expected = ws.mentor_view.view(mentor_id, DEMO_YEAR)
    shown = page.view.placements.rows()
    assert [p.placement_id for p in shown] == [p.placement_id for p in expected.placements]
    with ws.db.reading() as s:
        mine = set(s.scalars(select(m.Placement.id).where(m.Placement.mentor_id == mentor_id)))
    assert {p.placement_id for p in shown} == mine
    assert expected.mentor.name in page.view.header.text()
    if expected.lead_mentor_name:
        assert expected.lead_mentor_name in page.view.header.text()


def test_flagged_mentor_is_flagged_in_their_view(page, ctx):
    never = _mentor(ctx.workspace, email="flag@t.sch.uk", initial_training_date="")
    page.reload()
    page.show_mentor(never.id)
    assert "never had mentor training" in page.view.header.text()
    assert "No trainees are placed" in page.view.placements_label.text()


def test_mentor_pack_button_writes_both_files(qtbot, page, ctx, messages, tmp_path):
    with ctx.workspace.db.reading() as s:
        mentor_id = s.scalar(select(m.Placement.mentor_id).where(m.Placement.mentor_id.is_not(None)))
    page.show_mentor(mentor_id)
    page.ctx.interaction.answers["choose_folder"] = lambda *_: str(tmp_path)
    page.view.mentor_pack()
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=20_000)
    kind, text = messages.shown[-1]
    assert kind == "info", text
    assert len(list(tmp_path.glob("*.pdf"))) == 1 and len(list(tmp_path.glob("*.ics"))) == 1


def test_qa_state_colours_are_meaningful():
    from tsa_desktop.ui.mentors.models import ERROR_COLOUR, qa_colour, training_colour

    assert training_colour(TrainingState.NEVER_TRAINED) == ERROR_COLOUR
    assert training_colour(TrainingState.CURRENT) is None
    assert qa_colour(QaState.OVERDUE) == ERROR_COLOUR and qa_colour(QaState.UP_TO_DATE) is None


def test_table_models_pass_the_model_tester(qtmodeltester, page, ctx, driver):
    panel = page.pool.panel
    check_while_sorting(qtmodeltester, panel.model)
    qtmodeltester.check(page.pool.counts)
    everyone = panel.model.rowCount()
    first = panel.model.row(0)
    panel.search.setText(first.last_name)  # filtering as the user types
    qtmodeltester.check(panel.model)
    assert 0 < panel.model.rowCount() < everyone
    check_while_sorting(qtmodeltester, panel.model)
    # Editing through the dialog: the page reloads its rows, keeping the search and the sort.
    panel.select(lambda r: r.id == first.id)
    driver.fill = {"phone": "01234 567890"}
    page.pool.edit_mentor()
    assert driver.stayed_open is False, driver.dialogs[-1].problems.text()
    qtmodeltester.check(panel.model)
    qtmodeltester.check(page.pool.counts)
    assert panel.model.row(panel.model.find(lambda r: r.id == first.id)).phone == "01234 567890"
    ctx.undo_stack.undo()
    qtmodeltester.check(panel.model)
    panel.search.clear()
    qtmodeltester.check(panel.model)
    assert panel.model.rowCount() == everyone


# --- sign-in roles --------------------------------------------------------------------------------


def test_a_signed_in_mentor_opens_on_their_own_view_without_edit_buttons(qtbot, ctx, driver):
    with ctx.workspace.db.reading() as s:
        mentor_id = s.scalar(select(m.Placement.mentor_id).where(m.Placement.mentor_id.is_not(None)))
    email = ctx.workspace.mentors.get(mentor_id).email
    sign_in_as(ctx.workspace, Role.MENTOR, mentor_email=email)
    assert ctx.workspace.permissions.mentor_id == mentor_id
    p = MentorsPage(ctx)
    qtbot.addWidget(p)
    p.ctx.interaction.dialog = driver
    p.show()
    assert p.tabs.currentWidget() is p.view and p.view.mentor_box.currentData() == mentor_id
    assert p.view.placements.rows() and p.view.pack_button.isEnabled()
    for button in (p.pool.add_button, p.pool.edit_button, p.pool.import_button, p.training.record_button,
                   p.qa.designate_button):
        assert button.isHidden()


def test_office_staff_may_import_but_not_edit(qtbot, ctx):
    sign_in_as(ctx.workspace, Role.OFFICE)
    p = MentorsPage(ctx)
    qtbot.addWidget(p)
    p.show()
    assert p.tabs.currentWidget() is p.pool
    assert p.pool.add_button.isHidden() and not p.pool.import_button.isHidden()


def test_packs_for_every_mentor_button_writes_packs_drafts_and_index(qtbot, page, ctx, messages, tmp_path):
    page.tabs.setCurrentWidget(page.view)
    assert page.view.all_packs_button.isVisible()
    page.ctx.interaction.answers["choose_folder"] = lambda *_: str(tmp_path)
    page.view.all_packs_button.click()
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=30_000)
    kind, text = messages.shown[-1]
    assert kind == "info", text
    _year, ids = ctx.workspace.mentor_packs.mentors_with_placements(page.year())
    assert f"packs for {len(ids)} mentor" in text
    assert len(list(tmp_path.glob("*.eml"))) == len(ids) == len(list(tmp_path.glob("*.pdf")))
    assert (tmp_path / "index.csv").is_file()
