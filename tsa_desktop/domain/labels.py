"""What each kind of record and each of its fields is called on screen.

The one table of labels: messages (a refused edit, a duplicate, a stale record), the audit trail's
summaries and the History dialog name fields with these words, never with column names such as
``employing_school_id``. Kinds are the tables' names (``"schools"``); a table's fields are its
columns plus the names the rules use for a column's value (``employing_school`` for
``employing_school_id``). tests/domain/test_labels.py checks every column of every table has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True)
class RecordLabels:
    """The words for one kind of record.

    Attributes:
        noun: One record, as a sentence names it ("school", "NQT").
        fields: Field or column name to its label ("urn" -> "URN").
    """

    noun: str
    fields: Mapping[str, str]


def _kind(noun: str, **fields: str) -> RecordLabels:
    return RecordLabels(noun, MappingProxyType(fields))


_PERSON = {"first_names": "First names", "last_name": "Last name", "email": "Email", "trn": "TRN",
           "phone": "Telephone"}

RECORDS: Mapping[str, RecordLabels] = MappingProxyType({
    "academic_years": _kind(
        "academic year", name="Academic year", start_date="First day", end_date="Last day"),
    "alliance_profile": _kind(
        "alliance profile", name="Alliance name", lead_school_id="Lead school", lead_school="Lead school",
        address="Address", contact_name="Contact name", contact_role="Contact role",
        contact_email="Contact email", contact_phone="Contact telephone", letter_sign_off="Signed by",
        logo="Logo", logo_filename="Logo file", trainee_letter_template="Trainee letter wording",
        school_letter_template="School letter wording"),
    "settings": _kind("setting", key="Setting", value="Value"),
    "schools": _kind(
        "school", urn="URN", name="Name", phase="Phase", establishment_type="Type of establishment",
        type="Type of establishment", local_authority="Local authority", address_line_1="Address",
        address_line_2="Address (second line)", town="Town", postcode="Postcode", easting="Easting",
        northing="Northing", is_lead_school="Lead school", lead_school="Lead school",
        capacity_per_block="Trainees per block", contact_name="Contact name",
        contact_email="Contact email", establishment_status="Status (GIAS)"),
    "providers": _kind("provider", name="Name", code="Provider code", kind="Kind"),
    "allocations": _kind(
        "allocation", academic_year_id="Academic year", academic_year="Academic year", route="Route",
        phase="Phase", subject="Subject", lead_school_id="Lead school", lead_school="Lead school",
        provider_id="Accredited provider", accredited_provider="Accredited provider", places="Places"),
    "trainees": _kind(
        "trainee", trainee_id="Trainee ID", **_PERSON, route="Route", phase="Phase", subject="Subject",
        academic_year_id="Academic year", academic_year="Academic year", allocation_id="Allocation",
        allocation="Allocation", start_date="Start date", status="Status",
        employing_school_id="Employing school", employing_school="Employing school",
        home_postcode="Home postcode", home_easting="Home easting", home_northing="Home northing",
        travel_mode="Travels by", status_date="Status since",
        over_allocation_reason="Reason for recruiting past the allocation", anonymised_at="Anonymised on"),
    "trainee_status_changes": _kind(
        "trainee status", trainee_id="Trainee", status="Status", changed_on="Date of the change",
        note="Note"),
    "placement_blocks": _kind(
        "block", academic_year_id="Academic year", name="Name", position="Order in the year",
        start_date="First day", end_date="Last day", days_in_school="Days in school"),
    "placements": _kind(
        "placement", trainee_id="Trainee", trainee="Trainee", block_id="Block", block="Block",
        school_id="School", school="School", mentor_id="Mentor", mentor="Mentor", status="Status",
        locked="Locked", paired_trainee_id="Paired with", paired_trainee="Paired with", notes="Notes",
        letter_produced_at="Trainee letter produced", letter_fingerprint="Trainee letter contents",
        school_letter_produced_at="School letter produced",
        school_letter_fingerprint="School letter contents"),
    "school_previous_urns": _kind(
        "previous URN", school_id="School", urn="Previous URN", name="Name then", link_type="Link",
        linked_on="Linked on"),
    "school_hosting": _kind(
        "school's hosting", school_id="School", academic_year_id="Academic year", block_id="Block",
        hosting="Hosting", reason="Reason", confirmed_on="Last answered on"),
    "mentors": _kind(
        "mentor", email="Email", first_name="First name", last_name="Last name", school_id="School",
        school="School", phase="Phase", subjects="Subjects", is_lead_mentor="Lead mentor",
        lead_mentor_id="Quality-assured by", initial_training_date="Initial mentor training",
        initial_training_hours="Training hours", refresher_date="Last refresher training",
        max_trainees="Trainees per block", active="Active (in the pool)", phone="Telephone",
        unavailable_block_ids="Blocks unavailable"),
    "mentor_subjects": _kind("mentor subject", mentor_id="Mentor", subject="Subject"),
    "mentor_unavailability": _kind(
        "mentor unavailability", mentor_id="Mentor", block_id="Block", reason="Reason"),
    "qa_visits": _kind(
        "QA visit", lead_mentor_id="Lead mentor", mentor_id="Mentor visited", visit_date="Date of visit",
        focus="Focus", outcome="Outcome", notes="Notes", next_due="Next visit due"),
    "induction_cohorts": _kind("induction cohort", academic_year_id="Academic year",
                               academic_year="Academic year", name="Name"),
    "nqts": _kind(
        "early career teacher", **_PERSON, cohort_id="Induction year", academic_year="Induction year",
        employing_school_id="Employing school", employing_school="Employing school",
        induction_tutor_id="Induction tutor", induction_tutor_name="Tutor's name",
        induction_tutor_email="Tutor's email", appropriate_body="Appropriate body",
        start_date="Start date", fte="FTE", terms_counted="Terms counted",
        extension_terms="Extension (terms)", status="Status", trainee_id="Trainee (QTS awarded)",
        anonymised_at="Anonymised on", induction_regime="Induction regime", date_of_birth="Date of birth",
        mentor_id="ECT's mentor", mentor_email="ECT's mentor", programme="Programme",
        employing_school_urn="Employing school URN",
        reduced_terms="Reduced by (terms)", left_date="Left on"),
    "nqt_assessments": _kind(
        "induction review or assessment", nqt_id="Early career teacher", term="Term", kind="Assessment", due_date="Due",
        completed_date="Completed", outcome="Outcome", notes="Notes"),
    "induction_sessions": _kind(
        "induction session", cohort_id="Induction cohort", session_date="Date", topic="Topic",
        venue="Venue", leader="Led by"),
    "session_attendance": _kind("attendance", session_id="Session", nqt_id="Early career teacher",
                                 status="Attendance"),
    "users": _kind(
        "user", username="User name", password_hash="Password", password="Password", role="Role",
        mentor_id="Mentor record", mentor_email="Mentor record", active="May sign in"),
    "audit_log": _kind(
        "audit entry", at="When", user="Who", computer="Computer", table_name="Kind of record",
        record_id="Record", action="What", changes="Values", summary="Summary",
        parent_table="Part of (kind)", parent_id="Part of"),
    # Not a table: the wording of a letter, kept in the alliance profile.
    "letter_templates": _kind(
        "letter wording", subject="Subject line", salutation="Greeting", body="Body",
        closing="Closing", what_to_bring="What to bring"),
})


def noun(kind: str) -> str:
    """One record of ``kind`` as a sentence names it: "trainees" -> "trainee"."""
    labels = RECORDS.get(kind)
    return labels.noun if labels is not None else kind.replace("_", " ")


def field_label(kind: str, name: str) -> str:
    """A field of a record as the window names it: ("trainees", "employing_school_id") -> "Employing school".

    A name missing from the table (a kind this module does not know) is shown as words:
    "some_column_id" -> "Some column".
    """
    labels = RECORDS.get(kind)
    if labels is not None and name in labels.fields:
        return labels.fields[name]
    return plain_words(name)


def known_label(kind: str, name: str) -> str | None:
    """The label of a field ``kind`` has, or None when the table does not name it."""
    labels = RECORDS.get(kind)
    return labels.fields.get(name) if labels is not None else None


def plain_words(name: str) -> str:
    """A column name read as words, for a name without a label: "contact_name" -> "Contact name"."""
    if name == "id":
        return "ID"
    if name.endswith("_id"):
        name = name[:-3]
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else name
