"""The invented alliance the letter tests print for: its contact and its letterhead."""

from __future__ import annotations

from tsa_desktop.formats.letters import Contact, Letterhead
from tsa_desktop.formats.letters.styles import default_logo

CONTACT = Contact("Priya Ramsden", "Placements Coordinator", "placements@oaktree-tsa.org.uk",
                  "01632 960 123")


def oak_tree_letterhead(note: str = "") -> Letterhead:
    """Oak Tree Teaching School Alliance's letterhead: logo, four address lines, a web site, and
    ``note`` under them when given."""
    extra = (note,) if note else ()
    return Letterhead(
        "Oak Tree Teaching School Alliance",
        ("c/o Oak Tree Primary School", "12 Beech Lane", "Northfield", "NF4 7QD"),
        "01632 960 100", "itt@oaktree-tsa.org.uk", default_logo(), "Dr Helen Marsh",
        "ITT Lead", "www.oaktree-tsa.org.uk", *extra)
