from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Call, DutyShift, HotlineLine


@admin.register(HotlineLine)
class HotlineLineAdmin(SimpleHistoryAdmin):
    list_display = ["office", "kind", "number"]
    list_filter = ["kind"]
    list_select_related = ["office"]
    search_fields = ["number", "office__name"]


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ["started_at", "office", "line", "caller_number", "state", "handler", "outcome"]
    list_filter = ["state", "outcome", "line__kind"]
    list_select_related = ["office", "line__office", "handler"]
    search_fields = ["caller_e164", "caller_number", "external_id"]
    date_hierarchy = "started_at"
    # Tables of millions of rows: never render them as select boxes.
    raw_id_fields = ["line", "office", "handler", "customer", "ticket"]
    show_full_result_count = False


@admin.register(DutyShift)
class DutyShiftAdmin(SimpleHistoryAdmin):
    list_display = ["line", "staff", "starts_at", "ends_at"]
    list_filter = ["line__kind"]
    list_select_related = ["line__office", "staff"]
    raw_id_fields = ["line", "staff"]
    date_hierarchy = "starts_at"
