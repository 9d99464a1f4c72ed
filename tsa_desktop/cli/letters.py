"""``tsa-desktop letters``: placement letters as one PDF or one PDF per letter.

    tsa-desktop letters --out PATH [--year Y] [--block NAME] [--trainee ID] [--to trainees|schools]

PATH ending ``.pdf`` gives one file; anything else is a folder that gets one PDF per letter.
Letters to trainees list their whole year, or one block with ``--block``; letters to schools go
to each host school for each block, with a copy to each mentor. Exit 0 when letters were
written, 1 when there was nothing to print, 2 for bad input (nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tsa_desktop.cli.common import open_for, with_hint


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "letters", parents=[common], help="placement letters to trainees or host schools as PDF",
        description="Write placement letters. --out ending .pdf writes one file; otherwise a "
                    "folder with one PDF per letter.")
    p.add_argument("--out", required=True, metavar="PATH",
                   help="a .pdf file, or a folder for one PDF per letter (a folder that does not "
                        "exist is created)")
    p.add_argument("--year", help="academic year, e.g. 2026/27 (default: the current one)")
    p.add_argument("--block", metavar="NAME",
                   help='one placement block, e.g. "Autumn block A" (any case; default: the '
                        "whole year)")
    p.add_argument("--trainee", metavar="ID", help="one trainee's letters, e.g. T260001")
    p.add_argument("--to", choices=("trainees", "schools"), default="trainees",
                   help="trainees (default), or host schools with a copy to each mentor")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tsa_desktop.services.letters.producing import LetterScope, check_output
    from tsa_desktop.services.letters.scope import TraineeOfAnotherYearError

    out = Path(args.out)
    per_letter = out.suffix.casefold() != ".pdf"
    # Refuse an unusable --out before opening (and perhaps upgrading) the database.
    check_output(out, per_letter)
    ws = open_for(args, need=("letters",))
    try:
        service = ws.letters
        scope = LetterScope(year=args.year, block=args.block, trainee=args.trainee, to=args.to)
        try:
            batch = service.prepare(scope)
        except TraineeOfAnotherYearError as exc:
            raise with_hint(exc, f"Use --year {exc.year}.") from exc
        if not batch.items:
            print(f"tsa-desktop letters: nothing to print: {batch.reason}.", file=sys.stderr)
            print("No letters written.")
            return 1
        result = service.produce(batch, out, per_letter=per_letter)
    finally:
        ws.close()
    print(result.summary)
    return 0
