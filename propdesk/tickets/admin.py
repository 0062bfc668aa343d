"""Requests in the admin, to look at: every field is read-only here.

A request, its quotes, assignments, steps, extensions, charges and contacts change only through
``tickets.services``, which check the lifecycle and the permissions, raise the request's
``version``, write the timeline and the audit, and keep the deadline rules (M09: ``due_at``
moves only through an extension agreed with the customer). The admin would skip all of that.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from propdesk.core.admin import ServiceOwned, ServiceOwnedInline

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


class EventInline(ServiceOwnedInline):
    model = TicketEvent
    fields = ["at", "kind", "from_status", "to_status", "actor", "note", "customer_visible"]


class AssignmentInline(ServiceOwnedInline):
    model = Assignment
    fields = [
        "technician",
        "assigned_by",
        "assigned_at",
        "ended_at",
        "end_reason",
        "note",
        "end_note",
    ]


class ChecklistInline(ServiceOwnedInline):
    model = ChecklistStep
    fields = ["position", "title", "done_at", "done_by", "note", "photo"]


@admin.register(Ticket)
class TicketAdmin(ServiceOwned, SimpleHistoryAdmin):
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
    inlines = [AssignmentInline, ChecklistInline, EventInline]
    date_hierarchy = "created_at"


class QuoteLineInline(ServiceOwnedInline):
    model = QuoteLine


@admin.register(Quote)
class QuoteAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["ticket", "state", "total", "expires_at", "answered_via", "answered_at"]
    list_filter = ["state", "answered_via"]
    list_select_related = ["ticket"]
    inlines = [QuoteLineInline]


@admin.register(Contact)
class ContactAdmin(ServiceOwned, admin.ModelAdmin):
    list_display = ["at", "customer", "channel", "direction", "stage", "staff", "ticket"]
    list_filter = ["channel", "direction", "stage", "office"]
    list_select_related = ["customer", "staff", "ticket"]
    date_hierarchy = "at"


@admin.register(Charge)
class ChargeAdmin(ServiceOwned, admin.ModelAdmin):
    list_display = ["recorded_at", "office", "ticket", "amount", "is_special"]
    list_filter = ["office", "is_special"]
    list_select_related = ["office", "ticket"]
    date_hierarchy = "recorded_at"


@admin.register(Extension)
class ExtensionAdmin(ServiceOwned, admin.ModelAdmin):
    list_display = ["ticket", "old_due_at", "new_due_at", "created_by", "created_at"]
    list_select_related = ["ticket", "created_by"]
