"""API shapes for requests: one input serializer per operation, read serializers for the output.

Input serializers check types only (ints, decimals, ISO datetimes, booleans, choices, records the
caller may see); the business rules and their messages live in ``services``. Text that a rule
requires (an explanation, a reason…) is therefore optional here, so the service's own message
answers the client exactly as it answers the console.
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from propdesk.catalog.models import ServiceItem
from propdesk.catalog.selectors import items_visible_to
from propdesk.core.params import MAX_ID
from propdesk.customers.models import Customer, Household
from propdesk.customers.selectors import customers_for, households_for
from propdesk.org.models import User
from propdesk.org.selectors import technicians_for

from . import lifecycle
from .models import (
    Assignment,
    Channel,
    ChecklistStep,
    Contact,
    Extension,
    ExtensionProposal,
    Kind,
    Priority,
    Quote,
    QuoteLine,
    ReworkSource,
    Status,
    Ticket,
    TicketEvent,
)


class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key of a record the requesting user may see (through the owning app's selector);
    another office's record answers 400 "does not exist" on the field, like a missing one."""

    def __init__(self, visible, **kwargs):
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.visible(self.context["request"].user)


# --- small references ------------------------------------------------------------------------


class TicketNamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class TicketStaffRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class TicketRefSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Ticket
        fields = ["id", "number", "status", "status_display"]


# --- the request list -----------------------------------------------------------------------


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
        """M09: past the deadline without an agreed extension (open and late, or completed late)."""
        return ticket.missed_deadline(self.context.get("now") or timezone.now())

    def get_is_overdue(self, ticket) -> bool:
        # Computed against one "now" for the whole response (M09: never a stored flag).
        return ticket.is_overdue(self.context.get("now") or timezone.now())


# --- one request in full -------------------------------------------------------------------


class QuoteLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteLine
        fields = ["id", "item", "description", "quantity", "unit_price", "amount"]


class QuoteSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    answered_via_display = serializers.CharField(source="get_answered_via_display", read_only=True)
    lines = QuoteLineSerializer(many=True, read_only=True)
    is_expired = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = [
            "id",
            "state",
            "state_display",
            "total",
            "terms",
            "lines",
            "expires_at",
            "is_expired",
            "answered_at",
            "answered_via",
            "answered_via_display",
            "answered_by_name",
            "created_at",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_expired(self, quote) -> bool:
        return quote.is_expired(self.context.get("now") or timezone.now())


class AssignmentSerializer(serializers.ModelSerializer):
    technician = TicketStaffRefSerializer(read_only=True)
    assigned_by = TicketStaffRefSerializer(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "technician",
            "assigned_by",
            "assigned_at",
            "ended_at",
            "end_reason",
            "end_note",
            "note",
        ]


class ChecklistStepSerializer(serializers.ModelSerializer):
    done_by = TicketStaffRefSerializer(read_only=True, allow_null=True)
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = ChecklistStep
        fields = [
            "id",
            "position",
            "title",
            "detail",
            "needs_photo",
            "done_at",
            "done_by",
            "note",
            "photo_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_photo_url(self, step) -> str | None:
        if not step.photo:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(step.photo.url) if request else step.photo.url


class ExtensionSerializer(serializers.ModelSerializer):
    created_by = TicketStaffRefSerializer(read_only=True)

    class Meta:
        model = Extension
        fields = ["id", "old_due_at", "new_due_at", "reason", "contact", "created_by", "created_at"]


class ExtensionProposalSerializer(serializers.ModelSerializer):
    proposed_by = TicketStaffRefSerializer(read_only=True)

    class Meta:
        model = ExtensionProposal
        fields = [
            "id",
            "old_due_at",
            "new_due_at",
            "reason",
            "state",
            "proposed_by",
            "proposed_at",
            "answered_at",
            "answer_comment",
        ]


class TicketEventSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    # Plain strings (a status, or empty): a second enum of the same statuses would only
    # duplicate StatusEnum in the schema.
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)
    actor = TicketStaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TicketEvent
        fields = [
            "id",
            "kind",
            "label",
            "from_status",
            "to_status",
            "actor",
            "at",
            "note",
            "customer_visible",
        ]

    def get_label(self, event) -> str:
        return event.label


class TicketContactSerializer(serializers.ModelSerializer):
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    direction_display = serializers.CharField(source="get_direction_display", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    staff = TicketStaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "at",
            "channel",
            "channel_display",
            "direction",
            "direction_display",
            "stage",
            "stage_display",
            "staff",
            "summary",
            "call",
        ]


class TicketDetailSerializer(TicketListSerializer):
    priority_display = serializers.CharField(source="get_priority_display", read_only=True)
    comment = serializers.CharField(source="satisfaction_comment", read_only=True)
    rework_of = TicketRefSerializer(read_only=True, allow_null=True)
    reworks = TicketRefSerializer(many=True, read_only=True)
    quotes = QuoteSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)
    checklist = ChecklistStepSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    extension_proposals = ExtensionProposalSerializer(many=True, read_only=True)
    events = TicketEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(TicketListSerializer.Meta):
        fields = [
            *TicketListSerializer.Meta.fields,
            "priority_display",
            "description",
            "confirmation",
            "confirmed_at",
            "answer",
            "decline_explanation",
            "work_summary",
            "final_charge",
            "completed_at",
            "closed_at",
            "satisfied",
            "comment",
            "reopen_count",
            "rework_of",
            "reworks",
            "quotes",
            "assignments",
            "checklist",
            "extensions",
            "extension_proposals",
            "events",
            "allowed_actions",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, ticket) -> list[str]:
        return lifecycle.actions_for(self.context["request"].user, ticket)


class QuoteCreatedSerializer(serializers.Serializer):
    quote = QuoteSerializer(read_only=True)
    accept_url = serializers.URLField(
        read_only=True, help_text=_("The customer's one-time link. Shown once, never stored.")
    )
    ticket = TicketDetailSerializer(read_only=True)


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


class TechnicianSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    office = TicketNamedRefSerializer(read_only=True)
    open_jobs = serializers.IntegerField(
        read_only=True, help_text=_("Work orders dispatched to or in progress with them.")
    )

    class Meta:
        model = User
        fields = ["id", "name", "phone", "office", "open_jobs"]


class TechnicianFilterSerializer(serializers.Serializer):
    office = serializers.IntegerField(required=False, min_value=1)


# --- inputs ---------------------------------------------------------------------------------


def _text(**kwargs):
    """Free text whose presence the service checks (so its message is the one the client sees)."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


class TicketVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The request's version you last read (or send an If-Match header). If someone "
            "changed the request since, the action is refused with 409."
        ),
    )


# The kinds a request is created as: a complaint is filed through the complaint intake (M17),
# which hears it and routes it. (Named "RequestKindEnum" in the schema: ENUM_NAME_OVERRIDES.)
REQUEST_KINDS = [(value, label) for value, label in Kind.choices if value != Kind.COMPLAINT]


class RequestKindField(serializers.ChoiceField):
    """A request's kind. "complaint" is not offered; one sent anyway reaches the service, whose
    400 on ``kind`` says where a complaint goes."""

    def __init__(self, **kwargs):
        super().__init__(choices=REQUEST_KINDS, **kwargs)

    def to_internal_value(self, data):
        if data == Kind.COMPLAINT:
            return Kind.COMPLAINT
        return super().to_internal_value(data)


class TicketCreateSerializer(serializers.Serializer):
    customer = VisiblePrimaryKeyField(customers_for, queryset=Customer.objects.all())
    household = VisiblePrimaryKeyField(
        households_for, queryset=Household.objects.all(), required=False, allow_null=True
    )
    kind = RequestKindField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    description = _text()
    item = VisiblePrimaryKeyField(
        items_visible_to, queryset=ServiceItem.objects.all(), required=False, allow_null=True
    )
    requested_deadline = serializers.DateTimeField(required=False, allow_null=True)
    priority = serializers.ChoiceField(
        choices=Priority.choices, required=False, default=Priority.NORMAL
    )


class TicketConfirmSerializer(TicketVersionSerializer):
    confirmation = _text()
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


class TicketAnswerSerializer(TicketVersionSerializer):
    answer = _text()
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


class TicketDeclineSerializer(TicketVersionSerializer):
    explanation = _text()
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


class QuoteLineInputSerializer(serializers.Serializer):
    item = VisiblePrimaryKeyField(items_visible_to, queryset=ServiceItem.objects.all())
    quantity = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, default=Decimal("1")
    )
    unit_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=120)


class QuoteCreateSerializer(TicketVersionSerializer):
    lines = QuoteLineInputSerializer(many=True, allow_empty=True)
    valid_hours = serializers.IntegerField(required=False, min_value=1, max_value=24 * 30)


class QuoteAnswerSerializer(TicketVersionSerializer):
    accepted = serializers.BooleanField()
    via = serializers.ChoiceField(choices=[Quote.Via.PHONE, Quote.Via.IN_PERSON])
    answered_by_name = _text(max_length=60)
    answered_at = serializers.DateTimeField(required=False, allow_null=True)


class PublicQuoteAnswerSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()


class TicketDispatchSerializer(TicketVersionSerializer):
    technician = VisiblePrimaryKeyField(technicians_for, queryset=User.objects.all())
    note = _text()


class TicketTransferSerializer(TicketVersionSerializer):
    technician = VisiblePrimaryKeyField(technicians_for, queryset=User.objects.all())
    reason = _text()


class TicketReasonSerializer(TicketVersionSerializer):
    reason = _text()


class ChecklistTickSerializer(TicketVersionSerializer):
    note = _text()
    photo = serializers.FileField(required=False, allow_null=True)


class TicketExtendSerializer(TicketVersionSerializer):
    new_due_at = serializers.DateTimeField()
    reason = _text()
    customer_agreed = serializers.BooleanField(required=False, default=False)
    contact_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_("A contact already recorded with the customer about this request."),
    )
    contact_summary = _text(
        help_text=_("Or: what was agreed in the proactive contact, recorded now.")
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


class TicketProposeExtensionSerializer(TicketVersionSerializer):
    new_due_at = serializers.DateTimeField()
    reason = _text(help_text=_("Why more time is needed; the customer reads this."))


class TicketCompleteSerializer(TicketVersionSerializer):
    work_summary = _text()
    final_charge = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, default=Decimal("0")
    )


class TicketCustomerConfirmSerializer(TicketVersionSerializer):
    satisfied = serializers.BooleanField()
    comment = _text()
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


class TicketReworkSerializer(serializers.Serializer):
    """M15: the customer says a defect remains after the repair."""

    complaint = _text(help_text=_("What defect remains, in the customer's words."))
    source = serializers.ChoiceField(
        choices=[(v, label) for v, label in ReworkSource.choices if v != ReworkSource.PORTAL],
        help_text=_("Where the customer said it (the portal is the customer's own way in)."),
    )
    complained_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=_(
            "When the customer complained (default: now; not in the future). The rework and "
            "its special follow-up are due 24 hours after it."
        ),
    )
    technician = VisiblePrimaryKeyField(
        technicians_for,
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Default: the technician who did the work, while he works for the office."),
    )


class TicketContactCreateSerializer(serializers.Serializer):
    summary = _text()
    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=Contact.Direction.choices)
    stage = serializers.ChoiceField(choices=Contact.Stage.choices, required=False)
    at = serializers.DateTimeField(required=False, allow_null=True)
