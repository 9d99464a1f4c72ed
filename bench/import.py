"""Benchmark: importing 10,000 trainees from XLSX, against pandas reading the same file alone.

A demo-like database is made once (the "alliance" demo: schools, providers and the year's
allocations, with places raised so that 10,000 trainees fit), and 10,000 invented trainees are
written to an .xlsx file with write_table. Each run copies that database, then times the whole
import (read, parse, check against the database, write, commit) beside
``pandas.read_excel(file, engine="calamine")``, the fastest pandas reader of the file, which
only reads it. The ratio is the figure to watch (target: at most 2x). Runs alternate, so that
a busy machine slows both alike; the medians are printed.

Run:
    .venv/bin/python bench/import.py [--rows 10000] [--repeat 5] [--profile]

Names are invented by pairing common first names and surnames; none is a real person.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tsa_desktop.formats.schemas import EXPORT_COLUMNS  # noqa: E402
from tsa_desktop.formats.tabular import write_table  # noqa: E402
from tsa_desktop.services.demo.builder import DemoService  # noqa: E402
from tsa_desktop.services.opening import open_workspace  # noqa: E402

YEAR = "2026/27"
FIRST = ["Siân", "Łukasz", "Zoë", "Amara", "Callum", "Freya", "Idris", "Niamh", "Oluwaseun",
         "Priya", "Rhys", "Saoirse", "Tomasz", "Yusuf", "Ellis", "Mared"]
LAST = ["Ashworth", "Brennan", "Chowdhury", "Davies-Kerr", "Evans", "Fairbairn", "Greenhalgh",
        "Hussain", "Iwanicka", "Kovalenko", "Llewellyn", "Null", "NA", "O'Hare"]


def make_database(folder: Path) -> Path:
    """The alliance demo with every allocation of the year given 999 places."""
    from sqlalchemy import update

    from tsa_desktop.db import models as m

    path = folder / "template.db"
    ws = open_workspace(path)
    try:
        DemoService(ws.db).create("alliance", seed=1, year=YEAR)
        with ws.db.transaction() as s:
            s.execute(update(m.Allocation).values(places=999))
    finally:
        ws.close()
    return path


def make_file(folder: Path, template: Path, rows: int) -> Path:
    """An .xlsx file of ``rows`` new trainees on the template's allocations."""
    from sqlalchemy import select

    from tsa_desktop.db import models as m

    ws = open_workspace(template)
    try:
        with ws.db.reading() as s:
            kinds = s.execute(select(m.Allocation.route, m.Allocation.phase, m.Allocation.subject)
                              .order_by(m.Allocation.id)).all()
            schools = s.execute(select(m.School.urn, m.School.phase)).all()
    finally:
        ws.close()
    by_phase: dict[str, list[str]] = {}
    for urn, phase in schools:
        by_phase.setdefault(phase, []).append(urn)
    rng = random.Random(7)
    salaried = {"school_direct_salaried", "scitt_salaried", "pg_teaching_apprenticeship"}
    data = []
    for i in range(rows):
        route, phase, subject = kinds[i % len(kinds)]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        employer = rng.choice(by_phase.get(phase) or [u for u, _p in schools]) if route in salaried else None
        data.append([
            f"B{i + 1:06d}", f"{rng.randint(0, 9_999_999):07d}" if i % 5 else None, first, last,
            f"b{i + 1}@trainee.example", route, phase, subject, YEAR,
            dt.date(2026, 9, 1) + dt.timedelta(days=i % 20), "enrolled" if i % 9 else "offered", employer,
            None, 484_000 + i % 9000 if i % 3 else None, 146_000 + i % 7000 if i % 3 else None,
        ])
    path = folder / "trainees.xlsx"
    write_table(path, EXPORT_COLUMNS["trainees"], data)
    return path


def run_import(template: Path, folder: Path, xlsx: Path, run: int, again: bool = False) -> tuple[float, object]:
    """Time one import into a fresh copy of the template (again: a second import of the file)."""
    target = folder / f"run{run}.db"
    shutil.copyfile(template, target)
    ws = open_workspace(target)
    try:
        if again:
            ws.transfer.import_file("trainees", xlsx)
        start = time.perf_counter()
        report = ws.transfer.import_file("trainees", xlsx)
        seconds = time.perf_counter() - start
    finally:
        ws.close()
    target.unlink()
    return seconds, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print where one import spends its time")
    args = parser.parse_args()

    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = make_database(folder)
        xlsx = make_file(folder, template, args.rows)
        pd.read_excel(xlsx, engine="calamine")  # warm both: imports and the file cache
        run_import(template, folder, xlsx, -1)

        ours, theirs, again = [], [], []
        for run in range(args.repeat):
            start = time.perf_counter()
            frame = pd.read_excel(xlsx, engine="calamine")
            theirs.append(time.perf_counter() - start)
            seconds, report = run_import(template, folder, xlsx, run)
            ours.append(seconds)
            again.append(run_import(template, folder, xlsx, run, again=True)[0])
        assert len(frame) == args.rows and report.added == args.rows, report

        ours_s, theirs_s = statistics.median(ours), statistics.median(theirs)
        print(f"import of {args.rows:,} trainees from XLSX ({len(EXPORT_COLUMNS['trainees'])} columns), "
              f"{args.repeat} runs (median; best):")
        print(f"  tsa-desktop import (read, check, write, commit): {ours_s:.3f} s; {min(ours):.3f} s"
              f"  ({report.summary()})")
        print(f"  pandas.read_excel(engine='calamine') alone:      {theirs_s:.3f} s; {min(theirs):.3f} s")
        print(f"  ratio: {ours_s / theirs_s:.2f}x; {min(ours) / min(theirs):.2f}x (target: at most 2x)")
        print(f"  the same file again (all unchanged):             {statistics.median(again):.3f} s; "
              f"{min(again):.3f} s")

        if args.profile:
            profiler = cProfile.Profile()
            shutil.copyfile(template, folder / "profile.db")
            ws = open_workspace(folder / "profile.db")
            profiler.enable()
            ws.transfer.import_file("trainees", xlsx)
            profiler.disable()
            ws.close()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
