"""``tsa-desktop import postcodes`` and ``import school-links`` as a script runs them."""

from __future__ import annotations

from pathlib import Path

from tsa_desktop.app import main
from tsa_desktop.services.opening import open_workspace

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def test_import_postcodes_prints_one_line_and_locates_the_file(tmp_path, capsys):
    db = str(tmp_path / "alliance.db")
    homes = tmp_path / "schools.csv"
    homes.write_text("urn,name,phase,postcode\n990101,South Farnham School,primary,GU9 8DY\n"
                     "990102,Belleville Primary School,primary,SW11 9ZZ\n", encoding="utf-8")
    assert main(["import", "schools", str(homes), "--db", db]) == 0
    capsys.readouterr()
    assert main(["import", "postcodes", str(SAMPLES / "postcodes.csv"), "--db", db]) == 0
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    assert len(out) == 1
    assert out[0].startswith("loaded postcode directory postcodes.csv (ONS Postcode Directory), 39 postcodes")
    assert out[0].endswith("located 0 trainees and 1 school; 1 postcode not found")
    assert captured.err.startswith("school Belleville Primary School (990102): postcode SW11 9ZZ is not in")
    ws = open_workspace(db)
    try:
        located = {s.urn: (s.easting, s.northing) for s in ws.schools.list()}
    finally:
        ws.close()
    assert located == {"990101": (484650, 146180), "990102": (None, None)}


def test_import_postcodes_refuses_a_file_that_is_not_a_directory(tmp_path, capsys):
    db = str(tmp_path / "alliance.db")
    assert main(["import", "postcodes", str(SAMPLES / "trainees.csv"), "--db", db]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"tsa-desktop import: {SAMPLES / 'trainees.csv'}: 1 problem, nothing was changed"
    assert "missing the columns pcds (or pcd), oseast1m, osnrth1m" in err[1]


def test_import_school_links_moves_the_school_and_a_second_run_changes_nothing(tmp_path, capsys):
    db = str(tmp_path / "alliance.db")
    for kind in ("schools", "providers", "allocations", "trainees", "mentors", "placements"):
        assert main(["import", kind, str(SAMPLES / f"{kind}.csv"), "--db", db]) == 0
    capsys.readouterr()
    assert main(["import", "school-links", str(SAMPLES / "school_links.csv"), "--db", db]) == 0
    captured = capsys.readouterr()
    assert captured.out == ("imported school-links from school_links.csv: 1 school moved to a new URN, "
                            "0 already moved, 1 links not about the alliance's schools or not successions\n")
    assert captured.err.startswith("Belleville Primary School (990102) is now Belleville Academy (149902)")
    assert main(["import", "school-links", str(SAMPLES / "school_links.csv"), "--db", db]) == 0
    assert "0 schools moved to a new URN, 1 already moved" in capsys.readouterr().out
    out = tmp_path / "schools.csv"
    assert main(["export", "schools", str(out), "--db", db]) == 0
    row = next(line for line in out.read_text(encoding="utf-8-sig").splitlines() if line.startswith("149902,"))
    assert row.endswith(",Open,990102")
