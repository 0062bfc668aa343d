"""API shapes for the weekly follow-up sample (M13): one input serializer per operation, read
serializers for the output. Inputs check types only; the rules and their messages are the
services' (a missing comment on an unsatisfied answer is refused there, as in the console)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers
from propdesk.core.params import MAX_ID
from propdesk.tickets.models import ReworkSource
from propdesk.tickets.serializers import (
    TicketNamedRefSerializer,
    TicketRefSerializer,
    TicketStaffRefSerializer,
)

from ..models import FollowupAttempt, FollowupBatch, FollowupCall

ID = {"min_value": 1, "max_value": MAX_ID}


def choice(name: str, choices, *, blank: bool = False, **kwargs) -> serializers.ChoiceField:
    """A choice field whose enum is the schema component ``name``: "state", "kind" and "source"
    are field names other apps use for other choice sets, and the enums' default names (taken
    from the field's name) would collide."""
    if name not in _CHOICE_FIELDS:  # one class per component, or the schema sees two
        values = [value for value, _label in choices] + ([""] if blank else [])
        schema = {
            "type": "string",
            "enum": values,
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices),
        }
        _CHOICE_FIELDS[name] = extend_schema_field(schema, component_name=name)(
            type(name.removesuffix("Enum") + "Field", (serializers.ChoiceField,), {})
        )
    return _CHOICE_FIELDS[name](choices=choices, allow_blank=blank, **kwargs)


_CHOICE_FIELDS: dict[str, type] = {}


class FollowupAttemptSerializer(serializers.ModelSerializer):
    by = TicketStaffRefSerializer(read_only=True)

    class Meta:
        model = FollowupAttempt
        fields = ["id", "at", "by", "reached", "note"]


class FollowupCallSerializer(serializers.ModelSerializer):
    kind = choice("FollowupCallKindEnum", FollowupCall.Kind.choices, read_only=True)
    state = choice("FollowupCallStateEnum", FollowupCall.State.choices, read_only=True)
    source = choice(
        "FollowupCallSourceEnum",
        ReworkSource.choices,
        blank=True,
        read_only=True,
        help_text=_("Rework calls: where the customer complained."),
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    office = TicketNamedRefSerializer(read_only=True)
    ticket = TicketRefSerializer(read_only=True)
    customer = TicketNamedRefSerializer(read_only=True)
    week = serializers.SerializerMethodField(help_text=_("The sample's week, for sampled calls."))
    assignee = TicketStaffRefSerializer(read_only=True, allow_null=True)
    done_by = TicketStaffRefSerializer(read_only=True, allow_null=True)
    rework = TicketRefSerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = FollowupCall
        fields = [
            "id",
            "kind",
            "kind_display",
            "state",
            "state_display",
            "office",
            "ticket",
            "customer",
            "batch",
            "week",
            "assignee",
            "due_at",
            "overdue",
            "complained_at",
            "source",
            "attempts",
            "reached",
            "satisfied",
            "comment",
            "done_at",
            "done_by",
            "rework",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_week(self, call) -> str | None:
        return call.batch.week if call.batch_id else None

    def get_overdue(self, call) -> bool:
        return call.state == FollowupCall.State.OPEN and call.due_at < self.context["now"]


class FollowupCallDetailSerializer(FollowupCallSerializer):
    tries = FollowupAttemptSerializer(many=True, read_only=True)
    can_record = serializers.BooleanField(
        read_only=True, help_text=_("Whether you may record a try or the answer now.")
    )
    allowed_actions = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_(
            "What you may do to the call now, by your role, whose call it is and its state: "
            "“attempt” (a try without the answer), “outcome” (the customer's answer)."
        ),
    )

    class Meta(FollowupCallSerializer.Meta):
        fields = [
            *FollowupCallSerializer.Meta.fields,
            "version",
            "tries",
            "can_record",
            "allowed_actions",
        ]
        read_only_fields = ["version"]


class FollowupCallFilterSerializer(serializers.Serializer):
    assignee = serializers.RegexField(
        r"^(me|\d{1,18})$",
        required=False,
        help_text=_("“me”, or a follow-up specialist's id."),
        error_messages={"invalid": _("Give “me” or a staff member's id.")},
    )
    state = choice("FollowupCallStateEnum", FollowupCall.State.choices, required=False)
    kind = choice("FollowupCallKindEnum", FollowupCall.Kind.choices, required=False)
    office = serializers.IntegerField(required=False, **ID)
    week = serializers.CharField(
        required=False,
        max_length=20,
        help_text=_("Calls due in this ISO week: 2026-W24, or any day in it."),
    )


class FollowupCallVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The call's version you last read (or send an If-Match header). If someone changed "
            "the call since, the change is refused with 409."
        ),
    )


class FollowupAttemptInputSerializer(FollowupCallVersionSerializer):
    reached = serializers.BooleanField(
        help_text=_("False: nobody answered. True: reached, but to call back later.")
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class FollowupOutcomeInputSerializer(FollowupCallVersionSerializer):
    satisfied = serializers.BooleanField()
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=_("What the customer said; required when not satisfied (it opens rework)."),
    )


class FollowupBatchSerializer(serializers.ModelSerializer):
    office = TicketNamedRefSerializer(read_only=True)
    population_size = serializers.IntegerField(read_only=True)
    sample_size = serializers.IntegerField(read_only=True)
    calls_made = serializers.IntegerField(
        read_only=True, help_text=_("Sampled calls done or closed as not reached.")
    )

    class Meta:
        model = FollowupBatch
        fields = [
            "id",
            "office",
            "week",
            "week_start",
            "population_size",
            "sample_size",
            "calls_made",
            "seed",
            "created_at",
        ]


class FollowupBatchDetailSerializer(FollowupBatchSerializer):
    population = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("The repair orders completed that week, ids ascending."),
    )
    sample = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("random.Random(seed).sample(population, sample_size), in the order drawn."),
    )
    calls = FollowupCallSerializer(many=True, read_only=True, source="call_rows")

    class Meta(FollowupBatchSerializer.Meta):
        fields = [*FollowupBatchSerializer.Meta.fields, "population", "sample", "calls"]


class FollowupBatchFilterSerializer(serializers.Serializer):
    office = serializers.IntegerField(required=False, **ID)
    week = serializers.CharField(required=False, max_length=20, help_text=_("e.g. 2026-W23"))


class FollowupBatchCreateSerializer(serializers.Serializer):
    office = serializers.IntegerField(**ID)
    week = serializers.CharField(
        max_length=20, help_text=_("A week that is over: 2026-W23, or any day in it.")
    )
