"""Refused edits speak the window's words: field labels, never column names or command-line options.

The window and the command line show the same messages; the command line adds its own hints
(tests/cli), so nothing a service raises names an option such as --force.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tsa_desktop.db import models as m
from tsa_desktop.db.models import Base
from tsa_desktop.domain.errors import ConflictError, StaleRecordError, ValidationError
from tsa_desktop.services.base import Service

PACKAGE = Path(__file__).resolve().parents[2] / "tsa_desktop"
WILDERN = {"urn": "116451", "name": "Wildern School", "phase": "secondary"}
YEAR = "2026/27"

#: Every column name of two words or more ("employing_school_id", "changed_on"): none may reach
#: a message. One-word columns (name, urn) are ordinary words and cannot be told apart.
COLUMN_NAMES = sorted({c.name for t in Base.metadata.sorted_tables for c in t.columns if "_" in c.name},
                      key=len, reverse=True)


def _assert_in_words(message: str) -> None:
    for column in COLUMN_NAMES:
        assert not re.search(rf"\b{column}\b", message), f"{column!r} in {message!r}"
    assert "--" not in message, message


def test_a_duplicate_urn_is_named_by_its_label(workspace):
    workspace.schools.create(WILDERN)
    with pytest.raises(ConflictError) as info:
        workspace.schools.create({**WILDERN, "name": "Another"})
    assert str(info.value) == "URN: 116451 is already used by Wildern School."


def test_a_duplicate_the_database_refuses_is_named_by_kind_and_label(workspace):
    """A change that only the database's unique index catches is still told in the window's words."""
    workspace.schools.create(WILDERN)
    with pytest.raises(ConflictError) as info:
        with Service(workspace.db)._write() as s:
            s.add(m.School(urn="116451", name="Copy", phase="secondary"))
    assert str(info.value) == "There is already a school with this URN. Nothing was changed."
    assert [s.name for s in workspace.schools.list()] == ["Wildern School"]


def test_a_missing_value_the_database_refuses_is_named_by_its_label(workspace):
    with pytest.raises(ConflictError) as info:
        with Service(workspace.db)._write() as s:
            s.add(m.School(urn="116452", name="No phase", phase=None))
    assert str(info.value) == "Phase is required. Nothing was changed."
    assert workspace.schools.list() == []


def test_a_stale_edit_names_the_record_not_its_columns(workspace):
    school = workspace.schools.create(WILDERN)
    workspace.schools.update(school.id, {**WILDERN, "contact_name": "Ann"}, expected_version=school.version)
    with pytest.raises(StaleRecordError) as info:
        workspace.schools.update(school.id, {**WILDERN, "contact_name": "Bob"}, expected_version=school.version)
    assert str(info.value).startswith("Wildern School was changed by somebody else")
    _assert_in_words(str(info.value))


def test_a_missing_employing_school_is_named_by_its_label(workspace):
    lead = workspace.schools.create({**WILDERN, "lead_school": "yes"})
    workspace.allocations.create({"academic_year": YEAR, "route": "school_direct_salaried",
                                  "phase": "secondary", "subject": "G1", "lead_school_id": lead.id,
                                  "places": 2})
    trainee = {"trainee_id": "T0001", "first_names": "Sam", "last_name": "Example",
               "route": "school_direct_salaried", "phase": "secondary", "subject": "G1",
               "academic_year": YEAR}
    with pytest.raises(ValidationError) as info:
        workspace.trainees.create(trainee)
    assert str(info.value).startswith("Employing school: is required for School Direct (salaried)")
    assert info.value.problems[0].field == "employing_school"  # the form marks its widget by it
    with pytest.raises(ValidationError) as info:
        workspace.trainees.create({**trainee, "employing_school_id": lead.id + 99})
    assert str(info.value) == "Employing school: that school no longer exists"
    nqt = {"email": "amy@example.org", "first_names": "Amy", "last_name": "Lee", "academic_year": YEAR,
           "employing_school_id": lead.id + 99}
    with pytest.raises(ValidationError) as info:
        workspace.induction.create(nqt)
    assert str(info.value) == "Employing school: there is no such school; choose the employing school"
    assert workspace.trainees.list() == []


def test_a_refused_status_date_names_the_date_of_the_change(workspace):
    lead = workspace.schools.create({**WILDERN, "lead_school": "yes"})
    workspace.allocations.create({"academic_year": YEAR, "route": "scitt", "phase": "secondary",
                                  "subject": "F3", "lead_school_id": lead.id, "places": 2})
    import datetime as dt

    row = workspace.trainees.create({"trainee_id": "T0002", "first_names": "Sam", "last_name": "Example",
                                     "route": "scitt", "phase": "secondary", "subject": "F3",
                                     "academic_year": YEAR}, on=dt.date(2026, 3, 2))
    with pytest.raises(ValidationError) as info:
        workspace.trainees.change_status(row.id, {"status": "enrolled", "changed_on": "01/03/2026"})
    assert str(info.value).startswith("Date of the change: must be on or after 02/03/2026")
    _assert_in_words(str(info.value))


def test_the_demo_refuses_to_replace_an_alliance_without_naming_an_option(workspace):
    from tsa_desktop.services.demo.builder import AllianceExistsError, DemoService

    workspace.schools.create(WILDERN)
    with pytest.raises(AllianceExistsError) as info:
        DemoService(workspace.db).create("small")
    _assert_in_words(str(info.value))
    assert [s.name for s in workspace.schools.list()] == ["Wildern School"]


def test_a_backup_onto_the_database_itself_names_no_option(workspace):
    with pytest.raises(ValidationError) as info:
        workspace.safety.backup_to(workspace.db.path)
    assert str(info.value).startswith("backup file: is the database itself")
    _assert_in_words(str(info.value))


def _message_texts(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_service_or_rule_names_a_command_line_option():
    """Options belong to the command line, which adds them as hints (cli/common.py with_hint)."""
    found = [f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
             for folder in ("services", "domain") for path in sorted((PACKAGE / folder).rglob("*.py"))
             for line, text in _message_texts(path) if re.search(r"--[a-z]", text)]
    assert found == []


def test_domain_errors_from_services_do_not_start_with_a_column_name():
    """A message built as f"{column}: ..." would show the column; labels start with a capital."""
    pattern = re.compile(r"^[a-z]+_[a-z_]+: ")
    found = [f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
             for path in sorted((PACKAGE / "services").rglob("*.py"))
             for line, text in _message_texts(path) if pattern.match(text)]
    assert found == []

