"""The staff's complaint list: its filters, and the fields every complaint shows."""

from django.utils.translation import gettext_lazy as _

from propdesk.core import serializers
from propdesk.tickets.serializers import TicketNamedRefSerializer

from ..models import Complaint
from ._common import CATEGORIES, STATES, _id


class ComplaintFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Complaint.State.choices, required=False)
    owner = serializers.ChoiceField(
        choices=Complaint.Owner.choices, required=False, help_text=_("Who handles it")
    )
    severity = serializers.ChoiceField(choices=Complaint.Severity.choices, required=False)
    category = serializers.ChoiceField(choices=Complaint.Category.choices, required=False)
    office = _id(required=False)
    open = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: not closed yet; false: closed"),
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text=_("The request number, or the start of the customer's name"),
    )


class _ComplaintFields(serializers.ModelSerializer):
    number = serializers.CharField(source="ticket.number", read_only=True)
    office = TicketNamedRefSerializer(read_only=True)
    customer = TicketNamedRefSerializer(read_only=True)
    channel = serializers.CharField(source="ticket.channel", read_only=True)
    state = serializers.CharField(read_only=True, help_text=STATES)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    category = serializers.CharField(read_only=True, help_text=CATEGORIES)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    severity_display = serializers.CharField(source="get_severity_display", read_only=True)
    owner_display = serializers.CharField(source="get_owner_display", read_only=True)
    due_at = serializers.DateTimeField(
        source="ticket.due_at", read_only=True, help_text=_("The resolution deadline")
    )
    first_response_overdue = serializers.SerializerMethodField(
        help_text=_("Not responded to, and the first-response deadline has passed")
    )
    resolution_overdue = serializers.SerializerMethodField(
        help_text=_("Still being handled, and the resolution deadline has passed")
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "office",
            "customer",
            "channel",
            "category",
            "category_display",
            "severity",
            "severity_display",
            "owner",
            "owner_display",
            "state",
            "state_display",
            "created_at",
            "first_response_due_at",
            "first_responded_at",
            "due_at",
            "resolved_at",
            "answered_at",
            "closed_at",
            "reopen_count",
            "first_response_overdue",
            "resolution_overdue",
        ]
        read_only_fields = fields

    # Computed against one "now" for the whole answer, like the clock job (services/clocks.py).
    def get_first_response_overdue(self, complaint) -> bool:
        return (
            complaint.first_responded_at is None
            and self.context["now"] > complaint.first_response_due_at
        )

    def get_resolution_overdue(self, complaint) -> bool:
        return complaint.is_open and self.context["now"] > complaint.ticket.due_at


class ComplaintListSerializer(_ComplaintFields):
    summary = serializers.SerializerMethodField(help_text=_("The customer's account, shortened"))

    class Meta(_ComplaintFields.Meta):
        fields = [*_ComplaintFields.Meta.fields, "summary"]
        read_only_fields = fields

    def get_summary(self, complaint) -> str:
        return complaint.account[:80]
