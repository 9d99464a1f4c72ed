"""Reading postcode directories as published: the ONSPD CSV and Code-Point Open."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.formats.postcodes import (
    normalise_postcode,
    postcode_key,
    postcode_keys,
    read_postcode_directory,
)

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def _lookup(arrays, postcode):
    at = int(np.searchsorted(arrays.keys, postcode_key(postcode)))
    if at < len(arrays) and arrays.keys[at] == postcode_key(postcode):
        return int(arrays.eastings[at]), int(arrays.northings[at])
    return None


def test_keys_ignore_case_and_spaces_and_sort_as_postcodes():
    assert normalise_postcode(" gu10  3be ") == "GU103BE"
    assert postcode_key("gu10 3be") == postcode_key("GU103BE") == postcode_key("GU10  3BE")
    assert postcode_key("") == postcode_key(None) == postcode_key("NOT A POSTCODE AT ALL") == 0
    texts = ["SW1A 1AA", "b1 1aa", "GU9 8DY", "GU10 3BE", "", "É1 1AA"]
    keys = postcode_keys(texts)
    assert keys.tolist() == [postcode_key(t) for t in texts[:5]] + [0]
    ordered = sorted(["SW1A1AA", "B11AA", "GU98DY", "GU103BE"])
    assert sorted(postcode_key(t) for t in ordered) == [postcode_key(t) for t in ordered]


def test_the_onspd_sample_reads_only_postcodes_with_a_grid_reference():
    arrays = read_postcode_directory(SAMPLES / "postcodes.csv")
    assert arrays.kind == "ONS Postcode Directory"
    assert arrays.rows_read == 40 and len(arrays) == 39  # GU9 0ZZ was terminated without one
    assert _lookup(arrays, "gu9 8dy") == (484650, 146180)
    assert _lookup(arrays, "SW116PR") == (527900, 175300)
    assert _lookup(arrays, "GU9 0ZZ") is None
    assert np.all(arrays.keys[1:] > arrays.keys[:-1])


def test_pcd_column_of_fixed_width_and_header_case(tmp_path):
    path = tmp_path / "onspd.csv"
    path.write_text("PCD,OSEAST1M,OSNRTH1M,lat\n\"AB1 0AA\",385386,801193,57.1\n\"B1  1AA\",406689,286822,52.4\n",
                    encoding="utf-8")
    arrays = read_postcode_directory(path)
    assert _lookup(arrays, "AB1 0AA") == (385386, 801193)
    assert _lookup(arrays, "b1 1aa") == (406689, 286822)


def test_code_point_open_zip(tmp_path):
    path = tmp_path / "codepo_gb.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Doc/Code-Point_Open_Column_Headers.csv", "PC,PQ,EA,NO\nPostcode,Positional_quality_indicator,Eastings,Northings\n")
        archive.writestr("Data/CSV/gu.csv", '"GU9 8DY",10,484650,146180,"E92000001","E19000003","E18000008","","E10000030","E07000209","E05007417"\n'
                                            '"GU100AA",90,0,0,"E92000001","","","","","",""\n')
        archive.writestr("Data/CSV/sw.csv", '"SW116PR",10,527900,175300,"E92000001","","","","","",""\n')
    arrays = read_postcode_directory(path)
    assert arrays.kind == "Code-Point Open" and arrays.rows_read == 3 and len(arrays) == 2
    assert _lookup(arrays, "GU9 8DY") == (484650, 146180)
    assert _lookup(arrays, "SW11 6PR") == (527900, 175300)
    assert _lookup(arrays, "GU10 0AA") is None  # quality 90: no coordinates


def test_a_file_of_another_kind_is_refused_naming_the_columns(tmp_path):
    path = tmp_path / "trainees.csv"
    path.write_text("trainee_id,home_postcode\nT1,GU9 8DY\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_postcode_directory(path)
    text = str(info.value)
    assert str(path) in text and "pcds (or pcd), oseast1m, osnrth1m" in text and "trainee_id" in text


def test_a_grid_reference_that_is_not_a_number_names_its_row(tmp_path):
    path = tmp_path / "onspd.csv"
    path.write_text("pcds,oseast1m,osnrth1m\nGU9 8DY,484650,146180\nGU9 9BB,4859OO,147600\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_postcode_directory(path)
    problem = info.value.problems[0]
    assert (problem.row, problem.field) == (3, "oseast1m")


def test_a_missing_or_damaged_file_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="no such file"):
        read_postcode_directory(tmp_path / "none.csv")
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "nothing")
    with pytest.raises(ValidationError, match="holds no CSV"):
        read_postcode_directory(empty)
