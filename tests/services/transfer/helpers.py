"""Helpers for the import and export tests: files written from rows, and the database as data."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.formats.tabular import write_table

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "resources" / "samples"
KINDS = ("schools", "providers", "allocations", "trainees", "mentors", "placements", "nqts")


def write(path: Path, header: list[str], *rows: list[object]) -> Path:
    """A CSV or XLSX file (by the ending) with this header and rows."""
    write_table(path, header, [list(r) for r in rows])
    return path


def write_csv_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """A CSV file written exactly as given (so that the test shows the bytes a user has)."""
    path.write_bytes(text.encode(encoding))
    return path


def snapshot(ws) -> dict[str, list[tuple]]:
    """Every row of every table but the audit trail, sorted: equal snapshots mean nothing changed."""
    found = {}
    with ws.db.reading() as s:
        for table in m.Base.metadata.sorted_tables:
            if table.name == "audit_log":
                continue
            found[table.name] = sorted((tuple(r) for r in s.execute(select(table))), key=repr)
    return found


def import_samples(ws) -> dict[str, object]:
    """Import every sample file in the documented order; the reports by kind."""
    return {kind: ws.transfer.import_file(kind, SAMPLES / f"{kind}.csv") for kind in KINDS}


def problems(exc) -> list[str]:
    """A ValidationError's problems as "row N, column: message" lines (values left out)."""
    return [f"row {p.row}, {p.field}: {p.message}" for p in exc.problems]
