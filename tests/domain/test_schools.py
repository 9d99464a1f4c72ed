import pytest

from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.domain.schools import validate_school


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationError) as info:
        validate_school({"urn": "12", "name": "", "phase": "college", "postcode": "nowhere",
                         "contact_email": "not-an-email"})
    fields = [p.field for p in info.value.problems]
    assert fields == ["urn", "name", "phase", "postcode", "contact_email"]


def test_easting_needs_northing():
    with pytest.raises(ValidationError, match="both easting and northing"):
        validate_school({"urn": "100001", "name": "A", "phase": "primary", "easting": "484000"})


def test_valid_school_is_cleaned():
    data = validate_school({"urn": "100001", "name": " Wildern School ", "phase": "Secondary",
                            "postcode": "so30 4ez", "lead_school": "yes", "capacity_per_block": "6"})
    assert (data.name, data.postcode, data.is_lead_school, data.capacity_per_block) == (
        "Wildern School", "SO30 4EZ", True, 6)
