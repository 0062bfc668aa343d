"""The complaints' API shapes (M17–M20, M23): one serializer per operation.

Inputs check types only (numbers, dates, choices, ids); the rules and their messages are the
services', so a client hears exactly what the console says, naming the same field.

The OpenAPI schema names an enum after the one component that carries it. A complaint's ``state``
and ``category`` are already enums of the hotline's shapes (``CallComplaintRef``), and ``state``
is used by many models, so here they are plain strings whose values the help text lists; each
other choice set appears under one name only (``severity``, ``owner``, ``cause_category``,
``channel``; a plan's and a report's ``state`` each on its own component).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from propdesk.core.params import MAX_ID
from propdesk.customers.models import Household
from propdesk.customers.selectors import households_for
from propdesk.org.models import Department
from propdesk.org.selectors import departments_for
from propdesk.tickets.models import Channel, Contact
from propdesk.tickets.portal_serializers import PortalTimelineEventSerializer
from propdesk.tickets.serializers import (
    TicketEventSerializer,
    TicketNamedRefSerializer,
    TicketStaffRefSerializer,
    VisiblePrimaryKeyField,
)

from .models import Complaint, CorrectiveActionReport, CorrectivePlan, Escalation, PreventiveMeasure

STATES = ", ".join(Complaint.State.values)
CATEGORIES = ", ".join(Complaint.Category.values)
OWNERS = ", ".join(Complaint.Owner.values)
REPORT_STATES = ", ".join(CorrectiveActionReport.State.values)


def _text(**kwargs):
    """Free text whose presence the service checks (so its message is the one the client reads)."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def _money(**kwargs):
    """An amount in yuan; its range is the service's to check (0 to 999,999.99)."""
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None, **kwargs
    )


def _id(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class PlainChoiceField(serializers.ChoiceField):
    """Checked against its choices, shown in the schema as a plain string (the values are in the
    help text): the same choice set as an enum of a second component would clash."""


# --- staff: the list --------------------------------------------------------------------------


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


# --- staff: one complaint in full ---------------------------------------------------------------


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


# --- staff: the corrective action register --------------------------------------------------


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
        fields = ["id", "number", "title", "office", "complaint_number", "state", "approved_at"]
        read_only_fields = fields


class CorrectiveActionReportSerializer(serializers.ModelSerializer):
    office = TicketNamedRefSerializer(read_only=True)
    complaint_number = serializers.CharField(source="complaint.ticket.number", read_only=True)
    prepared_by = TicketStaffRefSerializer(read_only=True)
    submitted_by = TicketStaffRefSerializer(read_only=True, allow_null=True)
    approved_by = TicketStaffRefSerializer(read_only=True, allow_null=True)
    notice = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("The company-wide announcement (a notice), once approved")
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
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# --- staff: what they send --------------------------------------------------------------------


class ComplaintCreateSerializer(serializers.Serializer):
    customer = _id(help_text=_("A customer you may see"))
    household = VisiblePrimaryKeyField(
        households_for, queryset=Household.objects.all(), required=False, allow_null=True
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        help_text=_("How it came (not portal: customers file there themselves)"),
    )
    account = _text(help_text=_("The customer's account, in their words"))
    category = PlainChoiceField(choices=Complaint.Category.choices, help_text=CATEGORIES)
    severity = serializers.ChoiceField(
        choices=Complaint.Severity.choices, required=False, default=Complaint.Severity.GENERAL
    )
    listened = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Listened to the end: required when heard in person or on the phone"),
    )
    understanding = _text(help_text=_("How understanding was shown (heard in person)"))
    explanation = _text(help_text=_("The explanation given (heard in person)"))
    about_staff = serializers.ListField(
        child=_id(),
        required=False,
        default=list,
        help_text=_("Ids of the staff complained about: they never see its handling"),
    )
    about_department = VisiblePrimaryKeyField(
        departments_for, queryset=Department.objects.all(), required=False, allow_null=True
    )
    about_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    involves_compensation = serializers.BooleanField(required=False, default=False)
    compensation_claimed = _money(help_text=_("CNY; a claim sends it to company leadership"))
    requested_deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ComplaintRespondSerializer(serializers.Serializer):
    understanding = _text()
    explanation = _text()
    channel = serializers.ChoiceField(
        choices=Channel.choices, required=False, default=Channel.HOTLINE
    )


class ComplaintReasonSerializer(serializers.Serializer):
    reason = _text()


class ComplaintReclassifySerializer(serializers.Serializer):
    """Only the fields sent change."""

    reason = _text()
    severity = serializers.ChoiceField(
        choices=Complaint.Severity.choices,
        required=False,
        help_text=_("Quality, leadership and administrators only"),
    )
    about_staff = serializers.ListField(
        child=_id(), required=False, help_text=_("Replaces the staff it is about")
    )
    involves_compensation = serializers.BooleanField(required=False)
    compensation_claimed = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )


class ComplaintPlanSerializer(serializers.Serializer):
    plan = _text()
    due_at = serializers.DateTimeField(help_text=_("To be done by; in the future"))


class ComplaintPlanReportSerializer(serializers.Serializer):
    report = _text(help_text=_("What the office has done"))


class ComplaintResolveSerializer(serializers.Serializer):
    resolution = _text()
    compensation_agreed = _money(help_text=_("CNY; only when compensation was claimed"))


class ComplaintAnswerInputSerializer(serializers.Serializer):
    summary = _text(help_text=_("What the customer was told"))
    channel = serializers.ChoiceField(
        choices=Channel.choices, required=False, default=Channel.HOTLINE
    )
    reached = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_("false: the attempt is recorded and it stays to be answered"),
    )
    satisfied = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("false: handling resumes (M23)"),
    )


class ComplaintCauseSerializer(serializers.Serializer):
    cause_category = serializers.ChoiceField(choices=Complaint.Cause.choices)
    cause_analysis = _text()
    substantiated = serializers.BooleanField(required=False, allow_null=True, default=None)


class ComplaintMeasureAddSerializer(serializers.Serializer):
    description = _text()
    owner = _id(help_text=_("A member of staff of the office or the company"))
    due_on = serializers.DateField()


class ComplaintMeasureDoneSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ComplaintReportSaveSerializer(serializers.Serializer):
    title = _text(max_length=200)
    facts = _text()
    cause = _text()
    correction = _text()
    prevention = _text()
    verification = _text()


# --- the customer's -----------------------------------------------------------------------------


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
    account = _text(help_text=_("What happened, in your words"))
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


class ComplaintNumbersFilterSerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text="First day (local date); default: 30 days before `end`."
    )
    end = serializers.DateField(required=False, help_text="Last day, included; default: today.")

    def validate(self, data):
        import datetime as dt

        from django.utils import timezone

        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - dt.timedelta(days=29)
        if start > end:
            raise serializers.ValidationError({"start": _("The period must start before it ends.")})
        if (end - start).days > 366:
            raise serializers.ValidationError({"start": _("Choose a period of at most a year.")})
        return {"start": start, "end": end}


class ComplaintNumbersRowSerializer(serializers.Serializer):
    office = serializers.IntegerField(source="office.pk", allow_null=True, default=None)
    office_name = serializers.CharField(source="office.name", allow_null=True, default=None)
    households = serializers.IntegerField()
    received = serializers.IntegerField()
    company_level = serializers.IntegerField()
    responded = serializers.IntegerField()
    responded_on_time = serializers.IntegerField()
    resolved = serializers.IntegerField()
    resolved_on_time = serializers.IntegerField()
    answered = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    closed = serializers.IntegerField()
    escalated_late = serializers.IntegerField()
    open_overdue = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    complaint_rate = serializers.FloatField(
        allow_null=True, help_text="Complaints per 100 households."
    )


class ComplaintNumbersSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    offices = ComplaintNumbersRowSerializer(many=True)
    company = ComplaintNumbersRowSerializer()
