"""Ordinary bad input is a plain message with exit 2, never an internal error (exit 3).

Header-only files, a year written 2025, text a spreadsheet cannot keep (NUL bytes, control
characters, line breaks in names), UTF-16 without a byte-order mark, and XLSX formula cells
without a saved value.
"""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from tests.cli.conftest import assert_plain_refusal, digest
from tsa_desktop.app import main
from tsa_desktop.services.opening import open_workspace

KINDS = ("schools", "providers", "allocations", "trainees", "mentors", "placements", "nqts")


@pytest.fixture
def demo_copy(shared_demo, tmp_path):
    db = tmp_path / "alliance.db"
    shutil.copy2(shared_demo.db, db)
    return db


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_file_of_only_a_header_imports_nothing_cleanly(kind, suffix, demo_copy, tmp_path, capsys):
    header_only = tmp_path / f"{kind}{suffix}"
    empty = tmp_path / "empty.db"
    open_workspace(empty).close()
    assert main(["export", kind, str(header_only), "--db", str(empty)]) == 0  # no records: just the header
    capsys.readouterr()
    before = digest(demo_copy)

    assert main(["import", kind, str(header_only), "--db", str(demo_copy)]) == 0

    captured = capsys.readouterr()
    assert captured.out.strip().endswith("0 added, 0 updated, 0 unchanged"), captured
    assert "error" not in captured.err
    assert digest(demo_copy) == before


@pytest.mark.parametrize("argv", [
    ["export", "trainees", "{out}/t.csv", "--year", "2025"],
    ["export", "register-placements", "{out}/r.csv", "--year", "2025"],
    ["demo", "--size", "small", "--force", "--year", "2025"],
    ["check", "--year", "2025"],
    ["plan", "--year", "2025", "--time-limit", "1"],
    ["letters", "--out", "{out}/l.pdf", "--year", "2025"],
], ids=["export", "register-placements", "demo", "check", "plan", "letters"])
def test_a_year_written_wrongly_is_named_plainly(argv, demo_copy, tmp_path, capsys):
    out = tmp_path / "out"
    before = digest(demo_copy)
    assert main([a.format(out=out) for a in argv] + ["--db", str(demo_copy)]) == 2
    err = capsys.readouterr().err
    assert_plain_refusal(err)
    assert "2025/26" in err and "2025" in err
    assert digest(demo_copy) == before and not out.exists()


SCHOOL_HEADER = "urn,name,phase,town\n"


@pytest.mark.parametrize("name, problem", [
    ("Ash\x00 Primary", "NUL byte"),
    ("Ash\x07 Primary", "control character"),
    ('"Ash\nPrimary"', "line break"),
    ('"Ash\r\nPrimary"', "line break"),
    ("Ash\tPrimary", "tab"),
], ids=["nul", "bell", "newline", "crlf", "tab"])
def test_text_a_spreadsheet_cannot_keep_is_refused_naming_row_and_column(name, problem, demo_copy, tmp_path,
                                                                         capsys):
    bad = tmp_path / "schools.csv"
    bad.write_bytes((SCHOOL_HEADER + "100001,Oak Primary,primary,Hove\n" + f"100002,{name},primary,Hove\n")
                    .encode("utf-8"))
    before = digest(demo_copy)
    assert main(["import", "schools", str(bad), "--db", str(demo_copy)]) == 2
    err = capsys.readouterr().err
    assert f"row 3, name: contains" in err and problem in err, err
    assert "Traceback" not in err
    assert digest(demo_copy) == before


def test_a_line_break_in_an_xlsx_name_is_refused_too(demo_copy, tmp_path, capsys):
    # XML cannot hold a NUL at all (the workbook is then refused as unreadable); a line break it can.
    path = tmp_path / "mentors.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["email", "first_name", "last_name", "school_urn", "phase"])
    sheet.append(["zed@school.example", "Zed\nAnn", "Example", "100001", "primary"])
    book.save(path)
    assert main(["import", "mentors", str(path), "--db", str(demo_copy)]) == 2
    err = capsys.readouterr().err
    assert "row 2, first_name: contains a line break" in err, err


def test_utf16_without_a_byte_order_mark_is_said_to_be_the_encoding(demo_copy, tmp_path, capsys):
    bad = tmp_path / "schools.csv"
    bad.write_bytes((SCHOOL_HEADER + "100001,Oak Primary,primary,Hove\n").encode("utf-16-le"))
    assert main(["import", "schools", str(bad), "--db", str(demo_copy)]) == 2
    err = capsys.readouterr().err
    assert "UTF-16" in err and "byte-order mark" in err and "missing" not in err, err
    with_bom = tmp_path / "with-bom.csv"
    with_bom.write_bytes((SCHOOL_HEADER + "100001,Oak Primary,primary,Hove\n").encode("utf-16"))
    assert main(["import", "schools", str(with_bom), "--db", str(demo_copy)]) == 0


def test_a_formula_without_a_saved_value_is_named_not_read_as_empty(demo_copy, tmp_path, capsys):
    path = tmp_path / "mentors.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["email", "first_name", "last_name", "school_urn", "phase", "lead_mentor"])
    sheet.append(["ann@school.example", "Ann", "Example", "100001", "primary", "no"])
    sheet.append(['=LOWER("BOB@SCHOOL.EXAMPLE")', "Bob", "Example", "100001", "primary", '=IF(1,"yes","no")'])
    book.save(path)  # openpyxl saves formulas without calculating them
    before = digest(demo_copy)
    assert main(["import", "mentors", str(path), "--db", str(demo_copy)]) == 2
    err = capsys.readouterr().err
    assert "row 3, email: cell A3 is a formula whose value was not saved" in err, err
    assert "row 3, lead_mentor: cell F3 is a formula" in err, err
    assert digest(demo_copy) == before


def test_a_formula_with_its_saved_value_is_read_as_that_value(tmp_path):
    from tsa_desktop.formats.tabular import read_table
    from tsa_desktop.formats.xlsx_formulas import formulas_without_values

    path = tmp_path / "saved.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["urn", "name"])
    sheet.append(["100001", "=UPPER(\"oak\")"])
    book.save(path)
    assert formulas_without_values(path) == [(2, 1)]
    # As Excel saves it: the formula, and the text it last calculated.
    _replace_in_sheet(path, b'<c r="B2"><f>UPPER("oak")</f><v /></c>', b'<c r="B2" t="str"><f>UPPER("oak")</f><v>OAK</v></c>')
    assert formulas_without_values(path) == []
    assert read_table(path).column("name") == ["OAK"]


def _replace_in_sheet(path, old: bytes, new: bytes) -> None:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            if info.filename.startswith("xl/") and info.filename.endswith(".xml"):
                data = data.replace(old, new)
            archive.writestr(info, data)
