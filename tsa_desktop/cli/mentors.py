"""``tsa-desktop mentor-pack``: a mentor's trainees as a PDF and an .ics calendar; or every
mentor's, with an email draft each and an index.csv for a mail merge (``--all``)."""

from __future__ import annotations

import argparse

from tsa_desktop.cli.common import open_for


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "mentor-pack", parents=[common],
        help="write a mentor's trainees for the year as a PDF and an .ics calendar",
        description="Write the mentor pack (PDF) and a calendar of the mentor's placements (.ics, "
                    "all-day events; importing it again updates the events) into a folder.")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--mentor", metavar="EMAIL", help="the mentor's email address")
    who.add_argument("--all", action="store_true",
                     help="every mentor with placements in the year: a PDF, an .ics and an email "
                          "draft (.eml) each, and DIR/index.csv (mentor, email, pdf, ics)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the files (created if needed)")
    p.add_argument("--year", help="academic year, e.g. 2025/26 (default: the current one)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # A mentor may have their own pack only, and the packs of every mentor are the alliance's
    # letters: asked before the sign-in or anything else is written.
    need = ("view_all", "letters") if args.all else (lambda ws: ws.mentor_view.require_own(args.mentor),)
    ws = open_for(args, need=need)
    try:
        if args.all:
            files = ws.mentor_packs.write_all(args.out, year=args.year)
        else:
            files = ws.mentor_view.write_pack(args.mentor, args.out, year=args.year)
    finally:
        ws.close()
    print(files)
    return 0
