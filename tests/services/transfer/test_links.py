"""GIAS as it is: establishment status, and schools moved onto their successor's URN."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.services.transfer.helpers import (
    SAMPLES,
    import_samples,
    write,
    write_csv_text,
)
from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import ValidationError

LINKS_HEADER = ["URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate"]


def _school(ws, urn):
    return next((r for r in ws.schools.list() if r.urn == urn), None)


def _mentor_schools(ws) -> dict[str, str]:
    with ws.db.reading() as s:
        return dict(s.execute(select(m.Mentor.email, m.School.urn).join(m.School, m.School.id == m.Mentor.school_id)).all())


def test_gias_status_is_kept_and_the_export_adds_status_and_previous_urns(workspace, tmp_path):
    workspace.transfer.import_file("schools", SAMPLES / "gias_extract_windows1252.csv")
    rows = {r.urn: r for r in workspace.schools.list()}
    assert rows["990407"].establishment_status == "Closed" and rows["990407"].closed
    assert rows["990401"].establishment_status == "Open"
    out = workspace.transfer.export_file("schools", tmp_path / "schools.csv")
    header = (tmp_path / "schools.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[-2:] == ["status", "previous_urns"] and out.rows == len(rows)
    # The export imports back unchanged.
    assert not workspace.transfer.import_file("schools", tmp_path / "schools.csv").changed


def test_a_bad_status_names_the_row(workspace, tmp_path):
    path = write(tmp_path / "schools.csv", ["urn", "name", "phase", "status"],
                 ["990101", "A School", "primary", "Shut"])
    with pytest.raises(ValidationError) as info:
        workspace.transfer.import_file("schools", path)
    [problem] = info.value.problems
    assert (problem.row, problem.field) == (2, "status") and "Open, but proposed to close" in problem.message


def test_a_successor_not_in_the_file_renames_the_school_and_later_files_use_either_urn(workspace, tmp_path):
    import_samples(workspace)
    links = write(tmp_path / "links.csv", LINKS_HEADER,
                  ["990102", "149901", "Belleville Academy", "Successor", "01-01-2026"],
                  ["149901", "990102", "Belleville Primary School", "Predecessor", "01-01-2026"],
                  ["990999", "149999", "Somewhere Else", "Successor", "01-01-2026"],
                  ["990103", "990104", "Fairlawn Primary School", "Sixth Form Centre Link", ""])
    mentors_before = _mentor_schools(workspace)
    report = workspace.transfer.import_school_links(links)
    assert len(report.moved) == 1 and report.skipped == 1
    assert report.moved[0].startswith("Belleville Primary School (990102) is now Belleville Academy (149901)")
    school = _school(workspace, "149901")
    assert school.name == "Belleville Academy" and school.previous_urns == ("990102",)
    assert _school(workspace, "990102") is None
    assert _mentor_schools(workspace) == {e: ("149901" if u == "990102" else u) for e, u in mentors_before.items()}
    # The same file again changes nothing.
    again = workspace.transfer.import_school_links(links)
    assert again.moved == () and again.unchanged == 1
    # A mentors file that still says 990102 is matched to the school.
    mentors = write(tmp_path / "mentors.csv", ["email", "first_name", "last_name", "school_urn", "phase"],
                    ["new.mentor@belleville.example.org", "Nia", "Example", "990102", "primary"])
    workspace.transfer.import_file("mentors", mentors)
    assert _mentor_schools(workspace)["new.mentor@belleville.example.org"] == "149901"
    # The school's history says when and why.
    entries = workspace.audit.history("schools", school.id)
    assert any("is now Belleville Academy (149901) in GIAS (successor, 01/01/2026)" in e.summary for e in entries)


def test_a_successor_already_imported_from_gias_takes_the_mentors_and_future_placements(workspace, tmp_path):
    import_samples(workspace)
    stranger = write(tmp_path / "gias.csv", ["URN", "EstablishmentName", "PhaseOfEducation (name)",
                                             "TypeOfEstablishment (name)", "EstablishmentStatus (name)", "Postcode"],
                     ["149903", "The Mead Academy", "Primary", "Academy converter", "Open", "BA14 7NJ"],
                     ["990103", "The Mead Community Primary School", "Primary", "Community school", "Closed", "BA14 7NJ"])
    workspace.transfer.import_file("schools", stranger)
    with workspace.db.reading() as s:
        blocks = dict(s.execute(select(m.PlacementBlock.name, m.PlacementBlock.start_date)).all())
    # Placements from the spring block on move; the autumn one stays at the closed school.
    spring = blocks["Spring block B"]
    links = write(tmp_path / "links.csv", LINKS_HEADER,
                  ["990103", "149903", "The Mead Academy", "Successor - amalgamated", spring.strftime("%d/%m/%Y")])
    report = workspace.transfer.import_school_links(links)
    assert "marked Closed" in report.moved[0]
    new, old = _school(workspace, "149903"), _school(workspace, "990103")
    assert new.previous_urns == ("990103",) and new.mentor_count >= 1 and old.mentor_count == 0
    assert old.closed and new.contact_name == "Imogen Fairbank"
    with workspace.db.reading() as s:
        placed = s.execute(select(m.PlacementBlock.start_date, m.School.urn)
                           .join(m.Placement, m.Placement.block_id == m.PlacementBlock.id)
                           .join(m.School, m.School.id == m.Placement.school_id)
                           .where(m.School.urn.in_(["990103", "149903"]))).all()
    assert placed and all((urn == "149903") == (start >= spring) for start, urn in placed)
    # A later GIAS extract that still lists the old URN updates the closed school, not the new one.
    workspace.transfer.import_file("schools", stranger)
    assert _school(workspace, "149903").mentor_count == new.mentor_count


def test_register_placements_use_the_urn_the_school_had_at_the_time(workspace, tmp_path, capsys):
    import_samples(workspace)
    with workspace.db.reading() as s:
        blocks = dict(s.execute(select(m.PlacementBlock.name, m.PlacementBlock.start_date)).all())
    spring = blocks["Spring block B"]
    links = write(tmp_path / "links.csv", LINKS_HEADER,
                  ["990102", "149902", "Belleville Academy", "Successor", spring.strftime("%d/%m/%Y")],
                  ["990103", "149903", "The Mead Academy", "Successor", spring.strftime("%d/%m/%Y")])
    workspace.transfer.import_school_links(links)
    target = tmp_path / "register.csv"
    workspace.transfer.export_file("register-placements", target, year="2025/26")
    text = target.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    lines = text.splitlines()
    assert lines[0] == "TRN,Trainee ITT start date,Placement 1 URN,Placement 2 URN,Placement 3 URN,Placement 4 URN,Placement 5 URN"
    # TSA25-001: Belleville in the autumn, before it became an academy (its URN then), The Mead
    # in the spring, from the day it became one (its new URN), Fairlawn in the summer.
    row = next(line for line in lines if line.startswith("0712345,"))
    assert row.split(",")[:5] == ["0712345", "01/09/2025", "990102", "149903", "990104"]


def test_a_links_file_with_a_bad_row_changes_nothing(workspace, tmp_path):
    import_samples(workspace)
    links = write_csv_text(tmp_path / "links.csv", "URN,LinkURN,LinkName,LinkType,LinkEstablishedDate\n"
                           "990102,149901,Belleville Academy,Successor,01-01-2026\n"
                           "990103,12345,Mead Academy,Successor,2026-01-01\n")
    with pytest.raises(ValidationError) as info:
        workspace.transfer.import_school_links(links)
    assert [(p.row, p.field) for p in info.value.problems] == [(3, "LinkURN")]
    assert _school(workspace, "990102") is not None


def test_a_successor_takes_the_schools_hosting_answers_unless_it_has_its_own(workspace, tmp_path):
    import_samples(workspace)
    stranger = write(tmp_path / "gias.csv", ["URN", "EstablishmentName", "PhaseOfEducation (name)",
                                             "TypeOfEstablishment (name)", "EstablishmentStatus (name)", "Postcode"],
                     ["149903", "The Mead Academy", "Primary", "Academy converter", "Open", "BA14 7NJ"],
                     ["990103", "The Mead Community Primary School", "Primary", "Community school", "Closed", "BA14 7NJ"])
    workspace.transfer.import_file("schools", stranger)
    workspace.hosting.set_hosting("990103", "2025/26", hosting=False, reason="staffing")
    workspace.hosting.set_hosting("990103", "2025/26", hosting=True, block="Spring block B")
    workspace.hosting.set_hosting("149903", "2025/26", hosting=True, block="Spring block B")  # its own answer
    links = write(tmp_path / "links.csv", LINKS_HEADER,
                  ["990103", "149903", "The Mead Academy", "Successor", "01/09/2025"])
    report = workspace.transfer.import_school_links(links)
    assert "1 hosting answer" in report.moved[0]
    with workspace.db.reading() as s:
        answers = s.execute(select(m.School.urn, m.PlacementBlock.name, m.SchoolHosting.hosting,
                                   m.SchoolHosting.reason)
                            .join(m.School, m.School.id == m.SchoolHosting.school_id)
                            .outerjoin(m.PlacementBlock, m.PlacementBlock.id == m.SchoolHosting.block_id)).all()
    assert sorted(map(tuple, answers), key=str) == sorted([
        ("149903", None, False, "staffing"),  # the year's answer moved to the successor
        ("149903", "Spring block B", True, ""),  # the successor's own answer stands
        ("990103", "Spring block B", True, ""),  # the old school's clashing answer stays with it
    ], key=str)
