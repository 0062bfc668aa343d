"""The catalogue in the admin, to look at only: it is edited in the console.

Categories and items (with their procedure steps, whether they are a major defect (M14), and
whether they are active) change through ``catalog.services`` and
``aftercare.services.defects``, which check who may edit which catalogue, validate the prices,
keep names unique among active items and record who changed what in the audit. The admin would
skip all of that. Items are never deleted: requests point at them.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from propdesk.core.admin import ServiceOwned, ServiceOwnedInline

from .models import ProcedureStep, ServiceCategory, ServiceItem


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ServiceOwned, admin.ModelAdmin):
    list_display = ["name", "kind", "position", "is_major_defect"]
    list_filter = ["kind", "is_major_defect"]
    search_fields = ["name"]


class ProcedureStepInline(ServiceOwnedInline):
    model = ProcedureStep
    fields = ["position", "title", "detail", "needs_photo"]


@admin.register(ServiceItem)
class ServiceItemAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["name", "category", "office", "pricing", "price", "in_scope", "is_active"]
    list_filter = ["is_active", "pricing", "in_scope", "is_special", "category", "office"]
    list_select_related = ["category", "office"]
    search_fields = ["name"]
    inlines = [ProcedureStepInline]
