"""The alliance as its letters and packs show it: letterhead, contact, and route and subject labels.

Letters (services/letters) and the mentor's pack (services/mentors) both print these, so they
live with the alliance's reference data rather than in either feature.
"""

from __future__ import annotations

from tsa_desktop.domain.enums import Phase, Route, Subject
from tsa_desktop.formats.letters import Contact, Letterhead
from tsa_desktop.services.reference.alliance import AllianceProfileData


def subject_label(phase: str, subject: str) -> str:
    """Phase and subject as a letter shows them: "Primary", "Mathematics (secondary)"."""
    try:
        p, s = Phase.parse(phase), Subject.parse(subject)
    except ValueError:
        return subject
    if s.is_primary and p is Phase.PRIMARY:
        return s.label
    return f"{s.label} ({p.label.lower()})"


def route_label(route: str) -> str:
    try:
        return Route.parse(route).label
    except ValueError:
        return route


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def letterhead_of(profile: AllianceProfileData | None) -> Letterhead:
    """The letterhead and signatory from the profile.

    The sign-off's first line is the signatory and the rest their role; when the sign-off is
    empty, the alliance contact signs. A role that ends with the alliance's name loses it,
    because the letter prints the alliance's name under the role anyway.
    """
    if profile is None:
        return Letterhead("")
    name = (profile.name or "").strip()
    sign_off = _lines(profile.letter_sign_off)
    if sign_off:
        signatory, role_lines = sign_off[0], list(sign_off[1:])
    else:
        signatory = (profile.contact_name or "").strip()
        role_lines = [(profile.contact_role or "").strip()]
    if role_lines and name and role_lines[-1].casefold() == name.casefold():
        role_lines.pop()
    role = ", ".join(r for r in role_lines if r)
    suffix = f", {name}"
    if name and role.casefold().endswith(suffix.casefold()):
        role = role[: -len(suffix)]
    return Letterhead(
        alliance_name=name, address_lines=_lines(profile.address),
        phone=(profile.contact_phone or "").strip(), email=(profile.contact_email or "").strip(),
        logo=profile.logo or None, signoff_name=signatory,
        signoff_role=role)


def contact_of(profile: AllianceProfileData | None) -> Contact:
    """The alliance contact named in every letter."""
    if profile is None:
        return Contact("")
    return Contact((profile.contact_name or "").strip(), (profile.contact_role or "").strip(),
                   (profile.contact_email or "").strip(), (profile.contact_phone or "").strip())
