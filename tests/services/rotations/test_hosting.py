"""Hosting: answers per school, year and block; rule errors, choices, planning and the chase list."""

import datetime as dt

from sqlalchemy import select, update

from tests.services.rotations.support import TODAY, YEAR, execute, one_maths_trainee
from tsa_desktop.db import models as m
from tsa_desktop.services.rotations.choices import school_choices
from tsa_desktop.services.rotations.edits import CellEdit


def _urn(ws, school_id):
    with ws.db.reading() as s:
        return s.scalar(select(m.School.urn).where(m.School.id == school_id))


def test_a_school_not_hosting_in_a_block_is_a_rule_error_in_plain_words(workspace):
    tiny = one_maths_trainee(workspace)
    amy, one = tiny.trainees["Amy Maths"], tiny.schools["One Academy"]
    workspace.rotations.save_cell(amy, tiny.blocks[1], CellEdit(one, tiny.mentors["Mentor Ann"]), None)
    change = workspace.hosting.set_hosting(_urn(workspace, one), YEAR, hosting=False, block="Spring block B",
                                           reason="staffing", on=TODAY)
    assert str(change) == ("One Academy: not hosting (staffing) in Spring block B; 1 placement there now "
                           "breaks the rules: repair the plan to move it")
    messages = [str(p) for p in workspace.rotations.check(YEAR, TODAY).problems]
    assert ("error: One Academy is not hosting in Spring block B (staffing): Amy Maths is placed there"
            in messages)
    grid = workspace.rotations.grid(YEAR, TODAY)
    offered = [c.id for c in school_choices(grid, amy, tiny.blocks[2])]
    assert one in offered  # hosting in Summer
    # The cell's own school is still shown, as unsuitable, with the reason.
    own = next(c for c in school_choices(grid, amy, tiny.blocks[1]) if c.id == one)
    assert (own.suitable, own.note) == (False, "not hosting in Spring block B (staffing)")
    assert one not in [c.id for c in school_choices(grid, tiny.trainees["Amy Maths"], tiny.blocks[1])
                       if c.suitable]
    # The year's answer clears the blocks' own: hosting again everywhere.
    workspace.hosting.set_hosting(_urn(workspace, one), YEAR, hosting=True, on=TODAY)
    assert not any("not hosting" in p.message for p in workspace.rotations.check(YEAR, TODAY).problems)


def test_a_closed_school_is_an_error_never_offered_planned_or_an_employer(workspace):
    tiny = one_maths_trainee(workspace)
    amy, one = tiny.trainees["Amy Maths"], tiny.schools["One Academy"]
    workspace.rotations.save_cell(amy, tiny.blocks[0], CellEdit(one, tiny.mentors["Mentor Ann"]), None)
    execute(workspace, update(m.School).where(m.School.id == one).values(establishment_status="Closed"))
    messages = [p.message for p in workspace.rotations.check(YEAR, TODAY).problems]
    assert "Amy Maths is placed at One Academy in Autumn block A, which is closed, according to GIAS" in messages
    grid = workspace.rotations.grid(YEAR, TODAY)
    assert one not in [c.id for c in school_choices(grid, amy, tiny.blocks[1])]
    proposal = workspace.planning.propose(YEAR, time_limit=5, today=TODAY)
    assert one not in {p.school_id for p in proposal.new + proposal.changed}
    assert "One Academy" not in [c.name for c in workspace.induction.school_choices()]


def test_the_planner_plans_nobody_at_a_school_not_hosting(workspace):
    tiny = one_maths_trainee(workspace)
    one = tiny.schools["One Academy"]
    workspace.hosting.set_hosting(_urn(workspace, one), YEAR, hosting=False, reason="Ofsted", on=TODAY)
    proposal = workspace.planning.propose(YEAR, time_limit=5, today=TODAY)
    assert proposal.complete
    assert one not in {p.school_id for p in proposal.new}


def test_overview_and_schools_to_chase(workspace):
    tiny = one_maths_trainee(workspace)
    execute(workspace, update(m.School).values(contact_name="Pat Office", contact_email="office@example.org"))
    execute(workspace, update(m.School).where(m.School.id == tiny.schools["Far Academy"])
            .values(establishment_status="Closed"))
    hosting = workspace.hosting
    hosting.set_hosting(_urn(workspace, tiny.schools["One Academy"]), YEAR, hosting=True, on=TODAY)
    hosting.set_hosting(_urn(workspace, tiny.schools["Two Academy"]), YEAR, hosting=True,
                        on=TODAY - dt.timedelta(days=90))
    hosting.set_hosting(_urn(workspace, tiny.schools["Two Academy"]), YEAR, hosting=False, block="Summer block C",
                        reason="exams", on=TODAY - dt.timedelta(days=80))
    rows = {r.name: r for r in hosting.overview(YEAR)}
    assert rows["One Academy"].summary == "hosting" and rows["One Academy"].last_confirmed == TODAY
    assert rows["Two Academy"].summary == "hosting; Summer block C: not hosting (exams)"
    assert rows["Three Academy"].summary == "not yet asked"
    assert rows["Far Academy"].summary == "closed, according to GIAS"
    chase = hosting.to_chase(YEAR, days=60, today=TODAY)
    assert [(c.name, c.why, c.contact_name, c.contact_email) for c in chase] == [
        ("Three Academy", f"no answer for {YEAR}", "Pat Office", "office@example.org"),
        ("Two Academy", "no answer for 80 days", "Pat Office", "office@example.org")]
