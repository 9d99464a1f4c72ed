"""Writing spreadsheets: CSV or XLSX by the file's ending, safe from formula injection.

Text that a spreadsheet would take for a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) is written so that it is shown as text; numbers and dates are written as
themselves. :mod:`tsa_desktop.formats.tabular` re-exports everything public here.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import enum
import math
import os
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from tsa_desktop.domain.errors import FieldProblem, ValidationError

#: File endings :func:`write_table` accepts.
SUPPORTED_SUFFIXES = (".csv", ".xlsx")

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# XML 1.0 cannot hold these control characters; openpyxl refuses a cell that has one.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_COLUMN_WIDTH = 60
_WIDTH_SAMPLE_ROWS = 2000


def file_error(file: Path, message: str) -> ValidationError:
    """The error for a file that cannot be used: its message names the file and the problem."""
    return ValidationError(FieldProblem("file", message), source=str(file))


def write_table(
    path: str | os.PathLike[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[object] | Mapping[str, object]],
    *,
    bom: bool = True,
    sheet_name: str = "Sheet1",
) -> int:
    """Write a header and rows to a .csv or .xlsx file, chosen by the file's ending.

    Values are written as they are: text as text, ``int``/``float`` as numbers, ``date`` and
    ``datetime`` as dates (ISO text in CSV, date cells shown dd/mm/yyyy in XLSX), ``bool`` as
    yes/no, enumerations by their code and ``None`` as an empty cell. Text beginning with
    ``= + - @``, a tab or a carriage return is shown as text by a spreadsheet, never run as a
    formula: in CSV it gets a leading single quote, in XLSX it is a string cell with Excel's
    quote prefix. The file is written to a temporary name first and then put in place, so a
    failure never leaves half a file behind.

    Args:
        path: The file to write; it ends .csv or .xlsx.
        columns: The header, in order.
        rows: Each a sequence in column order, or a mapping from column name to value.
        bom: Whether a CSV file starts with a UTF-8 byte-order mark. Keep it for files people
            open in Excel (without it Excel reads UTF-8 as Windows-1252); leave it out for
            files uploaded to services that do not expect one (Register's placement upload).
        sheet_name: The worksheet's name in an XLSX file.

    Returns:
        The number of data rows written.

    Raises:
        ValidationError: The ending is not .csv or .xlsx, or the file cannot be written (for
            example because it is open in Excel).
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise file_error(file, f"unknown file type {suffix or '(none)'!r}; use a .csv or .xlsx file")
    header = [str(c) for c in columns]
    data = [_as_sequence(r, header) for r in rows]
    directory = file.parent if str(file.parent) else Path(".")
    try:  # the rule for every output (resources/docs): a folder that does not exist is created
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise file_error(file, f"cannot be written: its folder cannot be created ({exc.strerror or exc})") from exc
    # Not tempfile.mkstemp: its file is private (0600) and the export would keep that mode.
    temporary = str(directory / f".~{file.stem}.{secrets.token_hex(4)}{suffix}")
    try:
        if suffix == ".csv":
            _write_csv(Path(temporary), header, data, bom)
        else:
            _write_xlsx(Path(temporary), header, data, sheet_name)
        os.replace(temporary, file)
    except OSError as exc:
        _remove_quietly(temporary)
        hint = " (is it open in another program?)" if isinstance(exc, PermissionError) else ""
        raise file_error(file, f"cannot be written: {exc.strerror or exc}{hint}") from exc
    except BaseException:
        _remove_quietly(temporary)
        raise
    return len(data)


def _as_sequence(row: Sequence[object] | Mapping[str, object], header: list[str]) -> Sequence[object]:
    if isinstance(row, Mapping):
        return [row.get(c) for c in header]
    if len(row) > len(header):
        raise ValueError(f"a row has {len(row)} values for {len(header)} columns")
    return row


def _remove_quietly(name: str) -> None:
    try:
        os.remove(name)
    except OSError:
        pass


def escape_text(text: str) -> str:
    """Text as a CSV cell that no spreadsheet runs as a formula: a quote before a trigger."""
    if text and text[0] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        return escape_text(str(value.value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return "" if math.isnan(value) or math.isinf(value) else repr(value)
    if isinstance(value, (int, decimal.Decimal)):
        return str(value)
    return escape_text(str(value))


def _write_csv(file: Path, header: list[str], data: list[Sequence[object]], bom: bool) -> None:
    with open(file, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([escape_text(h) for h in header])
        writer.writerows([_csv_cell(v) for v in row] for row in data)


def _write_xlsx(file: Path, header: list[str], data: list[Sequence[object]], sheet_name: str) -> None:
    from openpyxl import Workbook  # noqa: PLC0415 - 0.23 s at start-up otherwise
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_name))
    # Write-only sheets take their layout before the first row is appended.
    sheet.freeze_panes = "A2"
    for index, width in enumerate(_column_widths(header, data), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    bold = Font(name="Calibri", size=11, bold=True)

    def header_cell(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=_ILLEGAL_XML.sub("", text))
        cell.data_type = "s"
        cell.font = bold
        return cell

    def text_cell(text: str) -> object:
        text = _ILLEGAL_XML.sub("", text)
        if not text or text[0] not in FORMULA_TRIGGERS:
            return text
        cell = WriteOnlyCell(sheet, value=text)
        # openpyxl makes any text starting "=" a formula; a string cell with the quote prefix
        # is shown as text by Excel, and stays text when somebody edits it.
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell

    def value_cell(value: object) -> object:
        if value is None:
            return None
        if isinstance(value, str):
            return text_cell(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, enum.Enum):
            return text_cell(str(value.value))
        if isinstance(value, dt.datetime):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "DD/MM/YYYY HH:MM"
            return cell
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "DD/MM/YYYY"
            return cell
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return None
        if isinstance(value, (int, float)):
            return value
        if isinstance(value, decimal.Decimal):
            return float(value)
        return text_cell(str(value))

    sheet.append([header_cell(h) for h in header])
    for row in data:
        sheet.append([value_cell(v) for v in row])
    workbook.save(file)


def _sheet_title(name: str) -> str:
    # Excel refuses these characters and names longer than 31 characters.
    title = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31]
    return title or "Sheet1"


def _column_widths(header: list[str], data: list[Sequence[object]]) -> list[float]:
    widths = [len(h) + 2 for h in header]
    for row in data[:_WIDTH_SAMPLE_ROWS]:
        for index, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                length = 16 if isinstance(value, dt.datetime) else 10
            else:
                length = len(str(value))
            if length + 2 > widths[index]:
                widths[index] = length + 2
    return [float(min(max(w, 8), _MAX_COLUMN_WIDTH)) for w in widths]
