"""Spreadsheet files in and out: CSV and XLSX read as text, written safe from formula injection.

Reading gives a :class:`Table`: the header and the data rows of the first sheet, every value as
trimmed text or ``None`` for an empty cell, each row with the number a spreadsheet shows for it,
so that a problem can be reported as "row 7, urn". Nothing is guessed: identifiers keep their
leading zeros, ``NULL``, ``NA``, ``None`` and ``N/A`` are text (somebody's surname can be Null),
and dates stay text for :func:`tsa_desktop.domain.values.parse_date` (never month first).

Writing chooses CSV or XLSX by the file's ending. Text that a spreadsheet would take for a formula
(it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written so that it is
shown as text; numbers and dates are written as themselves.

pandas and openpyxl are imported inside the functions that need them: together they cost more
than half a second, which the window should not pay at start-up.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from tsa_desktop.formats.tabular_write import (
    FORMULA_TRIGGERS,
    SUPPORTED_SUFFIXES,
    escape_text,
    file_error,
    write_table,
)

__all__ = [
    "FORMULA_TRIGGERS", "SUPPORTED_SUFFIXES", "Row", "Table", "escape_text", "normalise_header",
    "read_table", "write_table",
]

_HEADER_NOISE = re.compile(r"[\s_\ufeff]+")
_MIDNIGHT = " 00:00:00"


def normalise_header(text: object) -> str:
    """The key a header is matched by: lower case, without spaces and underscores.

    ``"Trainee ID"``, ``"trainee_id"`` and ``"TraineeId"`` all give ``"traineeid"``.
    """
    if text is None:
        return ""
    return _HEADER_NOISE.sub("", str(text)).casefold()


class Row(NamedTuple):
    """One data row of a file.

    Attributes:
        number: The row number a spreadsheet shows (the header is row 1 in a usual file).
        values: Normalised header -> trimmed text, or None for an empty cell.
    """

    number: int
    values: dict[str, str | None]

    def get(self, key: str) -> str | None:
        """The value under a header, matched as :func:`normalise_header` matches it."""
        return self.values.get(normalise_header(key))


@dataclass(frozen=True)
class Table:
    """The header and data rows of a CSV file or of the first sheet of a workbook.

    Blank rows are left out, but every row keeps the number it has in the file. The values
    are held a column at a time (schemas parse whole columns, which is several times faster
    than a dictionary per row); :attr:`rows` gives them a row at a time.

    Attributes:
        source: The file as named by the caller, for messages.
        headers: The header cells as written in the file, in order, blanks left out.
        numbers: The file row number of each data row, in order.
        columns: Normalised header -> the column's values for each data row (trimmed text, or
            None for an empty cell). A header that appears twice is read from its first column.
        header_row: The row number of the header (1 unless blank rows come first).
        duplicate_headers: Normalised key -> the headers in the file that share it, when more
            than one does.
    """

    source: str
    headers: tuple[str, ...]
    numbers: tuple[int, ...]
    columns: Mapping[str, Sequence[str | None]]
    header_row: int = 1
    duplicate_headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        """The normalised headers, in file order, each once."""
        return tuple(self.columns)

    @functools.cached_property
    def rows(self) -> tuple[Row, ...]:
        """The data rows, in file order."""
        keys = tuple(self.columns)
        if not keys:
            return tuple(Row(n, {}) for n in self.numbers)
        return tuple(
            Row(n, dict(zip(keys, values)))
            for n, values in zip(self.numbers, zip(*self.columns.values()))
        )

    def column(self, header: str) -> Sequence[str | None]:
        """The values under a header (matched loosely), one per data row; all None if absent."""
        values = self.columns.get(normalise_header(header))
        return values if values is not None else [None] * len(self.numbers)

    def has(self, header: str) -> bool:
        """True when the file has a column matching ``header``."""
        return normalise_header(header) in self.columns

    def header_for(self, header: str) -> str | None:
        """The header as the file writes it, for a header matched loosely."""
        return self._header_by_key.get(normalise_header(header))

    @functools.cached_property
    def _header_by_key(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for header in self.headers:
            found.setdefault(normalise_header(header), header)
        return found

    def __len__(self) -> int:
        return len(self.numbers)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    @classmethod
    def from_values(
        cls, headers: Sequence[str], rows: Iterable[Sequence[object]], source: str = "table"
    ) -> "Table":
        """Build a table from values in memory, as if read from a file.

        Values are cleaned as cells of a file are: trimmed text, None for empty.
        """
        grid: list[list[object]] = [list(headers)]
        grid.extend(list(r) for r in rows)
        return _table_from_columns(list(itertools.zip_longest(*grid)), source)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def read_table(path: str | os.PathLike[str]) -> Table:
    """Read a .csv or .xlsx file into a :class:`Table`, every value as text.

    CSV files may be UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark,
    or Windows-1252 (as GIAS extracts are); the separator is a comma, or a semicolon or tab when
    the header line has no comma. Workbooks are read from their first sheet.

    Raises:
        ValidationError: The file is missing, is of an unknown type, cannot be read, or has no
            header row; the message names the file and the problem.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise file_error(file, f"unknown file type {suffix or '(none)'!r}; use a .csv or .xlsx file")
    if not file.is_file():
        raise file_error(file, "no such file" if not file.exists() else "is not a file")
    if suffix == ".csv":
        return _read_csv(file)
    return _read_xlsx(file)


def _read_csv(file: Path) -> Table:
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise file_error(file, f"cannot be read: {exc.strerror or exc}") from exc
    text = _decode(file, data)
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        # Excel in some locales saves "CSV" with semicolons; "Unicode text" uses tabs.
        semicolons, tabs = first_line.count(";"), first_line.count("\t")
        if semicolons or tabs:
            delimiter = ";" if semicolons >= tabs else "\t"
    try:
        grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise file_error(file, f"is not a well-formed CSV file ({exc})") from exc
    return _table_from_columns(list(itertools.zip_longest(*grid, fillvalue="")), str(file))


def _decode(file: Path, data: bytes) -> str:
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and _looks_like_utf16(data):
        raise file_error(file, "is UTF-16 text without a byte-order mark, which cannot be read reliably; "
                               "save it as \"CSV UTF-8\"")
    if data.startswith(b"\xef\xbb\xbf"):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        # UTF-8 first: a Windows-1252 file that also decodes as UTF-8 is all ASCII anyway.
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise file_error(file, "is neither UTF-8 nor Windows-1252 text; save it as \"CSV UTF-8\"")


def _looks_like_utf16(data: bytes) -> bool:
    """Whether text is UTF-16 without its byte-order mark: every other byte of plain text is NUL.

    Decoded as UTF-8 such text gives "u\0r\0n\0", and the import would report missing columns
    instead of the encoding.
    """
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)


def _read_xlsx(file: Path) -> Table:
    import pandas as pd  # noqa: PLC0415 - 0.36 s at start-up otherwise

    try:
        frame = pd.read_excel(
            file, sheet_name=0, header=None, engine="calamine",
            dtype=str, keep_default_na=False, na_filter=False,
        )
    except Exception as exc:  # noqa: BLE001 - any failure here means the file is unusable
        raise file_error(file, f"cannot be read as an Excel workbook ({_reason(exc)})") from exc
    columns = frame.to_numpy().T.tolist()
    _refuse_unsaved_formulas(file, columns)
    return _table_from_columns(columns, str(file))


def _refuse_unsaved_formulas(file: Path, columns: Sequence[Sequence[object]]) -> None:
    """A formula cell without a saved value is read as empty: name each one instead.

    Raises:
        ValidationError: naming the row and column of each such cell.
    """
    from tsa_desktop.domain.errors import FieldProblem, ValidationError
    from tsa_desktop.formats.xlsx_formulas import column_letters, formulas_without_values

    blanks = formulas_without_values(file)
    if not blanks:
        return
    height = max((len(c) for c in columns), default=0)
    header_row = next((i for i in range(height) if any(i < len(c) and _plain(c[i]) for c in columns)), 0)
    problems = []
    for row, col in sorted(blanks):
        header = _plain(columns[col][header_row]) if col < len(columns) and header_row < len(columns[col]) else None
        problems.append(FieldProblem(
            header or f"column {column_letters(col)}",
            f"cell {column_letters(col)}{row} is a formula whose value was not saved in the file (the program "
            "that wrote it does not calculate formulas): open the file in Excel and save it again, or type "
            "the value", row))
    raise ValidationError(problems, source=str(file))


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _table_from_columns(columns: Sequence[Sequence[object]], source: str) -> Table:
    """Turn columns of raw cells into a Table, numbering rows as the file does (first is 1).

    Works a column at a time: one list comprehension per column is several times faster than
    a function call per cell, and an import of 10,000 rows should cost little more than the
    spreadsheet reader itself.
    """
    height = max((len(c) for c in columns), default=0)
    header_index = next(
        (i for i in range(height) if any(i < len(c) and _plain(c[i]) for c in columns)), None
    )
    if header_index is None:
        raise file_error(Path(source), "is empty: the first row must name the columns")
    keys: list[str] = []
    chosen: list[Sequence[object]] = []
    headers: list[str] = []
    seen: dict[str, list[str]] = {}
    for column in columns:
        header = _plain(column[header_index]) if header_index < len(column) else None
        key = normalise_header(header)
        if not header or not key:
            continue
        headers.append(header)
        if key in seen:
            seen[key].append(header)
            continue
        seen[key] = [header]
        keys.append(key)
        chosen.append(column)
    duplicates = {k: tuple(v) for k, v in seen.items() if len(v) > 1}

    first = header_index + 1
    cleaned = [_clean_column(c[first:], height - first) for c in chosen]
    numbers = range(first + 1, height + 1)
    if cleaned:
        keep = [any(values) for values in zip(*cleaned)]
        if not all(keep):
            cleaned = [list(itertools.compress(c, keep)) for c in cleaned]
            numbers = itertools.compress(numbers, keep)
    else:
        numbers = range(0)
    return Table(source, tuple(headers), tuple(numbers), dict(zip(keys, cleaned)),
                 header_index + 1, duplicates)


def _clean_column(cells: Sequence[object], height: int) -> list[str | None]:
    try:
        out = [c.strip() or None for c in cells]  # type: ignore[union-attr]
    except AttributeError:  # a value that is not text: only from Table.from_values
        out = [_plain(c) for c in cells]
    if len(out) < height:
        out.extend([None] * (height - len(out)))
    # One join and three searches find the rare columns that need more than trimming.
    joined = "\n" + "\n".join(filter(None, out)) + "\n"
    if "\n'" in joined or "\n=" in joined or _MIDNIGHT + "\n" in joined:
        out = [None if v is None else _unwrap(v) for v in out]
    return out


def _plain(value: object) -> str | None:
    """A cell as trimmed text, or None when empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value).strip() or None


def _unwrap(text: str) -> str | None:
    first = text[0]
    # Our own exports put a quote before text that would be a formula: take it off again so
    # that export-then-import gives back the same values.
    if first == "'" and len(text) > 1 and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    # ="00123" is the usual trick to keep Excel from dropping leading zeros from a CSV cell.
    if first == "=" and len(text) > 3 and text[1] == '"' and text[-1] == '"' and '"' not in text[2:-1]:
        return text[2:-1].strip() or None
    # pandas writes a date cell as "2025-09-01 00:00:00"; the date is what the cell means.
    if len(text) == 19 and text[4] == "-" and text.endswith(_MIDNIGHT):
        return text[:10]
    return text
