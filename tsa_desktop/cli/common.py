"""Helpers the sub-commands share."""

from __future__ import annotations

import argparse

from tsa_desktop.services.opening import open_workspace
from tsa_desktop.services.workspace import Workspace


def open_for(args: argparse.Namespace, *, read_only: bool = False) -> Workspace:
    """Open the database named by ``--db`` (or the default file) for a sub-command."""
    return open_workspace(getattr(args, "db", None), read_only=read_only)


def year_or_current(ws: Workspace, year: str | None) -> str:
    """``--year`` as given (checked), or the current academic year of the file."""
    if year:
        return ws.years.get(year).name
    return ws.years.current()
