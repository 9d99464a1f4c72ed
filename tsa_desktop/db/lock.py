"""One editor per database file: a lock file beside it that says who has it open, and since when.

SQLite locks a file only for the length of a transaction; two copies of the program could both
keep a file open for editing and overwrite each other's work. So the copy that opens a file for
editing creates ``<file>.lock`` (atomically, with O_EXCL), writes who it is into it, and holds an
operating-system lock on it for as long as the file is open: ``flock`` on POSIX, a byte-range lock
with ``msvcrt.locking`` on Windows. Another copy that finds the lock file is told who has the file
and may open it read-only.

A lock left by a program that died on this computer is cleared: its process no longer runs, or
(when the process id was reused) nobody holds the operating-system lock. A lock made on another
computer is never cleared automatically: over a network the holder may simply be slow. The user
may take it over explicitly; the previous holder then finds out before its next save
(:meth:`FileLock.check`).

Within one process the lock is shared: opening the same file twice (the window and a worker
thread, or tests) counts references and releases the lock with the last one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
import threading
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from tsa_desktop.domain.errors import DatabaseFileError

#: Seconds after which an empty or unreadable lock file counts as abandoned (a writer that died
#: between creating the file and writing into it).
UNREADABLE_GRACE_S = 30.0

# Windows: lock one byte far past the text, so that others can still read who holds the lock.
_WIN_LOCK_OFFSET = 1 << 20


@dataclass(frozen=True)
class LockInfo:
    """Who holds a lock.

    Attributes:
        user: The person (the computer login, or the signed-in name).
        computer: The computer's network name.
        pid: The process id on that computer.
        since: When they opened the file (local time, ISO format).
        token: Identifies this one opening, so a holder can tell it still holds the lock.
    """

    user: str
    computer: str
    pid: int
    since: str
    token: str

    @property
    def since_text(self) -> str:
        """``since`` as people write it: 23/11/2026 at 10:30."""
        try:
            return dt.datetime.fromisoformat(self.since).strftime("%d/%m/%Y at %H:%M")
        except ValueError:
            return self.since

    def describe(self) -> str:
        return f"{self.user} on {self.computer}, since {self.since_text}"


class FileLockedError(DatabaseFileError):
    """Somebody else has the file open for editing.

    Attributes:
        path: The database file.
        holder: Who has it (None when the lock file could not be read).
    """

    exit_code = 2

    def __init__(self, path: Path, holder: LockInfo | None) -> None:
        self.path, self.holder = path, holder
        who = holder.describe() if holder else "another copy of tsa-desktop (starting up or unreadable)"
        super().__init__(
            f"{path} is open for editing by {who}. Wait until they close it (the window can open it "
            "read-only meanwhile). Nothing was changed."
        )


class LockLostError(DatabaseFileError):
    """Somebody took over the lock of a file this program had open for editing."""


def lock_path_for(db_file: Path) -> Path:
    """The lock file of a database file."""
    return db_file.with_name(db_file.name + ".lock")


def read_lock(db_file: Path) -> LockInfo | None:
    """Who holds the lock of ``db_file``, or None when there is no readable lock file."""
    try:
        text = lock_path_for(db_file).read_text(encoding="utf-8")
        data = json.loads(text)
        return LockInfo(str(data["user"]), str(data["computer"]), int(data["pid"]), str(data["since"]),
                        str(data["token"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class FileLock:
    """This process's hold on a database file. Get one with :func:`acquire`.

    Attributes:
        db_file: The database file.
        info: What the lock file says about us.
        cleared: The stale lock that was cleared when this lock was taken, if any.
    """

    def __init__(self, db_file: Path, info: LockInfo, fd: int, cleared: LockInfo | None) -> None:
        self.db_file, self.info, self.cleared = db_file, info, cleared
        self._fd: int | None = fd
        self._count = 1

    @property
    def held(self) -> bool:
        return self._fd is not None

    def check(self) -> None:
        """Raise LockLostError if somebody took the lock over since we took it.

        Called before every change, so that a copy whose lock was taken over cannot overwrite
        the work of the copy that took it.
        """
        current = read_lock(self.db_file)
        if current is None or current.token != self.info.token:
            who = current.describe() if current else "somebody"
            raise LockLostError(
                f"{self.db_file} was taken over by {who}. Your change was not saved. Close the file "
                "and open it again (read-only, or after they close it)."
            )

    def release(self) -> None:
        """Give one reference back; the last one removes the lock file and the OS lock."""
        with _REGISTRY_LOCK:
            self._count -= 1
            if self._count > 0 or self._fd is None:
                return
            _REGISTRY.pop(_key(self.db_file), None)
            fd, self._fd = self._fd, None
            still_ours = (read_lock(self.db_file) or self.info).token == self.info.token
            if still_ours:
                try:
                    lock_path_for(self.db_file).unlink()
                except OSError:
                    pass
            _os_unlock(fd)
            os.close(fd)


_REGISTRY: dict[str, FileLock] = {}
_REGISTRY_LOCK = threading.Lock()


def _key(db_file: Path) -> str:
    return os.path.normcase(os.path.abspath(db_file))


def acquire(db_file: Path, user: str, *, take_over: bool = False) -> FileLock:
    """Take the editing lock of ``db_file`` (or share this process's lock on it).

    Args:
        db_file: The database file.
        user: Who is opening it, for the lock file.
        take_over: Replace a lock held by somebody else (the user said they know it is stale).

    Raises:
        FileLockedError: another program holds it (unless take_over).
        DatabaseFileError: the lock file cannot be created (a folder without write permission).
    """
    with _REGISTRY_LOCK:
        mine = _REGISTRY.get(_key(db_file))
        if mine is not None and mine.held:
            mine._count += 1
            return mine
        lock = _acquire_new(db_file, user, take_over)
        _REGISTRY[_key(db_file)] = lock
        return lock


def _acquire_new(db_file: Path, user: str, take_over: bool) -> FileLock:
    path = lock_path_for(db_file)
    cleared: LockInfo | None = None
    for _attempt in range(3):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        except FileExistsError:
            seen = _identity(path)
            holder = read_lock(db_file)
            if take_over or _is_stale(path, holder):
                cleared = holder
                # Remove only the file judged stale: another program may have replaced it since.
                if _identity(path) == seen:
                    _remove_stale(path)
                continue
            raise FileLockedError(db_file, holder) from None
        except OSError as exc:
            raise DatabaseFileError(
                f"Cannot open {db_file} for editing: the lock file {path.name} cannot be created "
                f"in {path.parent} ({exc.strerror}). Open it read-only, or ask for write access "
                "to the folder."
            ) from exc
        if not _os_lock(fd):  # a race lost to another program between create and lock
            os.close(fd)
            raise FileLockedError(db_file, read_lock(db_file))
        info = LockInfo(user=user, computer=socket.gethostname(), pid=os.getpid(),
                        since=dt.datetime.now().isoformat(timespec="seconds"), token=uuid.uuid4().hex)
        data = json.dumps(asdict(info)).encode("utf-8")
        os.write(fd, data)
        os.fsync(fd)
        return FileLock(db_file, info, fd, cleared)
    raise FileLockedError(db_file, read_lock(db_file))


def _is_stale(path: Path, holder: LockInfo | None) -> bool:
    """Whether a lock file was left behind by a program that is no longer running."""
    if holder is None:
        # Empty or unreadable: being written this very moment, or its writer died at once.
        try:
            age = dt.datetime.now().timestamp() - path.stat().st_mtime
        except OSError:
            return True  # gone meanwhile
        return age > UNREADABLE_GRACE_S and _nobody_holds(path)
    if holder.computer.casefold() != socket.gethostname().casefold():
        return False  # cannot see another computer's processes; only the user may decide
    if holder.pid == os.getpid():
        return holder.token not in {lock.info.token for lock in _REGISTRY.values()}
    if not process_alive(holder.pid):
        return True
    return _nobody_holds(path)  # the process id was reused by another program


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def _remove_stale(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:  # Windows: a live holder keeps the file open, so it cannot be deleted
        raise FileLockedError(path.with_name(path.name[:-5]), read_lock(path.with_name(path.name[:-5]))) from exc


def _nobody_holds(path: Path) -> bool:
    """True when no process on this computer holds the OS lock on the lock file."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        if _os_lock(fd):
            _os_unlock(fd)
            return True
        return False
    finally:
        os.close(fd)


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        query_limited_information, still_active = 0x1000, 259
        handle = ctypes.windll.kernel32.OpenProcess(query_limited_information, False, pid)
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == still_active
        finally:
            ctypes.windll.kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    return True


def _os_lock(fd: int) -> bool:
    """Take the OS lock on an open lock file without waiting; False if somebody holds it."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _os_unlock(fd: int) -> None:
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows only
            import msvcrt

            os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass
