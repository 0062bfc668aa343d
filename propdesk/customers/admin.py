from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Building, Community, Customer, CustomerPhone, Household, Residence, Unit


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "address"]
    list_filter = ["office"]
    search_fields = ["name", "address"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "community"]
    list_select_related = ["community"]
    search_fields = ["name", "community__name"]
    autocomplete_fields = ["community"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "building", "entrance", "number", "area"]
    list_select_related = ["building__community"]
    search_fields = ["number", "building__name", "building__community__name"]
    autocomplete_fields = ["building"]


class ResidenceInline(admin.TabularInline):
    model = Residence
    extra = 0
    autocomplete_fields = ["customer", "household"]


class PhoneInline(admin.TabularInline):
    model = CustomerPhone
    extra = 0


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "name", "office", "is_active"]
    list_filter = ["office", "is_active"]
    list_select_related = ["unit__building__community", "office"]
    search_fields = ["name", "unit__number", "unit__building__name"]
    autocomplete_fields = ["unit"]
    inlines = [ResidenceInline]


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "office",
        "is_important",
        "is_committee_member",
        "is_representative",
    ]
    list_filter = ["office", "kind", "is_important", "is_committee_member", "is_representative"]
    list_select_related = ["office"]
    # Phone search needs the stored form (+8613812345678); a prefix such as +86138 works too.
    search_fields = ["name", "phones__number"]
    inlines = [PhoneInline, ResidenceInline]


@admin.register(CustomerPhone)
class CustomerPhoneAdmin(SimpleHistoryAdmin):
    list_display = ["number", "customer", "label", "is_primary"]
    list_select_related = ["customer"]
    search_fields = ["number", "customer__name"]
    autocomplete_fields = ["customer"]
