"""The OpenAPI schema says what the answers really hold, so a client generated from it reads
them: a blank choice is in its enum, a missing link is null, an error's messages are strings."""

import datetime as dt

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(schema, spec: dict) -> dict:
    if "$ref" in spec:
        return schema["components"]["schemas"][spec["$ref"].rsplit("/", 1)[1]]
    return spec


def allowed_values(schema, spec: dict) -> set:
    """Every value a property's schema allows, through $ref, allOf and oneOf."""
    spec = resolve(schema, spec)
    values = set(spec.get("enum", []))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in spec.get(key, []):
            values |= allowed_values(schema, part)
    return values


def prop(schema, component: str, name: str) -> dict:
    return schema["components"]["schemas"][component]["properties"][name]


@pytest.mark.parametrize(
    "component,field",
    [
        ("Call", "outcome"),  # a call not logged yet
        ("CallComplaint", "outcome"),
        ("Complaint", "cause_category"),  # a complaint not analysed yet
        ("Inspection", "result"),  # an inspection not made yet
    ],
)
def test_a_blank_choice_is_in_its_enum(schema, component, field):
    values = allowed_values(schema, prop(schema, component, field))
    assert "" in values
    assert len(values) > 1


@pytest.mark.parametrize(
    "component,field",
    [("Activity", "notice"), ("CorrectiveActionReport", "notice")],
)
def test_a_link_that_may_be_missing_is_nullable(schema, component, field):
    assert prop(schema, component, field).get("nullable") is True


def test_an_error_is_described_as_it_is_answered(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "detail"]
    errors = error["properties"]["errors"]
    assert errors["type"] == "object"
    assert errors["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_every_datetime_is_served_as_rfc_3339():
    """What the schema calls date-time parses back, even for a moment from before standard
    time, whose local offset had seconds."""
    from propdesk.core import serializers

    field = serializers.DateTimeField()
    for moment in (
        dt.datetime(612, 3, 1, 10, tzinfo=dt.UTC),
        dt.datetime(1900, 1, 1, tzinfo=dt.UTC),
        timezone.now(),
    ):
        served = field.to_representation(moment)
        assert dt.datetime.fromisoformat(served.replace("Z", "+00:00")) == moment
        offset = served[19:].lstrip(".0123456789")
        assert offset == "Z" or len(offset) == 6, served
