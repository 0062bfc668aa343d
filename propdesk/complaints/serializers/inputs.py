"""What staff send: a complaint filed, and one shape per action on it."""

from django.utils.translation import gettext_lazy as _

from propdesk.core import serializers
from propdesk.customers.models import Household
from propdesk.customers.selectors import households_for
from propdesk.org.models import Department
from propdesk.org.selectors import departments_for
from propdesk.tickets.models import Channel
from propdesk.tickets.serializers import VisiblePrimaryKeyField

from ..models import Complaint
from ._common import CATEGORIES, PlainChoiceField, _id, _money, _text


class ComplaintCreateSerializer(serializers.Serializer):
    customer = _id(help_text=_("A customer you may see"))
    household = VisiblePrimaryKeyField(
        households_for, queryset=Household.objects.all(), required=False, allow_null=True
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        help_text=_("How it came (not portal: customers file there themselves)"),
    )
    account = _text(
        max_length=serializers.TEXT_DESCRIPTION,
        help_text=_("The customer's account, in their words"),
    )
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


class ComplaintVersionSerializer(serializers.Serializer):
    """The version a change was made against: every change to a complaint takes it."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The complaint's version you last read (or send an If-Match header). If someone "
            "changed the complaint since, the change is refused with 409."
        ),
    )


class ComplaintRespondSerializer(ComplaintVersionSerializer):
    understanding = _text()
    explanation = _text()
    channel = serializers.ChoiceField(
        choices=Channel.choices, required=False, default=Channel.HOTLINE
    )


class ComplaintReasonSerializer(ComplaintVersionSerializer):
    reason = _text()


class ComplaintReclassifySerializer(ComplaintVersionSerializer):
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


class ComplaintPlanSerializer(ComplaintVersionSerializer):
    plan = _text()
    due_at = serializers.DateTimeField(help_text=_("To be done by; in the future"))


class ComplaintPlanReportSerializer(ComplaintVersionSerializer):
    report = _text(help_text=_("What the office has done"))


class ComplaintResolveSerializer(ComplaintVersionSerializer):
    resolution = _text()
    compensation_agreed = _money(help_text=_("CNY; only when compensation was claimed"))


class ComplaintAnswerInputSerializer(ComplaintVersionSerializer):
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
        help_text=_("false: the customer is not satisfied and handling resumes"),
    )


class ComplaintCauseSerializer(ComplaintVersionSerializer):
    cause_category = serializers.ChoiceField(choices=Complaint.Cause.choices)
    cause_analysis = _text(max_length=serializers.TEXT_DESCRIPTION)
    substantiated = serializers.BooleanField(required=False, allow_null=True, default=None)


class ComplaintMeasureAddSerializer(ComplaintVersionSerializer):
    description = _text()
    owner = _id(help_text=_("A member of staff of the office or the company"))
    due_on = serializers.DateField()


class RecordVersionSerializer(serializers.Serializer):
    """The version of the measure or report a step was taken on (not the complaint's)."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The measure's or report's own `version` you last read (or send an If-Match "
            "header): required, one or the other (428 without); 409 if it changed since."
        ),
    )


class ComplaintMeasureDoneSerializer(RecordVersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ReportReturnSerializer(RecordVersionSerializer):
    reason = _text()


class ComplaintReportSaveSerializer(ComplaintVersionSerializer):
    title = _text(max_length=200)
    # A corrective action report is a document: each part may run long.
    facts = _text(max_length=serializers.TEXT_DOCUMENT)
    cause = _text(max_length=serializers.TEXT_DOCUMENT)
    correction = _text(max_length=serializers.TEXT_DOCUMENT)
    prevention = _text(max_length=serializers.TEXT_DOCUMENT)
    verification = _text(max_length=serializers.TEXT_DOCUMENT)
