"""API shapes of the customer's history and the contacts log, one per operation.

Input serializers check types only; services decide the rest.
"""

from propdesk.catalog.models import ServiceItem
from propdesk.core import serializers
from propdesk.customers.privacy import PhoneField
from propdesk.hotline.models import Call
from propdesk.tickets.models import Channel, Charge, Contact, Quote, Ticket

# --- the contacts log -----------------------------------------------------------------------


class ContactRecordSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.display_name", read_only=True, default="")
    ticket_number = serializers.CharField(source="ticket.number", read_only=True, default="")

    class Meta:
        model = Contact
        fields = [
            "id",
            "office",
            "customer",
            "household",
            "ticket",
            "ticket_number",
            "call",
            "channel",
            "direction",
            "stage",
            "staff",
            "staff_name",
            "at",
            "summary",
        ]


class ContactRecordCreateSerializer(serializers.Serializer):
    customer = serializers.IntegerField()
    household = serializers.IntegerField(required=False)
    ticket = serializers.IntegerField(required=False)
    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=Contact.Direction.choices)
    stage = serializers.ChoiceField(
        choices=Contact.Stage.choices,
        required=False,
        help_text="Before, during or after service; taken from the request's status when omitted.",
    )
    summary = serializers.CharField()
    at = serializers.DateTimeField(required=False, help_text="When it happened; now if omitted.")


class ContactRecordFilterSerializer(serializers.Serializer):
    customer = serializers.IntegerField(required=False)
    household = serializers.IntegerField(required=False)
    ticket = serializers.IntegerField(required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    direction = serializers.ChoiceField(choices=Contact.Direction.choices, required=False)
    stage = serializers.ChoiceField(choices=Contact.Stage.choices, required=False)


# --- the 360° view --------------------------------------------------------------------------


class HistoryTicketSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True, default="")

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "kind",
            "channel",
            "status",
            "item",
            "item_name",
            "household",
            "description",
            "created_at",
            "due_at",
            "closed_at",
        ]


class HistoryCallSerializer(serializers.ModelSerializer):
    caller_number = PhoneField()  # full or masked for the request's user (customers.privacy)
    line_kind = serializers.CharField(source="line.kind", read_only=True)
    handler_name = serializers.CharField(source="handler.display_name", read_only=True, default="")

    class Meta:
        model = Call
        fields = [
            "id",
            "line",
            "line_kind",
            "caller_number",
            "state",
            "started_at",
            "handler",
            "handler_name",
            "outcome",
            "summary",
            "ticket",
        ]


class HistoryQuoteSerializer(serializers.ModelSerializer):
    ticket_number = serializers.CharField(source="ticket.number", read_only=True)

    class Meta:
        model = Quote
        fields = [
            "id",
            "ticket",
            "ticket_number",
            "state",
            "total",
            "created_at",
            "answered_at",
            "answered_via",
            "answered_by_name",
        ]


class HistoryChargeSerializer(serializers.ModelSerializer):
    ticket_number = serializers.CharField(source="ticket.number", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True, default="")

    class Meta:
        model = Charge
        fields = [
            "id",
            "ticket",
            "ticket_number",
            "item",
            "item_name",
            "is_special",
            "amount",
            "recorded_at",
        ]


class UnusedServiceSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    price_label = serializers.CharField(read_only=True)

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "name",
            "category",
            "category_name",
            "is_special",
            "pricing",
            "price",
            "price_label",
            "service_hours",
            "contact_phone",
        ]


class CustomerHistorySerializer(serializers.Serializer):
    """The 360° view (M01, M12, M24): the latest 50 of each section; ``more`` flags older ones."""

    contacts = ContactRecordSerializer(many=True)
    tickets = HistoryTicketSerializer(many=True)
    calls = HistoryCallSerializer(many=True)
    quotes = HistoryQuoteSerializer(many=True)
    charges = HistoryChargeSerializer(many=True)
    revenue = serializers.DecimalField(max_digits=12, decimal_places=2)
    special_revenue = serializers.DecimalField(max_digits=12, decimal_places=2)
    complaints = HistoryTicketSerializer(many=True)
    after_service = ContactRecordSerializer(many=True)
    unused_services = UnusedServiceSerializer(many=True)
    more = serializers.DictField(child=serializers.BooleanField())
