"""Owners' committees in the admin, to look at only.

Seats, meetings, opinions and actions change through ``committee.services``, which check the
permissions and the rules (one chair, minutes only after the meeting, an action's owner and due
date), tell the committee and write the timeline and the audit. The admin would skip all that.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from propdesk.core.admin import ServiceOwned, ServiceOwnedInline

from .models import Action, ActionUpdate, Committee, Item, Meeting, MissedMonth, Seat


class SeatInline(ServiceOwnedInline):
    model = Seat


class ItemInline(ServiceOwnedInline):
    model = Item


class UpdateInline(ServiceOwnedInline):
    model = ActionUpdate


@admin.register(Committee)
class CommitteeAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["name", "office", "established_on"]
    list_select_related = ["office"]
    inlines = [SeatInline]


@admin.register(Meeting)
class MeetingAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["committee", "planned_for", "state", "held_at"]
    list_filter = ["state"]
    list_select_related = ["committee"]
    inlines = [ItemInline]


@admin.register(Action)
class ActionAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["title", "office", "owner", "due_on", "state", "progress"]
    list_filter = ["state"]
    list_select_related = ["office", "owner"]
    inlines = [UpdateInline]


@admin.register(MissedMonth)
class MissedMonthAdmin(ServiceOwned, admin.ModelAdmin):
    list_display = ["office", "month", "flagged_at"]
    list_select_related = ["office"]
