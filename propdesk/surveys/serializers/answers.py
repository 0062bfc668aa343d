"""The surveys API's shapes (M16): campaigns with their offices' return rates, participants,
paper entry, questionnaires and their questions, and the customer's participations and answers.

States, kinds, seasons and channels are plain strings listing their values in the help text
(``OneOf`` checks input): the same field names carry other choices in other components, and the
schema names one enum per field name."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers
from propdesk.core.limits import TEXT_DESCRIPTION, TEXT_LINE

from ..lifecycle import collecting
from ..models import Area, Campaign, CampaignOffice, Participant, Question, Questionnaire, Response


class OneOf(serializers.CharField):
    """Text that must be one of ``values`` (documented as a string with its values listed)."""

    def __init__(self, values, **kwargs):
        self.values = list(values)
        kwargs.setdefault("help_text", ", ".join(self.values))
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in self.values:
            raise serializers.ValidationError(
                _("Choose one of: %(values)s.") % {"values": ", ".join(self.values)}
            )
        return value


# --- campaigns ------------------------------------------------------------------------------------


class CampaignFilterSerializer(serializers.Serializer):
    state = OneOf(Campaign.State.values, required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    season = OneOf(Campaign.Season.values, required=False)


class CampaignListSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=", ".join(Campaign.State.values))
    season = serializers.CharField(read_only=True, help_text=", ".join(Campaign.Season.values))
    audience = serializers.CharField(read_only=True, help_text=", ".join(Campaign.Audience.values))
    questionnaire_version = serializers.IntegerField(source="questionnaire.number", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "year",
            "season",
            "state",
            "audience",
            "deadline",
            "target_rate",
            "questionnaire",
            "questionnaire_version",
            "launched_at",
            "closed_at",
            "version",
        ]
        read_only_fields = fields


class CampaignOfficeSerializer(serializers.ModelSerializer):
    office_name = serializers.CharField(source="office.name", read_only=True)
    return_rate = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True)

    class Meta:
        model = CampaignOffice
        fields = [
            "office",
            "office_name",
            "households",
            "responses",
            "return_rate",
            "reached_at",
            "analysis_due_at",
            "analysed_at",
        ]
        read_only_fields = fields


class CampaignTotalsSerializer(serializers.Serializer):
    households = serializers.IntegerField()
    responses = serializers.IntegerField()
    return_rate = serializers.DecimalField(max_digits=5, decimal_places=4)


class CampaignSerializer(CampaignListSerializer):
    offices = serializers.SerializerMethodField(
        help_text="The offices you see: households invited, answers, return rate"
    )
    totals = serializers.SerializerMethodField(help_text="The same, over the offices you see")
    allowed_actions = serializers.SerializerMethodField(
        help_text="What you may do now: edit, launch, remind, enter, close"
    )

    class Meta(CampaignListSerializer.Meta):
        fields = [*CampaignListSerializer.Meta.fields, "offices", "totals", "allowed_actions"]
        read_only_fields = fields

    @extend_schema_field(CampaignOfficeSerializer(many=True))
    def get_offices(self, campaign):
        return CampaignOfficeSerializer(self.context["parts"], many=True).data

    @extend_schema_field(CampaignTotalsSerializer)
    def get_totals(self, campaign):
        return CampaignTotalsSerializer(self.context["totals"]).data

    def get_allowed_actions(self, campaign) -> list[str]:
        return self.context["allowed_actions"]


class CampaignCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TEXT_LINE)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    season = OneOf(Campaign.Season.values)
    deadline = serializers.DateTimeField()
    audience = OneOf(Campaign.Audience.values, required=False)
    target_rate = serializers.DecimalField(
        max_digits=3, decimal_places=2, required=False, help_text="0.60 unless given"
    )
    questionnaire = serializers.IntegerField(
        required=False, help_text="A published version's id; the latest unless given"
    )


class CampaignEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TEXT_LINE, required=False)
    deadline = serializers.DateTimeField(required=False)
    audience = OneOf(Campaign.Audience.values, required=False)
    target_rate = serializers.DecimalField(max_digits=3, decimal_places=2, required=False)
    version = serializers.IntegerField(required=False, min_value=1)


class CampaignVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)


class RemindSerializer(serializers.Serializer):
    office = serializers.IntegerField(
        required=False, help_text="One office's households; a director's own office always"
    )


class RemindedSerializer(serializers.Serializer):
    households = serializers.IntegerField(help_text="Households being reminded")


# --- participants and answers -----------------------------------------------------------------------


class ParticipantFilterSerializer(serializers.Serializer):
    answered = serializers.BooleanField(required=False, allow_null=True, default=None)
    office = serializers.IntegerField(required=False, min_value=1)
    q = serializers.CharField(required=False, max_length=20, help_text="Code starts with")


class SurveyResponseSerializer(serializers.ModelSerializer):
    channel = serializers.CharField(read_only=True, help_text=", ".join(Response.Channel.values))
    answers = serializers.JSONField(
        source="data", read_only=True, help_text="{question id: score, option, options or text}"
    )

    class Meta:
        model = Response
        fields = [
            "id",
            "channel",
            "submitted_at",
            "changed_at",
            "answers",
            "score",
            "opinion",
            "customer",
            "entered_by",
            "version",
        ]
        read_only_fields = fields


class ParticipantSerializer(serializers.ModelSerializer):
    household_address = serializers.SerializerMethodField()
    customer_name = serializers.CharField(source="customer.name", read_only=True, default="")
    office_name = serializers.CharField(source="office.name", read_only=True)
    response = serializers.SerializerMethodField()

    class Meta:
        model = Participant
        fields = [
            "id",
            "code",
            "office",
            "office_name",
            "household",
            "household_address",
            "customer",
            "customer_name",
            "invited_at",
            "reminded_at",
            "reminders",
            "responded_at",
            "response",
        ]
        read_only_fields = fields

    def get_household_address(self, participant) -> str:
        return str(participant.household.unit)

    @extend_schema_field(SurveyResponseSerializer(allow_null=True))
    def get_response(self, participant):
        response = getattr(participant, "response", None)
        return SurveyResponseSerializer(response).data if response is not None else None


class AnswersField(serializers.DictField):
    """The answers by question id: a score 1–5, an option's value, a list of them, or text."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "{question id: 1–5 for a satisfaction question, an option's value, a list of "
            "values for a multiple choice, text for a free-text question}",
        )
        super().__init__(child=serializers.JSONField(), **kwargs)


class PaperEntrySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text="The code printed on the questionnaire")
    answers = AnswersField()


# --- questionnaires ---------------------------------------------------------------------------------


class SurveyOptionSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=20, required=False)
    label = serializers.CharField(max_length=100)
    label_en = serializers.CharField(max_length=100, required=False, allow_blank=True)


class SurveyQuestionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=", ".join(Question.Kind.values))
    area = serializers.CharField(read_only=True, help_text=", ".join(Area.values))
    options = SurveyOptionSerializer(many=True, read_only=True)
    display_text = serializers.CharField(read_only=True, help_text="In the reader's language")

    class Meta:
        model = Question
        fields = [
            "id",
            "position",
            "kind",
            "area",
            "text",
            "text_en",
            "display_text",
            "required",
            "options",
            "is_opinion",
        ]
        read_only_fields = fields


class QuestionnaireListSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=", ".join(Questionnaire.State.values))

    class Meta:
        model = Questionnaire
        fields = ["id", "number", "title", "title_en", "state", "published_at", "created_at"]
        read_only_fields = fields


class QuestionnaireSerializer(QuestionnaireListSerializer):
    questions = SurveyQuestionSerializer(many=True, read_only=True)

    class Meta(QuestionnaireListSerializer.Meta):
        fields = [*QuestionnaireListSerializer.Meta.fields, "intro", "intro_en", "questions"]
        read_only_fields = fields


class QuestionnaireEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TEXT_LINE, required=False)
    title_en = serializers.CharField(max_length=TEXT_LINE, required=False, allow_blank=True)
    intro = serializers.CharField(max_length=TEXT_DESCRIPTION, required=False, allow_blank=True)
    intro_en = serializers.CharField(max_length=TEXT_DESCRIPTION, required=False, allow_blank=True)


class SurveyQuestionInputSerializer(serializers.Serializer):
    kind = OneOf(Question.Kind.values)
    text = serializers.CharField(max_length=300)
    text_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    area = OneOf(Area.values, required=False, allow_blank=True)
    required = serializers.BooleanField(required=False, default=True)
    options = SurveyOptionSerializer(many=True, required=False)
    is_opinion = serializers.BooleanField(required=False, default=False)
    position = serializers.IntegerField(
        required=False, min_value=1, max_value=200, help_text="At the end unless given"
    )


class SurveyQuestionChangeSerializer(SurveyQuestionInputSerializer):
    kind = OneOf(Question.Kind.values, required=False)
    text = serializers.CharField(max_length=300, required=False)
    required = serializers.BooleanField(required=False)
    is_opinion = serializers.BooleanField(required=False)
    position = None


class SurveyQuestionOrderSerializer(serializers.Serializer):
    order = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=200,
        help_text="Every question's id, once, in the new order",
    )


# --- the customer's ---------------------------------------------------------------------------------


class ParticipationSerializer(serializers.ModelSerializer):
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    deadline = serializers.DateTimeField(source="campaign.deadline", read_only=True)
    household_address = serializers.SerializerMethodField()
    is_open = serializers.SerializerMethodField(help_text="Answers are taken (and changed) now")
    answered_at = serializers.DateTimeField(source="responded_at", read_only=True, allow_null=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "campaign",
            "campaign_title",
            "deadline",
            "household",
            "household_address",
            "code",
            "answered_at",
            "is_open",
        ]
        read_only_fields = fields

    def get_household_address(self, participant) -> str:
        return str(participant.household.unit)

    def get_is_open(self, participant) -> bool:
        return collecting(participant.campaign, self.context.get("now"))


class SurveyMyResponseSerializer(serializers.ModelSerializer):
    channel = serializers.CharField(read_only=True, help_text=", ".join(Response.Channel.values))
    answers = serializers.JSONField(source="data", read_only=True)

    class Meta:
        model = Response
        fields = ["channel", "submitted_at", "changed_at", "answers", "version"]
        read_only_fields = fields


class ParticipationDetailSerializer(ParticipationSerializer):
    intro = serializers.CharField(source="campaign.questionnaire.display_intro", read_only=True)
    questions = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField(
        help_text="The household's answers (null until it answers), with the version to send back"
    )

    class Meta(ParticipationSerializer.Meta):
        fields = [*ParticipationSerializer.Meta.fields, "intro", "questions", "response"]
        read_only_fields = fields

    @extend_schema_field(SurveyQuestionSerializer(many=True))
    def get_questions(self, participant):
        return SurveyQuestionSerializer(
            participant.campaign.questionnaire.questions.all(), many=True
        ).data

    @extend_schema_field(SurveyMyResponseSerializer(allow_null=True))
    def get_response(self, participant):
        response = getattr(participant, "response", None)
        return SurveyMyResponseSerializer(response).data if response is not None else None


class SurveyAnswersSerializer(serializers.Serializer):
    answers = AnswersField()
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="To change an answer: the version you read"
    )
