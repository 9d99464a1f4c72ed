"""Reading and writing spreadsheets: text in, text out, nothing guessed, nothing run."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest

from tsa_desktop.domain.enums import Phase
from tsa_desktop.domain.errors import DomainError, ValidationError
from tsa_desktop.formats.tabular import (
    Row,
    Table,
    escape_text,
    normalise_header,
    read_table,
    write_table,
)


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(path: Path, rows: list[list[object]], setup=None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if setup is not None:
        setup(sheet)
    workbook.save(path)
    return path


# --------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Trainee ID", "trainee_id", "TraineeId", " TRAINEE_ID ", "trainee\u00a0id"])
def test_headers_match_ignoring_case_spaces_and_underscores(header):
    assert normalise_header(header) == "traineeid"


def test_odd_headers_in_a_file_are_found_by_their_plain_names(tmp_path):
    path = _csv(tmp_path / "t.csv", "  Trainee ID ,FIRST_NAMES,last name\r\nT1,Ann,Lee\r\n")
    table = read_table(path)
    assert table.headers == ("Trainee ID", "FIRST_NAMES", "last name")
    assert table.has("trainee_id") and table.has("firstnames") and table.has("Last_Name")
    assert table.header_for("last_name") == "last name"
    assert table.rows[0].get("trainee id") == "T1"
    assert table.rows[0].values == {"traineeid": "T1", "firstnames": "Ann", "lastname": "Lee"}


def test_a_header_twice_is_recorded_and_the_first_column_is_read(tmp_path):
    path = _csv(tmp_path / "t.csv", "urn,URN,name\r\n100001,999999,A\r\n")
    table = read_table(path)
    assert table.duplicate_headers == {"urn": ("urn", "URN")}
    assert table.rows[0].values["urn"] == "100001"


# --------------------------------------------------------------------------------------------
# CSV reading
# --------------------------------------------------------------------------------------------


def test_csv_values_are_text_with_leading_zeros_and_no_missing_value_words(tmp_path):
    path = _csv(tmp_path / "t.csv",
                "trn,urn,last_name,a,b,c,d\r\n0012345,010001,NULL,NA,None,N/A,  \r\n")
    row = read_table(path).rows[0]
    assert row.values == {"trn": "0012345", "urn": "010001", "lastname": "NULL", "a": "NA",
                          "b": "None", "c": "N/A", "d": None}


def test_csv_utf8_with_and_without_bom(tmp_path):
    plain = _csv(tmp_path / "a.csv", "name\r\nZoë Łukasz\r\n")
    bom = _csv(tmp_path / "b.csv", "\ufeffname\r\nZoë Łukasz\r\n")
    for path in (plain, bom):
        table = read_table(path)
        assert table.headers == ("name",)
        assert table.rows[0].values == {"name": "Zoë Łukasz"}


def test_csv_windows_1252_is_read_when_it_is_not_utf8(tmp_path):
    path = _csv(tmp_path / "g.csv", "URN,EstablishmentName\r\n100001,St Mary\u2019s C of E Émile\r\n",
                encoding="cp1252")
    assert read_table(path).rows[0].values["establishmentname"] == "St Mary\u2019s C of E Émile"


def test_csv_utf16_and_tab_separated(tmp_path):
    path = _csv(tmp_path / "u.csv", "\ufeffurn\tname\r\n100001\tAnn\r\n", encoding="utf-16-le")
    assert read_table(path).rows[0].values == {"urn": "100001", "name": "Ann"}


def test_csv_semicolon_separated(tmp_path):
    path = _csv(tmp_path / "s.csv", "urn;name\r\n100001;Ann, Lee\r\n")
    assert read_table(path).rows[0].values == {"urn": "100001", "name": "Ann, Lee"}


def test_csv_quoted_cells_keep_commas_and_line_breaks(tmp_path):
    path = _csv(tmp_path / "q.csv", 'name,address\r\n"Lee, Ann","1 High St\nFarnham"\r\nBo,x\r\n')
    table = read_table(path)
    assert table.rows[0].values == {"name": "Lee, Ann", "address": "1 High St\nFarnham"}
    assert [r.number for r in table.rows] == [2, 3]


def test_row_numbers_count_the_header_as_row_one_and_skip_blank_rows(tmp_path):
    path = _csv(tmp_path / "r.csv", "a,b\r\nx,1\r\n\r\n,\r\ny,2\r\n\r\n")
    table = read_table(path)
    assert [(r.number, r.values["a"]) for r in table.rows] == [(2, "x"), (5, "y")]
    assert table.header_row == 1
    assert len(table) == 2 and table.numbers == (2, 5)


def test_blank_rows_above_the_header_keep_row_numbers_true(tmp_path):
    path = _csv(tmp_path / "r.csv", "\r\n,,\r\na,b\r\nx,1\r\n")
    table = read_table(path)
    assert table.header_row == 3
    assert table.rows[0] == Row(4, {"a": "x", "b": "1"})


def test_short_and_long_rows_and_unheaded_columns(tmp_path):
    path = _csv(tmp_path / "r.csv", "a,b,,c\r\nx\r\n1,2,ignored,3,extra\r\n")
    table = read_table(path)
    assert table.headers == ("a", "b", "c")
    assert [r.values for r in table.rows] == [
        {"a": "x", "b": None, "c": None}, {"a": "1", "b": "2", "c": "3"}]


def test_excel_text_trick_and_our_quote_prefix_are_undone(tmp_path):
    path = _csv(tmp_path / "q.csv", "trn,formula,plain\r\n\"=\"\"0012345\"\"\",'=SUM(A1),'quoted\r\n")
    assert read_table(path).rows[0].values == {
        "trn": "0012345", "formula": "=SUM(A1)", "plain": "'quoted"}


# --------------------------------------------------------------------------------------------
# XLSX reading
# --------------------------------------------------------------------------------------------


def test_xlsx_values_are_text_ids_keep_zeros_numbers_lose_point_zero_dates_are_iso(tmp_path):
    def formats(sheet):
        sheet["D2"].number_format = "DD/MM/YYYY"

    path = _xlsx(tmp_path / "x.xlsx", [
        ["Trainee ID", "trn", "urn", "start_date", "last_name", "fte", "flag", "time"],
        ["007", "0012345", 100001.0, dt.date(2025, 4, 3), "NULL", 0.5, True, dt.time(9, 30)],
        [1.0, 1234567, 100002, dt.datetime(2025, 9, 1, 0, 0), "NA", None, False, None],
        [None, "None", "N/A", "03/04/2025", "", " x ", None, None],
    ], formats)
    rows = read_table(path).rows
    assert rows[0].values == {"traineeid": "007", "trn": "0012345", "urn": "100001",
                              "startdate": "2025-04-03", "lastname": "NULL", "fte": "0.5",
                              "flag": "True", "time": "09:30:00"}
    assert rows[1].values == {"traineeid": "1", "trn": "1234567", "urn": "100002",
                              "startdate": "2025-09-01", "lastname": "NA", "fte": None,
                              "flag": "False", "time": None}
    assert rows[2].values == {"traineeid": None, "trn": "None", "urn": "N/A",
                              "startdate": "03/04/2025", "lastname": None, "fte": "x",
                              "flag": None, "time": None}


def test_xlsx_blank_rows_and_offset_header(tmp_path):
    def place(sheet):
        sheet["B3"], sheet["C3"] = "urn", "name"
        sheet["B4"] = "100001"
        sheet["C7"] = "Late"

    path = _xlsx(tmp_path / "o.xlsx", [], place)
    table = read_table(path)
    assert table.header_row == 3
    assert [(r.number, r.values) for r in table.rows] == [
        (4, {"urn": "100001", "name": None}), (7, {"urn": None, "name": "Late"})]


def test_xlsx_reads_the_first_sheet(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["urn"])
    workbook.active.append(["100001"])
    workbook.create_sheet("Other").append(["something else"])
    workbook.save(tmp_path / "w.xlsx")
    assert read_table(tmp_path / "w.xlsx").rows[0].values == {"urn": "100001"}


# --------------------------------------------------------------------------------------------
# Files that cannot be used
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, content, expected", [
    ("t.txt", b"a,b\n", "unknown file type '.txt'"),
    ("t", b"a,b\n", "unknown file type '(none)'"),
    ("e.csv", b"", "is empty"),
    ("e.csv", b"\r\n,,\r\n", "is empty"),
    ("bad.xlsx", b"this is not a workbook", "cannot be read as an Excel workbook"),
    ("bad.csv", b"name\r\n\x81\x8d\x8f\x90\x9d\r\n", "neither UTF-8 nor Windows-1252"),
    ("bad.csv", b'a,b\r\n"unclosed,1\r\n', "not a well-formed CSV file"),
])
def test_unusable_files_raise_a_domain_error_naming_the_file(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError) as info:
        read_table(path)
    assert isinstance(info.value, DomainError)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ValidationError, match="no such file"):
        read_table(tmp_path / "missing.csv")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(ValidationError, match="is not a file"):
        read_table(tmp_path / "dir.csv")


def test_an_xlsx_without_rows_is_empty(tmp_path):
    path = _xlsx(tmp_path / "e.xlsx", [])
    with pytest.raises(ValidationError, match="is empty"):
        read_table(path)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

DANGEROUS = ["=1+2", "+44 20 7946 0000", "-x", "@SUM(A1)", "\tcmd", "\rcmd", "=HYPERLINK(\"x\")"]


def test_csv_has_a_bom_and_escapes_formula_text_but_not_numbers_or_dates(tmp_path):
    path = tmp_path / "out.csv"
    count = write_table(path, ["text", "number", "day", "flag", "phase"], [
        ["=1+2", -5, dt.date(2025, 4, 3), True, Phase.SPECIAL],
        ["-x", -1.5, dt.datetime(2025, 4, 3, 9, 30), False, None],
        ["@me", 7, None, None, "plain"],
    ])
    assert count == 3
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [
        "text,number,day,flag,phase",
        "'=1+2,-5,2025-04-03,yes,special",
        "'-x,-1.5,2025-04-03 09:30,no,",
        "'@me,7,,,plain",
    ]


def test_csv_without_bom_for_register(tmp_path):
    path = tmp_path / "register.csv"
    write_table(path, ["TRN"], [["0012345"]], bom=False)
    assert path.read_bytes() == b"TRN\r\n0012345\r\n"


@pytest.mark.parametrize("text", DANGEROUS)
def test_escape_text_quotes_every_formula_trigger(text):
    assert escape_text(text) == "'" + text
    assert escape_text("plain =") == "plain ="
    assert escape_text("") == ""


def test_xlsx_never_holds_a_formula_and_keeps_numbers_and_dates(tmp_path):
    path = tmp_path / "out.xlsx"
    rows = [[text, -5, dt.date(2025, 4, 3), "0012345", True] for text in DANGEROUS]
    write_table(path, ["text", "number", "day", "trn", "flag"], rows)
    sheet = openpyxl.load_workbook(path).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    body = list(sheet.iter_rows(min_row=2))
    for row, text in zip(body, DANGEROUS):
        text_cell, number, day, trn, flag = row
        assert text_cell.data_type == "s" and text_cell.quotePrefix
        expected = text.replace("\r", "\n")  # XML turns a lone carriage return into a newline
        assert text_cell.value in (text, expected)
        assert number.data_type == "n" and number.value == -5
        assert day.is_date and day.value.date() == dt.date(2025, 4, 3)
        assert day.number_format.upper() == "DD/MM/YYYY"
        assert trn.data_type == "s" and trn.value == "0012345"
        assert flag.value == "yes"


def test_xlsx_layout_bold_frozen_header_and_widths(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(path, ["urn", "a rather long column header", "name"],
                [["100001", 1, "x" * 200]], sheet_name="Schools/2025")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "Schools 2025"
    assert sheet.freeze_panes == "A2"
    assert all(c.font.b for c in sheet[1])
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths[0] >= 8
    assert widths[1] >= len("a rather long column header")
    assert widths[2] == 60


def test_round_trip_csv_and_xlsx_give_back_the_same_values(tmp_path):
    columns = ["id", "trn", "name", "formula", "number", "ratio", "day", "flag", "empty"]
    rows = [
        ["007", "0012345", "Zoë NULL", "=SUM(A1)", 42, 0.6, dt.date(2025, 4, 3), True, None],
        ["T2", "1234567", "NA", "-dash", -3, 1.0, dt.date(2026, 1, 6), False, None],
        ["T3", "0000001", "Ó Briain", "@at", 0, 0.25, None, None, None],
    ]
    expected = [
        {"id": "007", "trn": "0012345", "name": "Zoë NULL", "formula": "=SUM(A1)",
         "number": "42", "ratio": "0.6", "day": "2025-04-03", "flag": "yes", "empty": None},
        {"id": "T2", "trn": "1234567", "name": "NA", "formula": "-dash", "number": "-3",
         "ratio": "1.0", "day": "2026-01-06", "flag": "no", "empty": None},
        {"id": "T3", "trn": "0000001", "name": "Ó Briain", "formula": "@at", "number": "0",
         "ratio": "0.25", "day": None, "flag": None, "empty": None},
    ]
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"round{suffix}"
        write_table(path, columns, rows)
        table = read_table(path)
        got = [r.values for r in table.rows]
        if suffix == ".xlsx":  # a whole float comes back from a number cell without ".0"
            expected[1]["ratio"] = "1"
        assert table.headers == tuple(columns)
        assert got == expected, suffix


def test_rows_may_be_mappings(tmp_path):
    path = tmp_path / "m.csv"
    write_table(path, ["a", "b"], [{"b": 2, "a": "x"}, {"a": "y"}])
    assert [r.values for r in read_table(path).rows] == [{"a": "x", "b": "2"}, {"a": "y", "b": None}]


def test_writing_replaces_the_file_in_one_step_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old")
    write_table(path, ["a"], [["new"]])
    assert read_table(path).rows[0].values == {"a": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old")

    class Boom:
        def __str__(self):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_table(path, ["a"], [[Boom()]])
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_write_refuses_unknown_endings_and_creates_missing_folders(tmp_path):
    with pytest.raises(ValidationError, match="unknown file type '.ods'"):
        write_table(tmp_path / "x.ods", ["a"], [])
    assert not (tmp_path / "x.ods").exists()
    # One rule for every output (letters, mentor packs, exports, backups): a missing folder is made.
    assert write_table(tmp_path / "new" / "folder" / "x.csv", ["a"], [["1"]]) == 1
    assert (tmp_path / "new" / "folder" / "x.csv").read_text(encoding="utf-8-sig").splitlines() == ["a", "1"]


@pytest.mark.skipif(sys.platform == "win32", reason="permissions work differently on Windows")
def test_an_unwritable_folder_is_a_domain_error(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ValidationError, match="cannot be written"):
            write_table(folder / "x.csv", ["a"], [["b"]])
    finally:
        folder.chmod(0o700)


def test_a_file_open_in_excel_is_a_domain_error(tmp_path, monkeypatch):
    import tsa_desktop.formats.tabular_write as tabular

    def locked(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tabular.os, "replace", locked)
    with pytest.raises(ValidationError, match="open in another program") as info:
        write_table(tmp_path / "x.xlsx", ["a"], [["b"]])
    assert str(tmp_path / "x.xlsx") in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_table_from_values_cleans_like_a_file():
    table = Table.from_values(["Trainee ID", "n"], [[" T1 ", 3], [None, ""], ["'=x", None]])
    assert [(r.number, r.values) for r in table.rows] == [
        (2, {"traineeid": "T1", "n": "3"}), (4, {"traineeid": "=x", "n": None})]
    assert table.column("trainee_id") == ["T1", "=x"]
    assert table.column("absent") == [None, None]


def test_exported_files_are_readable_by_others(tmp_path):
    import os
    import stat

    path = tmp_path / "out.xlsx"
    write_table(path, ["a"], [["b"]])
    if os.name == "posix":
        mask = os.umask(0)
        os.umask(mask)
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_no_pandas_or_openpyxl_at_import():
    import subprocess

    code = ("import sys, tsa_desktop.formats.tabular, tsa_desktop.formats.schemas; "
            "print('pandas' in sys.modules, 'openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
