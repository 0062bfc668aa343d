"""What the customer's one-time quote link shows, and the answer it takes."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers

from ..models import Quote, QuoteLine


class PublicQuoteLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteLine
        fields = ["description", "quantity", "unit_price", "amount"]


class PublicQuoteSerializer(serializers.ModelSerializer):
    """What the customer's one-time link shows: the fee standard and nothing about anyone."""

    ticket_number = serializers.CharField(source="ticket.number", read_only=True)
    item_name = serializers.CharField(source="ticket.item.name", read_only=True, allow_null=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    lines = PublicQuoteLineSerializer(many=True, read_only=True)
    is_expired = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = [
            "ticket_number",
            "item_name",
            "lines",
            "total",
            "terms",
            "expires_at",
            "is_expired",
            "state",
            "state_display",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_expired(self, quote) -> bool:
        return quote.is_expired(timezone.now())


class PublicQuoteAnswerSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
