from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers
from propdesk.customers.models import Building
from propdesk.org.models import Office

from .lifecycle import NOTICES
from .models import Notice, NoticeAttachment, NoticeRevision


@extend_schema_field({"type": "string", "enum": Notice.State.values})
class StateField(serializers.ChoiceField):
    """A notice's state, on the one component that lists its values (see NoticeListSerializer)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Notice.State.choices, **kwargs)


class NoticeRevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeRevision
        fields = ["number", "title", "body", "note", "created_at"]


class NoticeAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeAttachment
        fields = ["id", "name", "size"]


class NoticeSerializer(serializers.ModelSerializer):
    """One notice in full, for staff; needs the request in its context (``allowed_actions``)."""

    buildings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    revisions = NoticeRevisionSerializer(many=True, read_only=True)
    attachments = NoticeAttachmentSerializer(many=True, read_only=True)
    state = StateField(read_only=True)
    version = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "Goes up with every change. Send it back with a change (`version` or If-Match), so "
            "that a change someone made meanwhile is refused (409) instead of overwritten."
        ),
    )
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "category",
            "title",
            "body",
            "scope",
            "office",
            "buildings",
            "by_board",
            "by_notification",
            "by_network",
            "pinned",
            "urgent",
            "state",
            "publish_at",
            "published_at",
            "corrected_at",
            "archived_at",
            "created_at",
            "revisions",
            "attachments",
            "version",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text=_(
                "What you may do to this notice now, by your role and its state: edit, attach, "
                "detach, schedule, unschedule, publish, revise, archive. Offer only these; the "
                "others would be refused."
            ),
        )
    )
    def get_allowed_actions(self, notice) -> list[str]:
        return NOTICES.actions_for(self.context["request"].user, notice)


class NoticeListSerializer(serializers.ModelSerializer):
    # Its values are listed once, on Notice (one enum in one component: no name collision).
    state = serializers.CharField(read_only=True, help_text="draft, scheduled, published, archived")

    class Meta:
        model = Notice
        fields = [
            "id",
            "category",
            "title",
            "scope",
            "office",
            "state",
            "pinned",
            "urgent",
            "publish_at",
            "published_at",
            "corrected_at",
        ]
        read_only_fields = fields


class NoticeFilterSerializer(serializers.Serializer):
    state = StateField(required=False)
    category = serializers.ChoiceField(choices=Notice.Category.choices, required=False)
    office = serializers.IntegerField(required=False)
    pinned = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(required=False, help_text="Title starts with")


class _NoticeWrite(serializers.Serializer):
    category = serializers.ChoiceField(choices=Notice.Category.choices)
    title = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(allow_blank=True, max_length=serializers.TEXT_DOCUMENT)
    scope = serializers.ChoiceField(choices=Notice.Scope.choices)
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), required=False, allow_null=True
    )
    buildings = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.all(), many=True, required=False
    )
    by_board = serializers.BooleanField(required=False)
    by_notification = serializers.BooleanField(required=False)
    by_network = serializers.BooleanField(required=False)
    pinned = serializers.BooleanField(required=False)
    urgent = serializers.BooleanField(required=False)


class NoticeCreateSerializer(_NoticeWrite):
    pass


class NoticeVersionSerializer(serializers.Serializer):
    """The version a change was made against: every change to a notice takes it."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The notice's version you last read (or send an If-Match header). If someone "
            "changed the notice since, the change is refused with 409."
        ),
    )


class NoticeUpdateSerializer(_NoticeWrite, NoticeVersionSerializer):
    """Only the fields sent are changed (validated with ``partial=True``)."""


class NoticeScheduleSerializer(NoticeVersionSerializer):
    publish_at = serializers.DateTimeField()


class NoticeReviseSerializer(NoticeVersionSerializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(allow_blank=True, max_length=serializers.TEXT_DOCUMENT)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class NoticeAttachmentUploadSerializer(NoticeVersionSerializer):
    file = serializers.FileField()


class BuildingRateSerializer(serializers.Serializer):
    building = serializers.CharField()
    audience = serializers.IntegerField()
    read = serializers.IntegerField()
    percent = serializers.FloatField()


class ReadRateSerializer(serializers.Serializer):
    audience = serializers.IntegerField()
    read = serializers.IntegerField()
    percent = serializers.FloatField()
    buildings = BuildingRateSerializer(many=True)


class CustomerNoticeListSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "category",
            "title",
            "pinned",
            "urgent",
            "published_at",
            "corrected_at",
            "read",
        ]
        read_only_fields = fields

    def get_read(self, notice) -> bool:
        return notice.pk in self.context.get("read_ids", ())


class CustomerNoticeSerializer(serializers.ModelSerializer):
    attachments = NoticeAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "category",
            "title",
            "body",
            "pinned",
            "urgent",
            "published_at",
            "corrected_at",
            "attachments",
        ]
        read_only_fields = fields
