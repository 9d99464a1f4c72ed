"""The wording of letters and the alliance's letterhead, as the ITT lead edits them.

Reached as ``workspace.letters.wording``. Both live in the alliance profile: the templates as
JSON (see :mod:`tsa_desktop.services.letters.templates`), the letterhead as its fields and logo.
"""

from __future__ import annotations

import io
from dataclasses import replace

from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.domain.validation import Collector
from tsa_desktop.domain.values import parse_email
from tsa_desktop.formats.letters import LetterKind
from tsa_desktop.services.base import Service
from tsa_desktop.services.letters.templates import (TemplateText, default_text, dump_text,
                                                   load_text_for_editing)

#: Largest logo file accepted; the letters shrink it anyway.
MAX_LOGO_BYTES = 5 * 1024 * 1024
PROFILE_TEXT_FIELDS = ("name", "address", "contact_name", "contact_role", "contact_email",
                       "contact_phone", "letter_sign_off")


def stored_template(profile, kind: LetterKind) -> str | None:
    """The stored wording of ``kind`` in a profile (row or dataclass), or None."""
    if profile is None:
        return None
    return profile.trainee_letter_template if kind == "trainee" else profile.school_letter_template


class LetterWordingService(Service):
    """Use cases for the wording of letters and the letterhead."""

    def template(self, kind: LetterKind) -> TemplateText:
        """The wording of one kind of letter, to edit; an unreadable saved wording gives the
        default with its ``problem`` set."""
        with self._read() as s:
            stored = stored_template(s.get(m.AllianceProfile, 1), kind)
        return load_text_for_editing(kind, stored)

    def save_template(self, text: TemplateText) -> TemplateText:
        """Check and save the wording of one kind of letter; the default wording is stored as
        "use the default".

        Raises:
            ValidationError: naming the text, line and problem; nothing was saved.
        """
        text.compile()
        stored = dump_text(text)
        with self._write() as s:
            profile = s.get(m.AllianceProfile, 1)
            if profile is None:
                profile = m.AllianceProfile(id=1, name="")
                s.add(profile)
            setattr(profile, f"{text.kind}_letter_template", stored)
        return replace(text, customised=stored is not None, problem="")

    def reset_template(self, kind: LetterKind) -> TemplateText:
        """Go back to the default wording."""
        return self.save_template(default_text(kind))

    def save_letterhead(self, values: dict[str, object], logo: bytes | None,
                        logo_filename: str | None = None) -> None:
        """Save the alliance's name, address, contact, sign-off and logo.

        Args:
            values: name, address, contact_name, contact_role, contact_email, contact_phone,
                letter_sign_off (missing keys keep their value).
            logo: PNG or JPEG bytes, or None for no logo.
            logo_filename: The logo's file name, kept for the record.

        Raises:
            ValidationError: every problem at once (name missing, email, logo); nothing saved.
        """
        c = Collector(kind="alliance_profile")
        text = {k: str(values[k]).strip() for k in PROFILE_TEXT_FIELDS if k in values}
        if "name" in text and not text["name"]:
            c.add("name", "the alliance needs a name: it heads every letter")
        if text.get("contact_email"):
            text["contact_email"] = c.optional("contact_email", text["contact_email"],
                                               parse_email) or text["contact_email"]
        if logo is not None:
            try:
                check_logo(logo, logo_filename)
            except ValidationError as exc:
                c.problems.extend(exc.problems)
        c.raise_if_any()
        with self._write() as s:
            profile = s.get(m.AllianceProfile, 1)
            if profile is None:
                profile = m.AllianceProfile(id=1)
                s.add(profile)
            for key, value in text.items():
                setattr(profile, key, value)
            profile.logo = logo
            profile.logo_filename = (logo_filename or None) if logo is not None else None


def check_image(data: bytes, field: str) -> str:
    """The image's format, "PNG" or "JPEG"; anything else is refused on ``field``."""
    from PIL import Image, UnidentifiedImageError  # Pillow comes with reportlab

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError.single(field, "cannot be read as an image: use a PNG or JPEG "
                                     "file") from exc
    if kind not in ("PNG", "JPEG"):
        raise ValidationError.single(field, f"is a {kind} image; use a PNG or JPEG file")
    return kind


def check_logo(data: bytes, filename: str | None = None) -> str:
    """Check a logo file before it is saved: a PNG or JPEG of at most 5 MB.

    Returns:
        "PNG" or "JPEG".

    Raises:
        ValidationError: on the field "logo", naming the file.
    """
    name = f"{filename}: " if filename else ""
    if not data:
        raise ValidationError.single("logo", f"{name}the file is empty", kind="alliance_profile")
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError.single(
            "logo", f"{name}the file is {len(data) / 1_048_576:.1f} MB; use an image of at "
            f"most {MAX_LOGO_BYTES // 1_048_576} MB", kind="alliance_profile")
    try:
        return check_image(data, "logo")
    except ValidationError as exc:
        raise ValidationError.single("logo", f"{name}{exc.problems[0].message}", kind="alliance_profile") from exc
