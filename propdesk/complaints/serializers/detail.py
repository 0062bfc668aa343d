"""One complaint in full, as staff see it: its escalations, plans, preventive measures, report,
answer and timeline, and what the signed-in user may do now."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers
from propdesk.tickets.models import Contact
from propdesk.tickets.serializers import (
    TicketEventSerializer,
    TicketNamedRefSerializer,
    TicketStaffRefSerializer,
)

from ..models import CorrectiveActionReport, CorrectivePlan, Escalation, PreventiveMeasure
from ._common import OWNERS, REPORT_STATES
from .listing import _ComplaintFields


class ComplaintEscalationSerializer(serializers.ModelSerializer):
    actor = TicketStaffRefSerializer(read_only=True, allow_null=True)
    # Plain strings: the levels are listed once, as ``owner`` (one choice set, one name).
    from_owner = serializers.CharField(read_only=True, help_text=OWNERS)
    to_owner = serializers.CharField(read_only=True, help_text=OWNERS)

    class Meta:
        model = Escalation
        fields = ["id", "at", "actor", "from_owner", "to_owner", "cause", "reason"]
        read_only_fields = fields


class CorrectivePlanSerializer(serializers.ModelSerializer):
    issued_by = TicketStaffRefSerializer(read_only=True)
    reported_by = TicketStaffRefSerializer(read_only=True, allow_null=True)
    decided_by = TicketStaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CorrectivePlan
        fields = [
            "id",
            "state",
            "plan",
            "due_at",
            "issued_by",
            "created_at",
            "report",
            "reported_by",
            "reported_at",
            "decided_by",
            "decided_at",
            "return_reason",
        ]
        read_only_fields = fields


class PreventiveMeasureSerializer(serializers.ModelSerializer):
    complaint = serializers.PrimaryKeyRelatedField(read_only=True)
    owner = TicketStaffRefSerializer(read_only=True)
    done_by = TicketStaffRefSerializer(read_only=True, allow_null=True)
    created_by = TicketStaffRefSerializer(read_only=True)
    may_mark_done = serializers.SerializerMethodField(
        help_text=_("The signed-in user may mark it done now (its owner, or a handler)")
    )

    class Meta:
        model = PreventiveMeasure
        fields = [
            "id",
            "complaint",
            "description",
            "owner",
            "due_on",
            "done_at",
            "done_by",
            "done_note",
            "created_by",
            "created_at",
            "may_mark_done",
            "version",
        ]
        read_only_fields = fields

    def get_may_mark_done(self, measure) -> bool:
        if measure.done_at is not None:
            return False
        user = self.context["user"]
        return measure.owner_id == user.pk or self.context.get("handles", False)


class CorrectiveActionReportRefSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=REPORT_STATES)

    class Meta:
        model = CorrectiveActionReport
        fields = ["id", "number", "title", "state", "submitted_at", "approved_at", "return_reason"]
        read_only_fields = fields


class ComplaintAnswerSerializer(serializers.ModelSerializer):
    """The follow-up contact that answered the customer (M18, M19)."""

    staff = TicketStaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Contact
        fields = ["id", "at", "channel", "staff", "summary"]
        read_only_fields = fields


class ComplaintSerializer(_ComplaintFields):
    """One complaint in full. The view reads the timeline, the report and ``actions`` and passes
    them in the context."""

    household = serializers.IntegerField(
        source="ticket.household_id", read_only=True, allow_null=True
    )
    requested_deadline = serializers.DateTimeField(
        source="ticket.requested_deadline", read_only=True, allow_null=True
    )
    about_staff = TicketStaffRefSerializer(many=True, read_only=True)
    about_department = TicketNamedRefSerializer(read_only=True, allow_null=True)
    answer = ComplaintAnswerSerializer(source="answer_contact", read_only=True, allow_null=True)
    analysed_by = TicketStaffRefSerializer(read_only=True, allow_null=True)
    closed_by = TicketStaffRefSerializer(read_only=True, allow_null=True)
    escalations = ComplaintEscalationSerializer(many=True, read_only=True)
    plans = CorrectivePlanSerializer(many=True, read_only=True)
    measures = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "Goes up with every change. Send it back with a change (`version` or If-Match), so "
            "that a change someone made meanwhile is refused (409) instead of overwritten."
        ),
    )
    actions = serializers.SerializerMethodField(
        help_text=_(
            "What the signed-in user may do now: respond, escalate, reclassify, "
            "reclassify_severity, plan_issue, plan_report, plan_accept, plan_return, resolve, "
            "answer, cause, measure_add, close, report_save, report_submit, report_approve, "
            "report_return"
        )
    )

    class Meta(_ComplaintFields.Meta):
        fields = [
            *_ComplaintFields.Meta.fields,
            "household",
            "requested_deadline",
            "account",
            "listened",
            "understanding",
            "explanation",
            "about_staff",
            "about_department",
            "about_text",
            "against_director",
            "involves_compensation",
            "compensation_claimed",
            "compensation_agreed",
            "resolution",
            "answer",
            "answer_satisfied",
            "cause_category",
            "cause_analysis",
            "substantiated",
            "analysed_at",
            "analysed_by",
            "closed_by",
            "escalations",
            "plans",
            "measures",
            "report",
            "timeline",
            "actions",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(PreventiveMeasureSerializer(many=True))
    def get_measures(self, complaint):
        return PreventiveMeasureSerializer(
            complaint.measures.all(), many=True, context=self.context
        ).data

    @extend_schema_field(CorrectiveActionReportRefSerializer(allow_null=True))
    def get_report(self, complaint):
        report = self.context["report"]
        return CorrectiveActionReportRefSerializer(report).data if report else None

    @extend_schema_field(TicketEventSerializer(many=True))
    def get_timeline(self, complaint):
        return TicketEventSerializer(self.context["timeline"], many=True).data

    def get_actions(self, complaint) -> list[str]:
        return list(self.context["actions"])
