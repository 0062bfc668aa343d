from django.utils.translation import gettext_lazy as _

from propdesk.core import serializers

from .models import GuideEdition, GuideEntry


class GuideEntrySerializer(serializers.ModelSerializer):
    price_label = serializers.CharField(read_only=True)

    class Meta:
        model = GuideEntry
        fields = [
            "item_id",
            "category_name",
            "category_position",
            "name",
            "description",
            "service_hours",
            "contact_phone",
            "pricing",
            "price",
            "price_unit",
            "price_label",
            "is_special",
        ]


class HotlinesSerializer(serializers.Serializer):
    complaint = serializers.CharField(source="hotline_complaint")
    service = serializers.CharField(source="hotline_service")
    duty = serializers.CharField(source="hotline_duty", help_text=_("The 24-hour duty line."))


class GuideEditionSerializer(serializers.ModelSerializer):
    office_name = serializers.CharField(source="office.name", read_only=True)
    published_by = serializers.SerializerMethodField()

    class Meta:
        model = GuideEdition
        fields = ["id", "office", "office_name", "number", "published_at", "published_by"]

    def get_published_by(self, edition) -> str | None:
        user = edition.published_by
        return (user.get_full_name() or user.username) if user else None


class GuideEditionDetailSerializer(GuideEditionSerializer):
    hotlines = serializers.SerializerMethodField()
    entries = serializers.SerializerMethodField()

    class Meta(GuideEditionSerializer.Meta):
        fields = [*GuideEditionSerializer.Meta.fields, "hotlines", "entries"]

    def get_hotlines(self, edition) -> HotlinesSerializer:
        return HotlinesSerializer(edition).data

    def get_entries(self, edition) -> GuideEntrySerializer(many=True):
        from . import selectors

        return GuideEntrySerializer(selectors.entries_of(edition), many=True).data


class GuideDraftSerializer(serializers.Serializer):
    office = serializers.IntegerField(source="office.pk")
    office_name = serializers.CharField(source="office.name")
    hotlines = HotlinesSerializer(source="*")
    entries = GuideEntrySerializer(source="draft_entries", many=True)


class GuideChangeSerializer(serializers.Serializer):
    item_id = serializers.IntegerField(source="after.item_id")
    fields = serializers.ListField(child=serializers.CharField())
    price_changed = serializers.BooleanField()
    hours_or_phone_changed = serializers.BooleanField()
    before = GuideEntrySerializer()
    after = GuideEntrySerializer()


class GuideDiffSerializer(serializers.Serializer):
    older = serializers.IntegerField(source="older.number", allow_null=True, default=None)
    newer = serializers.IntegerField(source="newer.number", allow_null=True)
    added = GuideEntrySerializer(many=True)
    removed = GuideEntrySerializer(many=True)
    changed = GuideChangeSerializer(many=True)
    hotlines_changed = serializers.ListField(child=serializers.CharField())


class GuideDiffQuerySerializer(serializers.Serializer):
    against = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("The older edition to compare with; left out, the one before."),
    )


class PortalGuideSerializer(serializers.Serializer):
    edition = GuideEditionDetailSerializer()
    changes = GuideDiffSerializer()
