from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Notice, NoticeRevision


class RevisionInline(admin.TabularInline):
    model = NoticeRevision
    extra = 0
    can_delete = False
    readonly_fields = ["number", "title", "body", "note", "created_at", "created_by"]


@admin.register(Notice)
class NoticeAdmin(SimpleHistoryAdmin):
    """Read-mostly: changes go through the console or the API, where the services check them."""

    list_display = ["title", "category", "scope", "office", "state", "published_at", "pinned"]
    list_filter = ["state", "category", "scope", "pinned"]
    search_fields = ["title"]
    readonly_fields = ["state", "published_at", "archived_at", "corrected_at", "publish_at"]
    inlines = [RevisionInline]
