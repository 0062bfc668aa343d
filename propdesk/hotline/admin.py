"""The hotline in the admin, to look at only.

Lines get their numbers through ``hotline.services.line_set`` (normalised, never another line's,
which caller recognition relies on), the duty roster changes through ``shift_add`` and
``shift_remove`` (no overlaps, staff of the line's office), and calls are written by the phone
system's events and the agents' actions. The admin would skip those rules and the audit.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from propdesk.core.admin import ServiceOwned
from propdesk.org.models import HotlineLine

from .models import Call, DutyShift


@admin.register(HotlineLine)
class HotlineLineAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["office", "kind", "number"]
    list_filter = ["kind"]
    list_select_related = ["office"]
    search_fields = ["number", "office__name"]


@admin.register(Call)
class CallAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["started_at", "office", "line", "caller_number", "state", "handler", "outcome"]
    list_filter = ["state", "outcome", "line__kind"]
    list_select_related = ["office", "line__office", "handler"]
    search_fields = ["caller_e164", "caller_number", "external_id"]
    date_hierarchy = "started_at"
    show_full_result_count = False  # a table of millions of rows


@admin.register(DutyShift)
class DutyShiftAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["line", "staff", "starts_at", "ends_at"]
    list_filter = ["line__kind"]
    list_select_related = ["line__office", "staff"]
    date_hierarchy = "starts_at"
