"""Placement letters: which letters there are, producing them as PDF, and remembering it.

A run of letters is chosen by a :class:`LetterScope` (year, block, trainee, and whether the
letters go to trainees or to host schools and their mentors). :meth:`LetterService.listing`
says which letters that gives and whether each was produced and is still current;
:meth:`LetterService.prepare` checks the alliance profile and the wording and returns a
:class:`LetterBatch` ready to print; :meth:`LetterService.produce` writes it (one PDF, or one
file per letter) and, only once the files are written, records on each placement when its
letter was produced and the fingerprint of what it said, in one transaction.

reportlab is imported only when a PDF is made: listing letters must not slow the window's start.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection
from dataclasses import dataclass, fields, replace
from pathlib import Path

from sqlalchemy import bindparam, update

from tsa_desktop.db import models as m
from tsa_desktop.db.engine import Database
from tsa_desktop.domain.errors import DomainError, ValidationError
from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.domain.validation import Collector
from tsa_desktop.formats.files import write_atomic
from tsa_desktop.formats.letters import Letterhead, LetterTemplate
from tsa_desktop.services.reference.alliance import AllianceProfileData
from tsa_desktop.services.base import Service
from tsa_desktop.services.letters.data import (LETTER_TRAINEE_STATUSES, WITHDRAWN_FROM_LETTER,
                                              Letter, LetterContext, LetterKey, PreparedLetter,
                                              load_facts, school_letters, trainee_letters)
from tsa_desktop.services.reference.letterhead import contact_of, letterhead_of
from tsa_desktop.services.letters.scope import (RECIPIENTS, BlockRow, LetterScope, Recipients,
                                               find_year, resolve, why_none, year_blocks)
from tsa_desktop.services.letters.templates import (TemplateText, default_text, load_text,
                                                   load_text_for_editing)
from tsa_desktop.services.letters.wording import (LetterWordingService, check_image, check_logo,
                                                 stored_template)
from tsa_desktop.services.reference.years import YearService

__all__ = ["BlockRow", "LetterBatch", "LetterFileError", "LetterListing", "LetterScope",
           "LetterService", "ProduceResult", "RECIPIENTS", "Recipients", "check_logo",
           "check_output"]


class LetterFileError(DomainError):
    """A letter file or folder cannot be written; nothing was written."""


@dataclass(frozen=True)
class LetterListing:
    """The letters a scope gives, with their status.

    Attributes:
        year: The academic year.
        block: The block, or None for the whole year.
        to: Who the letters are to.
        letters: The letters, in print order.
        left_out: Proposed placements in scope, which wait until they are confirmed.
        reason: When there are no letters, why not (for a message).
    """

    year: str
    block: BlockRow | None
    to: Recipients
    letters: tuple[PreparedLetter, ...]
    left_out: int = 0
    reason: str = ""

    @property
    def description(self) -> str:
        """e.g. "trainees, Autumn block A 2026/27"."""
        who = "trainees" if self.to == "trainees" else "schools and mentors"
        return f"{who}, {self.block.name + ' ' if self.block else ''}{self.year}"


@dataclass(frozen=True)
class LetterBatch:
    """Letters checked and ready to print.

    Attributes:
        year: The academic year.
        to: Who the letters are to.
        items: The letters, each with the copies it comes with.
        letterhead: The alliance's letterhead.
        trainee_template: The wording of trainee letters.
        school_template: The wording of school letters.
        reason: When there are no letters, why not.
    """

    year: str
    to: Recipients
    items: tuple[PreparedLetter, ...]
    letterhead: Letterhead
    trainee_template: LetterTemplate
    school_template: LetterTemplate
    reason: str = ""

    @property
    def printed(self) -> list[Letter]:
        """Every letter to print, copies included, in order."""
        return [letter for item in self.items for letter in item.letters]

    @property
    def letter_count(self) -> int:
        return sum(len(item.letters) for item in self.items)

    def describe(self) -> str:
        """e.g. "12 letters to trainees" or "5 letters to schools and 9 to mentors"."""
        if self.to == "trainees":
            return _plural(self.letter_count, "letter to a trainee", "letters to trainees")
        schools = len(self.items)
        mentors = self.letter_count - schools
        text = _plural(schools, "letter to a school", "letters to schools")
        return text + (f" and {mentors} to mentor{'s' if mentors != 1 else ''}" if mentors else "")


@dataclass(frozen=True)
class ProduceResult:
    """What producing letters did.

    Attributes:
        paths: The files written.
        letter_count: Letters printed (copies to mentors included).
        recorded: False when the database is read-only and the letters were not recorded.
        summary: One line for a status bar or the command line.
    """

    paths: tuple[Path, ...]
    letter_count: int
    recorded: bool
    summary: str


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many}"


class LetterService(Service):
    """Use cases for placement letters: listing, previewing, producing and recording them.

    Args:
        db: The open database.
        years: The academic years (the current one is the default).
        wording: The wording of letters and the letterhead.
    """

    #: Recording letters as produced is the office's job too, not only the ITT lead's.
    permission = "letters"

    def __init__(self, db: Database, years: YearService, wording: LetterWordingService) -> None:
        super().__init__(db)
        self._years = years
        self.wording = wording

    # --- choosing ------------------------------------------------------------------------------

    def blocks(self, year: str | None = None) -> list[BlockRow]:
        """The placement blocks of a year, in order (none for a year the file lacks)."""
        with self._read() as s:
            found = find_year(s, year, self._current_year, strict=False)
            return year_blocks(s, found.id) if found else []

    def listing(self, scope: LetterScope = LetterScope(), *, today: dt.date | None = None
                ) -> LetterListing:
        """The letters a scope gives, each with whether it was produced and is still current.

        Raises:
            ValidationError: an unknown year, block or trainee, naming the accepted values.
        """
        listing, _ = self._load(scope, today)
        return listing

    def prepare(self, scope: LetterScope = LetterScope(), *,
                keys: Collection[LetterKey] | None = None, only_needed: bool = False,
                today: dt.date | None = None) -> LetterBatch:
        """Letters ready to print, read afresh from the database.

        Args:
            scope: Which letters.
            keys: Only these letters (e.g. the rows selected in the window).
            only_needed: Only letters not produced yet or out of date.
            today: The date printed on the letters (default: today).

        Raises:
            ValidationError: an unknown year, block or trainee; an incomplete alliance profile;
                a saved wording with a problem; a logo that cannot be read.
        """
        listing, profile = self._load(scope, today)
        items = [item for item in listing.letters
                 if (keys is None or item.key in keys)
                 and (not only_needed or item.status.needs_producing)]
        if not items:
            reason = listing.reason or "all of these letters are up to date"
            return LetterBatch(listing.year, listing.to, (), letterhead_of(profile),
                               _compiled(default_text("trainee")),
                               _compiled(default_text("school")), reason)
        _check_profile(profile)
        trainee_text = load_text("trainee", profile.trainee_letter_template if profile else None)
        school_text = load_text("school", profile.school_letter_template if profile else None)
        letterhead = letterhead_of(profile)
        if letterhead.logo:
            check_image(letterhead.logo, "logo")
        return LetterBatch(listing.year, listing.to, tuple(items), letterhead,
                           _compiled(trainee_text), _compiled(school_text))

    # --- producing -----------------------------------------------------------------------------

    def render(self, batch: LetterBatch, progress: Progress = SILENT) -> bytes:
        """The batch as one PDF, e.g. to preview; nothing is recorded.

        Raises:
            ValidationError: the batch has no letters. CancelledError: the user cancelled.
        """
        from tsa_desktop.formats.letters.layout import letters_pdf

        _refuse_empty(batch)
        try:
            return letters_pdf(batch.printed, batch.letterhead,
                               trainee_template=batch.trainee_template,
                               school_template=batch.school_template, progress=progress)
        except ValueError as exc:
            raise ValidationError.single("letters", str(exc)) from exc

    def produce(self, batch: LetterBatch, out: str | os.PathLike[str], *, per_letter: bool,
                progress: Progress = SILENT, at: dt.datetime | None = None) -> ProduceResult:
        """Write the letters, then record on each placement that its letter was produced.

        Args:
            batch: From :meth:`prepare`.
            out: The PDF file, or (``per_letter``) the folder for one PDF per letter.
            per_letter: One file per letter (copies to mentors are letters too).
            progress: Reports each letter and may cancel; a cancel writes nothing.
            at: When, for the record (default: now).

        Raises:
            ValidationError: no letters. LetterFileError: the file or folder cannot be written
                (nothing was written). CancelledError: the user cancelled.
        """
        from tsa_desktop.formats.letters.layout import write_letter_files, write_letters_pdf

        self._require("letters")  # before any file is written: refused, nothing is left behind
        _refuse_empty(batch)
        target = Path(out)
        check_output(target, per_letter)
        options = dict(trainee_template=batch.trainee_template,
                       school_template=batch.school_template, progress=progress)
        try:
            if per_letter:
                paths = tuple(write_letter_files(target, batch.printed, batch.letterhead, **options))
            else:
                paths = (write_letters_pdf(target, batch.printed, batch.letterhead, **options),)
        except OSError as exc:
            raise LetterFileError(_write_problem(target, exc)) from exc
        except ValueError as exc:
            raise ValidationError.single("letters", str(exc)) from exc
        where = f"into {len(paths)} files in {target}" if per_letter else f"to {target}"
        return self._record(batch, paths, where, at)

    def save_pdf(self, batch: LetterBatch, data: bytes, path: str | os.PathLike[str], *,
                 at: dt.datetime | None = None) -> ProduceResult:
        """Save a PDF already rendered from the batch (the preview's "Save as PDF"), and record it.

        Raises:
            LetterFileError: the file cannot be written; nothing was written.
        """
        self._require("letters")
        _refuse_empty(batch)
        target = Path(path)
        check_output(target, per_letter=False)
        try:
            write_atomic(target, data)
        except OSError as exc:
            raise LetterFileError(_write_problem(target, exc)) from exc
        return self._record(batch, (target,), f"to {target}", at)

    def mark_produced(self, batch: LetterBatch, at: dt.datetime | None = None) -> int:
        """Record that the batch's letters were produced (e.g. printed), in one transaction.

        Only the letter columns change: producing a letter is not an edit of the placement,
        so it neither bumps its version nor clashes with somebody editing it.

        Returns:
            How many placements were recorded.
        """
        at = at or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        if batch.to == "trainees":
            at_col, fp_col = "letter_produced_at", "letter_fingerprint"
        else:
            at_col, fp_col = "school_letter_produced_at", "school_letter_fingerprint"
        rows = [{"pid": mark.placement_id, "at": at, "fp": mark.fingerprint}
                for item in batch.items for mark in item.marks]
        rows += [{"pid": pid, "at": at, "fp": WITHDRAWN_FROM_LETTER}
                 for item in batch.items for pid in item.withdrawn]
        if not rows:
            return 0
        table = m.Placement.__table__
        stmt = (update(table).where(table.c.id == bindparam("pid"))
                .values({at_col: bindparam("at"), fp_col: bindparam("fp")}))
        with self._write() as s:
            s.execute(stmt, rows)
        return len(rows)

    def _record(self, batch: LetterBatch, paths: tuple[Path, ...], where: str,
                at: dt.datetime | None) -> ProduceResult:
        recorded = not self.db.read_only
        if recorded:
            self.mark_produced(batch, at)
        note = "" if recorded else " (not recorded: the database is open read-only)"
        return ProduceResult(paths, batch.letter_count, recorded,
                             f"Wrote {batch.describe()} {where}{note}")

    # --- wording ---------------------------------------------------------------------------------

    def sample(self, text: TemplateText, scope: LetterScope = LetterScope(), *,
               today: dt.date | None = None) -> bytes:
        """One letter of the scope printed with wording not saved yet, for the editor's preview.

        Nothing is recorded: this is not a letter that goes out.

        Raises:
            ValidationError: the wording has a problem, or there is no letter to show it with.
        """
        template = text.compile()
        to: Recipients = "trainees" if text.kind == "trainee" else "schools"
        listing, profile = self._load(replace(scope, to=to, trainee=None), today)
        if not listing.letters:
            raise ValidationError.single(
                "letters", f"there is no letter to show the wording with: {listing.reason}")
        item = listing.letters[0]
        letter = item.letters[0]
        if text.kind == "trainee":
            letter = replace(letter, what_to_bring=text.what_to_bring)
        batch = LetterBatch(listing.year, to, (replace(item, letters=(letter,)),),
                            letterhead_of(profile), template if to == "trainees" else
                            _compiled(default_text("trainee")),
                            template if to == "schools" else _compiled(default_text("school")))
        return self.render(batch)

    # --- reading -------------------------------------------------------------------------------

    def _current_year(self) -> str:
        return self._years.current()

    def _load(self, scope: LetterScope, today: dt.date | None
              ) -> tuple[LetterListing, AllianceProfileData | None]:
        with self._read() as s:
            where = resolve(s, scope, self._current_year)
            facts = load_facts(s, where.year_id)
            profile = _profile_data(s.get(m.AllianceProfile, 1))
        what_to_bring = load_text_for_editing(
            "trainee", stored_template(profile, "trainee")).what_to_bring
        ctx = LetterContext(today or dt.date.today(), where.year, letterhead_of(profile),
                            contact_of(profile), what_to_bring)
        block_id = where.block.id if where.block else None
        trainee_id = where.trainee.id if where.trainee else None
        mine = [f for f in facts if trainee_id is None or f.trainee_id == trainee_id]
        if scope.to == "trainees":
            letters = trainee_letters(ctx, mine, block_id)
        else:
            letters = school_letters(ctx, facts, block_id, trainee_id)
        left_out = sum(1 for f in mine if (block_id is None or f.block_id == block_id)
                       and f.status == "proposed" and f.trainee_status in LETTER_TRAINEE_STATUSES)
        reason = "" if letters else why_none(where, left_out)
        return (LetterListing(where.year, where.block, scope.to, tuple(letters), left_out, reason),
                profile)


def _profile_data(row: m.AllianceProfile | None) -> AllianceProfileData | None:
    if row is None:
        return None
    return AllianceProfileData(**{f.name: getattr(row, f.name) for f in fields(AllianceProfileData)})


def _compiled(text: TemplateText) -> LetterTemplate:
    try:
        return text.compile()
    except ValidationError as exc:
        raise ValidationError(
            [replace(p, label=f"{text.kind} letter wording ({p.shown_field})") for p in exc.problems],
            source="Letters > Templates") from exc


def _check_profile(profile: AllianceProfileData | None) -> None:
    c = Collector(source="Fill in the alliance profile first (Letters > Alliance profile)", kind="alliance_profile")
    name = (profile.name or "").strip() if profile else ""
    contact = (profile.contact_name or "").strip() if profile else ""
    reach = ((profile.contact_email or "").strip() or (profile.contact_phone or "").strip()
             if profile else "")
    if not name:
        c.add("name", "every letter is headed with the alliance's name")
    if not contact:
        c.add("contact_name", "every letter names a contact at the alliance")
    if not reach:
        c.add("contact_email", "give the contact's email address or telephone number")
    c.raise_if_any()


def _refuse_empty(batch: LetterBatch) -> None:
    if not batch.items:
        raise ValidationError.single("letters", "there are no letters to print")


def check_output(target: Path, per_letter: bool) -> None:
    """Refuse an output that cannot work before any letter is made.

    Raises:
        LetterFileError: a folder where a file is wanted, or the reverse.
    """
    if per_letter and target.exists() and not target.is_dir():
        raise LetterFileError(f"{target} is a file; give a folder for one PDF per letter, "
                              "or a name ending .pdf for one file")
    if not per_letter and target.is_dir():
        raise LetterFileError(f"{target} is a folder; give a file name ending .pdf")


def _write_problem(target: Path, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return (f"cannot write {exc.filename or target}: {reason}. Nothing was written; if the "
            "file is open in a PDF reader, close it and try again")
