"""The customer's complaints: the list, one complaint as its customer sees it, and filing one."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers
from propdesk.tickets.portal_serializers import PortalTimelineEventSerializer

from ..models import Complaint
from ._common import CATEGORIES, STATES, PlainChoiceField, _id, _money, _text


class CustomerComplaintListSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="ticket.number", read_only=True)
    state = serializers.CharField(read_only=True, help_text=STATES)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    category = serializers.CharField(read_only=True, help_text=CATEGORIES)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    handled_by = serializers.CharField(
        source="get_owner_display",
        read_only=True,
        help_text=_("The level handling it: the office's service center or the company"),
    )
    due_at = serializers.DateTimeField(source="ticket.due_at", read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "state",
            "state_display",
            "category",
            "category_display",
            "handled_by",
            "created_at",
            "due_at",
            "resolved_at",
            "answered_at",
            "closed_at",
        ]
        read_only_fields = fields


class CustomerComplaintAnswerSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    summary = serializers.CharField(help_text=_("What the customer was told"))


class CustomerComplaintSerializer(CustomerComplaintListSerializer):
    """A complaint as its customer sees it: its progress, the customer-visible timeline with the
    notes said to them, the resolution and the answer; never internal notes, escalation reasons
    or staff names. The view passes ``timeline`` and ``photos`` in the context."""

    answer = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta(CustomerComplaintListSerializer.Meta):
        fields = [
            *CustomerComplaintListSerializer.Meta.fields,
            "account",
            "involves_compensation",
            "compensation_claimed",
            "compensation_agreed",
            "resolution",
            "answer",
            "timeline",
            "photos",
        ]
        read_only_fields = fields

    @extend_schema_field(CustomerComplaintAnswerSerializer(allow_null=True))
    def get_answer(self, complaint):
        contact = complaint.answer_contact
        if complaint.answered_at is None or contact is None:
            return None
        return {"at": contact.at, "summary": contact.summary}

    @extend_schema_field(PortalTimelineEventSerializer(many=True))
    def get_timeline(self, complaint):
        return PortalTimelineEventSerializer(self.context["timeline"], many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, complaint) -> list[str]:
        """Where to fetch each photo the customer filed, with the same token."""
        request = self.context["request"]
        return [
            request.build_absolute_uri(
                reverse("portal-request-photo", args=[complaint.ticket_id, photo_pk])
            )
            for photo_pk in self.context["photos"]
        ]


class CustomerComplaintCreateSerializer(serializers.Serializer):
    household = _id(
        required=False,
        allow_null=True,
        help_text=_("Which of your households; may be left out when you have only one"),
    )
    account = _text(
        max_length=serializers.TEXT_DESCRIPTION, help_text=_("What happened, in your words")
    )
    category = PlainChoiceField(choices=Complaint.Category.choices, help_text=CATEGORIES)
    involves_compensation = serializers.BooleanField(required=False, default=False)
    compensation_claimed = _money(help_text=_("CNY, if you claim compensation"))
    requested_deadline = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=_("In the future")
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=_("Up to 5 photos (JPEG, PNG, WebP or GIF), with multipart/form-data"),
    )
