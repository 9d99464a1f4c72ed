"""Formula cells of an XLSX workbook that have no saved value.

A workbook keeps, beside each formula, the value it last calculated. Excel always saves it; a
workbook written by a script (openpyxl, some exports) may hold only the formula. Spreadsheet
readers then give an empty cell, and an import would take "no value" for what the sheet shows
as, say, an email address. Such cells are found here, straight from the sheet's XML, so that the
import can name them instead of reading them as empty.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

# A cell element with its content; self-closing cells (<c r="A1"/>) hold no formula.
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]+)</(?:\w+:)?v>")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"")
_SHEET_ANY_NS = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\b\w+:id=\"([^\"]+)\"")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_ATTRIBUTE = re.compile(rb'\b(Id|Target)="([^"]+)"')


def formulas_without_values(file: Path) -> list[tuple[int, int]]:
    """The (row, column) of each formula cell of the first sheet that has no saved value.

    Rows count from 1 as a spreadsheet shows them; columns from 0 (A is 0). An unreadable
    workbook gives an empty list: the spreadsheet reader then says what is wrong with it.
    """
    try:
        with zipfile.ZipFile(file) as archive:
            sheet = _first_sheet(archive)
            if sheet is None:
                return []
            data = archive.read(sheet)
    except (OSError, zipfile.BadZipFile, KeyError):
        return []
    if not _FORMULA.search(data):
        return []
    found = []
    for attributes, content in _CELL.findall(data):
        if not _FORMULA.search(content) or _VALUE.search(content):
            continue
        ref = _REF.search(attributes)
        if ref is not None:
            found.append((int(ref.group(2)), _column_index(ref.group(1).decode())))
    return found


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The path inside the archive of the workbook's first sheet (the one that is read)."""
    workbook = archive.read("xl/workbook.xml")
    first = _SHEET.search(workbook) or _SHEET_ANY_NS.search(workbook)
    if first is None:
        return None
    rels = archive.read("xl/_rels/workbook.xml.rels")
    for attributes in _RELATIONSHIP.findall(rels):
        values = dict(_ATTRIBUTE.findall(attributes))
        if values.get(b"Id") == first.group(1) and b"Target" in values:
            target = values[b"Target"].decode()
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None
