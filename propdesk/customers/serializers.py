"""API shapes, one per operation. Input serializers check types only; services decide the rest."""

from drf_spectacular.utils import extend_schema_field

from propdesk.core import serializers

from .models import (
    MESSAGE_LANGUAGES,
    Building,
    Community,
    Customer,
    CustomerPhone,
    Household,
    Residence,
    Unit,
)
from .privacy import PhoneField
from .roster_uploads import progress

# --- addresses ------------------------------------------------------------------------------


class CommunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "office", "name", "address"]


class BuildingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "community", "name"]


class UnitSerializer(serializers.ModelSerializer):
    community = serializers.IntegerField(source="building.community_id", read_only=True)
    building_name = serializers.CharField(source="building.name", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "community", "building", "building_name", "entrance", "number", "area"]


# --- customers ------------------------------------------------------------------------------


class CustomerPhoneSerializer(serializers.ModelSerializer):
    # Full or masked for the request's user (``customers.privacy``).
    number = PhoneField(record=lambda phone: phone.customer)
    display = PhoneField(source="number", record=lambda phone: phone.customer, display=True)

    class Meta:
        model = CustomerPhone
        fields = ["id", "number", "display", "label", "is_primary"]


class CustomerHouseholdSerializer(serializers.ModelSerializer):
    """One of the customer's households, with the customer's standing in it."""

    household = serializers.IntegerField(source="household_id", read_only=True)
    address = serializers.CharField(source="household.address", read_only=True)

    class Meta:
        model = Residence
        fields = ["household", "address", "kind"]


class CustomerSerializer(serializers.ModelSerializer):
    phones = CustomerPhoneSerializer(many=True, read_only=True)
    households = CustomerHouseholdSerializer(source="residences", many=True, read_only=True)
    version = serializers.IntegerField(
        read_only=True,
        help_text="Goes up with every change to the customer's facts; also the detail's ETag. "
        "Send it back with a change (`version` or If-Match).",
    )

    class Meta:
        model = Customer
        fields = [
            "id",
            "office",
            "name",
            "kind",
            "is_important",
            "note",
            "language",
            "email",
            "notify_by_sms",
            "notify_by_email",
            "phones",
            "households",
            "version",
            "created_at",
            "updated_at",
        ]


class CustomerCreateSerializer(serializers.Serializer):
    office = serializers.IntegerField(
        required=False, help_text="Needed only by company roles; office staff create in their own."
    )
    name = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=Customer.Kind.choices)
    phones = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1)
    household = serializers.IntegerField(required=False)
    unit = serializers.IntegerField(
        required=False, help_text="The customer joins this unit's current household."
    )
    is_important = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CustomerUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, required=False)
    kind = serializers.ChoiceField(choices=Customer.Kind.choices, required=False)
    is_important = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=MESSAGE_LANGUAGES, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    notify_by_sms = serializers.BooleanField(required=False)
    notify_by_email = serializers.BooleanField(required=False)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The customer's version you last read (or send If-Match): required, one or the "
        "other (428 without); 409 if someone changed the customer since.",
    )


class CustomerPhoneCreateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    label = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    is_primary = serializers.BooleanField(default=False)


class CustomerHouseholdLinkSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Customer.Kind.choices, required=False)


# --- households -----------------------------------------------------------------------------


class HouseholdMemberSerializer(serializers.ModelSerializer):
    customer = serializers.IntegerField(source="customer_id", read_only=True)
    name = serializers.CharField(source="customer.name", read_only=True)

    class Meta:
        model = Residence
        fields = ["customer", "name", "kind"]


class HouseholdSerializer(serializers.ModelSerializer):
    address = serializers.CharField(read_only=True)
    unit = UnitSerializer(read_only=True)
    customers = HouseholdMemberSerializer(source="residences", many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "office", "address", "name", "is_active", "unit", "customers"]


# --- roster import --------------------------------------------------------------------------


class CustomerRosterImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The roster, an .xlsx file.")
    community = serializers.IntegerField(
        required=False,
        help_text="The id of the office's community the roster belongs to "
        "(GET /api/v1/communities/). Give this or new_community.",
    )
    new_community = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="The name of a new community to create with the import; refused if the "
        "office has one of that name.",
    )
    office = serializers.IntegerField(
        required=False, help_text="For a new community, needed only by company roles."
    )


class CustomerRosterConfirmSerializer(serializers.Serializer):
    create_buildings = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        default=list,
        max_length=10000,
        help_text="The buildings the preview listed in unknown_buildings, ticked for creation: "
        "all of them, or the rows in any other are refused.",
    )


class CustomerRosterResultSerializer(serializers.Serializer):
    community = serializers.CharField()
    community_created = serializers.BooleanField()
    rows = serializers.IntegerField()
    buildings_created = serializers.IntegerField()
    units_created = serializers.IntegerField()
    units_updated = serializers.IntegerField()
    households_created = serializers.IntegerField()
    customers_created = serializers.IntegerField()
    customers_matched = serializers.IntegerField()
    customers_updated = serializers.IntegerField()
    phones_added = serializers.IntegerField()
    residences_created = serializers.IntegerField()
    ignored_columns = serializers.ListField(
        child=serializers.CharField(),
        help_text="Columns of the file not imported: committee membership (业委会, 客户代表) is "
        "kept on each office's owners' committee.",
    )


class CustomerRosterErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class CustomerRosterBuildingSerializer(serializers.Serializer):
    name = serializers.CharField()
    rows = serializers.IntegerField()
    first_row = serializers.IntegerField()


class CustomerRosterOutcomeSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    address = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    action = serializers.ChoiceField(choices=["created", "changed", "unchanged"])
    notes = serializers.ListField(
        child=serializers.ChoiceField(
            choices=[
                "new_building",
                "new_unit",
                "area_changed",
                "new_household",
                "new_customer",
                "flags_changed",
                "phones_added",
                "moved_in",
            ]
        )
    )


class CustomerRosterPreviewSerializer(CustomerRosterResultSerializer):
    """The dry run: what the import would do. With ``errors`` it cannot be confirmed."""

    new_buildings = CustomerRosterBuildingSerializer(many=True)
    unknown_buildings = CustomerRosterBuildingSerializer(
        many=True,
        help_text="Buildings the existing community lacks: tick them (create_buildings) when "
        "confirming, or their rows are refused.",
    )
    errors = CustomerRosterErrorSerializer(many=True, help_text="Rows to correct in the file.")
    building_refusals = CustomerRosterErrorSerializer(
        many=True, help_text="Rows refused unless their building is ticked."
    )
    outcomes = CustomerRosterOutcomeSerializer(
        many=True, help_text="What happens to each row, for the first 500 rows."
    )


class CustomerRosterProgressSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="Rows read so far by the check or the import.")
    total = serializers.IntegerField(allow_null=True, help_text="The sheet's estimate.")
    percent = serializers.IntegerField(allow_null=True)


class CustomerRosterUploadSerializer(serializers.Serializer):
    token = serializers.CharField()
    state = serializers.ChoiceField(
        choices=["checking", "previewed", "importing", "done", "failed"]
    )
    office = serializers.IntegerField(source="office_id")
    community = serializers.IntegerField(source="community_id", allow_null=True)
    new_community = serializers.CharField()
    file_name = serializers.CharField()
    progress = serializers.SerializerMethodField()
    preview = CustomerRosterPreviewSerializer(allow_null=True)
    result = CustomerRosterResultSerializer(allow_null=True)
    create_buildings = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField(help_text="Why the import was refused (state failed).")
    errors = CustomerRosterErrorSerializer(many=True)
    created_at = serializers.DateTimeField()
    checked_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(CustomerRosterProgressSerializer)
    def get_progress(self, upload) -> dict:
        return CustomerRosterProgressSerializer(progress(upload)).data
