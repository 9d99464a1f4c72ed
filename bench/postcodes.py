"""Benchmark: loading a whole-UK postcode directory, and locating 10,000 trainees with it.

Generates (once, in the temporary folder) an ONSPD-like CSV of 2.7 million rows and 60 columns,
then times, interleaved:
- the baseline: ``pandas.read_csv`` of the same three columns (pcds, oseast1m, osnrth1m);
- loading: ``PostcodeDirectory.load`` (read in chunks, keys made, sorted, kept on disk);
- locating 10,000 trainees' postcodes (a directory opened afresh, as a new process would).

Targets (issue 15): loading within 2x the baseline; locating 10,000 trainees under 1 s.

Run:
    .venv/bin/python bench/postcodes.py [--rows 2700000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tsa_desktop.services.reference.postcodes import PostcodeDirectory

COLUMNS = 60
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_AREAS = ["AB", "B", "BA", "BN", "CB", "DT", "E", "EN", "GU", "IG", "KT", "LE", "M", "N", "NW", "RG",
          "RH", "S", "SE", "SO", "SP", "SW", "W", "WC"]


def header() -> list[str]:
    names = ["pcd", "pcd2", "pcds", "dointr", "doterm", "oscty", "ced", "oslaua", "osward", "parish",
             "usertype", "oseast1m", "osnrth1m", "osgrdind", "oshlthau", "nhser", "ctry", "rgn"]
    return names + [f"col{i}" for i in range(COLUMNS - len(names))]


def postcodes(count: int) -> list[str]:
    """``count`` distinct postcodes in the UK's shapes (A9 9AA ... AA9A 9AA)."""
    found: list[str] = []
    for area in _AREAS:
        for district in range(1, 100):
            for sector in range(10):
                for a in _LETTERS:
                    for b in _LETTERS:
                        found.append(f"{area}{district} {sector}{a}{b}")
                        if len(found) == count:
                            return found
    raise ValueError("too many rows asked for")


def make_file(path: Path, rows: int) -> Path:
    if path.exists() and path.stat().st_size > rows * 100:
        return path
    rng = random.Random(15)
    codes = postcodes(rows)
    rng.shuffle(codes)  # the file's order is not the keys' order
    # The other 42 columns: the codes and coordinates the real file carries, as text to skip.
    cells = ["E00123456", "E01001234", "E02000123", "S", "E14001234", "1", "7B3", "", "51.234567",
             "-0.765432"] * 5
    tail = ",".join(cells[: COLUMNS - 18])
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(header()) + "\n")
        block: list[str] = []
        for i, pc in enumerate(codes):
            outward, inward = pc.split()
            e, n = 100_000 + (i * 7919) % 550_000, 10_000 + (i * 104_729) % 1_000_000
            grid = "" if i % 997 == 0 else f"{e},{n}"  # a few without a grid reference
            grid = grid or ","
            block.append(f"{outward:<4}{inward},{outward:<5}{inward},{pc},198001,,E10000030,E58000001,"
                         f"E07000209,E05007417,E43000001,0,{grid},1,E18000008,E40000005,E92000001,"
                         f"E12000008,{tail}\n")
            if len(block) == 100_000:
                out.write("".join(block))
                block.clear()
        out.write("".join(block))
    return path


def baseline(path: Path) -> float:
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(path, usecols=["pcds", "oseast1m", "osnrth1m"])
    assert len(frame) > 0
    return time.perf_counter() - started


def load(path: Path, folder: Path) -> float:
    started = time.perf_counter()
    PostcodeDirectory(folder).load(path)
    return time.perf_counter() - started


def locate(folder: Path, wanted: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    found = PostcodeDirectory(folder).locate(wanted)
    return time.perf_counter() - started, sum(1 for f in found if f is not None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_700_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.gettempdir())
    path = make_file(tmp / f"tsa_bench_onspd_{args.rows}.csv", args.rows)
    print(f"file: {path} ({path.stat().st_size / 1e6:,.0f} MB, {args.rows:,} rows x {COLUMNS} columns)")
    folder = Path(tempfile.mkdtemp(prefix="tsa_bench_postcodes_"))
    rng = random.Random(7)
    codes = postcodes(args.rows)
    # Trainees write postcodes as people do: any case, odd spacing; a few are not in the file.
    wanted = [rng.choice(codes).lower().replace(" ", rng.choice(["", " ", "  "])) for _ in range(9_900)]
    wanted += [f"ZZ{i} 9ZZ" for i in range(100)]
    base, loads, finds = [], [], []
    for _ in range(args.runs):
        base.append(baseline(path))
        loads.append(load(path, folder))
        seconds, hits = locate(folder, wanted)
        finds.append(seconds)
    b, lo, f = min(base), min(loads), min(finds)
    print(f"pandas.read_csv of pcds, oseast1m, osnrth1m: {b:.2f} s (best of {args.runs})")
    print(f"PostcodeDirectory.load:                      {lo:.2f} s = {lo / b:.2f}x pandas (target <= 2x)")
    print(f"locate 10,000 trainees:                      {f * 1000:.0f} ms, {hits:,} found (target < 1 s)")


if __name__ == "__main__":
    main()
