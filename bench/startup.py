"""Benchmark: start-up to the first painted main window, against a bare PySide6 window.

Times whole processes, launch to exit, each quitting on its main window's first Paint event (an
offscreen ``QTimer.singleShot(0, quit)`` would quit before anything is painted):

- tsa-desktop opening the "alliance" demo database (made first with ``tsa-desktop demo`` in a
  temporary folder), with ``TSA_DESKTOP_EXIT_AFTER_PAINT=frame``: the window paints its frame
  ("Opening…") before it imports SQLAlchemy and opens the file;
- the same with ``TSA_DESKTOP_EXIT_AFTER_PAINT=data``: until the schools page is painted;
- a bare PySide6 process showing a QMainWindow with one 10-row QTableView;
- the least this stack can cost to show data: a bare PySide6 window that imports SQLAlchemy's
  ORM, maps the schools table, reads the schools from the same file and shows them in a
  QTableView (the "bare data window").

Runs alternate (app, bare, app, bare, ...) after one unmeasured warm-up of each, so that drift in
a noisy machine hits both alike; prints the medians and their ratios. Targets: the frame within
1.5 times the bare window, and the schools painted within 1.3 times the bare data window. All run
with ``QT_QPA_PLATFORM=offscreen`` and a temporary ``TSA_DESKTOP_DATA_DIR``, so the user's own
data folder is never touched. The package is compiled to bytecode first (``compileall``), as
users run it: these machines set PYTHONDONTWRITEBYTECODE, and an editable install would otherwise
recompile all of tsa_desktop on every start.

Run:
    .venv/bin/python bench/startup.py [--runs 7] [--app dist/tsa-desktop/tsa-desktop]
                                      [--importtime]

``--app`` times another launcher of the program (e.g. the PyInstaller build) instead of this
interpreter's ``python -m tsa_desktop``; ``--importtime`` also prints the import time of one
start-up package by package (``python -X importtime``), to see what a slow start is made of.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 1.5
DATA_TARGET_RATIO = 1.3

#: The end of both bare windows: the table in a main window that quits on its first paint.
_SHOW = r"""
view = QTableView()
view.setModel(model)
window = QMainWindow()
window.setCentralWidget(view)
window.resize(1000, 700)
watcher = QuitOnPaint(window)
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""

BARE_WINDOW = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView


class QuitOnPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False


app = QApplication(sys.argv)
model = QStandardItemModel(10, 4)
for row in range(10):
    for column in range(4):
        model.setItem(row, column, QStandardItem(f"row {row} column {column}"))
""" + _SHOW


BARE_DATA_WINDOW = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
from sqlalchemy import String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class School(Base):
    __tablename__ = "schools"
    id: Mapped[int] = mapped_column(primary_key=True)
    urn: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(String)
    phase: Mapped[str] = mapped_column(String)
    town: Mapped[str | None] = mapped_column(String)
    postcode: Mapped[str | None] = mapped_column(String)


class QuitOnPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False


app = QApplication(sys.argv)
engine = create_engine("sqlite:///" + sys.argv[1])
with Session(engine) as session:
    schools = session.scalars(select(School).order_by(School.name)).all()
    rows = [(s.urn, s.name, s.phase, s.town or "", s.postcode or "") for s in schools]
model = QStandardItemModel(len(rows), 5)
for r, row in enumerate(rows):
    for c, value in enumerate(row):
        model.setItem(r, c, QStandardItem(value))
""" + _SHOW


def _children_cpu() -> float:
    """CPU seconds (user + system) of all waited-for child processes so far; 0 where unknown."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], env: dict[str, str], timeout: float = 120) -> tuple[float, float]:
    """(wall, CPU) seconds from launch to exit of one process; it must exit 0.

    CPU time is printed beside the wall time because it hardly moves when other work shares the
    machine, so it tells a real change from noise.
    """
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return took, _children_cpu() - cpu


def make_demo(app: list[str], db: Path, env: dict[str, str]) -> None:
    """The demo alliance the window opens, made by the program itself."""
    subprocess.run([*app, "demo", "--db", str(db), "--size", "alliance"], env=env, check=True,
                   capture_output=True, text=True)


def import_costs(env: dict[str, str], db: Path, count: int = 15) -> list[tuple[float, int, str]]:
    """(seconds, modules, package) of one app start-up's imports, the costliest first.

    Each module's own import time (``python -X importtime``'s "self") is added to its top-level
    package, or to its sub-package for tsa_desktop, so that the figures add up to the whole and
    say where the time goes whoever imported it first.
    """
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tsa_desktop", "--db", str(db)],
        env=env, capture_output=True, text=True, timeout=120,
    )
    seconds: dict[str, float] = {}
    modules: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own_us, _cumulative, name = line[len("import time:"):].split("|", 2)
        parts = name.strip().split(".")
        package = ".".join(parts[:2]) if parts[0] == "tsa_desktop" else parts[0]
        seconds[package] = seconds.get(package, 0.0) + int(own_us) / 1e6
        modules[package] = modules.get(package, 0) + 1
    rows = [(seconds[name], modules[name], name) for name in seconds]
    rows.sort(reverse=True)
    total = sum(row[0] for row in rows)
    return [*rows[:count], (total, sum(modules.values()), "(all imports)")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (default 7)")
    parser.add_argument("--app", help="the program to time (default: this Python's -m tsa_desktop)")
    parser.add_argument("--importtime", action="store_true",
                        help="also show the import time of one start-up, package by package")
    args = parser.parse_args(argv)
    app = [str(Path(args.app).resolve())] if args.app else [sys.executable, "-m", "tsa_desktop"]

    with tempfile.TemporaryDirectory(prefix="tsa-bench-startup-") as folder:
        tmp = Path(folder)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TSA_DESKTOP_DATA_DIR=str(tmp / "data"))
        db = tmp / "alliance.db"
        make_demo(app, db, env)
        app_env = dict(env, TSA_DESKTOP_EXIT_AFTER_PAINT="frame")
        data_env = dict(env, TSA_DESKTOP_EXIT_AFTER_PAINT="data")
        app_cmd = [*app, "--db", str(db)]
        bare_cmd = [sys.executable, "-c", BARE_WINDOW]
        bare_data_cmd = [sys.executable, "-c", BARE_DATA_WINDOW, str(db)]
        if not args.app:  # users run compiled bytecode (see the module's docstring)
            import compileall

            import tsa_desktop
            compileall.compile_dir(str(Path(tsa_desktop.__file__).parent), quiet=1)
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            app_env.pop("PYTHONDONTWRITEBYTECODE", None)
            data_env.pop("PYTHONDONTWRITEBYTECODE", None)

        timed(app_cmd, app_env)  # warm-up: disk cache, bytecode, fontconfig cache
        timed(app_cmd, data_env)
        timed(bare_cmd, env)
        timed(bare_data_cmd, env)
        app_runs, data_runs, bare_runs, bare_data_runs = [], [], [], []
        for _ in range(args.runs):
            app_runs.append(timed(app_cmd, app_env))
            data_runs.append(timed(app_cmd, data_env))
            bare_runs.append(timed(bare_cmd, env))
            bare_data_runs.append(timed(bare_data_cmd, env))

        app_wall = [wall for wall, _ in app_runs]
        bare_wall = [wall for wall, _ in bare_runs]
        app_cpu = statistics.median(cpu for _, cpu in app_runs)
        bare_cpu = statistics.median(cpu for _, cpu in bare_runs)
        ratio = statistics.median(app_wall) / statistics.median(bare_wall)
        print(f"start-up to first paint, medians of {args.runs} interleaved runs (offscreen):")
        print(f"  tsa-desktop, alliance demo : {statistics.median(app_wall):.3f} s  "
              f"(min {min(app_wall):.3f}, max {max(app_wall):.3f}; CPU {app_cpu:.3f} s)"
              f"  [{' '.join(app)}]")
        print(f"  bare QMainWindow + table   : {statistics.median(bare_wall):.3f} s  "
              f"(min {min(bare_wall):.3f}, max {max(bare_wall):.3f}; CPU {bare_cpu:.3f} s)")
        verdict = "within" if ratio <= TARGET_RATIO else "OVER"
        print(f"  ratio: {ratio:.2f} ({verdict} the target of {TARGET_RATIO})"
              + (f"; CPU-time ratio {app_cpu / bare_cpu:.2f}" if bare_cpu else ""))
        # The window paints its frame before opening the file; say honestly when the data shows.
        data_wall = [wall for wall, _ in data_runs]
        data_cpu = statistics.median(cpu for _, cpu in data_runs)
        print(f"  until the schools are painted: {statistics.median(data_wall):.3f} s "
              f"(min {min(data_wall):.3f}, max {max(data_wall):.3f}; CPU {data_cpu:.3f} s), "
              f"{statistics.median(data_wall) / statistics.median(bare_wall):.2f} times the bare window")
        bare_data_wall = [wall for wall, _ in bare_data_runs]
        bare_data_cpu = statistics.median(cpu for _, cpu in bare_data_runs)
        data_ratio = statistics.median(data_wall) / statistics.median(bare_data_wall)
        print(f"  bare data window (Qt + SQLAlchemy ORM, the same schools): "
              f"{statistics.median(bare_data_wall):.3f} s (min {min(bare_data_wall):.3f}, "
              f"max {max(bare_data_wall):.3f}; CPU {bare_data_cpu:.3f} s)")
        verdict = "within" if data_ratio <= DATA_TARGET_RATIO else "OVER"
        print(f"  schools painted / bare data window: {data_ratio:.2f} ({verdict} the target of "
              f"{DATA_TARGET_RATIO}); CPU-time ratio {data_cpu / bare_data_cpu:.2f}")

        if args.importtime:
            print("import time of one start-up by package (python -X importtime, which inflates it):")
            for own, count, name in import_costs(app_env, db):
                print(f"  {own:7.3f} s  {count:4d} modules  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
