"""What staff send: a new request, and one shape per action on it. They check types only;
the services check the rules."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from propdesk.catalog.models import ServiceItem
from propdesk.catalog.selectors import items_visible_to
from propdesk.core import serializers
from propdesk.customers.models import Customer, Household
from propdesk.customers.selectors import customers_for, households_for
from propdesk.org.models import User
from propdesk.org.selectors import technicians_for

from ..models import Channel, Contact, Kind, Priority, Quote, ReworkSource
from .refs import VisiblePrimaryKeyField


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


def _customers_with_office(user):
    # The request's office comes with its customer: the answer names it.
    return customers_for(user).select_related("office")


class TicketCreateSerializer(serializers.Serializer):
    customer = VisiblePrimaryKeyField(_customers_with_office, queryset=Customer.objects.all())
    household = VisiblePrimaryKeyField(
        households_for, queryset=Household.objects.all(), required=False, allow_null=True
    )
    kind = RequestKindField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    description = _text(max_length=serializers.TEXT_DESCRIPTION)
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
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=_(
            "Up to 5 photos of the finished work (JPEG, PNG, WebP or GIF), with "
            "multipart/form-data: repeat the field."
        ),
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
