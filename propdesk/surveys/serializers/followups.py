"""The survey follow-ups' and public replies' API shapes (M16): one serializer per operation.
The follow-up's ``kind`` and ``state`` are listed once, on ``SurveyFollowUp``; the list's shape
says their values in its help text."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core import serializers
from propdesk.core.limits import TEXT_DESCRIPTION
from propdesk.customers.privacy import shown_phone
from propdesk.org.models import Office, User
from propdesk.tickets.models import Kind

from ..lifecycle import FOLLOWUPS
from ..models import FollowUp, PublicReply
from ..services.followups import REQUEST_KINDS

KINDS = ", ".join(FollowUp.Kind.values)
STATES = ", ".join(FollowUp.State.values)


class FollowUpFilterSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(required=False, min_value=1)
    kind = serializers.ChoiceField(choices=FollowUp.Kind.choices, required=False)
    state = serializers.ChoiceField(choices=FollowUp.State.choices, required=False)
    mine = serializers.BooleanField(required=False, help_text="Only those assigned to me")
    overdue = serializers.BooleanField(required=False, help_text="Open and past their due date")
    q = serializers.CharField(
        required=False,
        max_length=40,
        help_text="Questionnaire code, room number or name starts with",
    )


class FollowUpListSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KINDS)
    state = serializers.CharField(read_only=True, help_text=STATES)
    code = serializers.CharField(source="participant.code", read_only=True)
    address = serializers.CharField(source="household.address", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True, default="")
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "campaign",
            "campaign_title",
            "office",
            "code",
            "household",
            "address",
            "customer",
            "customer_name",
            "kind",
            "state",
            "due_at",
            "overdue",
            "assigned_to",
            "planned_for",
            "done_at",
            "ticket",
            "version",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.state == FollowUp.State.OPEN and obj.due_at < timezone.now()


class AnswerShownSerializer(serializers.Serializer):
    question = serializers.CharField(read_only=True)
    answer = serializers.CharField(read_only=True)


class FollowUpSerializer(FollowUpListSerializer):
    kind = serializers.ChoiceField(choices=FollowUp.Kind.choices, read_only=True)
    state = serializers.ChoiceField(choices=FollowUp.State.choices, read_only=True)
    customer_phone = serializers.SerializerMethodField(
        help_text="The customer's primary number, masked unless you may read it whole"
    )
    answers = serializers.SerializerMethodField()
    opinion = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField()
    low_areas = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(FollowUpListSerializer.Meta):
        fields = [
            *FollowUpListSerializer.Meta.fields,
            "customer_phone",
            "outcome",
            "done_by",
            "answers",
            "opinion",
            "score",
            "low_areas",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_customer_phone(self, obj) -> str:
        request = self.context.get("request")
        number = self.context.get("phone", "")
        if obj.customer is None or not number:
            return ""
        return shown_phone(getattr(request, "user", None), obj.customer, number, display=False)

    def get_answers(self, obj) -> list[dict]:
        rows = self.context.get("answers", [])
        return AnswerShownSerializer(
            [{"question": q, "answer": a} for q, a in rows], many=True
        ).data

    def get_opinion(self, obj) -> str:
        response = self.context.get("response")
        return response.opinion if response else ""

    def get_score(self, obj) -> str | None:
        response = self.context.get("response")
        return str(response.score) if response and response.score is not None else None

    def get_low_areas(self, obj) -> list[str]:
        return [str(a) for a in self.context.get("low_areas", [])]

    def get_allowed_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return FOLLOWUPS.actions_for(getattr(request, "user", None), obj)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you read (or send If-Match)"
    )


class AssignSerializer(VersionSerializer):
    assigned_to = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text="Staff of the follow-up's office desk, or a follow-up specialist",
    )


class RecordSerializer(VersionSerializer):
    outcome = serializers.CharField(
        max_length=TEXT_DESCRIPTION,
        allow_blank=True,
        help_text="What the customer said and what was agreed (required)",
    )
    planned_for = serializers.DateTimeField(
        required=False, allow_null=True, help_text="A visit: when it took place"
    )


class PlanSerializer(VersionSerializer):
    planned_for = serializers.DateTimeField(help_text="When the visit is planned")


class OpenRequestSerializer(VersionSerializer):
    what = serializers.ChoiceField(choices=[("request", "request"), ("complaint", "complaint")])
    kind = serializers.ChoiceField(
        choices=[(k, Kind(k).label) for k in REQUEST_KINDS],
        required=False,
        help_text="A request's kind (service by default)",
    )
    description = serializers.CharField(
        max_length=TEXT_DESCRIPTION,
        required=False,
        allow_blank=True,
        help_text="Empty: prefilled from the household's answers",
    )


class OpenFromResponseSerializer(serializers.Serializer):
    """What to open from a household's answers. No version: a response is not edited by staff,
    and a second request from it is refused (409)."""

    what = serializers.ChoiceField(choices=[("request", "request"), ("complaint", "complaint")])
    # A plain string checked here, so that the schema's one enum of these kinds stays the
    # follow-up's (OpenRequestKindEnum); its help text lists them.
    kind = serializers.CharField(
        required=False,
        max_length=20,
        help_text="A request's kind (service by default): " + ", ".join(REQUEST_KINDS),
    )
    description = serializers.CharField(
        max_length=TEXT_DESCRIPTION,
        required=False,
        allow_blank=True,
        help_text="Empty: prefilled from the household's answers",
    )

    def validate_kind(self, value):
        if value not in REQUEST_KINDS:
            raise serializers.ValidationError(
                _("Choose one of: %(values)s.") % {"values": ", ".join(REQUEST_KINDS)}
            )
        return value


class ReplySerializer(serializers.ModelSerializer):
    notice_title = serializers.CharField(source="notice.title", read_only=True)

    class Meta:
        model = PublicReply
        fields = [
            "id",
            "campaign",
            "office",
            "topic",
            "notice",
            "notice_title",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields


class ReplyCreateSerializer(serializers.Serializer):
    topic = serializers.CharField(
        max_length=PublicReply._meta.get_field("topic").max_length,
        help_text="The issue many households raised",
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body = serializers.CharField(max_length=TEXT_DESCRIPTION)
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(),
        required=False,
        allow_null=True,
        help_text="To one office's customers; empty: company-wide",
    )
    by_notification = serializers.BooleanField(required=False, default=False)
