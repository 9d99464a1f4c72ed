"""``tsa-desktop check`` and ``tsa-desktop plan``: the rotation rules and the automatic planner.

    tsa-desktop check [--year Y]
    tsa-desktop plan [--year Y] [--time-limit S] [--apply] [--keep-proposed]

``check`` prints every rule problem, one a line ("error: ..." / "warning: ..."), then a summary;
exit 1 when any problem is an error. ``plan`` prints who stays unplaced and why, then
"placed N, unplaced M (reasons), optimal|feasible (gap x%)"; it changes the database only with
``--apply``; exit 1 when somebody stays unplaced.
"""

from __future__ import annotations

import argparse
import sys

from tsa_desktop.cli.common import open_for
from tsa_desktop.domain.progress import Progress


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common], help="list every rotation rule problem of a year",
                       description="List every rotation rule problem, one a line. Exit 1 when any "
                                   "is an error.")
    p.add_argument("--year", help="academic year, e.g. 2026/27 (default: the current one)")
    p.set_defaults(func=run_check)

    p = sub.add_parser("plan", parents=[common], help="plan placements automatically",
                       description="Plan every empty (and unlocked proposed) placement of a year. "
                                   "Nothing changes without --apply. Exit 1 when somebody stays "
                                   "unplaced.")
    p.add_argument("--year", help="academic year, e.g. 2026/27 (default: the current one)")
    p.add_argument("--time-limit", type=float, default=30.0, metavar="S",
                   help="seconds the planner may take (default 30)")
    p.add_argument("--apply", action="store_true", help="write the plan to the database")
    p.add_argument("--keep-proposed", action="store_true",
                   help="leave unlocked proposed placements where they are; fill empty cells only")
    p.set_defaults(func=run_plan)


def _year(ws, year: str | None) -> str:
    # The services check a year given and name the years the file has when it is not there.
    return year or ws.years.current()


def run_check(args: argparse.Namespace) -> int:
    # A mentor sees only their own trainees' placements: checking part of a rotation would
    # report problems that are not there.
    ws = open_for(args, read_only=True, need=("view_all",))
    try:
        report = ws.rotations.check(_year(ws, args.year))
    finally:
        ws.close()
    for problem in report.problems:
        print(problem)
    print(report.summary)
    return 1 if report.has_errors else 0


class _StderrProgress(Progress):
    """Says on stderr when the planner finds a better plan, so a long run is not silent."""

    def report(self, done: int, total: int, message: str = "") -> None:
        if message and sys.stderr.isatty():
            print(f"  {message}", file=sys.stderr)


def run_plan(args: argparse.Namespace) -> int:
    from tsa_desktop.domain.errors import ValidationError

    if not 1 <= args.time_limit <= 3600:
        raise ValidationError.single("--time-limit", "must be between 1 and 3600 seconds", args.time_limit)
    ws = open_for(args, read_only=not args.apply, need=("edit",))
    try:
        proposal = ws.planning.propose(_year(ws, args.year), time_limit=args.time_limit,
                                       progress=_StderrProgress(), keep_proposed=args.keep_proposed)
        if args.apply and proposal.change.steps:
            ws.planning.apply_proposal(proposal)
    finally:
        ws.close()
    for u in proposal.unplaced:
        tail = f" (their proposed placement at {u.removed} is removed)" if u.removed and args.apply else ""
        print(f"unplaced: {u.trainee}, {u.block}: {u.reason}{tail}")
    done = ("applied" if args.apply else "not applied (use --apply to save it)") if proposal.change.steps \
        else "nothing to change"
    print(f"{proposal.summary()}; {len(proposal.new)} new, {len(proposal.changed)} changed; "
          f"{proposal.comparison()}; {done}")
    return 1 if proposal.unplaced else 0
