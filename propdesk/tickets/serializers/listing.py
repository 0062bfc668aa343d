"""The request list: its filters and its rows."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers
from propdesk.core.params import MAX_ID

from ..models import Channel, Kind, Status, Ticket
from .refs import TicketNamedRefSerializer, TicketStaffRefSerializer


class StatusListField(serializers.ListField):
    """Statuses from a query string: a bad one is reported on ``status``, not ``status[2]``."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict):
                raise serializers.ValidationError(
                    [msg for msgs in exc.detail.values() for msg in msgs]
                ) from None
            raise


class TicketFilterSerializer(serializers.Serializer):
    office = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = StatusListField(
        child=serializers.ChoiceField(choices=Status.choices),
        required=False,
        help_text=_("Repeat the parameter or separate statuses with commas."),
    )
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    technician = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    customer = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    household = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    created_from = serializers.DateField(required=False)
    created_to = serializers.DateField(required=False)
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text=_("Request number, phone, customer name or address (building-room)."),
    )

    def validate(self, attrs):
        start, end = attrs.get("created_from"), attrs.get("created_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"created_to": [_("The end date must not be before the start date.")]}
            )
        return attrs


class TicketListSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    office = TicketNamedRefSerializer(read_only=True)
    customer = TicketNamedRefSerializer(read_only=True)
    household_address = serializers.CharField(
        source="household.address", read_only=True, allow_null=True
    )
    item = TicketNamedRefSerializer(read_only=True, allow_null=True)
    assignee = TicketStaffRefSerializer(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()
    deadline_missed = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "status",
            "status_display",
            "kind",
            "kind_display",
            "channel",
            "channel_display",
            "priority",
            "office",
            "customer",
            "household",
            "household_address",
            "item",
            "due_at",
            "requested_deadline",
            "is_overdue",
            "deadline_missed",
            "assignee",
            "version",
            "created_at",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_deadline_missed(self, ticket) -> bool:
        """Past the deadline without an agreed extension (open and late, or completed late)."""
        # M09.
        return ticket.missed_deadline(self.context.get("now") or timezone.now())

    def get_is_overdue(self, ticket) -> bool:
        # Computed against one "now" for the whole response (M09: never a stored flag).
        return ticket.is_overdue(self.context.get("now") or timezone.now())
