"""The admin looks at records; it does not change what the services own.

Every change of state goes through a service function, which checks permissions, raises the
request's ``version``, writes the timeline event and the audit row, and keeps the rules (a
deadline moves only through an extension the customer agreed to, M09). An admin form that saved
such a record directly would skip all of that, so records the services write are shown here
read-only: ``ServiceOwned`` (for a model's admin) and ``ServiceOwnedInline`` (for its inlines)
refuse adding, changing and deleting, also through django-simple-history's "revert".
Reference data no service rules over (offices, departments, communities…) stays editable in
its own app's admin.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from .models import DeferredTask, Notification


def all_fields(model, *, parent_model=None) -> list[str]:
    """Every concrete field of ``model`` (but its implicit id and the inline's link to its
    parent), to show read-only."""
    return [
        f.name
        for f in model._meta.fields
        if not f.auto_created and not (parent_model and f.related_model is parent_model)
    ]


class ServiceOwned:
    """For a ``ModelAdmin`` of records only services write: they can be seen, never changed.

    Put it first among the bases (``class XAdmin(ServiceOwned, SimpleHistoryAdmin)``).
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return list(self.fields or all_fields(self.model))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a posted earlier version for anyone who may view it.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ServiceOwnedInline(ServiceOwned, admin.TabularInline):
    """An inline of rows only services write: listed, never added, changed or deleted."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return list(self.fields or all_fields(self.model, parent_model=self.parent_model))


@admin.register(Notification)
class NotificationAdmin(ServiceOwned, admin.ModelAdmin):
    """The outbox, for looking into a message that did not arrive; only the services and the
    delivery run write it."""

    list_display = [
        "created_at",
        "event",
        "channel",
        "lane",
        "user",
        "customer",
        "state",
        "attempts",
        "sent_at",
    ]
    list_filter = ["state", "channel", "lane", "event"]
    raw_id_fields = ["user", "customer"]
    date_hierarchy = "created_at"


@admin.register(DeferredTask)
class DeferredTaskAdmin(ServiceOwned, admin.ModelAdmin):
    """Background work changes still owe, for looking into one that does not finish (its last
    error, its attempts); only the services, the workers and the sweeper write it."""

    list_display = ["key", "created_at", "attempts", "next_run_at", "finished_at"]
    list_filter = [("finished_at", admin.EmptyFieldListFilter)]
    search_fields = ["key"]
    date_hierarchy = "created_at"
