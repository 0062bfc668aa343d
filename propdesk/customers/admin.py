"""Customers and the places they live, in the admin.

Customers, their phone numbers, households and who lives where change through
``customers.services`` (and the roster import), which check the office, normalise the numbers
caller recognition looks up, keep one current household per unit and record who changed what in
the audit; so those are read-only here. Communities, buildings and units are reference data no
service rules over and stay editable, except what they belong to: every household and customer
copies its office from there, so moving one would leave the office scoping wrong.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from propdesk.core.admin import ServiceOwned, ServiceOwnedInline

from .models import Building, Community, Customer, CustomerPhone, Household, Residence, Unit


class FixedParentAdmin(admin.ModelAdmin):
    """Editable reference data whose ``parent`` is chosen when it is added, never changed."""

    parent = ""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, self.parent] if obj is not None else fields


@admin.register(Community)
class CommunityAdmin(FixedParentAdmin):
    parent = "office"
    list_display = ["name", "office", "address"]
    list_filter = ["office"]
    list_select_related = ["office"]
    search_fields = ["name", "address"]


@admin.register(Building)
class BuildingAdmin(FixedParentAdmin):
    parent = "community"
    list_display = ["name", "community"]
    list_select_related = ["community"]
    search_fields = ["name", "community__name"]
    autocomplete_fields = ["community"]


@admin.register(Unit)
class UnitAdmin(FixedParentAdmin):
    parent = "building"
    list_display = ["__str__", "building", "entrance", "number", "area"]
    list_select_related = ["building__community"]
    search_fields = ["number", "building__name", "building__community__name"]
    autocomplete_fields = ["building"]


class ResidenceInline(ServiceOwnedInline):
    model = Residence


class PhoneInline(ServiceOwnedInline):
    model = CustomerPhone
    fields = ["number", "label", "is_primary"]


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    """Only the name and whether the household still lives there may be changed here; households
    are opened by ``household_create`` (its office copied from the unit's) and never deleted."""

    list_display = ["__str__", "name", "office", "is_active"]
    list_filter = ["office", "is_active"]
    list_select_related = ["unit__building__community", "office"]
    search_fields = ["name", "unit__number", "unit__building__name"]
    readonly_fields = ["office", "unit"]
    inlines = [ResidenceInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Customer)
class CustomerAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "office",
        "is_important",
    ]
    list_filter = ["office", "kind", "is_important"]
    list_select_related = ["office"]
    # Phone search needs the stored form (+8613812345678); a prefix such as +86138 works too.
    search_fields = ["name", "phones__number"]
    inlines = [PhoneInline, ResidenceInline]


@admin.register(CustomerPhone)
class CustomerPhoneAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["number", "customer", "label", "is_primary"]
    list_select_related = ["customer"]
    search_fields = ["number", "customer__name"]
