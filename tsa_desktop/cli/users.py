"""``tsa-desktop users list|add|remove``: user accounts, for school IT staff without the window.

    tsa-desktop users list
    tsa-desktop users add NAME --role itt_lead|office|mentor [--mentor EMAIL]
    tsa-desktop users remove NAME

The new password is read from TSA_DESKTOP_NEW_PASSWORD, or asked for (twice, not shown) when
the command runs in a terminal. The first user must be an ITT lead, and adding them turns sign-in
on; from then on every command signs in with TSA_DESKTOP_USER and TSA_DESKTOP_PASSWORD, and only
an ITT lead may list, add or remove users.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from tsa_desktop.cli.common import open_for
from tsa_desktop.domain.errors import NotFoundError, ValidationError

NEW_PASSWORD_VARIABLE = "TSA_DESKTOP_NEW_PASSWORD"
ROLES = ("itt_lead", "office", "mentor")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "users", parents=[common], help="list, add or remove the users of a file (sign-in)",
        description="User accounts. The first user must be an ITT lead and turns sign-in on; then only "
                    "an ITT lead may manage users (sign in with TSA_DESKTOP_USER and TSA_DESKTOP_PASSWORD). "
                    f"A new password is read from {NEW_PASSWORD_VARIABLE}, or asked for in a terminal.")
    actions = p.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    q = actions.add_parser("list", parents=[common], help="every user, with role and mentor record")
    q.set_defaults(func=run_list)
    q = actions.add_parser("add", parents=[common], help="add a user (the first must be an ITT lead)")
    q.add_argument("name", metavar="NAME", help="the name they sign in with")
    q.add_argument("--role", required=True, choices=ROLES, help="itt_lead, office or mentor")
    q.add_argument("--mentor", metavar="EMAIL", help="for a mentor: their email in the mentor pool")
    q.set_defaults(func=run_add)
    q = actions.add_parser("remove", parents=[common], help="remove a user")
    q.add_argument("name", metavar="NAME", help="the user's name")
    q.set_defaults(func=run_remove)


def run_list(args: argparse.Namespace) -> int:
    ws = open_for(args, read_only=True, need=("manage_users",))
    try:
        if not ws.users.sign_in_enabled():
            print(f"no users: sign-in is off for {ws.display_name} (add an ITT lead to turn it on)")
            return 0
        rows = ws.users.list()
    finally:
        ws.close()
    for row in rows:
        state = "" if row.active else "\tturned off"
        mentor = f"\t{row.mentor_name}" if row.mentor_name else ""
        print(f"{row.username}\t{row.role.label}{mentor}{state}")
    print(f"{len(rows)} user{'' if len(rows) == 1 else 's'} in {ws.display_name}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    if args.role == "mentor" and not args.mentor:
        raise ValidationError.single("--mentor", "a mentor's account needs their email in the mentor pool")
    if args.role != "mentor" and args.mentor:
        raise ValidationError.single("--mentor", "only a mentor's account names a mentor")
    ws = open_for(args, need=("manage_users",))
    try:
        first = not ws.users.sign_in_enabled()
        if first and args.role != "itt_lead":
            raise ValidationError.single("--role", "the first user must be an ITT lead (itt_lead), who can "
                                         "then add others", args.role)
        password = _new_password(args.name)
        row = ws.users.create(args.name, password, args.role, mentor_email=args.mentor)
    finally:
        ws.close()
    tail = "; sign-in is now on for this file" if first else ""
    print(f"added {row.username} ({row.role.label}) to {ws.display_name}{tail}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    ws = open_for(args, need=("manage_users",))
    try:
        if not ws.users.sign_in_enabled():
            raise NotFoundError(f"{ws.display_name} has no users (sign-in is off). Nothing was changed.")
        wanted = args.name.strip().casefold()
        found = next((r for r in ws.users.list() if r.username.casefold() == wanted), None)
        if found is None:
            raise NotFoundError(f"{ws.display_name} has no user called {args.name.strip()}. Nothing was changed.")
        row = ws.users.delete(found.id)
    finally:
        ws.close()
    print(f"removed {row.username} ({row.role.label}) from {ws.display_name}")
    return 0


def _new_password(name: str) -> str:
    """The new password: from TSA_DESKTOP_NEW_PASSWORD, or typed twice in a terminal."""
    given = os.environ.get(NEW_PASSWORD_VARIABLE)
    if given:
        return given
    if not sys.stdin.isatty():
        raise ValidationError.single(
            "password", f"set {NEW_PASSWORD_VARIABLE} to the new password (or run the command in a terminal "
                        "to be asked for it)")
    first = getpass.getpass(f"New password for {name}: ")
    if getpass.getpass("The same password again: ") != first:
        raise ValidationError.single("password", "the two passwords differ; nothing was changed")
    return first
