"""Helpers the sub-commands share: opening the database the same way for every command."""

from __future__ import annotations

import argparse
import sys

from tsa_desktop.domain.errors import DomainError
from tsa_desktop.services.opening import open_workspace
from tsa_desktop.services.workspace import Workspace


class HintedError(DomainError):
    """A service's message with the command line's own hint added ("Use --force to replace it.").

    Services speak for the window too, so they never name a command-line option; the command
    that knows the option that would help adds it here.
    """

    def __init__(self, error: DomainError, hint: str) -> None:
        text = str(error).rstrip()
        super().__init__(f"{text}{' ' if text.endswith(('.', '!', '?')) else '. '}{hint}")
        self.exit_code = error.exit_code


def with_hint(error: DomainError, hint: str) -> HintedError:
    """``error`` with ``hint`` after its message, keeping its exit code (raise it ``from error``)."""
    return HintedError(error, hint)


def open_for(args: argparse.Namespace, *, read_only: bool = False, need: tuple = (),
             allow_empty: bool = False, even_if_edited: bool = False) -> Workspace:
    """Open the database named by ``--db`` (or the default file) for a sub-command.

    A file that cannot be used (damaged, empty, not a database, written by a newer version,
    somebody else editing it) is refused, never opened read-only; and the signed-in user's role
    must allow every action in ``need`` before anything is written (the sign-in is not even
    recorded otherwise). What opening did that the user should know (a lock cleared that a
    program which died had left, what an unfinished restore left removed) is said on stderr.

    Args:
        args: The parsed command line.
        read_only: The command only reads.
        need: The actions (keys of services.safety.users.ACTIONS) the command needs, or checks
            that raise when the user may not go on (see open_workspace).
        allow_empty: An empty (zero-byte) file may get a new database (demo).
        even_if_edited: Read the file even while somebody else has it open for editing (backup:
            its copy is consistent whatever the window does meanwhile).

    Raises:
        DatabaseFileError, PermissionDeniedError, SignInError, SignInRequiredError.
    """
    ws = open_workspace(getattr(args, "db", None), read_only=read_only, refuse_unusable=True,
                        allow_empty=allow_empty, need=need,
                        on_locked="read_only" if even_if_edited and read_only else "raise")
    for notice in ws.notices:
        print(f"tsa-desktop {args.command}: {notice}", file=sys.stderr)
    return ws


def year_or_current(ws: Workspace, year: str | None) -> str:
    """``--year`` as given (checked), or the current academic year of the file."""
    if year:
        return ws.years.get(year).name
    return ws.years.current()
