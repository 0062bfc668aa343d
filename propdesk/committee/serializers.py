"""The committee API's shapes (M22): what staff and customers read, and what staff send."""

from django.utils.translation import gettext_lazy as _

from propdesk.core import serializers
from propdesk.core.limits import TEXT_DESCRIPTION, TEXT_DOCUMENT, TEXT_LINE

from .models import Action, ActionUpdate, Committee, Item, Meeting, Seat


class Choice(serializers.CharField):
    """One of ``choices``, documented as plain text listing them: the committee's states, kinds
    and roles share their names with other apps' enums, and the schema keeps one enum per
    name."""

    def __init__(self, choices, **kwargs):
        self.allowed = [value for value, _label in choices]
        kwargs.setdefault("help_text", " | ".join(self.allowed))
        super().__init__(max_length=40, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in self.allowed:
            raise serializers.ValidationError(
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(self.allowed)}
            )
        return value


def _text_choice(choices):
    return serializers.CharField(read_only=True, help_text=" | ".join(v for v, _l in choices))


# --- reading ----------------------------------------------------------------------------------


class SeatSerializer(serializers.ModelSerializer):
    kind = _text_choice(Seat.Kind.choices)
    role = _text_choice(Seat.Role.choices)
    customer_name = serializers.CharField(source="customer.name", read_only=True)

    class Meta:
        model = Seat
        fields = ["id", "customer", "customer_name", "kind", "role", "term_from", "term_to"]


class CommitteeSerializer(serializers.ModelSerializer):
    seats = SeatSerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "office", "name", "established_on", "version", "seats"]


class CommitteeListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["id", "office", "name", "established_on", "version"]


class ActionSerializer(serializers.ModelSerializer):
    state = _text_choice(Action.State.choices)
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    opinion = serializers.CharField(source="item.text", read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "office",
            "committee",
            "meeting",
            "opinion",
            "title",
            "owner",
            "owner_name",
            "department",
            "department_name",
            "due_on",
            "state",
            "progress",
            "done_at",
            "verified_at",
            "version",
            "allowed_actions",
        ]

    def get_allowed_actions(self, action) -> list[str]:
        from .lifecycle import ACTIONS

        request = self.context.get("request")
        return ACTIONS.actions_for(request.user, action) if request else []


class UpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionUpdate
        fields = ["id", "text", "progress", "at"]


class ActionDetailSerializer(ActionSerializer):
    updates = UpdateSerializer(many=True, read_only=True)

    class Meta(ActionSerializer.Meta):
        fields = [*ActionSerializer.Meta.fields, "updates"]


class ItemSerializer(serializers.ModelSerializer):
    state = _text_choice(Item.State.choices)
    action = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Item
        fields = ["id", "text", "raised_by", "state", "answer", "decided_at", "action"]


class MeetingListSerializer(serializers.ModelSerializer):
    state = _text_choice(Meeting.State.choices)

    class Meta:
        model = Meeting
        fields = ["id", "office", "committee", "state", "planned_for", "place", "held_at"]


class MeetingSerializer(serializers.ModelSerializer):
    state = _text_choice(Meeting.State.choices)
    items = ItemSerializer(many=True, read_only=True)
    staff_attendees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    seat_attendees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "office",
            "committee",
            "state",
            "planned_for",
            "place",
            "agenda",
            "held_at",
            "minutes",
            "cancelled_at",
            "cancel_reason",
            "staff_attendees",
            "seat_attendees",
            "items",
            "version",
            "allowed_actions",
        ]

    def get_allowed_actions(self, meeting) -> list[str]:
        from .lifecycle import MEETINGS

        request = self.context.get("request")
        return MEETINGS.actions_for(request.user, meeting) if request else []


# --- the customer's view ----------------------------------------------------------------------


class CustomerActionSerializer(serializers.ModelSerializer):
    state = _text_choice(Action.State.choices)
    department_name = serializers.CharField(source="department.name", read_only=True)
    opinion = serializers.CharField(source="item.text", read_only=True)
    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    updates = UpdateSerializer(many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "meeting",
            "opinion",
            "title",
            "department_name",
            "due_on",
            "state",
            "progress",
            "done_at",
            "verified_at",
            "updates",
        ]


class CustomerItemSerializer(serializers.ModelSerializer):
    state = _text_choice(Item.State.choices)
    action = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Item
        fields = ["id", "text", "state", "answer", "action"]


class CustomerMeetingSerializer(serializers.ModelSerializer):
    state = _text_choice(Meeting.State.choices)
    items = CustomerItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "state",
            "planned_for",
            "place",
            "agenda",
            "held_at",
            "minutes",
            "cancel_reason",
            "items",
        ]


# --- writing ----------------------------------------------------------------------------------


class SeatCreateSerializer(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1)
    kind = Choice(Seat.Kind.choices)
    role = Choice(Seat.Role.choices, required=False, default="member")
    term_from = serializers.DateField()
    term_to = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, min_value=1)


class MeetingCreateSerializer(serializers.Serializer):
    committee = serializers.IntegerField(min_value=1)
    planned_for = serializers.DateTimeField()
    place = serializers.CharField(max_length=TEXT_LINE)
    agenda = serializers.CharField(max_length=TEXT_DESCRIPTION)


class MeetingHoldSerializer(serializers.Serializer):
    held_at = serializers.DateTimeField(required=False)
    minutes = serializers.CharField(max_length=TEXT_DOCUMENT, allow_blank=True)
    staff = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    seats = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=200)
    opinions = serializers.ListField(
        child=serializers.CharField(max_length=TEXT_DESCRIPTION), required=False, max_length=100
    )
    version = serializers.IntegerField(required=False, min_value=1)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)


class ItemCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_DESCRIPTION, allow_blank=True)


class ItemActSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TEXT_LINE, allow_blank=True)
    owner = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    department = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class ItemAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True)


class ActionStepSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, required=False, default="")
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    version = serializers.IntegerField(required=False, min_value=1)


class MeetingFilterSerializer(serializers.Serializer):
    state = Choice(Meeting.State.choices, required=False)
    office = serializers.IntegerField(required=False, min_value=1)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class ActionFilterSerializer(serializers.Serializer):
    state = Choice(Action.State.choices, required=False)
    office = serializers.IntegerField(required=False, min_value=1)
    overdue = serializers.BooleanField(required=False, default=False)
    mine = serializers.BooleanField(required=False, default=False)
