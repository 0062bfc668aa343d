"""Community activities in the admin, to look at only.

An activity's details and state, and every registration, change through
``community.services`` (publishing, cancelling, finishing, the waiting list, check-in), which
check the permissions, keep the seats and the waiting list right, tell the customers and write
the activity's timeline and the audit. The admin would skip all of that.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from propdesk.core.admin import ServiceOwned, ServiceOwnedInline

from .models import Activity, Registration


class RegistrationInline(ServiceOwnedInline):
    model = Registration


@admin.register(Activity)
class ActivityAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["title", "kind", "office", "starts_at", "capacity", "state"]
    list_filter = ["state", "kind"]
    list_select_related = ["office"]
    search_fields = ["title"]
    inlines = [RegistrationInline]
