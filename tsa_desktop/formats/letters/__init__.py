"""Placement letters and mentor packs: what they say (pure Python) and how they print (PDF).

The rooms of the package, each one job:

* :mod:`.data`: the letter types (:data:`Letter` is a trainee or a school letter) and the pack;
* :mod:`.language`: the template language the ITT lead writes the wording in;
* :mod:`.values`: UK dates, placeholder values, the order of rows, fingerprints;
* :mod:`.styles`: fonts, page geometry, colours, paragraph and table styles (reportlab);
* :mod:`.page`: the letterhead, footer and continuation header of a run;
* :mod:`.layout`: the letters as PDF (:func:`~.layout.letters_pdf`, one file or one per letter);
* :mod:`.pack`: the mentor pack as PDF;
* :mod:`.names`: safe, unique file names.

This package module re-exports only the pure-Python names, so that importing letter data does not
import reportlab; import the PDF functions from :mod:`.layout` and :mod:`.pack`.
"""

from tsa_desktop.formats.letters.data import (Contact, HostedTrainee, Letter, LetterKind,
                                              Letterhead, MentorPack, MentorPlacement,
                                              OtherPlacement, PlacementRow, SchoolLetter,
                                              TraineeLetter, TutoredNqt)
from tsa_desktop.formats.letters.language import (DEFAULT_SCHOOL_TEMPLATE,
                                                  DEFAULT_TRAINEE_TEMPLATE, SCHOOL_BLOCKS,
                                                  SCHOOL_PLACEHOLDERS, TRAINEE_BLOCKS,
                                                  TRAINEE_PLACEHOLDERS, LetterTemplate,
                                                  block_placeholders, clean, fill, placeholders)
from tsa_desktop.formats.letters.values import (day_date, fingerprint, long_date, school_values,
                                                short_date, sorted_rows, sorted_trainees,
                                                trainee_values)

__all__ = [
    "Contact", "DEFAULT_SCHOOL_TEMPLATE", "DEFAULT_TRAINEE_TEMPLATE", "HostedTrainee", "Letter",
    "LetterKind", "LetterTemplate", "Letterhead", "MentorPack", "MentorPlacement",
    "OtherPlacement", "PlacementRow", "SCHOOL_BLOCKS", "SCHOOL_PLACEHOLDERS", "SchoolLetter",
    "TRAINEE_BLOCKS", "TRAINEE_PLACEHOLDERS", "TraineeLetter", "TutoredNqt",
    "block_placeholders", "clean", "day_date", "fill", "fingerprint", "long_date",
    "placeholders", "school_values", "short_date", "sorted_rows", "sorted_trainees",
    "trainee_values",
]
