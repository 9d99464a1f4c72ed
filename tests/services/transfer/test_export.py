"""Exports: the import's columns, safe to open, and exported-then-imported changes nothing."""

from __future__ import annotations

import csv

import pytest

from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.formats.schemas import EXPORT_COLUMNS, REGISTER_PLACEMENT_COLUMNS
from tsa_desktop.formats.tabular import read_table
from tests.services.transfer.helpers import KINDS, snapshot, write

YEAR = "2026/27"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_kind_round_trips_on_the_alliance_demo(alliance_demo, tmp_path, suffix):
    ws = alliance_demo
    before = snapshot(ws)
    for kind in KINDS:
        path = tmp_path / f"{kind}{suffix}"
        exported = ws.transfer.export_file(kind, path)
        assert exported.rows > 0 and read_table(path).headers == EXPORT_COLUMNS[kind]
        report = ws.transfer.import_file(kind, path)
        assert (report.added, report.updated, report.unchanged) == (0, 0, exported.rows), kind
    assert snapshot(ws) == before


def test_export_sizes_follow_the_demo(alliance_demo, tmp_path):
    counts = {kind: alliance_demo.transfer.export_file(kind, tmp_path / f"{kind}.csv").rows for kind in KINDS}
    assert counts["schools"] == 24 and counts["trainees"] == 121 and counts["mentors"] == 216
    assert counts["nqts"] == 38
    assert alliance_demo.transfer.export_file("trainees", tmp_path / "x.csv", year="2030/31").rows == 0
    assert alliance_demo.transfer.export_file("trainees", tmp_path / "x.csv", year="2026-27").rows == 121


def test_exports_cannot_carry_formulas(workspace, tmp_path):
    path = write(tmp_path / "schools.csv", ["urn", "name", "phase", "contact_name"],
                 ["100001", "=HYPERLINK(\"http://x.example\",\"Click\")", "primary", "@SUM(A1)"],
                 ["100002", "-Minus Academy", "secondary", "+44 1234"])
    workspace.transfer.import_file("schools", path)
    out = tmp_path / "out.csv"
    workspace.transfer.export_file("schools", out)
    with open(out, encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert "'=HYPERLINK(\"http://x.example\",\"Click\")" in cells and "'@SUM(A1)" in cells
    assert "'-Minus Academy" in cells and "'+44 1234" in cells
    assert workspace.transfer.import_file("schools", out).unchanged == 2  # the quote comes off again
    xlsx = tmp_path / "out.xlsx"
    workspace.transfer.export_file("schools", xlsx)
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    names = [sheet.cell(row=r, column=2) for r in (2, 3)]
    assert all(c.data_type == "s" for c in names)  # text cells, never formulas
    assert workspace.transfer.import_file("schools", xlsx).unchanged == 2


def test_register_placements_is_the_file_register_asks_for(alliance_demo, tmp_path):
    path = tmp_path / "register.csv"
    report = alliance_demo.transfer.export_file("register-placements", path, year=YEAR)
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # Register reads the header as plain UTF-8
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == ",".join(REGISTER_PLACEMENT_COLUMNS)
    assert lines[0] == "TRN,Trainee ITT start date,Placement 1 URN,Placement 2 URN,Placement 3 URN," \
                       "Placement 4 URN,Placement 5 URN"
    first = lines[1].split(",")
    assert len(first) == 7 and len(first[0]) == 7 and first[1] == "01/09/2026" and len(first[2]) == 6
    alliance_demo.transfer.export_file("placements", tmp_path / "placements.csv", year=YEAR)
    placed = set(read_table(tmp_path / "placements.csv").column("trainee_id"))
    assert report.rows == len(lines) - 1 == len(placed) > 0 and report.left_out == ()  # all have TRNs
    assert report.summary() == f"exported register-placements to register.csv: {report.rows} rows"


def test_register_placements_lists_trainees_left_out(workspace, tmp_path):
    from tests.services.transfer.helpers import import_samples

    import_samples(workspace)
    path = tmp_path / "register.csv"
    report = workspace.transfer.export_file("register-placements", path, year="2025/26")
    assert report.rows == 3  # TSA25-001, -002 and -004 have TRNs and placements
    assert [p.message for p in report.left_out] == [
        "trainee TSA25-007 has no TRN: Register cannot match them; add their placements in Register by hand"]
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    assert rows[0] == "0712345,01/09/2025,990102,990103,990104,,"


def test_register_placements_must_be_csv(alliance_demo, tmp_path):
    with pytest.raises(ValidationError, match="name the file .csv"):
        alliance_demo.transfer.export_file("register-placements", tmp_path / "r.xlsx", year=YEAR)
    assert not (tmp_path / "r.xlsx").exists()


def test_unknown_export_kind_and_bad_file_type(alliance_demo, tmp_path):
    with pytest.raises(ValidationError, match="accepted: schools, .*, register-placements"):
        alliance_demo.transfer.export_file("pupils", tmp_path / "x.csv")
    with pytest.raises(ValidationError, match="use a .csv or .xlsx file"):
        alliance_demo.transfer.export_file("schools", tmp_path / "x.ods")
