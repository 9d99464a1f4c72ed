"""``tsa-desktop demo``: create a demo alliance."""

from __future__ import annotations

import argparse
from pathlib import Path

from tsa_desktop.cli.common import open_for, with_hint
from tsa_desktop.domain.errors import ValidationError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="create a demo alliance of invented people")
    p.add_argument("--size", choices=("small", "alliance", "large"), default="alliance")
    p.add_argument("--seed", type=int, default=1, help="the same seed gives the same alliance")
    p.add_argument("--year", help="academic year, e.g. 2025/26 (default: the current one)")
    p.add_argument("--force", action="store_true", help="replace what the file already holds")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not getattr(args, "db", None):
        raise ValidationError.single("--db", "give the file to create the demo in, e.g. --db demo.db")
    if "://" not in args.db and Path(args.db).is_dir():
        raise ValidationError.single("--db", "is a folder; give a file name", args.db)
    from tsa_desktop.services.demo.builder import AllianceExistsError, DemoService

    ws = open_for(args, need=("edit",), allow_empty=True)
    try:
        summary = DemoService(ws.db).create(args.size, seed=args.seed, year=args.year, force=args.force)
    except AllianceExistsError as exc:
        raise with_hint(exc, "Use --force to replace it with the demo.") from exc
    finally:
        ws.close()
    print(f"{summary} in {ws.display_name}")
    return 0
