"""Composition root: parse the command line, open the database, then start the window or a command."""

from __future__ import annotations

import sys
from typing import Sequence

from tsa_desktop import __version__
from tsa_desktop.cli import build_parser, run_command
from tsa_desktop.logs import setup_logging


def _window_only(argv: Sequence[str]) -> tuple[bool, str | None]:
    """``(True, db)`` when the command line does nothing but open the window, at most on ``--db``.

    The full parser imports every sub-command module and what each needs at module level, which
    the window would pay for on every start-up; anything else (help, version, a sub-command, a
    mistake) goes through the full parser as before.
    """
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > len("--db="):
        return True, argv[0][len("--db="):]
    return False, None


def main(argv: Sequence[str] | None = None) -> int:
    """Run tsa-desktop.

    With no sub-command the window opens (on ``--db`` or the default file); otherwise the
    sub-command runs and its exit code is returned.
    """
    setup_logging()
    window, db = _window_only(sys.argv[1:] if argv is None else list(argv))
    if not window:
        args = build_parser(__version__).parse_args(argv)
        if getattr(args, "command", None):
            return run_command(args)
        db = args.db
    from tsa_desktop.ui.shell.application import run_window  # Qt is loaded only for the window

    return run_window(db=db, argv=sys.argv[:1])


if __name__ == "__main__":
    sys.exit(main())
