"""Exercise the heavy libraries inside the built application: ``tsa-desktop --bundle-check``.

The demo and the window touch only Qt, SQLAlchemy and Alembic; a missing data file or a broken
(stripped, excluded) library of the planner, the spreadsheet readers or the letters would show
only when a user first plans, imports or prints. build.py runs this in the smoke test. Each step
uses the libraries the way the program does, on tiny inputs, and prints one line.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from pathlib import Path
from typing import Callable


def _planner() -> str:
    from ortools.graph.python import min_cost_flow
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x, y = model.new_bool_var("x"), model.new_bool_var("y")
    model.add(x + y <= 1)
    model.maximize(2 * x + y)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    assert status == cp_model.OPTIMAL and solver.value(x) == 1, solver.status_name(status)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arc_with_capacity_and_unit_cost(0, 1, 1, 3)
    flow.set_node_supply(0, 1)
    flow.set_node_supply(1, -1)
    assert flow.solve() == flow.OPTIMAL and flow.optimal_cost() == 3
    return "CP-SAT and min-cost flow solve"


def _spreadsheets(tmp: Path) -> str:
    import pandas as pd
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Trainees")
    sheet.append(["Name", "Start"])
    sheet.append(["Siân Llewellyn", "2025-09-01"])
    xlsx = tmp / "check.xlsx"
    book.save(xlsx)
    frame = pd.read_excel(xlsx, engine="calamine", dtype=str)
    assert frame.iloc[0, 0] == "Siân Llewellyn", frame
    csv = tmp / "check.csv"
    csv.write_text("Name,URN\nOak Tree Academy,100001\n", encoding="utf-8")
    assert pd.read_csv(csv, dtype=str).iloc[0, 1] == "100001"
    return "openpyxl writes, calamine and pandas read"


def _letters(tmp: Path) -> str:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate

    from tsa_desktop.paths import resources_dir

    resources = resources_dir()
    pdfmetrics.registerFont(TTFont("CheckSans", str(resources / "fonts" / "DejaVuSans.ttf")))
    pdf = tmp / "check.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4).build([
        Image(str(resources / "letters" / "default-logo.png"), width=40, height=40),
        Paragraph("Łukasz Iwanicki, Олена Коваленко", ParagraphStyle("p", fontName="CheckSans")),
    ])
    assert pdf.read_bytes().startswith(b"%PDF"), pdf
    return f"PDF with embedded DejaVu Sans and logo from {resources}"


def _calendar_and_passwords() -> str:
    from argon2 import PasswordHasher
    from icalendar import Calendar

    assert b"BEGIN:VCALENDAR" in Calendar().to_ical()
    hasher = PasswordHasher()
    assert hasher.verify(hasher.hash("check"), "check")
    return "icalendar and argon2"


def _letter_preview(tmp: Path) -> str:
    """The window previews letters with QtPdf: a build without it cannot open the Letters page."""
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    error = document.load(str(tmp / "check.pdf"))
    assert error == QPdfDocument.Error.None_ and document.pageCount() == 1, error
    image = document.render(0, QSize(120, 170))
    assert not image.isNull(), "the page did not render"
    return "QtPdf opens and renders a letter"


def _postgres_driver() -> str:
    """The PostgreSQL driver, and a real connection when a throwaway server is running.

    ``TSA_TEST_POSTGRES_URL`` names the server (``.ci/postgres.sh`` starts one); the connection
    goes through the program's own engine, as ``--db postgresql://...`` does.
    """
    import os

    import psycopg

    from tsa_desktop.db.engine import create_db_engine, to_url

    driver = f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__} libpq {psycopg.pq.version()})"
    url = os.environ.get("TSA_TEST_POSTGRES_URL", "")
    if not url:
        return f"{driver}; TSA_TEST_POSTGRES_URL not set, no server to connect to"
    from sqlalchemy import text

    engine = create_db_engine(to_url(url))
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar()
    finally:
        engine.dispose()
    return f"{driver}; connected to PostgreSQL {version}"


def main() -> int:
    """Run every step; 0 when all pass, 1 otherwise."""
    failed = 0
    with tempfile.TemporaryDirectory(prefix="tsa-bundle-check-") as folder:
        tmp = Path(folder)
        steps: list[tuple[str, Callable[[], str]]] = [
            ("planner", _planner),
            ("spreadsheets", lambda: _spreadsheets(tmp)),
            ("letters", lambda: _letters(tmp)),
            ("letter preview", lambda: _letter_preview(tmp)),
            ("calendar", _calendar_and_passwords),
            ("postgres", _postgres_driver),
        ]
        for name, step in steps:
            try:
                print(f"ok   {name}: {step()}", flush=True)
            except Exception:  # every failure is reported, not just the first
                failed += 1
                print(f"FAIL {name}:\n{traceback.format_exc()}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
