"""Composition root: parse the command line, open the database, then start the window or a command."""

from __future__ import annotations

import sys
from typing import Sequence

from tsa_desktop import __version__
from tsa_desktop.cli import build_parser, run_command
from tsa_desktop.logs import setup_logging


def main(argv: Sequence[str] | None = None) -> int:
    """Run tsa-desktop.

    With no sub-command the window opens (on ``--db`` or the default file); otherwise the
    sub-command runs and its exit code is returned.
    """
    setup_logging()
    parser = build_parser(__version__)
    args = parser.parse_args(argv)
    if getattr(args, "command", None):
        return run_command(args)
    from tsa_desktop.ui.application import run_window  # Qt is loaded only for the window

    return run_window(db=args.db, argv=sys.argv[:1])


if __name__ == "__main__":
    sys.exit(main())
