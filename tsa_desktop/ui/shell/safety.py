"""Data safety in the window: who has the file, back up, restore, check, anonymise, the guide.

The work is done by the same service calls as the command line's ``backup``, ``restore``,
``verify`` and ``retention`` (services/safety.py); this module only asks the questions, runs the
work off the GUI thread and says what happened. Every question goes through a method that tests
replace, as pages do with ``run_dialog``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol

from PySide6.QtCore import QObject, QSettings, QStandardPaths
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from tsa_desktop import paths
from tsa_desktop.domain.errors import DatabaseFileError
from tsa_desktop.ui.core.changes import Change
from tsa_desktop.ui.core.context import AppContext, may
from tsa_desktop.ui.core.interaction import Interaction
from tsa_desktop.ui.core.tasks import TaskRunner

if TYPE_CHECKING:  # the services pull in SQLAlchemy: not before the first paint
    from tsa_desktop.services.workspace import Workspace

log = logging.getLogger(__name__)

BACKUP_FILTER = "tsa-desktop backups (*.db *.sqlite);;All files (*)"
GUIDE = Path("docs") / "data-safety.md"
TABLE_WORDS = {"schools": "schools", "trainees": "trainees", "mentors": "mentors",
               "placements": "placements", "nqts": "NQTs"}

# What ask_when_locked returns: the on_locked argument of open_workspace, or None for Cancel.
READ_ONLY, TAKE_OVER = "read_only", "take_over"


# --- somebody else has the file -------------------------------------------------------------------


def current_login() -> str:
    """The computer login of the person at this window (as the lock file records it)."""
    import getpass  # here, not at the top: the window's first paint waits for its imports

    try:
        return getpass.getuser()
    except Exception:  # getpass raises several kinds on odd Windows set-ups
        return os.environ.get("USERNAME", "unknown")


def lock_choices(error: Any, me: str | None = None) -> list[tuple[str, str | None]]:
    """The answers offered when a file is locked, first the default.

    Taking over is offered only when the lock is the user's own (the same login, on this or
    another computer): a lock left by their own crashed or forgotten session is theirs to
    clear, whereas a colleague's lock may guard work in progress. A lock on this computer whose
    program has died is cleared without asking (db/lock.py), so one that is still here belongs
    to a copy that runs.

    Args:
        error: The FileLockedError (its ``holder`` may be None when the lock file is unreadable).
        me: The current login; defaults to :func:`current_login`.

    Returns:
        (button text, answer) pairs; the answer is an ``on_locked`` value or None for Cancel.
    """
    holder = getattr(error, "holder", None)
    me = me if me is not None else current_login()
    choices: list[tuple[str, str | None]] = [("Open read-only", READ_ONLY)]
    if holder is not None and holder.user.casefold() == me.casefold():
        choices.append(("It is mine: take over", TAKE_OVER))
    choices.append(("Cancel", None))
    return choices


def lock_question(error: Any) -> str:
    """The text of the question asked when somebody else has the file open for editing."""
    holder = getattr(error, "holder", None)
    path = getattr(error, "path", "The file")
    if holder is None:
        return (f"{path} is being opened for editing by another copy of tsa-desktop (its lock file "
                "cannot be read yet).\n\nYou can open it read-only, or cancel and try again in a minute.")
    import socket

    here = holder.computer.casefold() == socket.gethostname().casefold()
    where = "on this computer" if here else f"on {holder.computer}"
    text = (f"{holder.user} {where} has this file open for editing, since {holder.since_text}.\n\n"
            f"{path}\n\nYou can open it read-only (you see everything, and change nothing), or "
            "wait until they close it.")
    if holder.user.casefold() == current_login().casefold():
        text += ("\n\nIf that is you and that copy is no longer in use (its computer crashed or was "
                 "switched off), you can take the file over: that copy will not be able to save again.")
    return text


def ask_when_locked(interaction: Interaction, parent: QWidget | None, error: Any) -> str | None:
    """Ask what to do about a file somebody else has open for editing.

    Returns:
        "read_only", "take_over", or None for Cancel.
    """
    choices = [(answer, text) for text, answer in lock_choices(error) if answer is not None]
    return interaction.choose(parent, "The file is in use", lock_question(error), choices)


# --- words ----------------------------------------------------------------------------------------


def reopen_target(workspace: Workspace) -> str:
    """What to pass to open_workspace to open the same database again (a path, or the URL)."""
    path = workspace.db.path
    return str(path) if path is not None else workspace.db.url.render_as_string(hide_password=False)


def describe_counts(counts: dict[str, int]) -> str:
    """"6 schools, 40 trainees, …" for a backup's counts."""
    return ", ".join(f"{n:,} {TABLE_WORDS.get(table, table)}" for table, n in counts.items())


def describe_size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 100_000 else f"{max(size, 1) / 1024:.0f} KB"


def _when(moment: dt.datetime) -> str:
    return f"{moment:%d/%m/%Y} at {moment:%H:%M}"


# --- the actions ----------------------------------------------------------------------------------


class SafetyHost(Protocol):
    """What the safety actions need of the main window."""

    ctx: AppContext | None
    messages: Any
    settings: QSettings
    interaction: Interaction

    def release_workspace(self, text: str) -> None: ...

    def open_path(self, path: str) -> bool: ...


class SafetyActions(QObject):
    """The File menu's data-safety actions and Help > Data safety, for one main window.

    They follow the open workspace (:meth:`refresh`): hidden when the user's role does not allow
    them, disabled when they make no sense (a read-only file cannot be anonymised).

    Args:
        window: The main window; its ``ctx``, ``messages``, ``settings``, ``open_path`` and
            ``release_workspace`` are used.

    Attributes:
        tasks: Runs a restore, which outlives the workspace it replaces (the window's context
            and its task runner are gone while the file is being replaced).
    """

    def __init__(self, window: SafetyHost) -> None:
        super().__init__(window)
        self.window = window
        self.tasks = TaskRunner(self)
        self.backup_action = self._make("&Back up now…", self.back_up_now,
                                        "Copy the open file, consistently, to a file of your choice")
        self.restore_action = self._make("&Restore from backup…", self.restore_from_backup,
                                         "Replace the open file with a checked backup")
        self.check_action = self._make("&Check the file", self.check_file,
                                       "Check the open file for damage (SQLite's full integrity check)")
        self.anonymise_action = self._make("&Anonymise old records…", self.anonymise_old_records,
                                           "Remove the personal details of trainees and NQTs whose "
                                           "training ended longer ago than the retention period")
        self.guide_action = self._make("&Data safety", self.show_guide,
                                       "Backups, restore, sign-in and what they cannot protect against")

    def _make(self, text: str, slot: Callable[[], None], tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def add_to_file_menu(self, menu: QMenu) -> None:
        for action in (self.backup_action, self.restore_action, self.check_action, self.anonymise_action):
            menu.addAction(action)

    def add_to_help_menu(self, menu: QMenu) -> None:
        menu.addAction(self.guide_action)

    @property
    def messages(self):
        return self.window.messages

    def _workspace(self) -> Workspace | None:
        return self.window.ctx.workspace if self.window.ctx is not None else None

    def refresh(self) -> None:
        """Show and enable the actions the open file and the user's role allow."""
        ws = self._workspace()  # no file yet: every action shown, but disabled
        damaged = ws is not None and ws.damage is not None
        self.backup_action.setVisible(may(ws, "backup"))
        self.backup_action.setEnabled(ws is not None)
        # A damaged file may be restored by anyone: its list of users may be lost (services/safety.py).
        self.restore_action.setVisible(may(ws, "restore") or damaged)
        # Read-only because somebody else edits it: the restore would be refused by their lock.
        self.restore_action.setEnabled(ws is not None and (not ws.read_only or damaged))
        self.check_action.setEnabled(ws is not None and ws.db.path is not None)
        self.anonymise_action.setVisible(may(ws, "retention"))
        self.anonymise_action.setEnabled(ws is not None and not ws.read_only)

    # --- questions -----------------------------------------------------------------------------------

    def ask_backup_path(self, suggested: str) -> str:
        """Ask where to write a backup; "" when cancelled."""
        return self.window.interaction.save_file(self.window, "Back up to", suggested, BACKUP_FILTER)

    def ask_backup_file(self, folder: str) -> str:
        """Ask which backup to restore; "" when cancelled."""
        return self.window.interaction.open_file(self.window, "Restore from backup", folder, BACKUP_FILTER)

    def open_document(self, path: Path) -> bool:
        """Open a document in the program the computer uses for it."""
        return self.window.interaction.open_document(path)

    # --- after opening a file ------------------------------------------------------------------------

    def after_open(self, workspace: Workspace) -> None:
        """Tell what opening found (a cleared lock, a network drive, read-only); for a damaged
        file, offer its latest good backup."""
        told = "\n\n".join(workspace.notices)
        if workspace.damage is None:
            if told:
                self.messages.info(told, title="Opening the file")
            return
        ctx = self.window.ctx

        def offer(found: Any) -> None:
            if self._workspace() is not workspace:
                return  # another file was opened meanwhile
            folder = workspace.safety.backup_folder
            if found is None:
                self.messages.info(
                    f"{told}\n\nNo automatic backup of this file passes its check (they are kept in "
                    f"{folder}). If you have a copy elsewhere, use File > Restore from backup….",
                    title="The file is damaged")
                return
            question = (f"{told}\n\nRestore the latest good backup? {found.kind}, made "
                        f"{_when(found.made_at)}:\n{found.path}\n\nThe damaged file is kept as a copy in "
                        f"{folder}. Anything changed after the backup was made is not in it.")
            if self.messages.confirm(question, title="The file is damaged"):
                self.restore(found.path)

        ctx.tasks.start_with_dialog(
            lambda _progress: workspace.safety.latest_good_backup(), "Looking for a good backup", self.window,
            on_done=offer, on_error=lambda exc: self.messages.error(exc, title="The file is damaged"))

    # --- Back up now -------------------------------------------------------------------------------

    def back_up_now(self) -> None:
        """Copy the open file to a file the user names, off the GUI thread."""
        ws = self._workspace()
        if ws is None:
            return
        stem = ws.db.path.stem if ws.db.path is not None else "alliance-server"
        suggested = Path(self._backup_folder()) / f"{stem}-backup-{dt.date.today():%Y-%m-%d}.db"
        path = self.ask_backup_path(str(suggested))
        if not path:
            return
        if not Path(path).suffix:
            path += ".db"
        ctx = self.window.ctx

        def done(result: Any) -> None:
            self.window.settings.setValue("last_backup_folder", str(result.path.parent))
            self.messages.info(f"{ws.display_name} was backed up to\n{result.path}\n\n"
                               f"({describe_size(result.size)}, checked as it was copied.)", title="Backed up")

        ctx.tasks.start_with_dialog(lambda _progress: ws.safety.backup_to(path), "Backing up", self.window,
                                    on_done=done, on_error=lambda exc: self.messages.error(exc, title="Not backed up"))

    def _backup_folder(self) -> str:
        last = self.window.settings.value("last_backup_folder", "")
        if last and Path(str(last)).is_dir():
            return str(last)
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return documents if documents and Path(documents).is_dir() else str(Path.home())

    # --- Restore from backup -----------------------------------------------------------------------

    def restore_from_backup(self) -> None:
        """Choose a backup, check it and say what it holds, confirm, then restore and reopen."""
        ws = self._workspace()
        if ws is None:
            return
        folder = ws.safety.backup_folder
        path = self.ask_backup_file(str(folder if folder.is_dir() else paths.backup_dir()))
        if not path:
            return
        source = Path(path)

        def checked(check: Any) -> None:
            if self._workspace() is not ws:
                return
            known = {b.path.resolve(): b for b in ws.safety.backups()}
            found = known.get(source.resolve())
            if found is not None:
                made = f"{found.kind}, made {_when(found.made_at)}"
            else:
                made = f"Last saved {_when(dt.datetime.fromtimestamp(source.stat().st_mtime))}"
            what = describe_counts(check.counts) or "no records"
            question = (f"Restore {source.name}?\n\n{made}\nIt holds {what}.\n\n"
                        f"{ws.display_name} will be replaced by this backup: everything changed since "
                        f"the backup was made is lost from it. What the file holds now is kept first, "
                        f"as a copy in\n{ws.safety.backup_folder}\n\nThe file is closed while the "
                        "backup is restored, then opened again.")
            if self.messages.confirm(question, title="Restore from backup"):
                self.restore(source)

        self.window.ctx.tasks.start_with_dialog(
            lambda _progress: ws.safety.inspect_backup(source), "Checking the backup", self.window,
            on_done=checked, on_error=lambda exc: self.messages.error(exc, title="Cannot restore this backup"))

    def restore(self, source: Path) -> None:
        """Close the open file, restore ``source`` over it off the GUI thread, then reopen it.

        Whatever happens the file is opened again: after a refused restore it is unchanged.
        """
        ws = self._workspace()
        if ws is None:
            return
        safety, target = ws.safety, reopen_target(ws)
        # Pages and their models are dropped first: nothing may read the file while it is replaced.
        self.window.release_workspace("Restoring from the backup…")

        def reopen() -> bool:
            if self.window.open_path(target):
                return True
            self.window.release_workspace("No file is open. Use File > Open… to open one.")
            return False

        def done(report: Any) -> None:
            if not reopen():
                return
            kept = (f"\n\nWhat it held before was kept in\n{report.safety_copy}" if report.safety_copy else "")
            upgraded = ("\n\nThe backup was made by an earlier version and was upgraded."
                        if report.upgraded_from else "")
            self.messages.info(f"{report.target} was restored from {report.source.name} "
                               f"({describe_counts(report.counts) or 'no records'}).{upgraded}{kept}",
                               title="Restored")

        def failed(exc: BaseException) -> None:
            self.messages.error(exc, title="Not restored")
            reopen()

        self.tasks.start_with_dialog(lambda _progress: safety.restore(source), "Restoring from the backup",
                                     self.window, on_done=done, on_error=failed)

    # --- Check the file -----------------------------------------------------------------------------

    def check_file(self) -> None:
        """Run the full integrity check off the GUI thread and report."""
        ws = self._workspace()
        if ws is None:
            return

        def done(report: Any) -> None:
            if report.ok:
                self.messages.info(f"{report.path}\n\nNo problems found (full check, {report.seconds:.1f} s).",
                                   title="Check the file")
                return
            advice = ("Use File > Restore from backup… to go back to a good backup; what the file holds "
                      "now is kept as a copy first.")
            self.messages.error(DatabaseFileError(f"{report.path} is damaged: {report.summary}\n\n{advice}"),
                                title="The file is damaged")

        self.window.ctx.tasks.start_with_dialog(
            lambda _progress: ws.safety.check(full=True), "Checking the file", self.window,
            on_done=done, on_error=lambda exc: self.messages.error(exc, title="Not checked"))

    # --- Anonymise old records ----------------------------------------------------------------------

    def anonymise_old_records(self) -> None:
        """Say who is due for anonymising and, once confirmed, anonymise them."""
        ws = self._workspace()
        if ws is None:
            return
        ctx = self.window.ctx
        today = dt.date.today()  # the preview and the change count from the same day

        def previewed(due: Any) -> None:
            if self._workspace() is not ws:
                return
            if not due.count:
                self.messages.info(f"Nobody is due: no trainee or NQT finished training before "
                                   f"{due.cutoff:%d/%m/%Y} (the file keeps personal details for "
                                   f"{due.years} years).", title="Anonymise old records")
                return
            question = (f"Anonymise {len(due.trainees):,} trainees and {len(due.nqts):,} NQTs whose training "
                        f"ended before {due.cutoff:%d/%m/%Y}? The file keeps personal details for "
                        f"{due.years} years (the setting “{_retention_label()}”).\n\nTheir names, contact details, "
                        "TRN, home address and notes are removed for good, here and in the audit trail; "
                        "routes, subjects, years, statuses and placements stay for the alliance's "
                        "figures. This cannot be undone. Backups made before today still hold the "
                        "details until their rotation removes them.")
            if not self.messages.confirm(question, title="Anonymise old records"):
                return
            ctx.tasks.start_with_dialog(
                lambda _progress: ws.retention.anonymise(today), "Anonymising old records", self.window,
                on_done=anonymised, on_error=lambda exc: self.messages.error(exc, title="Not anonymised"))

        def anonymised(done: Any) -> None:
            # Undoing an earlier edit of somebody now anonymised would write their details back.
            ctx.undo_stack.clear()
            ctx.changed.emit(Change.everything())
            self.messages.info(f"Anonymised {done}.", title="Anonymise old records")

        ctx.tasks.start_with_dialog(
            lambda _progress: ws.retention.preview(today), "Finding old records", self.window,
            on_done=previewed, on_error=lambda exc: self.messages.error(exc, title="Not anonymised"))

    # --- Help > Data safety ---------------------------------------------------------------------------

    def show_guide(self) -> None:
        """Open resources/docs/data-safety.md, or say where it would be."""
        path = paths.resources_dir() / GUIDE
        if path.is_file() and self.open_document(path):
            return
        if path.is_file():
            self.messages.info(f"The data safety guide could not be opened here. It is the file\n{path}",
                               title="Data safety")
        else:
            self.messages.info(f"The data safety guide is not installed. It would be the file\n{path}",
                               title="Data safety")


def _retention_label() -> str:
    from tsa_desktop.domain.settings import SETTINGS_BY_KEY

    return SETTINGS_BY_KEY["retention_years"].label
