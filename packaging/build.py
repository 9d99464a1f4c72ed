"""Build the one-folder application ``dist/tsa-desktop/`` with PyInstaller, then smoke-test it.

Usage (from anywhere; the same on Windows with ``.venv\\Scripts\\python``):

    .venv/bin/python packaging/build.py            # install PyInstaller if missing, build, test
    .venv/bin/python packaging/build.py --no-build # only smoke-test the existing build

The smoke test runs the built program, not the source tree, in a temporary data folder:
``--version``; ``demo --db <tmp>/d.db --size small`` (creates a database through the shipped
Alembic migrations); and the window on that file with ``QT_QPA_PLATFORM=offscreen`` and
``TSA_DESKTOP_EXIT_AFTER_PAINT=1`` (it must paint and exit 0); and ``--bundle-check``, which
solves a tiny CP-SAT model, reads and writes spreadsheets and makes a PDF letter with the shipped
font inside the built program (packaging/bundle_check.py). Exit code 0 when all pass.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "tsa_desktop.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP = "tsa-desktop"
PYINSTALLER_REQUIREMENT = "pyinstaller>=6.5"
WINDOWS = sys.platform == "win32"
#: Files that must be in the bundle: the program finds them at run time by path, so a missing one
#: shows up only when a user creates a database or prints a letter.
REQUIRED_FILES = (
    "resources/fonts/DejaVuSans.ttf",
    "resources/letters/default-logo.png",
    "resources/icons/tsa-desktop.png",
    "resources/docs/architecture.md",
    "tsa_desktop/db/migrations/env.py",
    "tsa_desktop/db/migrations/script.py.mako",
)


def app_dir() -> Path:
    return DIST / APP


def executable(console: bool) -> Path:
    """The built program; on Windows the console twin for commands that print."""
    if WINDOWS:
        return app_dir() / (f"{APP}-cli.exe" if console else f"{APP}.exe")
    return app_dir() / APP


def contents_dir() -> Path:
    """Where PyInstaller 6 puts everything but the executables (``sys._MEIPASS``)."""
    internal = app_dir() / "_internal"
    return internal if internal.is_dir() else app_dir()


def ensure_pyinstaller() -> None:
    """Install PyInstaller into this interpreter's environment when it is missing or too old."""
    try:
        installed = importlib.metadata.version("pyinstaller")
    except importlib.metadata.PackageNotFoundError:
        installed = None
    if installed is not None and _release(installed) >= (6, 5):
        return
    print(f"installing {PYINSTALLER_REQUIREMENT} into {sys.prefix}", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", PYINSTALLER_REQUIREMENT], check=True)


def _release(version: str) -> tuple[int, ...]:
    """``"6.10.0rc1"`` -> ``(6, 10, 0)``: enough to compare with a minimum release."""
    numbers = []
    for part in version.split("."):
        match = re.match(r"\d+", part)
        if not match:
            break
        numbers.append(int(match.group()))
        if match.end() < len(part):  # "0rc1": a pre-release of this number, nothing after counts
            break
    return tuple(numbers)


def check_environment() -> None:
    """The application itself must be installed here, or PyInstaller bundles a broken program."""
    try:
        importlib.metadata.version("tsa-desktop")
    except importlib.metadata.PackageNotFoundError:
        raise SystemExit(
            "tsa-desktop is not installed in this environment. From the repository root run:\n"
            f'  {sys.executable} -m pip install -e ".[packaging,postgres]"'
        ) from None


def build() -> float:
    """Run PyInstaller on the spec; return the seconds it took."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)],
        cwd=ROOT, check=True,
    )
    return time.perf_counter() - start


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def largest_parts(folder: Path, count: int = 12) -> list[tuple[int, str]]:
    """The biggest top-level items of the bundle's contents, to see what to trim next."""
    parts = []
    for item in folder.iterdir():
        if item.is_symlink():  # PyInstaller's links to libraries counted where they point
            continue
        size = folder_size(item) if item.is_dir() else item.stat().st_size
        parts.append((size, item.name))
    return sorted(parts, reverse=True)[:count]


def _run(label: str, args: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    start = time.perf_counter()
    try:
        proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"FAIL {label}: no exit within {timeout:.0f} s")
        raise
    took = time.perf_counter() - start
    status = "ok  " if proc.returncode == 0 else "FAIL"
    print(f"{status} {label}: exit {proc.returncode} in {took:.2f} s")
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-4000:], sep="\n")
    return proc


def smoke_test() -> bool:
    """Run the built program four ways; True when all pass."""
    missing = [name for name in REQUIRED_FILES if not (contents_dir() / name).is_file()]
    versions = [p for p in (contents_dir() / "tsa_desktop/db/migrations/versions").glob("*.py")
                if p.name != "__init__.py"]
    if missing or not versions:
        print(f"FAIL bundle contents: missing {missing or 'migrations/versions/*.py'}")
        return False
    print(f"ok   bundle contents: resources and {len(versions)} migration file(s) present")

    expected = importlib.metadata.version("tsa-desktop")
    ok = True
    with tempfile.TemporaryDirectory(prefix="tsa-smoke-") as tmp:
        env = dict(os.environ)
        # Never touch the builder's own data folder; run without a display.
        env.update(TSA_DESKTOP_DATA_DIR=str(Path(tmp) / "data"), QT_QPA_PLATFORM="offscreen")
        env.pop("TSA_DESKTOP_RESOURCES", None)  # the bundle must find its own resources
        cli = str(executable(console=True))

        proc = _run("--version", [cli, "--version"], env, 60)
        if proc.returncode != 0 or expected not in proc.stdout:
            print(f"FAIL --version printed {proc.stdout.strip()!r}, expected {expected}")
            ok = False
        else:
            print(f"     {proc.stdout.strip()}")

        db = Path(tmp) / "d.db"
        proc = _run("demo --size small", [cli, "demo", "--db", str(db), "--size", "small"], env, 300)
        ok &= proc.returncode == 0 and db.is_file()
        if proc.returncode == 0:
            print(f"     {proc.stdout.strip()}")

        proc = _run("--bundle-check (planner, spreadsheets, letters, calendar)",
                    [cli, "--bundle-check"], env, 120)
        if proc.returncode == 0:  # on failure _run has shown everything already
            print("\n".join(f"     {line}" for line in proc.stdout.strip().splitlines()))
        ok &= proc.returncode == 0

        window_env = dict(env, TSA_DESKTOP_EXIT_AFTER_PAINT="1")
        proc = _run("window (offscreen, exit after first paint)",
                    [str(executable(console=False)), "--db", str(db)], window_env, 120)
        ok &= proc.returncode == 0
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="only smoke-test the existing build")
    parser.add_argument("--no-smoke", action="store_true", help="build without the smoke test")
    args = parser.parse_args(argv)

    if not args.no_build:
        check_environment()
        ensure_pyinstaller()
        took = build()
        print(f"built {app_dir()} in {took:.0f} s")
    if not executable(console=True).exists():
        print(f"no build at {app_dir()}; run without --no-build", file=sys.stderr)
        return 2

    size = folder_size(app_dir())
    print(f"size: {size / 2**20:.1f} MiB in {sum(1 for _ in app_dir().rglob('*'))} files and folders")
    for part_size, name in largest_parts(contents_dir()):
        print(f"  {part_size / 2**20:8.1f} MiB  {name}")
    if args.no_smoke:
        return 0
    passed = smoke_test()
    print("smoke test passed" if passed else "smoke test FAILED")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
