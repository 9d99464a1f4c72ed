"""``tsa-desktop check`` and ``tsa-desktop plan``: the rotation rules and the automatic planner.

    tsa-desktop check [--year Y]
    tsa-desktop plan [--year Y] [--time-limit S] [--apply] [--keep-proposed]
    tsa-desktop plan --repair [--year Y] [--apply]
    tsa-desktop confirm [--year Y] [--block NAME] [--school URN] [--trainee ID]
    tsa-desktop hosting URN --year Y [--block NAME] (--off | --on) [--reason TEXT]

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
    p.add_argument("--repair", action="store_true",
                   help="after a change, move as few placements as possible so that every rotation keeps "
                        "the rules (confirmed ones only when they must)")
    p.set_defaults(func=run_plan)

    p = sub.add_parser("confirm", parents=[common], help="confirm proposed placements in one step",
                       description="Confirm the chosen proposed placements (the whole year by default) "
                                   "in one step. A placement with a rule error is not confirmed and is "
                                   "listed. Exit 1 when any is left unconfirmed.")
    p.add_argument("--year", help="academic year, e.g. 2026/27 (default: the current one)")
    p.add_argument("--block", metavar="NAME", help="only this placement block, e.g. \"Spring block B\"")
    p.add_argument("--school", metavar="URN", help="only placements at this school")
    p.add_argument("--trainee", metavar="ID", help="only this trainee's placements (their trainee ID)")
    p.set_defaults(func=run_confirm)

    p = sub.add_parser("hosting", parents=[common], help="record whether a school hosts trainees",
                       description="Record whether a school hosts trainees in a year or one block. "
                                   "Placements at a school that is not hosting become rule errors.")
    p.add_argument("urn", metavar="URN", help="the school's URN")
    p.add_argument("--year", required=True, help="academic year, e.g. 2026/27")
    p.add_argument("--block", metavar="NAME", help="one placement block only (default: the whole year)")
    on_off = p.add_mutually_exclusive_group(required=True)
    on_off.add_argument("--off", dest="hosting", action="store_false", help="the school is not hosting")
    on_off.add_argument("--on", dest="hosting", action="store_true", help="the school is hosting")
    p.add_argument("--reason", metavar="TEXT", default="", help="why not (e.g. staffing)")
    p.set_defaults(func=run_hosting)


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

    if args.repair:
        return run_repair(args)
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


def run_confirm(args: argparse.Namespace) -> int:
    from tsa_desktop.services.rotations.confirm import Scope

    ws = open_for(args, need=("edit",))
    try:
        result = ws.confirming.confirm(_year(ws, args.year),
                                       Scope(block=args.block, school=args.school, trainee=args.trainee))
    finally:
        ws.close()
    for left in result.left:
        print(f"not confirmed: {left}")
    print(result.summary)
    return 1 if result.left else 0


def run_hosting(args: argparse.Namespace) -> int:
    ws = open_for(args, need=("edit",))
    try:
        change = ws.hosting.set_hosting(args.urn, args.year, hosting=args.hosting, block=args.block,
                                        reason=args.reason)
    finally:
        ws.close()
    print(change)
    return 0


def run_repair(args: argparse.Namespace) -> int:
    ws = open_for(args, read_only=not args.apply, need=("edit",))
    try:
        repair = ws.repair.propose(_year(ws, args.year), time_limit=min(args.time_limit, 30.0),
                                   progress=_StderrProgress())
        if args.apply and repair.change.steps:
            ws.repair.apply(repair)
    finally:
        ws.close()
    for move in repair.moves:
        print(move)
    for stuck in repair.stuck:
        print(f"cannot move: {stuck}")
    done = ("applied" if args.apply else "not applied (use --apply to save it)") if repair.change.steps \
        else "nothing to change"
    print(f"{repair.summary()}; {done}")
    return 1 if repair.stuck or repair.unplaced else 0
