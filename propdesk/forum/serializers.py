"""The forum's API shapes (M21): one serializer per operation. Phone numbers in what customers
wrote are masked in every answer (``text`` as shown); staff read the same."""

from django.utils.translation import gettext_lazy as _

from propdesk.complaints.models import Complaint
from propdesk.core import serializers
from propdesk.core.limits import TEXT_NOTE
from propdesk.core.params import MAX_ID

from . import selectors, services
from .lifecycle import POSTS
from .models import MAX_TEXT, AbuseReport, Post, Reply, Route, SensitiveWord, Topic, Visibility

VIEWS = ["untriaged", "unanswered", "overdue", "held", "reported", "all"]
KINDS = ", ".join(Post.Kind.values)
STATES = ", ".join(Visibility.values)


def _one_of(value, values):
    if value not in values:
        raise serializers.ValidationError(
            _("Choose one of: %(values)s.") % {"values": ", ".join(values)}
        )
    return value


def _masked(text) -> str:
    return services.mask_phones(text)


# --- staff ----------------------------------------------------------------------------------------


class PostFilterSerializer(serializers.Serializer):
    view = serializers.ChoiceField(choices=VIEWS, required=False)
    office = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    community = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    topic = serializers.ChoiceField(choices=Topic.choices, required=False)
    # Plain strings checked here: their values are listed once, on Post (one enum a component).
    kind = serializers.CharField(required=False, max_length=20, help_text=KINDS)
    state = serializers.CharField(required=False, max_length=20, help_text=STATES)
    q = serializers.CharField(required=False, max_length=200, help_text="Title starts with")

    def validate_kind(self, value):
        return _one_of(value, Post.Kind.values)

    def validate_state(self, value):
        return _one_of(value, Visibility.values)


class PostListSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KINDS)
    state = serializers.CharField(read_only=True, help_text=STATES)
    reply_count = serializers.IntegerField(read_only=True)
    open_reports = serializers.IntegerField(read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "office",
            "community",
            "author",
            "kind",
            "topic",
            "title",
            "rating",
            "state",
            "department",
            "created_at",
            "published_at",
            "due_at",
            "triaged_at",
            "first_answer_at",
            "ticket",
            "reply_count",
            "open_reports",
            "version",
        ]
        read_only_fields = fields


class ReplySerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()
    state = serializers.CharField(read_only=True, help_text=STATES)

    class Meta:
        model = Reply
        fields = [
            "id",
            "customer",
            "staff",
            "official",
            "office",
            "department",
            "text",
            "state",
            "hidden_reason",
            "created_at",
        ]
        read_only_fields = fields

    def get_text(self, reply) -> str:
        return _masked(reply.text)


class RouteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Route
        fields = ["office", "department", "from_office", "from_department", "note", "actor", "at"]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = AbuseReport
        fields = [
            "id",
            "reply",
            "customer",
            "reason",
            "at",
            "settled_at",
            "settled_by",
            "dismissed",
            "dismissed_note",
        ]
        read_only_fields = fields


class PostSerializer(PostListSerializer):
    text = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    replies = serializers.SerializerMethodField()
    routes = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(PostListSerializer.Meta):
        fields = [
            *PostListSerializer.Meta.fields,
            "text",
            "item",
            "reviewed_ticket",
            "held_for",
            "hidden_reason",
            "photos",
            "replies",
            "routes",
            "reports",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_text(self, post) -> str:
        return _masked(post.text)

    def get_photos(self, post) -> list[str]:
        return [p.image.url for p in post.photos.all()]

    def get_replies(self, post) -> list[dict]:
        return ReplySerializer(selectors.thread(post, staff=True), many=True).data

    def get_routes(self, post) -> list[dict]:
        return RouteSerializer(selectors.routes(post), many=True).data

    def get_reports(self, post) -> list[dict]:
        """Its abuse reports, latest first: open ones are dismissed or settled by moderating."""
        return ReportSerializer(selectors.reports_for(post), many=True).data

    def get_allowed_actions(self, post) -> list[str]:
        user = self.context["request"].user
        return [a for a in POSTS.actions_for(user, post) if not (a == "convert" and post.ticket_id)]


def _version_field():
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("The post's version you last read (or If-Match); older: 409, none: 428."),
    )


class VersionSerializer(serializers.Serializer):
    version = _version_field()


class RouteInputSerializer(serializers.Serializer):
    office = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    department = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = _version_field()


class AnswerSerializer(serializers.Serializer):
    text = serializers.CharField(help_text=_("The official reply, shown as such in public."))


class HideSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why: the author is told."))
    version = _version_field()


class ReplyHideSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ReportDismissSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=TEXT_NOTE,
        help_text=_("Why the report is dismissed (optional): on the post's timeline."),
    )


class ConvertSerializer(serializers.Serializer):
    into = serializers.ChoiceField(choices=[services.INTO_REQUEST, services.INTO_COMPLAINT])
    kind = serializers.CharField(
        required=False,
        default="service",
        max_length=20,
        help_text="The request's kind: " + ", ".join(services.REQUEST_KINDS),
    )
    category = serializers.CharField(
        required=False,
        default="other",
        max_length=20,
        help_text="The complaint's category: " + ", ".join(Complaint.Category.values),
    )
    version = _version_field()


class MeasureFilterSerializer(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()

    def validate(self, data):
        if data["until"] < data["since"]:
            raise serializers.ValidationError({"until": _("The end comes after the start.")})
        return data


class MeasureSerializer(serializers.Serializer):
    id = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    posts = serializers.IntegerField()
    answered = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    median_triage_hours = serializers.FloatField(allow_null=True)
    median_answer_hours = serializers.FloatField(allow_null=True)
    share_on_time = serializers.FloatField(allow_null=True)

    def get_id(self, m) -> int | None:
        return getattr(m.key, "pk", None)

    def get_name(self, m) -> str:
        return getattr(m.key, "name", "") or ""


class MeasuresSerializer(serializers.Serializer):
    target_hours = serializers.IntegerField()
    company = MeasureSerializer()
    offices = MeasureSerializer(many=True)
    departments = MeasureSerializer(many=True)


class WordSerializer(serializers.ModelSerializer):
    class Meta:
        model = SensitiveWord
        fields = ["id", "word", "added_by", "added_at"]
        read_only_fields = ["id", "added_by", "added_at"]
        extra_kwargs = {"word": {"max_length": 50}}


class WordInputSerializer(serializers.Serializer):
    # Not the model's: its unique check would answer 400; the service answers 409 "duplicate".
    word = serializers.CharField(max_length=50)


# --- the customer's ---------------------------------------------------------------------------


class CustomerForumFilterSerializer(serializers.Serializer):
    forum = serializers.CharField(
        required=False,
        max_length=20,
        help_text="A community's id (one you live in), or `company` for the company-wide forum",
    )
    topic = serializers.ChoiceField(choices=Topic.choices, required=False)


class CustomerReplySerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()
    state = serializers.CharField(read_only=True, help_text=STATES)
    author = serializers.SerializerMethodField()

    class Meta:
        model = Reply
        fields = ["id", "official", "office", "department", "author", "text", "state", "created_at"]
        read_only_fields = fields

    def get_text(self, reply) -> str:
        return _masked(reply.text)

    def get_author(self, reply) -> str:
        if reply.official:
            return reply.department.name if reply.department_id else reply.office.name
        return f"{reply.customer.name[:1]}**"


class CustomerPostListSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KINDS)
    state = serializers.CharField(read_only=True, help_text=STATES)
    reply_count = serializers.IntegerField(read_only=True)
    author = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField()
    mine = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "community",
            "kind",
            "topic",
            "title",
            "rating",
            "state",
            "author",
            "mine",
            "created_at",
            "answered",
            "reply_count",
        ]
        read_only_fields = fields

    def get_author(self, post) -> str:
        return f"{post.author.name[:1]}**"

    def get_answered(self, post) -> bool:
        return post.first_answer_at is not None

    def get_mine(self, post) -> bool:
        return post.author_id == self.context["customer"].pk


class CustomerPostSerializer(CustomerPostListSerializer):
    text = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    replies = serializers.SerializerMethodField()

    class Meta(CustomerPostListSerializer.Meta):
        fields = [
            *CustomerPostListSerializer.Meta.fields,
            "text",
            "item",
            "hidden_reason",
            "ticket",
            "photos",
            "replies",
        ]
        read_only_fields = fields

    def get_text(self, post) -> str:
        return _masked(post.text)

    def get_photos(self, post) -> list[int]:
        return [p.pk for p in post.photos.all()]

    def get_replies(self, post) -> list[dict]:
        replies = selectors.thread(post, customer=self.context["customer"])
        return CustomerReplySerializer(replies, many=True).data


class CustomerPostCreateSerializer(serializers.Serializer):
    community = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="Empty: the company-wide forum",
    )
    topic = serializers.ChoiceField(choices=Topic.choices)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=MAX_TEXT)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Up to 5 photos"
    )


class CustomerReplyCreateSerializer(serializers.Serializer):
    text = serializers.CharField()


class CustomerReportSerializer(serializers.Serializer):
    reason = serializers.CharField()
    reply = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)


class CustomerReviewSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="1 to 5")
    comment = serializers.CharField(max_length=MAX_TEXT)
    item = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    ticket = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
