"""API shapes, one per operation. Input serializers check types only; services decide the rest."""

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
    file = serializers.FileField()
    community = serializers.CharField(max_length=120)
    office = serializers.IntegerField(required=False, help_text="Needed only by company roles.")


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
