"""The command line: ``tsa-desktop SUBCOMMAND``. Each module under cli/ adds its sub-commands.

Exit codes (INTERFACES.md): 0 success; 1 the command worked and found problems; 2 bad input or a
file that cannot be used (message on stderr, nothing changed). An unexpected error is logged with
its traceback and reported in one line, with exit code 3.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import sys

from tsa_desktop import paths
from tsa_desktop.domain.errors import DomainError

log = logging.getLogger(__name__)

#: Modules under tsa_desktop.cli that define ``register(subparsers, common)``. A module that is
#: not there yet (an area still being built) is skipped.
COMMAND_MODULES = ("demo", "transfer", "rotations", "letters", "mentors", "safety", "users")

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: the file in the user data folder)",
    )
    return common


def build_parser(version: str) -> argparse.ArgumentParser:
    """The whole command line, with every sub-command that is available."""
    parser = argparse.ArgumentParser(
        prog="tsa-desktop",
        description="ITT placement and mentor planner. With no sub-command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"tsa-desktop {version}")
    parser.add_argument("--db", metavar="PATH_OR_URL", default=None,
                        help="database file or SQLAlchemy URL (default: the file in the user data folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = _common()
    for name in COMMAND_MODULES:
        qualified = f"{__name__}.{name}"
        if importlib.util.find_spec(qualified) is None:
            continue
        importlib.import_module(qualified).register(sub, common)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run the sub-command chosen in ``args``; turn errors into messages and exit codes."""
    try:
        return int(args.func(args) or 0)
    except DomainError as exc:
        print(f"tsa-desktop {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"tsa-desktop {args.command}: interrupted; nothing was changed.", file=sys.stderr)
        return EXIT_PROBLEMS
    except Exception as exc:  # the last line of defence: log it, say one line
        log.exception("unexpected error in %s", args.command)
        print(f"tsa-desktop {args.command}: unexpected error ({type(exc).__name__}: {exc}). "
              f"Details were written to {paths.log_file()}", file=sys.stderr)
        return EXIT_INTERNAL
