"""Benchmark: the rotation grid at the "large" demo (1,000 trainees, 150 schools, 3 blocks).

Times what a user waits for on the rotations page, offscreen: the reload of a year (service
read and rule check, the model and the view), a filter, a sort by a block column, one edit with
its incremental re-check (the service write and the grid update), and the paint of a screenful.
Each figure is the median of several runs.

Run:
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/rotation_grid.py [--size large] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

YEAR = "2026/27"


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=("small", "alliance", "large"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", help="an existing demo file instead of a new one")
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from tsa_desktop.domain.enums import Phase
    from tsa_desktop.services.demo.builder import DemoService
    from tsa_desktop.services.rotations.edits import CellEdit
    from tsa_desktop.services.opening import open_workspace
    from tsa_desktop.ui.core.context import AppContext
    from tsa_desktop.ui.core.messages import RecordingMessages
    from tsa_desktop.ui.rotations.page import RotationsPage

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or str(Path(tmp) / "grid.db")
        ws = open_workspace(path)
        if not args.db:
            print(DemoService(ws.db).create(args.size, seed=1, year=YEAR))
        ctx = AppContext(ws, RecordingMessages())
        page = RotationsPage(ctx)
        page.resize(1600, 1000)
        page.show()
        app.processEvents()
        model, view = page.model, page.view
        rows, blocks = len(model.all_rows()), len(model.grid.blocks)
        print(f"{rows} trainees x {blocks} blocks, {len(model.grid.placements())} placements")

        service = median_ms(lambda: ws.rotations.grid(YEAR), args.repeat)
        reload = median_ms(lambda: (page.reload(), app.processEvents()), args.repeat)
        phase = page.filters.phase

        def filter_once():
            phase.setCurrentIndex(phase.findData(Phase.PRIMARY))
            app.processEvents()
            phase.setCurrentIndex(0)
            app.processEvents()

        filtered = median_ms(filter_once, args.repeat) / 2
        spring = model.column_of(model.grid.blocks[1].id)
        order = [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder]
        sort = median_ms(lambda: (view.sortByColumn(spring, order.reverse() or order[0]), app.processEvents()),
                         args.repeat)

        grid = model.grid
        autumn = grid.blocks[0].id
        trainee = next(t for t in model.rows() if grid.cell(t.id, autumn) is not None)
        edits = []

        def edit_once():
            current = model.grid.cell(trainee.id, autumn)
            other = next(s for s in grid.schools.values() if s.id != current.school_id
                         and s.phase is grid.schools[current.school_id].phase)
            change = ws.rotations.save_cell(trainee.id, autumn, CellEdit(other.id, None), current)
            page.show_change(change)
            app.processEvents()
            edits.append(change)

        edit = median_ms(edit_once, args.repeat)
        incremental = median_ms(lambda: model.grid.apply(edits[-1]), args.repeat)
        for change in reversed(edits):
            ws.rotations.apply_change(change.reversed())
        view.scrollToTop()
        paint = median_ms(lambda: view.viewport().grab(), args.repeat)
        visible = view.viewport().height() // view.rowHeight(0)
        print(f"reload (service read + rules): {service:.0f} ms")
        print(f"reload of the page (service, model, filters, headline, columns): {reload:.0f} ms")
        print(f"filter by phase (and repaint): {filtered:.1f} ms")
        print(f"sort by a block column (and repaint): {sort:.1f} ms")
        print(f"one edit (service write + incremental re-check + repaint of the rows): {edit:.1f} ms")
        print(f"  of which the grid's incremental re-check: {incremental:.1f} ms")
        print(f"paint of a screenful ({visible} rows x {model.columnCount()} columns): {paint:.1f} ms")
        ws.close()


if __name__ == "__main__":
    main()
