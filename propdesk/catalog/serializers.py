"""API shapes, one per operation. Writes only check types; the services check the rules."""

from propdesk.core import serializers
from propdesk.org.models import Office

from .models import ProcedureStep, ServiceCategory, ServiceItem


class ServiceCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceCategory
        fields = ["id", "name", "kind", "position", "is_major_defect"]


MAJOR_DEFECT_HELP = (
    "A repair of it is a major defect (a roof or bathroom leak, a crack in an external "
    "wall…), whose result the office watches with periodic inspections."
)


class ServiceCategoryWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=ServiceCategory.Kind.choices)
    position = serializers.IntegerField(required=False, default=0)
    is_major_defect = serializers.BooleanField(required=False, help_text=MAJOR_DEFECT_HELP)


class ServiceCategoryUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, required=False)
    kind = serializers.ChoiceField(choices=ServiceCategory.Kind.choices, required=False)
    position = serializers.IntegerField(required=False)
    is_major_defect = serializers.BooleanField(required=False, help_text=MAJOR_DEFECT_HELP)


class ProcedureStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureStep
        fields = ["position", "title", "detail", "needs_photo"]


class ServiceItemSerializer(serializers.ModelSerializer):
    category = ServiceCategorySerializer(read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True, allow_null=True)
    is_chargeable = serializers.BooleanField(read_only=True)
    price_label = serializers.CharField(read_only=True)
    steps = ProcedureStepSerializer(many=True, read_only=True)
    watches_result = serializers.BooleanField(
        read_only=True,
        help_text="A major defect, marked on the item itself or on its category: its result is watched.",
    )

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "category",
            "office",
            "office_name",
            "name",
            "description",
            "service_hours",
            "contact_phone",
            "pricing",
            "price",
            "price_unit",
            "price_label",
            "is_chargeable",
            "in_scope",
            "is_special",
            "is_major_defect",
            "watches_result",
            "default_completion_hours",
            "is_active",
            "steps",
            "version",
        ]
        read_only_fields = fields


class ProcedureStepWriteSerializer(serializers.Serializer):
    # Empty titles pass here so the service can say which step is missing one.
    title = serializers.CharField(max_length=120, allow_blank=True)
    detail = serializers.CharField(required=False, allow_blank=True, default="")
    needs_photo = serializers.BooleanField(required=False, default=False)


class ServiceItemVersionSerializer(serializers.Serializer):
    """The version a change was made against: every change to an item takes it."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The item's version you last read (or send If-Match): required, one or the "
        "other (428 without); 409 if someone changed the item since.",
    )


class ProcedureStepsWriteSerializer(ServiceItemVersionSerializer):
    steps = ProcedureStepWriteSerializer(many=True)


class ServiceItemUpdateSerializer(ServiceItemVersionSerializer):
    """Every field optional: a PATCH changes what it names."""

    category = serializers.PrimaryKeyRelatedField(
        queryset=ServiceCategory.objects.all(), required=False
    )
    name = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    service_hours = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    pricing = serializers.ChoiceField(choices=ServiceItem.Pricing.choices, required=False)
    price = serializers.DecimalField(max_digits=10, decimal_places=2, required=False)
    price_unit = serializers.CharField(required=False, allow_blank=True)
    in_scope = serializers.BooleanField(required=False)
    is_special = serializers.BooleanField(required=False)
    is_major_defect = serializers.BooleanField(required=False, help_text=MAJOR_DEFECT_HELP)
    default_completion_hours = serializers.IntegerField(required=False)
    steps = ProcedureStepWriteSerializer(many=True, required=False)


class ServiceItemCreateSerializer(ServiceItemUpdateSerializer):
    category = serializers.PrimaryKeyRelatedField(queryset=ServiceCategory.objects.all())
    # Left out: the caller's own office (company roles: company-wide). Null: company-wide.
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), required=False, allow_null=True
    )
    name = serializers.CharField(allow_blank=True)
    pricing = serializers.ChoiceField(choices=ServiceItem.Pricing.choices)
    version = None  # a new item has none yet


class ServiceItemFilterSerializer(serializers.Serializer):
    office = serializers.IntegerField(
        required=False, help_text="The catalogue as this office sees it: company-wide + its own."
    )
    category = serializers.IntegerField(required=False)
    chargeable = serializers.BooleanField(required=False, allow_null=True, default=None)
    in_scope = serializers.BooleanField(required=False, allow_null=True, default=None)
    active = serializers.BooleanField(
        required=False, allow_null=True, default=True, help_text="Default true; null for all."
    )
    q = serializers.CharField(required=False, allow_blank=True, default="")
