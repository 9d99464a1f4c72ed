"""Sign-in and roles, turned on per file: who may see and change what.

A file has sign-in when it holds at least one user; until then everybody who can open the file
may do everything (the file's own permissions are then the only protection). With sign-in:

- ITT lead: everything, including users, restore and retention.
- Office: sees everything; may import, export, produce letters and make backups.
- Mentor: reads only, and sees only their own trainees (those with a placement naming them) and
  their own NQTs (those they are induction tutor to).

Passwords are hashed with Argon2id (argon2-cffi). Reading is filtered centrally: a session event
adds ``with_loader_criteria`` to every ORM query, so a mentor's view of trainees, placements and
NQTs is narrowed whichever service runs the query. What roles cannot do is written plainly in
resources/docs/data-safety.md: anybody holding a copy of the file can read it with other tools.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import false, func, insert, select, update
from sqlalchemy.orm import Session, with_loader_criteria

from tsa_desktop.db import audit
from tsa_desktop.db import models as m
from tsa_desktop.db.engine import Database
from tsa_desktop.db.events import listen_once
from tsa_desktop.domain.enums import Role
from tsa_desktop.domain.errors import ConflictError, DomainError, NotFoundError, ValidationError
from tsa_desktop.services.base import Service, check_version

log = logging.getLogger(__name__)

MIN_PASSWORD = 10

#: Everything a user may be allowed to do. "view_all" and "view_own" are about reading.
ACTIONS: dict[str, str] = {
    "edit": "change records",
    "import": "import files",
    "export": "export lists",
    "letters": "produce letters",
    "backup": "make backups",
    "restore": "restore a backup",
    "retention": "anonymise old records",
    "manage_users": "manage users",
    "view_audit": "see the audit trail",
    "view_history": "see a record's history",
    "view_all": "see every record",
    "view_own": "see your own trainees and NQTs",
}

#: What changes the open file itself.
WRITING_ACTIONS = frozenset({"edit", "import", "retention", "manage_users"})

ROLE_ACTIONS: dict[Role, frozenset[str]] = {
    Role.ITT_LEAD: frozenset(ACTIONS) - {"view_own"},
    Role.OFFICE: frozenset({"view_all", "import", "export", "letters", "backup", "view_history"}),
    Role.MENTOR: frozenset({"view_own"}),
}

class PermissionDeniedError(DomainError):
    """The signed-in user's role does not allow this; nothing was changed."""


class SignInError(DomainError):
    """The name or password was wrong, or the user was turned off."""


class SignInRequiredError(DomainError):
    """The file has sign-in turned on and nobody signed in."""


@dataclass(frozen=True)
class Permissions:
    """What the person using an open file may do.

    Ask it before offering an action: ``ws.permissions.can("import")``.

    Attributes:
        role: The signed-in user's role; None when the file has no sign-in (or nobody signed in).
        username: Who signed in.
        mentor_id: For a mentor: the mentor record whose trainees and NQTs they see.
        signed_in_required: True when the file has sign-in and nobody has signed in yet.
    """

    role: Role | None = None
    username: str | None = None
    mentor_id: int | None = None
    signed_in_required: bool = False
    _actions: frozenset[str] = field(default=frozenset(ACTIONS), repr=False)

    @classmethod
    def everything(cls) -> Permissions:
        """A file without sign-in: every action is allowed."""
        return cls()

    @classmethod
    def signed_out(cls) -> Permissions:
        """A file with sign-in that nobody has signed in to: nothing is allowed, nothing is shown."""
        return cls(signed_in_required=True, _actions=frozenset())

    @classmethod
    def for_user(cls, role: Role, username: str, mentor_id: int | None) -> Permissions:
        return cls(role, username, mentor_id, False, ROLE_ACTIONS[role])

    def read_only(self) -> Permissions:
        """The same person on a file opened read-only: nothing that writes to it is offered.

        Restoring stays: it replaces the file rather than writing to it, and is how a damaged
        (read-only) file is mended.
        """
        return replace(self, _actions=self._actions - WRITING_ACTIONS)

    def can(self, action: str) -> bool:
        """Whether ``action`` (a key of ACTIONS) is allowed."""
        return action in self._actions

    def require(self, action: str) -> None:
        """Raise PermissionDeniedError unless ``action`` is allowed."""
        if self.can(action):
            return
        if self.signed_in_required:
            raise PermissionDeniedError("Sign in first: this file has sign-in turned on. Nothing was changed.")
        raise PermissionDeniedError(
            f"{self.username} signed in as {self.role.label if self.role else 'nobody'} may not "
            f"{ACTIONS.get(action, action)}. Nothing was changed; ask the ITT lead."
        )

    def require_write(self, service: Any) -> None:
        """Refuse a change made through ``service`` unless its permission is allowed."""
        self.require(getattr(type(service), "permission", "edit"))

    @property
    def sees_everything(self) -> bool:
        return self.can("view_all")

    @property
    def description(self) -> str:
        """For the status bar: "Jo Bloggs (ITT lead)"."""
        if self.role is None:
            return "Not signed in" if self.signed_in_required else ""
        return f"{self.username} ({self.role.label})"


@dataclass(frozen=True)
class UserRow:
    """A user as the users dialog shows them."""

    id: int
    username: str
    role: Role
    mentor_id: int | None
    mentor_name: str
    active: bool
    version: int


# --- row filtering ------------------------------------------------------------------------------


def install_row_filter(db: Database) -> None:
    """Narrow every ORM query made on ``db`` to what its current permissions may see."""
    for factory in db.session_factories:
        listen_once(factory, "row filter", ("do_orm_execute", _filter_rows))


def _filter_rows(state: Any) -> None:
    if not state.is_select:
        return
    perms = getattr(state.session.info.get("db"), "permissions", None)
    if perms is None or perms.sees_everything:
        return
    mentor_id = perms.mentor_id if perms.can("view_own") else None
    state.statement = state.statement.options(*_criteria(mentor_id))


def _criteria(mentor_id: int | None) -> list:
    # Core tables inside the criteria: the ORM entities would be filtered again, recursively.
    placements, nqts = m.Placement.__table__, m.Nqt.__table__
    if mentor_id is None:
        own_trainees = select(placements.c.trainee_id).where(false())
        own_nqts = select(nqts.c.id).where(false())
    else:
        own_trainees = select(placements.c.trainee_id).where(placements.c.mentor_id == mentor_id)
        own_nqts = select(nqts.c.id).where(nqts.c.induction_tutor_id == mentor_id)
    options = [
        with_loader_criteria(m.Trainee, m.Trainee.id.in_(own_trainees), include_aliases=True),
        with_loader_criteria(m.TraineeStatusChange, m.TraineeStatusChange.trainee_id.in_(own_trainees),
                             include_aliases=True),
        with_loader_criteria(m.Placement, m.Placement.trainee_id.in_(own_trainees), include_aliases=True),
        with_loader_criteria(m.Nqt, m.Nqt.id.in_(own_nqts), include_aliases=True),
        with_loader_criteria(m.NqtAssessment, m.NqtAssessment.nqt_id.in_(own_nqts), include_aliases=True),
        with_loader_criteria(m.SessionAttendance, m.SessionAttendance.nqt_id.in_(own_nqts), include_aliases=True),
        with_loader_criteria(m.AuditEntry, false(), include_aliases=True),
        with_loader_criteria(m.User, false(), include_aliases=True),
    ]
    return options


# --- the service --------------------------------------------------------------------------------


class UserService(Service):
    """Sign in and out, and manage the users of a file (ITT lead only)."""

    permission = "manage_users"
    _dummy: str | None = None  # a hash of a random password, checked when the name does not exist

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        install_row_filter(db)
        from argon2 import PasswordHasher

        self._hasher = PasswordHasher()
        self._signed_in_id: int | None = None
        self._rehash: tuple[int, str] | None = None  # (user id, new hash) stored with the sign-in's record

    # --- state ---------------------------------------------------------------------------------

    def sign_in_enabled(self) -> bool:
        """Whether the file holds any user (and so asks everyone to sign in)."""
        with self._db.reading() as s:
            return _count_users(s) > 0

    def current(self) -> Permissions:
        """What the person using the file may do now."""
        return self._db.permissions or Permissions.everything()

    # --- signing in ----------------------------------------------------------------------------

    def sign_in(self, username: str, password: str, *, record: bool = True) -> Permissions:
        """Check a name and password and act as that user from now on.

        Args:
            username: The user's name (any case).
            password: Their password.
            record: Record the sign-in in the audit trail now; False leaves it to
                :meth:`record_sign_in` (a command first checks what the role may do).

        Raises:
            SignInError: wrong name or password (which one is not said), or a user turned off.
        """
        from argon2.exceptions import InvalidHashError, VerificationError

        users = m.User.__table__
        with self._db.reading() as s:
            # Core, on the connection: the row filter hides users from a signed-in mentor.
            user = s.connection().execute(
                select(users).where(func.lower(users.c.username) == username.strip().lower())).first()
        found = (user.id, user.username, user.password_hash, Role.parse(user.role), user.mentor_id,
                 user.active) if user else None
        try:
            # A name that does not exist costs the same time as a wrong password.
            self._hasher.verify(found[2] if found else self._dummy_hash(), password)
            ok = found is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            self._record(None, "sign_in_failed", f"Sign-in refused for the name {username.strip()[:60]!r}")
            raise SignInError("That name and password do not match a user of this file. Try again, "
                              "or ask the ITT lead to set a new password.")
        user_id, name, stored, role, mentor_id, active = found
        if not active:
            raise SignInError(f"{name} has been turned off by the ITT lead and may not sign in.")
        self._db.permissions = Permissions.for_user(role, name, mentor_id)
        self._db.user = name
        self._signed_in_id = user_id
        self._rehash = (user_id, self._hasher.hash(password)) if self._hasher.check_needs_rehash(stored) else None
        if record:
            self.record_sign_in()
        return self._db.permissions

    def record_sign_in(self) -> None:
        """Record in the audit trail that the signed-in user signed in (and a newer hash, if due)."""
        perms = self._db.permissions
        if perms is None or perms.username is None:
            return
        pending, self._rehash = self._rehash, None
        if pending is not None and not self._db.read_only:
            self._store_hash(*pending)
        self._record(self._signed_in_id, "sign_in", f"{perms.username} signed in ({perms.role.label})")

    def sign_out(self) -> None:
        """Stop acting as the signed-in user; nothing can be seen or changed until the next sign-in."""
        from tsa_desktop.db.engine import default_user

        self._db.permissions = Permissions.signed_out() if self.sign_in_enabled() else None
        self._db.user = default_user()

    # --- managing users ------------------------------------------------------------------------

    def list(self) -> list[UserRow]:
        """Every user of the file, by name (ITT lead only)."""
        self._require("manage_users")
        with self._read() as s:
            return [_user_row(s, u) for u in s.scalars(select(m.User).order_by(m.User.username))]

    def enable_sign_in(self, username: str, password: str) -> Permissions:
        """Turn sign-in on: create the first user, an ITT lead, and sign in as them.

        Raises:
            ConflictError: sign-in is already on. ValidationError: a bad name or password.
        """
        if self.sign_in_enabled():
            raise ConflictError("Sign-in is already turned on for this file.")
        self.create(username, password, Role.ITT_LEAD)
        return self.sign_in(username, password)

    def disable_sign_in(self) -> None:
        """Turn sign-in off: delete every user (ITT lead only). Anyone who can open the file may
        then do everything."""
        with self._write() as s:
            names = [u.username for u in s.scalars(select(m.User))]
            for user in s.scalars(select(m.User)):
                s.delete(user)
            audit.record_bulk(s, "users", "sign_in_off",
                              f"Sign-in turned off; {len(names)} users deleted: {', '.join(names)}")
        self._db.permissions = None

    def create(self, username: str, password: str, role: Role | str, mentor_email: str | None = None) -> UserRow:
        """Add a user. The first user of a file must be an ITT lead (it turns sign-in on).

        Raises:
            ValidationError: a bad name, password, role or mentor. ConflictError: the name is taken.
        """
        name = _valid_name(username)
        _valid_password(password)
        role = _valid_role(role)
        with self._write() as s:
            if _count_users(s) == 0 and role is not Role.ITT_LEAD:
                raise ValidationError.single("role", "the first user must be an ITT lead, who can then add others",
                                             kind="users")
            if s.scalar(select(m.User).where(func.lower(m.User.username) == name.lower())):
                raise ConflictError(f"There is already a user called {name}.")
            user = m.User(username=name, password_hash=self._hasher.hash(password), role=role.code,
                          mentor_id=_mentor_id(s, role, mentor_email), active=True)
            s.add(user)
            s.flush()
            return _user_row(s, user)

    def update(self, user_id: int, *, role: Role | str | None = None, mentor_email: str | None = None,
               active: bool | None = None, expected_version: int | None = None) -> UserRow:
        """Change a user's role, mentor record or whether they may sign in.

        Raises:
            ConflictError: it would leave no active ITT lead.
        """
        with self._write() as s:
            user = _load(s, user_id)
            check_version(user.version, expected_version, user.username)
            new_role = _valid_role(role) if role is not None else Role.parse(user.role)
            user.role = new_role.code
            if role is not None or mentor_email is not None:
                user.mentor_id = _mentor_id(s, new_role, mentor_email)
            if active is not None:
                user.active = active
            s.flush()
            _keep_a_lead(s)
            return _user_row(s, user)

    def set_password(self, user_id: int, new_password: str) -> None:
        """Give a user a new password (ITT lead only; to change your own, use change_password)."""
        _valid_password(new_password)
        with self._write() as s:
            _load(s, user_id).password_hash = self._hasher.hash(new_password)

    def change_password(self, old_password: str, new_password: str) -> None:
        """The signed-in user changes their own password.

        Raises:
            SignInError: the old password is wrong.
        """
        perms = self.current()
        if perms.username is None:
            raise PermissionDeniedError("Sign in first to change your password.")
        self.sign_in(perms.username, old_password)
        _valid_password(new_password)
        if self._db.read_only:
            from tsa_desktop.services.base import ReadOnlyError

            raise ReadOnlyError("This file is open read-only: the password was not changed.")
        users = m.User.__table__
        with self._db.transaction() as s:
            s.connection().execute(
                update(users).where(users.c.username == perms.username)
                .values(password_hash=self._hasher.hash(new_password), version=users.c.version + 1))
            audit.record_bulk(s, "users", "password", f"{perms.username} changed their password")

    def delete(self, user_id: int) -> UserRow:
        """Delete a user. The last ITT lead cannot be deleted while other users remain."""
        with self._write() as s:
            user = _load(s, user_id)
            row = _user_row(s, user)
            s.delete(user)
            s.flush()
            _keep_a_lead(s)
            return row

    # --- helpers ---------------------------------------------------------------------------------

    def _dummy_hash(self) -> str:
        if UserService._dummy is None:
            UserService._dummy = self._hasher.hash(secrets.token_urlsafe(16))
        return UserService._dummy

    def _store_hash(self, user_id: int, new_hash: str) -> None:
        with self._db.transaction() as s:
            user = s.get(m.User, user_id)
            if user is not None:
                user.password_hash = new_hash

    def _record(self, user_id: int | None, action: str, summary: str) -> None:
        """Sign-ins go into the audit trail too (not possible when the file is read-only)."""
        if self._db.read_only:
            return
        try:
            with self._db.transaction() as s:
                s.connection().execute(insert(m.AuditEntry.__table__).values(
                    at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), user=self._db.user[:120],
                    computer=self._db.computer[:120], table_name="users", record_id=user_id,
                    action=action, changes="{}", summary=summary))
        except Exception:  # a busy file must not stop somebody signing in
            log.warning("could not record %s", action, exc_info=True)


def _count_users(s: Session) -> int:
    # Core on the connection: the row filter hides the users table from signed-in non-leads.
    return s.connection().execute(select(func.count()).select_from(m.User.__table__)).scalar() or 0


def _load(s: Session, user_id: int) -> m.User:
    user = s.get(m.User, user_id)
    if user is None:
        raise NotFoundError("That user no longer exists.")
    return user


def _user_row(s: Session, user: m.User) -> UserRow:
    mentor_name = ""
    if user.mentor_id is not None:
        mentor = s.get(m.Mentor, user.mentor_id)
        mentor_name = f"{mentor.first_name} {mentor.last_name}" if mentor else ""
    return UserRow(user.id, user.username, Role.parse(user.role), user.mentor_id, mentor_name,
                   user.active, user.version)


def _keep_a_lead(s: Session) -> None:
    users = s.scalars(select(m.User)).all()
    if users and not any(u.active and u.role == Role.ITT_LEAD.code for u in users):
        raise ConflictError("That would leave no ITT lead who can sign in, and nobody could manage "
                            "users any more. Nothing was changed.")


def _valid_name(username: str) -> str:
    name = " ".join((username or "").split())
    if not name or len(name) > 120:
        raise ValidationError.single("username", "give a name of 1 to 120 characters", username, kind="users")
    return name


def _valid_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError.single("password", f"must be at least {MIN_PASSWORD} characters long "
                                                 "(a few unrelated words are easy to remember)", kind="users")


def _valid_role(role: Role | str) -> Role:
    try:
        return Role.parse(role)
    except ValueError as exc:
        raise ValidationError.single("role", str(exc), role, kind="users") from exc


def _mentor_id(s: Session, role: Role, mentor_email: str | None) -> int | None:
    if role is not Role.MENTOR:
        return None
    if not mentor_email:
        raise ValidationError.single("mentor_email", "a mentor user must be linked to their mentor record",
                                     kind="users")
    mentor = s.scalar(select(m.Mentor).where(func.lower(m.Mentor.email) == mentor_email.strip().lower()))
    if mentor is None:
        raise ValidationError.single("mentor_email", "no mentor has this email", mentor_email, kind="users")
    return mentor.id
