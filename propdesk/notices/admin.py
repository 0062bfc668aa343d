"""Notices in the admin, to look at only.

A notice is written, scheduled, published, revised and archived through ``notices.services``,
which check who may, keep every correction of a published notice as a revision, fan it out to
the customers and write the audit. The admin would skip all of that.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from propdesk.core.admin import ServiceOwned, ServiceOwnedInline

from .models import Notice, NoticeRevision


class RevisionInline(ServiceOwnedInline):
    model = NoticeRevision
    fields = ["number", "title", "body", "note", "created_at", "created_by"]


@admin.register(Notice)
class NoticeAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["title", "category", "scope", "office", "state", "published_at", "pinned"]
    list_filter = ["state", "category", "scope", "pinned"]
    list_select_related = ["office"]
    search_fields = ["title"]
    inlines = [RevisionInline]
