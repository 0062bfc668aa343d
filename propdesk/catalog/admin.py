from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ProcedureStep, ServiceCategory, ServiceItem


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "position"]
    list_editable = ["position"]
    list_filter = ["kind"]
    search_fields = ["name"]


class ProcedureStepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 1
    fields = ["position", "title", "detail", "needs_photo"]


@admin.register(ServiceItem)
class ServiceItemAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "office", "pricing", "price", "in_scope", "is_active"]
    list_filter = ["is_active", "pricing", "in_scope", "is_special", "category", "office"]
    list_select_related = ["category", "office"]
    search_fields = ["name"]
    autocomplete_fields = ["category"]
    inlines = [ProcedureStepInline]

    def has_delete_permission(self, request, obj=None):
        # Requests point at items: take one out of the catalogue by deactivating it instead.
        return False
