"""The corrective action register: its filters, its rows, and one report in full."""

from django.utils.translation import gettext_lazy as _

from propdesk.core import serializers
from propdesk.tickets.serializers import TicketNamedRefSerializer, TicketStaffRefSerializer

from ..models import CorrectiveActionReport
from ._common import REPORT_STATES, _id


class CorrectiveActionReportFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text=_("A report number, or words of its title, cause or prevention"),
    )
    office = _id(required=False)
    approved_only = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_("false: also the drafts and submitted reports of complaints you may see"),
    )


class CorrectiveActionReportListSerializer(serializers.ModelSerializer):
    office = TicketNamedRefSerializer(read_only=True)
    complaint_number = serializers.CharField(source="complaint.ticket.number", read_only=True)
    state = serializers.CharField(read_only=True, help_text=REPORT_STATES)

    class Meta:
        model = CorrectiveActionReport
        fields = [
            "id",
            "number",
            "title",
            "office",
            "complaint_number",
            "state",
            "approved_at",
            "version",
        ]
        read_only_fields = fields


class CorrectiveActionReportSerializer(serializers.ModelSerializer):
    office = TicketNamedRefSerializer(read_only=True)
    complaint_number = serializers.CharField(source="complaint.ticket.number", read_only=True)
    prepared_by = TicketStaffRefSerializer(read_only=True)
    submitted_by = TicketStaffRefSerializer(read_only=True, allow_null=True)
    approved_by = TicketStaffRefSerializer(read_only=True, allow_null=True)
    notice = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=_("The company-wide announcement (a notice), once approved"),
    )

    class Meta:
        model = CorrectiveActionReport
        fields = [
            "id",
            "complaint",
            "complaint_number",
            "office",
            "number",
            "title",
            "facts",
            "cause",
            "correction",
            "prevention",
            "verification",
            "state",
            "prepared_by",
            "submitted_by",
            "submitted_at",
            "approved_by",
            "approved_at",
            "return_reason",
            "notice",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
