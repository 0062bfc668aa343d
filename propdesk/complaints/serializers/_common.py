"""What the complaints' shapes share: the values of the choice sets shown as plain strings,
and the fields for free text, an amount and an id."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers
from propdesk.core.params import MAX_ID

from ..models import Complaint, CorrectiveActionReport

STATES = ", ".join(Complaint.State.values)
CATEGORIES = ", ".join(Complaint.Category.values)
OWNERS = ", ".join(Complaint.Owner.values)
REPORT_STATES = ", ".join(CorrectiveActionReport.State.values)


def _text(**kwargs):
    """Free text whose presence the service checks (so its message is the one the client reads)."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def _money(**kwargs):
    """An amount in yuan; its range is the service's to check (0 to 999,999.99)."""
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None, **kwargs
    )


def _id(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class PlainChoiceField(serializers.ChoiceField):
    """Checked against its choices, shown in the schema as a plain string (the values are in the
    help text): the same choice set as an enum of a second component would clash."""
