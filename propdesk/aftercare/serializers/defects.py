"""API shapes of the major-defect watch (M14), one per operation. Writes only check types; the
services check the rules and name the field at fault."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers

from ..models import DefectWatch, Inspection
from ..selectors import defects


def _enum(choices, description: str, *, blank: bool = False):
    """A choice field whose values are documented in place. Several models have a "state", and
    drf-spectacular would otherwise give their enums clashing names (a schema warning); an enum
    wrapped in ``allOf`` stays where it is. ``blank``: "" is a value too (not yet known)."""
    values = [value for value, _label in choices]

    @extend_schema_field(
        {
            "allOf": [{"type": "string", "enum": [*values, ""] if blank else values}],
            "description": description,
        }
    )
    class Field(serializers.ChoiceField):
        pass

    return Field


WatchStateField = _enum(DefectWatch.State.choices, "open: watching; closed: watch over.")
ResultField = _enum(
    Inspection.Result.choices, "clean: no defect found; recurred: the defect is back."
)
ResultOrBlankField = _enum(
    Inspection.Result.choices,
    "clean: no defect found; recurred: the defect is back; empty: not inspected yet.",
    blank=True,
)


class DefectPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class WatchedTicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class InspectionPhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, photo) -> str:
        return reverse("media", args=[photo.image.name])


class InspectionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    due_at = serializers.DateTimeField()
    done_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    inspector = DefectPersonSerializer(allow_null=True)
    findings = serializers.CharField()
    result = ResultOrBlankField(choices=Inspection.Result.choices, allow_blank=True)
    rework = WatchedTicketSerializer(allow_null=True)
    photos = InspectionPhotoSerializer(many=True, source="photos.all")

    def get_overdue(self, inspection) -> bool:
        watch_open = self.context.get("watch_open", True)
        return bool(watch_open and inspection.is_overdue(self.context["now"]))


class NextInspectionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    due_at = serializers.DateTimeField()


class DefectWatchListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    office = serializers.IntegerField(source="office_id")
    office_name = serializers.CharField(source="office.name")
    ticket = WatchedTicketSerializer()
    customer = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    item = serializers.SerializerMethodField()
    watcher = DefectPersonSerializer()
    state = WatchStateField(choices=DefectWatch.State.choices)
    interval_days = serializers.IntegerField()
    planned_inspections = serializers.IntegerField()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    next_inspection = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    @extend_schema_field(DefectPersonSerializer)
    def get_customer(self, watch) -> dict:
        return {"id": watch.customer_id, "name": watch.customer.name}

    def get_address(self, watch) -> str:
        return watch.household.address if watch.household_id else ""

    def get_item(self, watch) -> str:
        return watch.ticket.item.name if watch.ticket.item_id else ""

    @extend_schema_field(NextInspectionSerializer(allow_null=True))
    def get_next_inspection(self, watch):
        if watch.state != DefectWatch.State.OPEN or getattr(watch, "next_due", None) is None:
            return None
        return NextInspectionSerializer(
            {"number": watch.next_number, "due_at": watch.next_due}
        ).data

    def get_overdue(self, watch) -> bool:
        return defects.is_overdue(watch, self.context["now"])


class DefectWatchDetailSerializer(DefectWatchListSerializer):
    version = serializers.IntegerField(
        help_text=_("Raised by every change; send it back as `version` or `If-Match`.")
    )
    allowed_actions = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "What you may do to the watch now, by your role, whether you are its designated "
            "person and its state: `inspect` (record the next inspection), `reassign`, `close`."
        ),
    )
    closed_by = DefectPersonSerializer(allow_null=True)
    close_reason = serializers.CharField()
    clean_in_a_row = serializers.SerializerMethodField()
    inspections = serializers.SerializerMethodField()

    def get_clean_in_a_row(self, watch) -> int:
        streak = 0
        for inspection in reversed([i for i in watch.inspection_list if i.done_at is not None]):
            if inspection.result != Inspection.Result.CLEAN:
                break
            streak += 1
        return streak

    @extend_schema_field(InspectionSerializer(many=True))
    def get_inspections(self, watch):
        context = {**self.context, "watch_open": watch.state == DefectWatch.State.OPEN}
        return InspectionSerializer(watch.inspection_list, many=True, context=context).data


class DefectWatchFilterSerializer(serializers.Serializer):
    state = WatchStateField(
        choices=DefectWatch.State.choices, required=False, help_text="Left out: open and closed."
    )
    overdue = serializers.BooleanField(
        required=False, default=False, help_text="Only watches with an inspection overdue."
    )
    watcher = serializers.IntegerField(required=False, min_value=1, help_text="Designated person.")
    office = serializers.IntegerField(required=False, min_value=1)


class WatchVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "The watch's version you last read (or send an If-Match header). If someone changed "
            "the watch since, the change is refused with 409."
        ),
    )


class InspectionRecordSerializer(WatchVersionSerializer):
    # Blank passes here so that the service says what is missing.
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    result = ResultField(choices=Inspection.Result.choices)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="At most 5 photos."
    )


class WatchReassignSerializer(WatchVersionSerializer):
    watcher = serializers.IntegerField(
        min_value=1, help_text="The designated person: active staff of the watch's office."
    )
    interval_days = serializers.IntegerField(required=False, allow_null=True)
    planned_inspections = serializers.IntegerField(required=False, allow_null=True)


class WatchCloseSerializer(WatchVersionSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
