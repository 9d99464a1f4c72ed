"""What an import or an export tells its caller: counts, notes, and the rows it previewed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tsa_desktop.domain.errors import FieldProblem


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do).

    Attributes:
        kind: The import kind (schools, trainees, ...).
        source: The file, as given.
        added: Records added.
        updated: Records the file changed.
        unchanged: Records the file matches exactly.
        skipped: Rows left out on purpose, with the reason (GIAS establishments without a phase).
        ignored_columns: Headers the kind does not use (a misspelt column shows up here).
        notes: Other things worth knowing (a year created, tutors outside the mentor pool, ...).
        dry_run: True when nothing was written.
    """

    kind: str
    source: str
    added: int
    updated: int
    unchanged: int
    skipped: tuple[FieldProblem, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    dry_run: bool = False

    @property
    def file_name(self) -> str:
        return Path(self.source).name

    @property
    def rows(self) -> int:
        """Rows imported (added, updated or unchanged)."""
        return self.added + self.updated + self.unchanged

    @property
    def changed(self) -> bool:
        """True when the import added or updated anything."""
        return bool(self.added or self.updated)

    def counts(self) -> str:
        """E.g. ``12 added, 3 updated, 105 unchanged`` (and how many rows were skipped)."""
        text = f"{self.added:,} added, {self.updated:,} updated, {self.unchanged:,} unchanged"
        if self.skipped:
            text += f", {len(self.skipped):,} skipped"
        return text

    def summary(self) -> str:
        """One line: ``imported trainees from x.xlsx: 12 added, 3 updated, 105 unchanged``."""
        verb = "checked" if self.dry_run else "imported"
        return f"{verb} {self.kind} from {self.file_name}: {self.counts()}"

    def details(self) -> list[str]:
        """Lines about skipped rows, ignored columns and notes, for showing under the summary."""
        lines = [f"row {p.row}: {p.message}" for p in self.skipped]
        if self.ignored_columns:
            lines.append("columns not used: " + ", ".join(self.ignored_columns))
        lines.extend(self.notes)
        return lines

    def __str__(self) -> str:
        return self.counts()


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote.

    Attributes:
        kind: The export kind.
        path: The file written.
        rows: Data rows written.
        left_out: For register-placements: each trainee left out and why.
    """

    kind: str
    path: str
    rows: int
    left_out: tuple[FieldProblem, ...] = ()

    @property
    def file_name(self) -> str:
        return Path(self.path).name

    def summary(self) -> str:
        """One line: ``exported trainees to x.csv: 120 rows``."""
        text = f"exported {self.kind} to {self.file_name}: {_plural(self.rows, 'row')}"
        if self.left_out:
            text += f"; {_plural(len(self.left_out), 'trainee')} left out"
        return text

    def details(self) -> list[str]:
        """One line for each trainee left out."""
        return [p.message for p in self.left_out]

    def __str__(self) -> str:
        text = _plural(self.rows, "row")
        if self.left_out:
            text += f" ({_plural(len(self.left_out), 'trainee')} left out)"
        return text


@dataclass(frozen=True)
class ImportPreview:
    """A file checked for import but not imported: its first rows, and every problem.

    Attributes:
        kind: The import kind.
        source: The file, as given.
        headers: The file's column headers, in order.
        rows: The first rows: (row number in the file, cells in header order).
        total_rows: How many data rows the file has.
        problems: Every problem, each with row, column and reason; empty when it can be imported.
        report: What importing would do, when there is no problem.
    """

    kind: str
    source: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str | None, ...]], ...]
    total_rows: int
    problems: tuple[FieldProblem, ...]
    report: ImportReport | None = None

    @property
    def ok(self) -> bool:
        """True when the file can be imported."""
        return not self.problems and self.report is not None
