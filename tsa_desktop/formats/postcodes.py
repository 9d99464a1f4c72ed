"""Postcode directories as published: the ONS Postcode Directory CSV and Code-Point Open.

Both give every postcode's Ordnance Survey easting and northing. They are large (the ONSPD has
about 2.7 million rows and 60 columns), so only the three columns needed are read, a chunk at a
time, and postcodes become numbers: a postcode without its spaces is at most 7 characters, which
fit in 8 bytes, read as one big-endian unsigned integer. Those integers sort as the postcodes do,
so a sorted array of them is searched with ``numpy.searchsorted`` and ten thousand postcodes are
found in milliseconds.

- ONSPD: a CSV with a header; the postcode is in ``pcds`` (one space) or ``pcd`` (7 characters),
  the grid reference in ``oseast1m`` and ``osnrth1m``; other columns are ignored. Postcodes
  without a grid reference (empty cells) are left out.
- Code-Point Open: a .zip of header-less CSVs (postcode, positional quality, eastings,
  northings, ...). Quality 90 means "no coordinates"; such postcodes are left out.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tsa_desktop.domain.errors import FieldProblem, ValidationError

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "CHUNK_ROWS", "ONSPD_EAST", "ONSPD_NORTH", "ONSPD_POSTCODE", "PostcodeArrays",
    "normalise_postcode", "postcode_key", "postcode_keys", "read_postcode_directory",
]

#: Rows read at a time: about 40 MB of a 60-column ONSPD at once, whatever the file's size.
CHUNK_ROWS = 250_000

#: ONSPD's postcode columns, preferred first, and its grid reference columns.
ONSPD_POSTCODE = ("pcds", "pcd", "pcd2")
ONSPD_EAST, ONSPD_NORTH = "oseast1m", "osnrth1m"

#: Code-Point Open's "positional quality indicator" for a postcode with no coordinates.
_CODEPOINT_NO_COORDINATES = 90

_KEY_BYTES = 8


@dataclass(frozen=True)
class PostcodeArrays:
    """A postcode directory as three arrays, sorted by key, one entry per postcode.

    Attributes:
        keys: ``postcode_key`` of each postcode (uint64), ascending and distinct.
        eastings: OS easting in metres (int32), in the same order.
        northings: OS northing in metres (int32).
        kind: "ONS Postcode Directory" or "Code-Point Open".
        rows_read: Data rows in the file, with or without coordinates.
    """

    keys: np.ndarray
    eastings: np.ndarray
    northings: np.ndarray
    kind: str
    rows_read: int

    def __len__(self) -> int:
        return int(self.keys.shape[0])


def normalise_postcode(text: str | None) -> str:
    """A postcode as directories are matched: capitals, no spaces ("gu10 3be" -> "GU103BE")."""
    if not text:
        return ""
    return "".join(text.split()).upper()


def postcode_key(text: str | None) -> int:
    """The number a postcode is kept under (0 for none, or one that cannot be a postcode)."""
    clean = normalise_postcode(text)
    if not clean or len(clean) > _KEY_BYTES or not clean.isascii():
        return 0
    return int.from_bytes(clean.encode("ascii").ljust(_KEY_BYTES, b"\0"), "big")


def postcode_keys(values: Iterable[str | None] | np.ndarray) -> np.ndarray:
    """``postcode_key`` of many postcodes at once (for millions of rows).

    One pass of plain string methods, then NumPy reads the 8-byte texts as big-endian integers
    in one step (array tricks to drop the spaces cost more than ``str.replace``). Values longer
    than 8 characters without their spaces, or not ASCII, get 0 (found nowhere).
    """
    import numpy as np

    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    clean = [_clean(v) for v in items]
    try:
        raw = np.array(clean, dtype=f"S{_KEY_BYTES}")
    except UnicodeEncodeError:
        raw = np.array([c if c.isascii() else "" for c in clean], dtype=f"S{_KEY_BYTES}")
    if raw.size == 0:
        return np.zeros(0, dtype=np.uint64)
    return raw.view(">u8").astype(np.uint64)


def _clean(value: object) -> str:
    if value.__class__ is not str:
        return ""
    text = value.replace(" ", "").upper()  # type: ignore[attr-defined]
    return text if len(text) <= _KEY_BYTES else ""


def read_postcode_directory(
    path: str | os.PathLike[str], progress: Callable[[int], None] | None = None,
) -> PostcodeArrays:
    """Read an ONSPD CSV (.csv, or a .zip holding one) or a Code-Point Open .zip.

    Args:
        path: The file as downloaded.
        progress: Called with the number of rows read so far, after each chunk; it may raise
            (to cancel).

    Raises:
        ValidationError: the file cannot be read, is neither kind, or has a grid reference
            that is not a number (naming the row and column); nothing is kept.
    """
    file = Path(path)
    source = str(file)
    if not file.is_file():
        raise ValidationError(FieldProblem("file", "there is no such file"), source=source)
    try:
        if zipfile.is_zipfile(file):
            return _read_zip(file, source, progress)
        with open(file, "rb") as handle:
            return _read_onspd(handle, source, progress)
    except ValidationError:
        raise
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError, EOFError) as exc:
        raise ValidationError(FieldProblem("file", f"cannot be read ({exc.__class__.__name__.lower()}): "
                                                   "download it again"), source=source) from None


# --- ONSPD ------------------------------------------------------------------------------------


def _header(handle: io.BufferedIOBase, source: str) -> list[str]:
    first = handle.readline(1_000_000)
    handle.seek(0)
    text = first.decode("utf-8-sig", errors="replace").strip()
    return next(csv.reader([text]), [])


def _read_onspd(handle, source: str, progress: Callable[[int], None] | None) -> PostcodeArrays:
    import numpy as np
    import pandas as pd

    header = _header(handle, source)
    by_name = {h.strip().lower(): h for h in header}
    postcode = next((by_name[c] for c in ONSPD_POSTCODE if c in by_name), None)
    east, north = by_name.get(ONSPD_EAST), by_name.get(ONSPD_NORTH)
    if postcode is None or east is None or north is None:
        missing = [n for n, c in (("pcds (or pcd)", postcode), (ONSPD_EAST, east), (ONSPD_NORTH, north))
                   if c is None]
        shown = ", ".join(header[:8]) + (" ..." if len(header) > 8 else "") if header else "none"
        raise ValidationError(FieldProblem(
            ", ".join(missing),
            f"is not an ONS Postcode Directory CSV nor a Code-Point Open .zip: missing the column"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)} (columns found: {shown})", 1),
            source=source)
    reader = pd.read_csv(handle, usecols=[postcode, east, north], dtype={postcode: object},
                         encoding="latin-1", chunksize=CHUNK_ROWS, keep_default_na=False,
                         na_values={east: [""], north: [""]})
    return _collect(_chunks(reader, postcode, east, north, source), "ONS Postcode Directory", progress, np)


def _chunks(reader, postcode: str, east: str, north: str, source: str) -> Iterator[tuple]:
    import pandas as pd

    first_row = 2
    for chunk in reader:
        rows = len(chunk)
        grid = []
        for column in (east, north):
            values = chunk[column]
            if values.dtype == object or str(values.dtype).startswith(("str", "string")):
                numbers = pd.to_numeric(values, errors="coerce")
                bad = numbers.isna() & values.notna() & (values.astype(str).str.strip() != "")
                if bad.any():
                    at = int(bad.to_numpy().nonzero()[0][0])
                    raise ValidationError(FieldProblem(
                        column, "is not a grid reference in metres", first_row + at,
                        str(values.iloc[at])[:30]), source=source)
                values = numbers
            grid.append(values.to_numpy(dtype="float64", na_value=float("nan")))
        yield chunk[postcode].to_numpy(dtype=object), grid[0], grid[1], rows
        first_row += rows


# --- Code-Point Open --------------------------------------------------------------------------


def _read_zip(file: Path, source: str, progress: Callable[[int], None] | None) -> PostcodeArrays:
    import numpy as np

    with zipfile.ZipFile(file) as archive:
        members = sorted(n for n in archive.namelist() if n.lower().endswith(".csv") and not n.endswith("/"))
        data = [n for n in members if "doc" not in Path(n).parts[0].lower() or len(Path(n).parts) == 1]
        if not data:
            raise ValidationError(FieldProblem("file", "the .zip holds no CSV file: expected Code-Point "
                                                       "Open (Data/CSV/*.csv) or an ONSPD CSV"), source=source)
        with archive.open(data[0]) as first:
            header = first.readline(1_000_000).decode("latin-1").strip().lower()
        if any(c in header.replace('"', "").split(",") for c in ONSPD_POSTCODE):
            with archive.open(data[0]) as handle:
                return _read_onspd(io.BufferedReader(handle), source, progress)  # type: ignore[arg-type]
        members = [n for n in data if "/doc" not in n.lower()]
        return _collect(_codepoint_chunks(archive, members, source), "Code-Point Open", progress, np)


def _codepoint_chunks(archive: zipfile.ZipFile, members: list[str], source: str) -> Iterator[tuple]:
    import numpy as np
    import pandas as pd

    for name in members:
        with archive.open(name) as handle:
            try:
                frame = pd.read_csv(handle, header=None, usecols=[0, 1, 2, 3], dtype={0: object},
                                    encoding="latin-1", keep_default_na=False, na_values={1: [""], 2: [""], 3: [""]})
            except pd.errors.EmptyDataError:
                continue
            except ValueError as exc:
                raise ValidationError(FieldProblem(
                    Path(name).name, f"is not a Code-Point Open file (postcode, quality, eastings, "
                                     f"northings): {str(exc).splitlines()[0][:80]}"), source=source) from None
        numbers = [pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
                   for c in (1, 2, 3)]
        bad = np.isnan(numbers[1]) | np.isnan(numbers[2])
        if bad.any() and not np.isnan(numbers[0][bad]).all():
            at = int(bad.nonzero()[0][0])
            raise ValidationError(FieldProblem(
                f"{Path(name).name}, eastings or northings", "is not a grid reference in metres",
                at + 1), source=source)
        no_coordinates = numbers[0] == _CODEPOINT_NO_COORDINATES
        east, north = numbers[1].copy(), numbers[2].copy()
        east[no_coordinates] = np.nan
        yield frame[0].to_numpy(dtype=object), east, north, len(frame)


# --- Both -------------------------------------------------------------------------------------


def _collect(chunks: Iterator[tuple], kind: str, progress: Callable[[int], None] | None, np) -> PostcodeArrays:
    keys, eastings, northings = [], [], []
    rows = 0
    for postcodes, east, north, count in chunks:
        rows += count
        usable = (~np.isnan(east) & ~np.isnan(north) & (east >= 0) & (east <= 700_000)
                  & (north >= 0) & (north <= 1_300_000) & ~((east == 0) & (north == 0)))
        chunk_keys = postcode_keys(postcodes[usable])
        found = chunk_keys != 0
        keys.append(chunk_keys[found])
        eastings.append(east[usable][found].astype(np.int32))
        northings.append(north[usable][found].astype(np.int32))
        if progress is not None:
            progress(rows)
    if not keys or not sum(len(k) for k in keys):
        return PostcodeArrays(np.zeros(0, np.uint64), np.zeros(0, np.int32), np.zeros(0, np.int32), kind, rows)
    all_keys = np.concatenate(keys)
    order = np.argsort(all_keys)
    sorted_keys = all_keys[order]
    # A postcode listed twice (never in a published file) keeps one of its entries.
    first = np.ones(len(sorted_keys), dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    order = order[first]
    return PostcodeArrays(sorted_keys[first], np.concatenate(eastings)[order],
                          np.concatenate(northings)[order], kind, rows)
