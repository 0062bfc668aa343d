"""The community activities' API shapes (M07): one serializer per operation.

The OpenAPI schema names an enum after the one component that carries it. ``kind`` and ``state``
are used by many models, so each choice set here appears in one component only (``Activity``,
whose requests are ``ActivityRequest`` and ``PatchedActivityRequest``, and ``Registration``); the
other shapes say the values in their help text.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer

from propdesk.core import serializers
from propdesk.customers.models import Community
from propdesk.org.models import Office

from .lifecycle import ACTIVITIES
from .models import MAX_SEATS, Activity, Registration

KINDS = ", ".join(Activity.Kind.values)
STATES = ", ".join(Activity.State.values)
RSTATES = ", ".join(Registration.State.values)
CHANNELS = ", ".join(Registration.Channel.values)


def _count(value) -> int:
    return value or 0  # a Sum over no rows is NULL


# --- staff: activities ------------------------------------------------------------------------


class ActivityFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Activity.State.choices, required=False)
    kind = serializers.ChoiceField(choices=Activity.Kind.choices, required=False)
    office = serializers.IntegerField(required=False)
    upcoming = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: not started yet, soonest first; false: started or past",
    )
    q = serializers.CharField(required=False, help_text="Title starts with")


class ActivityListSerializer(serializers.ModelSerializer):
    # Plain strings: their values are listed once, on Activity (one enum in one component).
    kind = serializers.CharField(read_only=True, help_text=KINDS)
    state = serializers.CharField(read_only=True, help_text=STATES)
    taken = serializers.SerializerMethodField(help_text="Places taken (confirmed or attended)")
    waiting = serializers.SerializerMethodField(help_text="Registrations on the waiting list")

    class Meta:
        model = Activity
        fields = [
            "id",
            "office",
            "community",
            "kind",
            "title",
            "place",
            "starts_at",
            "ends_at",
            "registration_closes_at",
            "capacity",
            "state",
            "taken",
            "waiting",
        ]
        read_only_fields = fields

    def get_taken(self, activity) -> int:
        return _count(activity.taken)

    def get_waiting(self, activity) -> int:
        return _count(activity.waiting)


class ActivitySummarySerializer(serializers.Serializer):
    capacity = serializers.IntegerField()
    taken = serializers.IntegerField(help_text="Places taken (confirmed or attended)")
    free = serializers.IntegerField(help_text="Places left")
    waiting = serializers.IntegerField(help_text="Registrations on the waiting list")
    attended = serializers.IntegerField(help_text="People who came")
    absent = serializers.IntegerField(help_text="People confirmed who did not come")
    feedback = serializers.IntegerField(help_text="Registrations that gave feedback")
    rating = serializers.FloatField(allow_null=True, help_text="Average rating, 1 to 5")


class ActivitySerializer(serializers.ModelSerializer):
    notice = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The announcement (a notice), once published"
    )
    summary = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "Raised by every change to the activity (not by registrations); send it back as "
            "`version` or If-Match to be refused with 409 if someone changed it meanwhile"
        ),
    )
    allowed_actions = serializers.SerializerMethodField(
        help_text=_(
            "What you may do to the activity now, each an action of its lifecycle: edit, "
            "publish, register, finish, cancel"
        )
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "office",
            "community",
            "kind",
            "title",
            "description",
            "facilities",
            "place",
            "starts_at",
            "ends_at",
            "registration_closes_at",
            "capacity",
            "state",
            "published_at",
            "finished_at",
            "cancelled_at",
            "cancel_reason",
            "notice",
            "created_at",
            "summary",
            "version",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(ActivitySummarySerializer)
    def get_summary(self, activity) -> dict:
        return ActivitySummarySerializer(self.context["summary"]).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, activity) -> list[str]:
        return ACTIVITIES.actions_for(self.context["request"].user, activity)


class ActivityVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The activity's version you last read (or send an If-Match header). If someone "
            "changed the activity since, the change is refused with 409."
        ),
    )


class _ActivityWrite(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(),
        required=False,
        allow_null=True,
        help_text="Empty: for every customer of the office; else one of its communities",
    )
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=serializers.TEXT_DESCRIPTION
    )
    facilities = serializers.CharField(
        required=False, allow_blank=True, help_text="The facilities visited: required for open_day"
    )
    place = serializers.CharField(max_length=200, allow_blank=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    registration_closes_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Empty: when the activity starts"
    )
    capacity = serializers.IntegerField(help_text="Places, 1 to 10000")


@extend_schema_serializer(component_name="Activity")  # the request is "ActivityRequest"
class ActivityCreateSerializer(_ActivityWrite):
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(),
        required=False,
        help_text="Company roles choose it; office staff create for their own office",
    )


@extend_schema_serializer(component_name="Activity")  # "PatchedActivityRequest"
class ActivityUpdateSerializer(_ActivityWrite, ActivityVersionSerializer):
    """Only the fields sent are changed (validated with ``partial=True``). A published activity
    changes only its description, facilities and capacity."""


class ActivityPublishSerializer(ActivityVersionSerializer):
    notify_customers = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Also send the announcement as a message to every customer it is for",
    )


class ActivityCancelSerializer(ActivityVersionSerializer):
    reason = serializers.CharField(
        max_length=300, allow_blank=True, help_text="Told to everyone registered or waiting"
    )


# --- staff: registrations ---------------------------------------------------------------------


class RegistrationFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Registration.State.choices, required=False)


# What a registration went through, in the order it happens: both sides show all of it.
REGISTRATION_PROGRESS = [
    "queued_at",
    "confirmed_at",
    "cancelled_at",
    "checked_in_at",
    "rating",
    "comment",
    "feedback_at",
]


# A registration as staff and its customer read it: its place on the waiting list comes from the
# ``positions`` the view puts in the context.
class _RegistrationFields(serializers.ModelSerializer):
    def get_position(self, registration) -> int | None:
        return self.context.get("positions", {}).get(registration.pk)


class RegistrationSerializer(_RegistrationFields):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    position = serializers.SerializerMethodField(
        help_text="The place on the waiting list (1 is next), for a waiting registration"
    )
    channel = serializers.CharField(read_only=True, help_text=CHANNELS)

    class Meta:
        model = Registration
        fields = [
            "id",
            "customer",
            "customer_name",
            "seats",
            "state",
            "position",
            "channel",
            "note",
            *REGISTRATION_PROGRESS,
        ]
        read_only_fields = fields


class RegistrationCreateSerializer(serializers.Serializer):
    customer = serializers.IntegerField(help_text="A customer of the activity's office")
    seats = serializers.IntegerField(
        required=False, default=1, help_text=f"People, 1 to {MAX_SEATS}"
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class FeedbackSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="1 (poor) to 5 (excellent)")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


# --- the customer's ---------------------------------------------------------------------------


class MyRegistrationSerializer(serializers.Serializer):
    state = serializers.CharField(help_text=RSTATES)
    seats = serializers.IntegerField()
    position = serializers.IntegerField(
        allow_null=True, help_text="The place on the waiting list (1 is next), when waiting"
    )


class _CustomerActivityFields(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KINDS)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state = serializers.CharField(read_only=True, help_text=STATES)
    places_left = serializers.SerializerMethodField()
    registration_open = serializers.SerializerMethodField(
        help_text="Registering is possible now (it may still go to the waiting list)"
    )
    my_registration = serializers.SerializerMethodField(
        help_text="The customer's registration (the live one, else the latest), or null"
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "place",
            "starts_at",
            "ends_at",
            "registration_closes_at",
            "capacity",
            "places_left",
            "state",
            "registration_open",
            "my_registration",
        ]
        read_only_fields = fields

    def get_places_left(self, activity) -> int:
        return max(activity.capacity - _count(activity.taken), 0)

    def get_registration_open(self, activity) -> bool:
        now = self.context.get("now") or timezone.now()
        return activity.state == Activity.State.PUBLISHED and now < activity.registration_closes_at

    @extend_schema_field(MyRegistrationSerializer(allow_null=True))
    def get_my_registration(self, activity) -> dict | None:
        registration = self.context.get("mine", {}).get(activity.pk)
        if registration is None:
            return None
        position = self.context.get("positions", {}).get(registration.pk)
        return {"state": registration.state, "seats": registration.seats, "position": position}


class CustomerActivityListSerializer(_CustomerActivityFields):
    pass


class CustomerActivitySerializer(_CustomerActivityFields):
    class Meta(_CustomerActivityFields.Meta):
        fields = [
            *_CustomerActivityFields.Meta.fields,
            "description",
            "facilities",
            "cancel_reason",
        ]
        read_only_fields = fields


class CustomerActivityRefSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=STATES)

    class Meta:
        model = Activity
        fields = ["id", "title", "place", "starts_at", "ends_at", "state"]
        read_only_fields = fields


class CustomerRegistrationSerializer(_RegistrationFields):
    activity = CustomerActivityRefSerializer(read_only=True)
    state = serializers.CharField(read_only=True, help_text=RSTATES)
    position = serializers.SerializerMethodField(
        help_text="The place on the waiting list (1 is next), when waiting"
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "activity",
            "seats",
            "state",
            "position",
            *REGISTRATION_PROGRESS,
        ]
        read_only_fields = fields


class CustomerRegisterSerializer(serializers.Serializer):
    seats = serializers.IntegerField(
        required=False, default=1, help_text=f"People, 1 to {MAX_SEATS}, the customer included"
    )
