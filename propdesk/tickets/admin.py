from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assignment,
    Charge,
    ChecklistStep,
    Contact,
    Extension,
    Quote,
    QuoteLine,
    Ticket,
    TicketEvent,
)


class EventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    fields = ["at", "kind", "from_status", "to_status", "actor", "note", "customer_visible"]
    readonly_fields = fields
    can_delete = False


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    readonly_fields = ["technician", "assigned_by", "assigned_at", "ended_at", "end_reason", "note"]
    can_delete = False


class ChecklistInline(admin.TabularInline):
    model = ChecklistStep
    extra = 0
    readonly_fields = ["position", "title", "done_at", "done_by", "note", "photo"]
    can_delete = False


@admin.register(Ticket)
class TicketAdmin(SimpleHistoryAdmin):
    """Read-mostly: state changes belong to the services, which keep the timeline honest."""

    list_display = [
        "number",
        "office",
        "kind",
        "channel",
        "status",
        "customer",
        "due_at",
        "created_at",
    ]
    list_filter = ["office", "status", "kind", "channel"]
    list_select_related = ["office", "customer"]
    search_fields = ["number"]
    raw_id_fields = ["customer", "household", "item", "assignee", "created_by", "rework_of"]
    readonly_fields = ["number", "status", "version", "created_at", "updated_at"]
    inlines = [AssignmentInline, ChecklistInline, EventInline]
    date_hierarchy = "created_at"


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    extra = 0


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    list_display = ["ticket", "state", "total", "expires_at", "answered_via", "answered_at"]
    list_filter = ["state", "answered_via"]
    raw_id_fields = ["ticket", "created_by", "recorded_by"]
    readonly_fields = ["token_hash"]
    inlines = [QuoteLineInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["at", "customer", "channel", "direction", "stage", "staff", "ticket"]
    list_filter = ["channel", "direction", "stage", "office"]
    raw_id_fields = ["customer", "household", "ticket", "call", "staff"]
    date_hierarchy = "at"


@admin.register(Charge)
class ChargeAdmin(admin.ModelAdmin):
    list_display = ["recorded_at", "office", "ticket", "amount", "is_special"]
    list_filter = ["office", "is_special"]
    raw_id_fields = ["ticket", "customer", "household", "item", "recorded_by"]
    date_hierarchy = "recorded_at"


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ["ticket", "old_due_at", "new_due_at", "created_by", "created_at"]
    raw_id_fields = ["ticket", "contact", "created_by"]
