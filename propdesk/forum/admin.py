"""The forum in the admin, to look at only.

Posts, replies, routes, reports and the word list change through ``forum.services`` (routing,
the official reply, moderation with its reason told to the author, the response clock), which
check the permissions and write the post's timeline and the audit. The admin would skip all of
that."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from propdesk.core.admin import ServiceOwned, ServiceOwnedInline

from .models import AbuseReport, Post, Reply, Route, SensitiveWord


class ReplyInline(ServiceOwnedInline):
    model = Reply


class RouteInline(ServiceOwnedInline):
    model = Route
    fk_name = "post"


class ReportInline(ServiceOwnedInline):
    model = AbuseReport
    fk_name = "post"


@admin.register(Post)
class PostAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "office",
        "community",
        "state",
        "created_at",
        "first_answer_at",
    ]
    list_filter = ["state", "kind", "topic"]
    list_select_related = ["office", "community"]
    search_fields = ["title"]
    inlines = [ReplyInline, RouteInline, ReportInline]


@admin.register(SensitiveWord)
class SensitiveWordAdmin(ServiceOwned, SimpleHistoryAdmin):
    list_display = ["word", "added_by", "added_at"]
    search_fields = ["word"]
