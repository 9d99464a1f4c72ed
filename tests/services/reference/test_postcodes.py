"""The computer's postcode directory: loading it, and trainees and schools located from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.services.transfer.helpers import SAMPLES, import_samples, write
from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.services.reference.postcodes import PostcodeDirectory

TRAINEE_HEADER = ["trainee_id", "first_names", "last_name", "route", "phase", "subject", "academic_year",
                  "start_date", "status", "home_postcode"]


def _homes(ws) -> dict[str, tuple]:
    with ws.db.reading() as s:
        return {tid: (pc, e, n, v) for tid, pc, e, n, v in s.execute(select(
            m.Trainee.trainee_id, m.Trainee.home_postcode, m.Trainee.home_easting, m.Trainee.home_northing,
            m.Trainee.version))}


def test_the_directory_is_kept_in_the_user_data_folder_not_in_the_alliance_file(workspace, _isolated_data_dir):
    assert workspace.locations.info() is None
    report = workspace.locations.load_directory(SAMPLES / "postcodes.csv")
    info = workspace.locations.info()
    assert info == report.info
    assert (info.file_name, info.kind, info.postcodes) == ("postcodes.csv", "ONS Postcode Directory", 39)
    assert (Path(_isolated_data_dir) / "postcodes" / "keys.npy").is_file()
    # Another object (a new process) finds it, and looks postcodes up ignoring case and spaces.
    other = PostcodeDirectory(Path(_isolated_data_dir) / "postcodes")
    assert other.locate(["gu98dy", "SW11  6PR", "ZZ1 1ZZ", ""]) == [(484650, 146180), (527900, 175300), None, None]


def test_a_bad_directory_file_keeps_the_one_loaded_before(workspace, tmp_path):
    workspace.locations.load_directory(SAMPLES / "postcodes.csv")
    bad = tmp_path / "onspd.csv"
    bad.write_text("pcds,oseast1m\nGU9 8DY,484650\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="osnrth1m"):
        workspace.locations.load_directory(bad)
    assert workspace.locations.info().postcodes == 39
    assert workspace.locations.directory.locate_one("GU9 8DY") == (484650, 146180)


def test_trainees_with_a_postcode_only_are_located_on_import_with_a_warning_naming_the_row(workspace, tmp_path):
    import_samples(workspace)
    workspace.locations.load_directory(SAMPLES / "postcodes.csv")
    path = write(tmp_path / "homes.csv", TRAINEE_HEADER,
                 ["TSA25-003", "Zoë", "Ellwood", "scitt", "primary", "00", "2025/26", "2025-09-01", "offered", "gu10 4ln"],
                 ["TSA25-007", "Olena", "Jessop", "scitt", "special", "00", "2025/26", "2025-09-01", "enrolled", "SO30 9ZZ"])
    report = workspace.transfer.import_file("trainees", path)
    homes = _homes(workspace)
    assert homes["TSA25-003"][:3] == ("GU10 4LN", 482900, 144200)
    assert homes["TSA25-007"][:3] == ("SO30 9ZZ", None, None)
    assert any(n.startswith("row 3: postcode SO30 9ZZ is not in the postcode directory") for n in report.notes)
    # The same file again changes nothing: the located coordinates are kept.
    again = workspace.transfer.import_file("trainees", path)
    assert not again.changed and _homes(workspace) == homes


def test_a_file_with_empty_easting_columns_is_filled_before_comparing(workspace, tmp_path):
    import_samples(workspace)
    workspace.locations.load_directory(SAMPLES / "postcodes.csv")
    header = TRAINEE_HEADER + ["home_easting", "home_northing"]
    path = write(tmp_path / "homes.csv", header,
                 ["TSA25-008", "Rhys", "NA", "school_direct_tuition_fee", "primary", "00", "2025/26",
                  "01/09/2025", "enrolled", "SE23 1AA", "", ""])
    assert workspace.transfer.import_file("trainees", path).updated == 1
    assert _homes(workspace)["TSA25-008"][:3] == ("SE23 1AA", 535600, 173500)
    assert workspace.transfer.import_file("trainees", path).unchanged == 1


def test_without_a_directory_the_import_says_so_and_loading_one_later_locates(workspace, tmp_path):
    import_samples(workspace)
    path = write(tmp_path / "homes.csv", TRAINEE_HEADER,
                 ["TSA25-003", "Zoë", "Ellwood", "scitt", "primary", "00", "2025/26", "2025-09-01", "offered", "GU10 4LN"],
                 ["TSA25-007", "Olena", "Jessop", "scitt", "special", "00", "2025/26", "2025-09-01", "enrolled", "SO30 9ZZ"])
    report = workspace.transfer.import_file("trainees", path)
    assert any("no postcode directory is loaded" in n for n in report.notes)
    assert _homes(workspace)["TSA25-003"][1] is None
    before = _homes(workspace)["TSA25-003"][3]
    loaded = workspace.locations.load_directory(SAMPLES / "postcodes.csv")
    assert loaded.located.trainees == 1
    assert loaded.located.not_found == (
        "trainee TSA25-007 (Olena Jessop): postcode SO30 9ZZ is not in the postcode directory, so journeys "
        "to and from it are unknown; check the postcode, or give the easting and northing",)
    homes = _homes(workspace)
    assert homes["TSA25-003"] == ("GU10 4LN", 482900, 144200, before + 1)
    # Coordinates given in a file are never replaced.
    assert homes["TSA25-001"][1:3] == (484300, 147100)


def test_schools_from_gias_without_grid_reference_are_located(workspace, tmp_path):
    workspace.locations.load_directory(SAMPLES / "postcodes.csv")
    path = write(tmp_path / "schools.csv", ["urn", "name", "phase", "postcode"],
                 ["990101", "South Farnham School", "primary", "GU9 8DY"])
    workspace.transfer.import_file("schools", path)
    school = workspace.schools.list()[0]
    assert (school.easting, school.northing) == (484650, 146180)


def test_a_postcode_typed_in_the_window_is_located(workspace):
    workspace.locations.load_directory(SAMPLES / "postcodes.csv")
    school = workspace.schools.create({"urn": "990101", "name": "South Farnham School", "phase": "primary",
                                       "postcode": "gu9 8dy"})
    assert (school.easting, school.northing) == (484650, 146180)
