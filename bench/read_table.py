"""Benchmark: read_table and the trainee schema against plain pandas, 10,000 rows x 12 columns.

Prints the best of several interleaved runs of pandas.read_excel(engine="calamine"), read_table
and parse_table("trainees"), and the ratios. The whole import's target (at most twice the fastest
pandas reader, bench/import.py) needs reading alone well under that.

Run:
    .venv/bin/python bench/read_table.py [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tsa_desktop.formats.schemas import parse_table  # noqa: E402
from tsa_desktop.formats.tabular import read_table  # noqa: E402

ROWS = 10_000
HEADER = ["trainee_id", "trn", "first_names", "last_name", "email", "route", "phase", "subject",
          "academic_year", "start_date", "status", "employing_school_urn"]


def make_xlsx(path: Path) -> Path:
    """10,000 invented trainees, ids as text and as numbers, some surnames "NULL"."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Trainees")
    sheet.append(HEADER)
    for i in range(ROWS):
        sheet.append([
            f"T{i:05d}",
            f"{i * 7919 % 10_000_000:07d}" if i % 2 else 1_000_000 + i,  # text and number cells
            f"First{i}", "NULL" if i % 97 == 0 else f"Last{i}", f"p{i}@example.org",
            "school_direct_salaried" if i % 3 else "scitt", "secondary" if i % 4 else "primary",
            "G1" if i % 4 else "00", "2025/26", dt.date(2025, 9, 1) + dt.timedelta(days=i % 30),
            "enrolled", 100_000 + i % 500,
        ])
    workbook.save(path)
    return path


def _best(*functions, runs: int = 7) -> list[float]:
    """The best time of each function, run in turn so that a burst of load hits them alike."""
    best = [float("inf")] * len(functions)
    for _ in range(runs):
        for index, function in enumerate(functions):
            start = time.perf_counter()
            function()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    import pandas as pd

    with tempfile.TemporaryDirectory() as folder:
        path = make_xlsx(Path(folder) / "trainees.xlsx")
        table = read_table(path)  # warm: imports, file cache
        result = parse_table("trainees", table)
        if result.problems or len(result.records) != ROWS:
            raise SystemExit(f"the benchmark file did not parse cleanly: {result.problems[:3]}")
        pandas_s, read_s, parse_s = _best(
            lambda: pd.read_excel(path, engine="calamine"),
            lambda: read_table(path),
            lambda: parse_table("trainees", table),
            runs=args.runs,
        )
    print(f"10,000 x 12 XLSX, best of {args.runs}: pandas.read_excel(calamine) {pandas_s * 1000:.0f} ms, "
          f"read_table {read_s * 1000:.0f} ms ({read_s / pandas_s:.2f}x), "
          f"parse trainees {parse_s * 1000:.0f} ms, read + parse {(read_s + parse_s) / pandas_s:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
