"""Helpers the sub-commands share."""

from __future__ import annotations

import argparse

from tsa_desktop.domain.errors import DomainError
from tsa_desktop.services.workspace import Workspace, open_workspace


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


def open_for(args: argparse.Namespace, *, read_only: bool = False) -> Workspace:
    """Open the database named by ``--db`` (or the default file) for a sub-command."""
    return open_workspace(getattr(args, "db", None), read_only=read_only)


def year_or_current(ws: Workspace, year: str | None) -> str:
    """``--year`` as given (checked), or the current academic year of the file."""
    if year:
        return ws.years.get(year).name
    return ws.years.current()
