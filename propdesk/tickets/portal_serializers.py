"""Shapes of the customer API's requests (/api/v1/portal/requests/): what a customer sends, and
what they read of their own requests.

Inputs check types only; the rules and their messages are the services' (``tickets.services``), so
an app hears exactly what the portal's pages say. Outputs show the customer their own requests as
the portal does: the customer-visible timeline, never internal notes, staff names or other
customers.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from propdesk.catalog.models import ServiceItem
from propdesk.catalog.selectors import items_for_office
from propdesk.core import serializers
from propdesk.core.params import MAX_ID
from propdesk.portal.serializers import optional_text

from . import events
from .lifecycle import TRANSITIONS
from .models import (
    ExtensionProposal,
    Kind,
    Quote,
    QuoteLine,
    RatingReason,
    Status,
    Ticket,
    TicketEvent,
)
from .portal_forms import REQUEST_KINDS
from .serializers import StatusListField


class PortalItemSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name")
    price_label = serializers.CharField()
    is_chargeable = serializers.BooleanField(
        help_text=_("A chargeable service shows its fee for your acceptance before the work.")
    )

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "name",
            "category",
            "description",
            "service_hours",
            "price_label",
            "is_chargeable",
        ]


# --- requests: reading --------------------------------------------------------------------------


class PortalRequestFilterSerializer(serializers.Serializer):
    household = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("One of your households (see /me/); another is not found (404)."),
    )
    status = StatusListField(
        child=serializers.ChoiceField(choices=Status.choices),
        required=False,
        help_text=_("Repeat the parameter or separate statuses with commas."),
    )


class PortalNamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PortalHouseholdRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    address = serializers.CharField()


class PortalRequestListSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")
    kind_display = serializers.CharField(source="get_kind_display")
    item = PortalNamedRefSerializer(allow_null=True)
    household = PortalHouseholdRefSerializer(allow_null=True)
    # Plain strings: the staff API already names the enums of these choices.
    status = serializers.CharField()
    kind = serializers.CharField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "status",
            "status_display",
            "kind",
            "kind_display",
            "item",
            "household",
            "description",
            "requested_deadline",
            "due_at",
            "created_at",
        ]


class PortalTimelineEventSerializer(serializers.ModelSerializer):
    label = serializers.CharField()
    note = serializers.SerializerMethodField()

    class Meta:
        model = TicketEvent
        fields = ["kind", "label", "at", "note"]

    def get_note(self, event) -> str:
        return events.customer_note(event)


class PortalQuoteLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteLine
        fields = ["description", "quantity", "unit_price", "amount"]


class PortalQuoteSerializer(serializers.ModelSerializer):
    lines = PortalQuoteLineSerializer(many=True)
    is_expired = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = ["id", "total", "terms", "lines", "expires_at", "is_expired", "created_at"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_expired(self, quote) -> bool:
        return quote.is_expired(self.context.get("now") or timezone.now())


class PortalProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionProposal
        fields = ["id", "old_due_at", "new_due_at", "reason", "proposed_at"]


class PortalRequestDetailSerializer(PortalRequestListSerializer):
    # One request as its customer sees it. The view reads ``timeline``, ``pending_quote``,
    # ``pending_proposal`` and ``photo_count`` through the selectors and passes them in the
    # context.

    comment = serializers.CharField(source="satisfaction_comment")
    reasons = serializers.ListField(source="satisfaction_reasons", child=serializers.CharField())
    technician = serializers.SerializerMethodField()
    final_charge = serializers.DecimalField(max_digits=10, decimal_places=2)
    photo_count = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    pending_quote = serializers.SerializerMethodField()
    pending_proposal = serializers.SerializerMethodField()
    can_cancel = serializers.SerializerMethodField()
    can_confirm = serializers.SerializerMethodField()
    can_rework = serializers.SerializerMethodField()

    class Meta(PortalRequestListSerializer.Meta):
        fields = [
            *PortalRequestListSerializer.Meta.fields,
            "completed_at",
            "closed_at",
            "satisfied",
            "stars",
            "reasons",
            "comment",
            "version",
            "photo_count",
            "photos",
            "timeline",
            "pending_quote",
            "pending_proposal",
            "can_cancel",
            "can_confirm",
            "can_rework",
            "technician",
            "final_charge",
        ]

    def get_technician(self, ticket) -> str:
        """Who is doing or did the work, by name, once assigned."""
        return ticket.assignee.display_name if ticket.assignee_id else ""

    def get_photo_count(self, ticket) -> int:
        return len(self.context["photos"])

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, ticket) -> list[str]:
        """Where to fetch each photo the customer filed, with the same token."""
        request = self.context["request"]
        return [
            request.build_absolute_uri(reverse("portal-request-photo", args=[ticket.pk, photo_pk]))
            for photo_pk in self.context["photos"]
        ]

    @extend_schema_field(PortalTimelineEventSerializer(many=True))
    def get_timeline(self, ticket):
        return PortalTimelineEventSerializer(self.context["timeline"], many=True).data

    @extend_schema_field(PortalQuoteSerializer(allow_null=True))
    def get_pending_quote(self, ticket):
        quote = self.context["pending_quote"]
        return PortalQuoteSerializer(quote, context=self.context).data if quote else None

    @extend_schema_field(PortalProposalSerializer(allow_null=True))
    def get_pending_proposal(self, ticket):
        proposal = self.context["pending_proposal"]
        return PortalProposalSerializer(proposal).data if proposal else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_cancel(self, ticket) -> bool:
        """Until a technician is on the way (the lifecycle's "cancel")."""
        return ticket.status in TRANSITIONS["cancel"].sources

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_confirm(self, ticket) -> bool:
        """Once the work is done: confirm and rate it (the lifecycle's "close")."""
        return ticket.status in TRANSITIONS["close"].sources

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_rework(self, ticket) -> bool:
        """The problem came back after closing: ask for rework (within 90 days)."""
        return bool(self.context.get("can_rework"))


# --- requests: acting ---------------------------------------------------------------------------


class OfferedItemField(serializers.PrimaryKeyRelatedField):
    """A service item the customer's office offers (as on the portal's form); any other id
    answers 400 "does not exist" on the field."""

    def get_queryset(self):
        return items_for_office(self.context["customer"].office_id).filter(in_scope=True)


class PortalRequestCreateSerializer(serializers.Serializer):
    household = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Which of your households; may be left out when you have only one."),
    )
    item = OfferedItemField(
        queryset=ServiceItem.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A service from /items/, if you know which."),
    )
    kind = serializers.ChoiceField(
        choices=REQUEST_KINDS,
        required=False,
        default=Kind.SERVICE,
        help_text=_("What it is about, when there is no `item`: an item decides it otherwise."),
    )
    description = optional_text(
        max_length=serializers.TEXT_DESCRIPTION, help_text=_("What do you need?")
    )
    requested_deadline = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("Done by (optional); must be in the future.")
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=_("Up to 5 photos (JPEG, PNG, WebP or GIF)."),
    )


class PortalVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_(
            "The request's version you last read. If it changed since, the answer is 409 and "
            "nothing is done."
        ),
    )


class PortalQuoteAnswerSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(help_text=_("true accepts the fee, false declines it."))


class PortalProposalAnswerSerializer(serializers.Serializer):
    agreed = serializers.BooleanField(
        help_text=_("true agrees to the new deadline, false keeps the current one.")
    )
    comment = optional_text(max_length=2000)


class PortalConfirmSerializer(PortalVersionSerializer):
    stars = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=5,
        help_text=_(
            "Your rating, 1 to 5 stars: 4 or 5 closes the request, 1 to 3 asks for the work to "
            "be done again (rework); then say why in `reasons` or `comment`."
        ),
    )
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=RatingReason.choices),
        required=False,
        default=list,
        max_length=len(RatingReason.choices),
        help_text=_("The reasons you tick beside your stars."),
    )
    satisfied = serializers.BooleanField(
        required=False,
        help_text=_("Instead of stars: false asks for the work to be done again (rework)."),
    )
    comment = optional_text(max_length=2000)

    def validate(self, attrs):
        if attrs.get("stars") is None and attrs.get("satisfied") is None:
            raise serializers.ValidationError(
                {"stars": [_("Choose from 1 to 5 stars.")]}, code="required"
            )
        return attrs


class PortalReworkSerializer(serializers.Serializer):
    complaint = optional_text(max_length=2000, help_text=_("What is wrong again."))


class PortalCancelSerializer(PortalVersionSerializer):
    reason = optional_text(max_length=2000, help_text=_("Why you cancel the request."))
