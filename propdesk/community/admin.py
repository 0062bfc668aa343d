from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    can_delete = False
    raw_id_fields = ["customer", "registered_by", "checked_in_by"]
    readonly_fields = ["state", "queued_at", "confirmed_at", "cancelled_at", "checked_in_at"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    """Read-mostly: changes go through the console or the API, where the services check them."""

    list_display = ["title", "kind", "office", "starts_at", "capacity", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["title"]
    raw_id_fields = ["notice", "community"]
    readonly_fields = ["state", "published_at", "finished_at", "cancelled_at", "notice"]
    inlines = [RegistrationInline]
