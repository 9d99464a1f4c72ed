"""The postcode directory kept once per computer, and locating postcodes with it.

The directory is read from the ONSPD or Code-Point Open file (formats/postcodes.py) and kept in
the user data folder as two NumPy arrays (sorted postcode keys, and eastings and northings) with
a small JSON note of where it came from: about 16 bytes a postcode, 43 MB for the whole UK,
opened memory-mapped in an instant. It is not copied into alliance files or their backups: an
alliance file keeps only the coordinates it resolved.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tsa_desktop import paths
from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.domain.progress import SILENT, Progress

_KEYS, _GRID, _INFO = "keys.npy", "grid.npy", "directory.json"


@dataclass(frozen=True)
class DirectoryInfo:
    """What postcode directory is loaded on this computer.

    Attributes:
        file_name: The file it was read from.
        kind: "ONS Postcode Directory" or "Code-Point Open".
        loaded_at: When it was loaded (local time).
        postcodes: How many postcodes with coordinates it holds.
    """

    file_name: str
    kind: str
    loaded_at: dt.datetime
    postcodes: int

    def describe(self) -> str:
        """E.g. ``ONSPD_FEB_2026_UK.csv (ONS Postcode Directory), 2,712,345 postcodes, loaded 07/12/2026``."""
        return (f"{self.file_name} ({self.kind}), {self.postcodes:,} postcodes, "
                f"loaded {self.loaded_at:%d/%m/%Y %H:%M}")


class PostcodeDirectory:
    """A postcode directory on disk: load a published file into it, look postcodes up.

    Args:
        folder: Where it is kept; the user data folder's ``postcodes`` by default.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else paths.postcode_dir()
        self._arrays: tuple | None = None
        self._lock = threading.Lock()

    # --- what is there --------------------------------------------------------------------------

    def info(self) -> DirectoryInfo | None:
        """The loaded directory, or None when none has been loaded on this computer."""
        try:
            note = json.loads((self.folder / _INFO).read_text(encoding="utf-8"))
            return DirectoryInfo(note["file_name"], note["kind"], dt.datetime.fromisoformat(note["loaded_at"]),
                                 int(note["postcodes"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @property
    def loaded(self) -> bool:
        return self.info() is not None

    # --- loading a file -------------------------------------------------------------------------

    def load(self, path: str | os.PathLike[str], progress: Progress = SILENT) -> DirectoryInfo:
        """Read an ONSPD CSV or a Code-Point Open .zip and keep it, replacing what was kept.

        Raises:
            ValidationError: the file cannot be used (naming the file, row and column); the
                directory kept before stays as it was.
            CancelledError: cancelled; the directory kept before stays as it was.
        """
        import numpy as np

        from tsa_desktop.formats.postcodes import read_postcode_directory

        source = Path(path)
        progress.report(0, 3, f"Reading {source.name}…")

        def read_so_far(rows: int) -> None:
            progress.report(1, 3, f"Reading {source.name}: {rows:,} rows…")
            progress.check()

        arrays = read_postcode_directory(source, read_so_far)
        if not len(arrays):
            raise ValidationError(FieldProblem(
                "file", f"holds no postcode with a grid reference ({arrays.rows_read:,} rows read)"),
                source=str(source))
        progress.report(2, 3, f"Keeping {len(arrays):,} postcodes…")
        progress.check()
        self.folder.mkdir(parents=True, exist_ok=True)
        grid = np.stack([arrays.eastings, arrays.northings], axis=1).astype(np.int32)
        info = DirectoryInfo(source.name, arrays.kind, dt.datetime.now().replace(microsecond=0), len(arrays))
        # Written beside, then moved into place: a directory half written is never read.
        with self._lock:
            for name, array in ((_KEYS, arrays.keys), (_GRID, grid)):
                temporary = self.folder / f"{name}.new"
                with open(temporary, "wb") as handle:
                    np.save(handle, array, allow_pickle=False)
            note = self.folder / f"{_INFO}.new"
            note.write_text(json.dumps({"file_name": info.file_name, "kind": info.kind,
                                        "loaded_at": info.loaded_at.isoformat(),
                                        "postcodes": info.postcodes}), encoding="utf-8")
            self._arrays = None
            os.replace(self.folder / f"{_KEYS}.new", self.folder / _KEYS)
            os.replace(self.folder / f"{_GRID}.new", self.folder / _GRID)
            os.replace(note, self.folder / _INFO)
        progress.report(3, 3, f"{len(arrays):,} postcodes kept")
        return info

    # --- looking up -----------------------------------------------------------------------------

    def _open(self) -> tuple | None:
        with self._lock:
            if self._arrays is None and self.info() is not None:
                import numpy as np

                try:
                    keys = np.load(self.folder / _KEYS, mmap_mode="r", allow_pickle=False)
                    grid = np.load(self.folder / _GRID, mmap_mode="r", allow_pickle=False)
                except (OSError, ValueError):
                    return None
                self._arrays = (keys, grid)
            return self._arrays

    def locate(self, postcodes: Sequence[str | None]) -> list[tuple[int, int] | None]:
        """The (easting, northing) of each postcode, None where the directory has no such one.

        Postcodes match ignoring case and spaces. With no directory loaded every answer is None.
        """
        arrays = self._open()
        if arrays is None or not postcodes:
            return [None] * len(postcodes)
        import numpy as np

        from tsa_desktop.formats.postcodes import postcode_key

        keys, grid = arrays
        wanted = np.fromiter((postcode_key(p) for p in postcodes), dtype=np.uint64, count=len(postcodes))
        at = np.searchsorted(keys, wanted)
        at[at >= len(keys)] = 0
        hit = (keys[at] == wanted) & (wanted != 0)
        found = grid[at]
        return [(int(e), int(n)) if ok else None
                for ok, (e, n) in zip(hit.tolist(), found.tolist())]

    def locate_one(self, postcode: str | None) -> tuple[int, int] | None:
        """The (easting, northing) of one postcode, or None."""
        return self.locate([postcode])[0]


_shared: dict[Path, PostcodeDirectory] = {}


def directory(folder: Path | None = None) -> PostcodeDirectory:
    """The computer's postcode directory (one object per folder, shared by every workspace)."""
    key = folder if folder is not None else paths.postcode_dir()
    found = _shared.get(key)
    if found is None:
        found = _shared[key] = PostcodeDirectory(key)
    return found


def not_found_note(what: str, postcode: str) -> str:
    """The warning for a postcode the directory lacks, in the user's words."""
    return (f"{what}: postcode {postcode} is not in the postcode directory, so journeys to and "
            "from it are unknown; check the postcode, or give the easting and northing")


def locations(directory_: PostcodeDirectory, postcodes: Iterable[str | None]) -> dict[str, tuple[int, int]]:
    """Postcode -> (easting, northing) for those of ``postcodes`` the directory holds."""
    wanted = sorted({p for p in postcodes if p})
    return {p: xy for p, xy in zip(wanted, directory_.locate(wanted)) if xy is not None}

