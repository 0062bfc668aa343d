"""API shapes of the hotline, one serializer per operation."""

from django.utils.translation import gettext_lazy as _

from propdesk.complaints.models import Complaint
from propdesk.core import serializers
from propdesk.customers.privacy import PhoneField, shown_phone
from propdesk.org.models import HotlineLine
from propdesk.tickets.serializers import RequestKindField

from .models import Call, DutyShift
from .selectors import OUTCOME_NONE
from .services import EVENTS


class HotlineLineSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    display_number = serializers.CharField(read_only=True)

    class Meta:
        model = HotlineLine
        fields = ["id", "office", "kind", "kind_display", "number", "display_number"]


class HotlineLineSetSerializer(serializers.Serializer):
    office = serializers.IntegerField(required=False, help_text=_("Defaults to your own office."))
    kind = serializers.ChoiceField(choices=HotlineLine.Kind.choices)
    number = serializers.CharField(max_length=40)


class CallLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = HotlineLine
        fields = ["id", "kind", "number"]


class CallStaffSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")


class CallCustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CallTicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class CallSerializer(serializers.ModelSerializer):
    line = CallLineSerializer(read_only=True)
    # The caller's number: full or masked for the request's user (``customers.privacy``).
    caller_number = PhoneField()
    caller_e164 = PhoneField()
    handler = CallStaffSerializer(read_only=True, allow_null=True)
    customer = CallCustomerSerializer(read_only=True, allow_null=True)
    ticket = CallTicketSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "external_id",
            "office",
            "line",
            "caller_number",
            "caller_e164",
            "state",
            "started_at",
            "answered_at",
            "ended_at",
            "handler",
            "customer",
            "outcome",
            "summary",
            "answer",
            "ticket",
        ]
        read_only_fields = fields


class CallEventSerializer(serializers.Serializer):
    """What the phone system posts for each event of a call."""

    call_id = serializers.CharField(max_length=80, help_text=_("The phone system's call id."))
    event = serializers.ChoiceField(choices=[(e, e) for e in EVENTS])
    line_number = serializers.CharField(max_length=40, help_text=_("The number dialled."))
    caller_number = serializers.CharField(
        max_length=40, allow_blank=True, help_text=_("Empty when the caller id is withheld.")
    )
    at = serializers.DateTimeField(required=False, help_text=_("ISO 8601; defaults to now."))
    agent = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text=_("Username of the staff member who answered."),
    )


class CallFilterSerializer(serializers.Serializer):
    office = serializers.IntegerField(required=False)
    line_kind = serializers.ChoiceField(choices=HotlineLine.Kind.choices, required=False)
    state = serializers.ChoiceField(choices=Call.State.choices, required=False)
    outcome = serializers.ChoiceField(
        choices=[(OUTCOME_NONE, _("Not logged")), *Call.Outcome.choices], required=False
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    handler = serializers.IntegerField(required=False)
    number = serializers.CharField(required=False, allow_blank=True, max_length=40)


class CallLogSerializer(serializers.Serializer):
    """Log a call as an answered inquiry, or turn it into a request."""

    action = serializers.ChoiceField(choices=[("inquiry", "inquiry"), ("request", "request")])
    line = serializers.IntegerField(required=False, allow_null=True)
    caller_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    customer = serializers.IntegerField(required=False, allow_null=True)
    household = serializers.IntegerField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    answer = serializers.CharField(required=False, allow_blank=True)
    kind = RequestKindField(required=False)
    item = serializers.IntegerField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    requested_deadline = serializers.DateTimeField(required=False, allow_null=True)


class CallComplaintInputSerializer(serializers.Serializer):
    """M17: record a call as a complaint — the customer's account in their words, that the agent
    listened to the end, how understanding was shown and the explanation given. Text the intake
    requires is optional here, so its own message is the one the client reads."""

    line = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Only for a call the phone system did not report."),
    )
    caller_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    customer = serializers.IntegerField(required=False, allow_null=True)
    household = serializers.IntegerField(required=False, allow_null=True)
    account = serializers.CharField(required=False, allow_blank=True, default="")
    listened = serializers.BooleanField(required=False, default=False)
    understanding = serializers.CharField(required=False, allow_blank=True, default="")
    explanation = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(
        choices=Complaint.Category.choices, required=False, allow_blank=True, default=""
    )
    severity = serializers.ChoiceField(
        choices=Complaint.Severity.choices, required=False, default=Complaint.Severity.GENERAL
    )
    about_staff = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )
    about_department = serializers.IntegerField(required=False, allow_null=True)
    about_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    involves_compensation = serializers.BooleanField(required=False, default=False)
    compensation_claimed = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )


class CallComplaintRefSerializer(serializers.Serializer):
    """The complaint the call became."""

    id = serializers.IntegerField(read_only=True)
    state = serializers.CharField(read_only=True)
    owner = serializers.CharField(
        read_only=True,
        help_text=_("Who handles it: the office, Quality Management or company leadership."),
    )
    severity = serializers.CharField(read_only=True)
    first_response_due_at = serializers.DateTimeField(read_only=True)


class CallComplaintSerializer(CallSerializer):
    """The call, logged, with the complaint it became."""

    complaint = CallComplaintRefSerializer(source="ticket.complaint", read_only=True)

    class Meta(CallSerializer.Meta):
        fields = [*CallSerializer.Meta.fields, "complaint"]
        read_only_fields = fields


class RecognisedHouseholdSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    address = serializers.CharField()


class RecognisedRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    due_at = serializers.DateTimeField()
    item = serializers.CharField(source="item.name", allow_null=True, default=None)


class OpportunitySerializer(serializers.Serializer):
    """A paid or special service the customer has not used yet (M24)."""

    item = serializers.IntegerField(source="item.pk")
    name = serializers.CharField(source="item.name")
    price = serializers.CharField(source="item.price_label")
    is_special = serializers.BooleanField(source="item.is_special")
    neighbours = serializers.IntegerField(
        help_text="Households of the customer's communities that asked for it in 12 months."
    )


class RecognisedCustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    office = serializers.IntegerField(source="office_id")
    kind = serializers.CharField()
    is_important = serializers.BooleanField()
    phones = serializers.SerializerMethodField()
    households = RecognisedHouseholdSerializer(many=True, source="current_households")
    open_requests = RecognisedRequestSerializer(many=True)
    opportunities = OpportunitySerializer(
        many=True,
        help_text="Paid and special services not used yet, the most relevant first.",
    )

    def get_phones(self, customer) -> list[str]:
        # E.164 for those who may read the customer's numbers, masked for the rest.
        user = getattr(self.context.get("request"), "user", None)
        return [shown_phone(user, customer, p.number, display=False) for p in customer.phones.all()]


class RecogniseQuerySerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    office = serializers.IntegerField(required=False)


class RecogniseSerializer(serializers.Serializer):
    number = serializers.CharField()
    customers = RecognisedCustomerSerializer(many=True)


class DutyShiftSerializer(serializers.ModelSerializer):
    office = serializers.IntegerField(source="line.office_id", read_only=True)
    line_kind = serializers.CharField(source="line.kind", read_only=True)
    staff_name = serializers.CharField(source="staff.display_name", read_only=True)

    class Meta:
        model = DutyShift
        fields = [
            "id",
            "line",
            "line_kind",
            "office",
            "staff",
            "staff_name",
            "starts_at",
            "ends_at",
        ]
        read_only_fields = fields


class DutyShiftCreateSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    staff = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class DutyShiftFilterSerializer(serializers.Serializer):
    office = serializers.IntegerField(required=False)
    line = serializers.IntegerField(required=False)
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)


class GapsQuerySerializer(serializers.Serializer):
    office = serializers.IntegerField(required=False, help_text=_("Defaults to your own office."))
    days = serializers.IntegerField(required=False, default=7, min_value=1, max_value=31)


class CoverageGapSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def to_representation(self, instance):
        start, end = instance
        return super().to_representation({"start": start, "end": end})


class LineCoverageSerializer(serializers.Serializer):
    line = CallLineSerializer()
    covered = serializers.BooleanField()
    gaps = CoverageGapSerializer(many=True)


class CoverageSerializer(serializers.Serializer):
    office = serializers.IntegerField(source="office_id")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    ok = serializers.BooleanField()
    missing_kinds = serializers.ListField(child=serializers.CharField())
    lines = LineCoverageSerializer(many=True)
