"""One request in full: its quotes, assignments, checklist, extensions, timeline and contacts,
and what the signed-in user may do to it now."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers

from .. import lifecycle
from ..models import (
    Assignment,
    ChecklistStep,
    Contact,
    Extension,
    ExtensionProposal,
    Quote,
    QuoteLine,
    TicketEvent,
)
from .listing import TicketListSerializer
from .refs import TicketRefSerializer, TicketStaffRefSerializer


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
    completion_photos = serializers.SerializerMethodField()
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
            "completion_photos",
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

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_completion_photos(self, ticket) -> list[str]:
        """The photos of the finished work sent with the completion (read only once completed)."""
        if ticket.completed_at is None:
            return []
        request = self.context.get("request")
        urls = [p.image.url for p in ticket.completion_photos.all()]
        return [request.build_absolute_uri(u) for u in urls] if request else urls

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, ticket) -> list[str]:
        return lifecycle.actions_for(self.context["request"].user, ticket)


class QuoteCreatedSerializer(serializers.Serializer):
    quote = QuoteSerializer(read_only=True)
    accept_url = serializers.URLField(
        read_only=True, help_text=_("The customer's one-time link. Shown once, never stored.")
    )
    ticket = TicketDetailSerializer(read_only=True)
