"""API shapes of the rework board (M15) and the weekly after-service measures."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers
from propdesk.core.params import MAX_ID

from ..models import FollowupCall, WeeklyMeasure
from ..selectors.rework import BOARD_STATES
from ..weeks import monday_of as parse_week


class ReworkNamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ReworkStaffRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class ReworkOriginalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    # Plain strings: the tickets API already names the status enum.
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")


class ReworkOrderSerializer(ReworkOriginalSerializer):
    technician = ReworkStaffRefSerializer(source="assignee", allow_null=True)
    due_at = serializers.DateTimeField()


class WeekField(serializers.CharField):
    """An ISO week, ``2026-W24``; read as its Monday."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        start = parse_week(value)
        if start is None:
            raise serializers.ValidationError(_("Write the week as 2026-W24."))
        return start


class ReworkFilterSerializer(serializers.Serializer):
    office = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    state = serializers.ChoiceField(
        choices=[(key, label) for key, (label, _q) in BOARD_STATES.items()],
        required=False,
        help_text=_(
            "open: not made yet; late: made after its due time or still open past it; "
            "done: made (reached or not)."
        ),
    )
    week = WeekField(
        required=False, help_text=_("The ISO week the follow-up falls due in, e.g. 2026-W24.")
    )


class ReworkRowSerializer(serializers.ModelSerializer):
    """One rework order with its special follow-up (M15)."""

    office = ReworkNamedRefSerializer()
    customer = ReworkNamedRefSerializer()
    rework = ReworkOrderSerializer(source="ticket")
    original = ReworkOriginalSerializer(source="ticket.rework_of", allow_null=True)
    source = serializers.CharField(help_text=_("Where the customer complained."))
    source_display = serializers.CharField(source="get_source_display")
    state = serializers.CharField(help_text=_("open, done or unreached."))
    state_display = serializers.CharField(source="get_state_display")
    assignee = ReworkStaffRefSerializer(allow_null=True)
    is_late = serializers.SerializerMethodField()

    class Meta:
        model = FollowupCall
        fields = [
            "id",
            "office",
            "customer",
            "rework",
            "original",
            "source",
            "source_display",
            "complained_at",
            "due_at",
            "state",
            "state_display",
            "assignee",
            "done_at",
            "is_late",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_late(self, call) -> bool:
        """Made after its due time, or still open past it."""
        return call.is_late(self.context.get("now") or timezone.now())


class WeeklyMeasureFilterSerializer(serializers.Serializer):
    office = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    week = WeekField(required=False, help_text=_("An ISO week, e.g. 2026-W24."))


class WeeklyMeasureSerializer(serializers.ModelSerializer):
    office = ReworkNamedRefSerializer()

    class Meta:
        model = WeeklyMeasure
        fields = [
            "office",
            "week",
            "week_start",
            *WeeklyMeasure.NUMBERS,
            "computed_at",
        ]
