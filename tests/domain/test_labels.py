"""Every field the window can name has a label: messages never show a column name."""

from __future__ import annotations

import re

import pytest

from tsa_desktop.db.models import Base
from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.domain.labels import RECORDS, field_label, noun
from tsa_desktop.domain.validation import Collector

#: Columns that are never shown as a field: the key and the optimistic-locking counter.
_NEVER_SHOWN = {"id", "version"}


def _columns() -> list[tuple[str, str]]:
    return [(table.name, column.name) for table in Base.metadata.sorted_tables
            if table.name != "alembic_version" for column in table.columns
            if column.name not in _NEVER_SHOWN]


@pytest.mark.parametrize(("table", "column"), _columns())
def test_every_column_of_every_table_has_a_label(table, column):
    assert table in RECORDS, f"{table} has no labels in domain/labels.py"
    label = RECORDS[table].fields.get(column)
    assert label, f"{table}.{column} has no label in domain/labels.py"
    # A label is words, not a column name: no underscores, and it starts with a capital.
    assert "_" not in label and label[:1].isupper(), label


def test_foreign_keys_are_named_after_what_they_point_at():
    assert field_label("trainees", "employing_school_id") == "Employing school"
    assert field_label("allocations", "provider_id") == "Accredited provider"
    assert field_label("mentors", "lead_mentor_id") == "Quality-assured by"
    assert "(" not in field_label("placements", "school_id")


def test_every_table_has_a_noun():
    for table in Base.metadata.tables:
        if table != "alembic_version":
            assert table in RECORDS and "_" not in noun(table), table


def test_a_name_without_a_label_is_still_shown_as_words():
    assert field_label("no_such_table", "contact_name") == "Contact name"
    assert field_label("schools", "some_new_id") == "Some new"


def test_problems_of_a_kind_name_fields_by_label_and_keep_the_name_for_forms():
    c = Collector(kind="trainees")
    c.add("employing_school_id", "is required")
    with pytest.raises(ValidationError) as info:
        c.raise_if_any()
    problem = info.value.problems[0]
    assert problem.field == "employing_school_id"  # how a form finds the widget to mark
    assert str(info.value) == "Employing school: is required"
    error = ValidationError([FieldProblem("contact_email", "is not an email address")], kind="schools")
    assert str(error) == "Contact email: is not an email address"


def test_a_file_keeps_its_own_headers():
    """In an import the user's words are the file's headers: no label replaces them."""
    c = Collector(row=3)
    c.add("contact_email", "is not an email address", "x")
    assert str(c.problems[0]) == "row 3, contact_email: is not an email address (got 'x')"


def test_no_label_looks_like_a_column_name():
    for kind, labels in RECORDS.items():
        for name, label in labels.fields.items():
            assert not re.search(r"[a-z]_[a-z]", label), (kind, name, label)
